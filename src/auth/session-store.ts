import session, { type SessionData } from 'express-session';
import type { Logger } from 'pino';
import type { Request } from 'express';
import { kindOf, type Db } from '../db/db';
import { readRow, withSql } from '../db/sql';
import { SIGN_IN_USER_COLUMNS, type UserRow } from './users.repo';

const USER = Symbol('session user');
type Preloaded = SessionData & { [USER]?: UserRow };
const preloaded = new WeakMap<Request, UserRow>();

/**
 * The user row the store read with this request's session (decision 131), taken once: sessionUser
 * (src/auth/passport.ts) turns it into req.user by the same rule as a sign-in (users.repo.ts sessionUserOf).
 */
export function takePreloadedUser(req: Request): UserRow | undefined {
  const row = preloaded.get(req);
  preloaded.delete(req);
  return row;
}

/**
 * The session and, when it is signed in, its user (passport keeps the user's id at passport.user). On
 * SQLite the session is looked up by its key's index by name: planner statistics taken while the table
 * held a handful of sessions made SQLite scan the whole table for this join (with many sessions signed
 * in, every request would read them all).
 */
export function sessionReadSql(kind: 'sqlite' | 'postgres'): string {
  const [sessions, userId] =
    kind === 'postgres'
      ? ['sessions s', "(s.sess -> 'passport' ->> 'user')::integer"]
      : ['sessions s INDEXED BY sqlite_autoindex_sessions_1', "json_extract(s.sess, '$.passport.user')"];
  return `SELECT s.sess, ${SIGN_IN_USER_COLUMNS}
      FROM ${sessions}
      LEFT JOIN users u ON u.id = ${userId}
      LEFT JOIN partner_orgs o ON o.id = u.org_id
     WHERE s.sid = ? AND s.expired >= ?`;
}

/**
 * The `sessions` table (migration 008: sid, sess as JSON, expired) as express-session's store, with one
 * prepared statement per operation: a signed-in request reads its session and its user with one statement
 * (two indexed reads joined; decision 131).
 *
 * Every failure reaches express-session's callback and nothing else, so a locked or full database
 * becomes a 503 from the error handler, never an unhandled rejection that ends the process.
 * There is no `touch`: express-session would touch the store on every request whose session did not
 * change (a synced commit per request); for a store without one it also checks the session for
 * changes once less per request. Expiry is kept by the session's own saves instead: the row lives
 * for the absolute lifetime, and `lastSeenAt` re-saves at most once a minute (src/auth/session.ts).
 * Expired rows are purged every `cleanupMs` (0: never, for tests).
 */
export class DbSessionStore extends session.Store {
  private readonly read: string;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    cleanupMs: number,
  ) {
    super();
    this.read = sessionReadSql(kindOf(db));
    if (cleanupMs > 0) setInterval(() => void this.purge(), cleanupMs).unref();
  }

  override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void): void {
    readRow<UserRow & { sess: string | SessionData }>(this.db, this.read, [sid, new Date().toISOString()]).then(
      (row) => {
        if (!row) return callback(null, null);
        let sess: SessionData;
        try {
          sess = typeof row.sess === 'string' ? (JSON.parse(row.sess) as SessionData) : row.sess;
        } catch (err) {
          return callback(err);
        }
        // The session's user, read in the same statement, rides along under a symbol: neither express-session's
        // copy into req.session nor its JSON (the change check, the save) sees it.
        if (row.id !== null && row.id !== undefined) (sess as Preloaded)[USER] = row;
        callback(null, sess);
      },
      callback,
    );
  }

  /** express-session makes req.session here: the user read with the session is kept for this request. */
  override createSession(req: Request, sess: SessionData): session.Session & Partial<SessionData> {
    const row = (sess as Preloaded)[USER];
    if (row) preloaded.set(req, row);
    return super.createSession(req, sess);
  }

  override set(sid: string, sess: SessionData, callback?: (err?: unknown) => void): void {
    const expired = new Date(Date.now() + (sess.cookie.maxAge ?? 86_400_000)).toISOString();
    withSql(this.db, (sql) =>
      sql.run(
        `INSERT INTO sessions (sid, expired, sess) VALUES (?, ?, ?)
         ON CONFLICT (sid) DO UPDATE SET expired = excluded.expired, sess = excluded.sess`,
        [sid, expired, JSON.stringify(sess)],
      ),
    ).then(
      () => callback?.(),
      (err) => callback?.(err),
    );
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    withSql(this.db, (sql) => sql.run('DELETE FROM sessions WHERE sid = ?', [sid])).then(
      () => callback?.(),
      (err) => callback?.(err),
    );
  }

  /** Deletes expired rows; a failure (a locked database) is logged and tried again next time. */
  async purge(): Promise<void> {
    try {
      await withSql(this.db, (sql) => sql.run('DELETE FROM sessions WHERE expired < ?', [new Date().toISOString()]));
    } catch (err) {
      this.logger.warn({ err }, 'expired sessions not purged');
    }
  }
}
