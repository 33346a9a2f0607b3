import type { NextFunction, Request, RequestHandler, Response } from 'express';
import session, { type SessionData } from 'express-session';
import type { Logger } from 'pino';
import { ConnectSessionKnexStore } from 'connect-session-knex';
import type { Config } from '../config';
import type { Db } from '../db/db';

declare module 'express-session' {
  interface SessionData {
    /** Epoch ms of sign-in: the absolute lifetime counts from here. */
    signedInAt?: number;
    /** Epoch ms of the last request, refreshed at most once a minute: the idle timeout counts from here. */
    lastSeenAt?: number;
    returnTo?: string;
    flash?: string;
  }
}

/**
 * The session table's store, made safe to fail. connect-session-knex hands a failed query to
 * express-session's callback *and* rethrows it from a promise nobody awaits; that rejection would end
 * the process (a locked or full database on an anonymous request did). Here every failure reaches
 * the callback only, so express-session passes it to the error handler: a 503, and the server goes on.
 *
 * express-session also "touches" the store on every request whose session did not change; with this
 * store that is one UPDATE (a synced commit) per request. Expiry is kept by the session's own saves
 * instead: the cookie and the row live for the absolute lifetime, and `lastSeenAt` re-saves at most
 * once a minute.
 */
class SafeStore extends ConnectSessionKnexStore {
  constructor(options: ConstructorParameters<typeof ConnectSessionKnexStore>[0]) {
    super(options);
    // The table comes from the migrations; a failed check at start-up must not break the store for good.
    const self = this as unknown as { ready: Promise<void> };
    self.ready.catch(() => undefined);
    self.ready = Promise.resolve();
  }

  override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void) {
    return super.get(sid, callback).catch(() => null);
  }

  override set(sid: string, session: SessionData, callback?: (err?: unknown) => void) {
    return super.set(sid, session, callback).catch(() => undefined);
  }

  override destroy(sid: string, callback?: (err?: unknown) => void) {
    return super.destroy(sid, callback).catch(() => 0);
  }

  override async touch(_sid: string, _session: unknown, callback?: (err?: unknown) => void): Promise<void> {
    callback?.();
  }
}

/**
 * Sessions live in the database (never MemoryStore). Cookie per SECURITY.md decision 2: HttpOnly,
 * SameSite=Lax, `__Host-` prefixed and Secure in production. The idle timeout is checked against
 * `lastSeenAt` (see sessionTimeouts) rather than with a rolling cookie, which would write the
 * session row on every request.
 */
export function sessionMiddleware(
  config: Config,
  db: Db,
  logger: Logger,
): { middleware: RequestHandler; store: ConnectSessionKnexStore } {
  const production = config.env === 'production';
  const store = new SafeStore({
    knex: db,
    tableName: 'sessions',
    createTable: false,
    cleanupInterval: config.env === 'test' ? 0 : 10 * 60 * 1000,
    // The periodic purge of expired rows tries again next time; it never prints outside the JSON log.
    onDbCleanupError: (err: unknown) => logger.warn({ err }, 'expired sessions not purged'),
  });
  const middleware = session({
    name: production ? '__Host-ftop.sid' : 'ftop.sid',
    secret: config.sessionSecret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: false,
    unset: 'destroy',
    proxy: config.trustProxy !== false,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: production,
      path: '/',
      maxAge: config.sessionAbsoluteSeconds * 1000,
    },
  });
  return { middleware, store };
}

const TOUCH_EVERY_MS = 60 * 1000;

/**
 * Idle and absolute session lifetimes (SECURITY.md case 16): a signed-in session unused for longer
 * than the idle window, or older than the absolute lifetime, is destroyed before the request goes on.
 */
export function sessionTimeouts(config: Config, now: () => number = Date.now): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const sess = req.session;
    if (!sess?.signedInAt) return next();
    const t = now();
    const idle = t - (sess.lastSeenAt ?? sess.signedInAt);
    if (idle > config.sessionIdleSeconds * 1000 || t - sess.signedInAt > config.sessionAbsoluteSeconds * 1000) {
      // regenerate = delete the stored row and continue with a fresh anonymous session.
      sess.regenerate((err) => next(err));
      return;
    }
    if (idle > TOUCH_EVERY_MS) sess.lastSeenAt = t;
    next();
  };
}
