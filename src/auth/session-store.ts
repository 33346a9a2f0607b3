import session, { type SessionData } from 'express-session';
import type { Logger } from 'pino';
import type { Db } from '../db/db';
import { withSql } from '../db/sql';

/**
 * The `sessions` table (migration 008: sid, sess as JSON, expired) as express-session's store, with one
 * prepared statement per operation: a signed-in request reads its session with one indexed read.
 *
 * Every failure reaches express-session's callback and nothing else, so a locked or full database
 * becomes a 503 from the error handler, never an unhandled rejection that ends the process.
 * `touch` writes nothing: express-session would touch the store on every request whose session did not
 * change (a synced commit per request). Expiry is kept by the session's own saves instead: the row lives
 * for the absolute lifetime, and `lastSeenAt` re-saves at most once a minute (src/auth/session.ts).
 * Expired rows are purged every `cleanupMs` (0: never, for tests).
 */
export class DbSessionStore extends session.Store {
  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    cleanupMs: number,
  ) {
    super();
    if (cleanupMs > 0) setInterval(() => void this.purge(), cleanupMs).unref();
  }

  override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void): void {
    withSql(this.db, (sql) =>
      sql.get<{ sess: string | SessionData }>('SELECT sess FROM sessions WHERE sid = ? AND expired >= ?', [
        sid,
        new Date().toISOString(),
      ]),
    ).then(
      (row) => callback(null, row ? (typeof row.sess === 'string' ? JSON.parse(row.sess) : row.sess) : null),
      (err) => callback(err),
    );
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

  override touch(_sid: string, _session: SessionData, callback?: () => void): void {
    callback?.();
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
