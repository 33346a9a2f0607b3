import type { NextFunction, Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Db } from '../db/db';
import { DbSessionStore } from './session-store';

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
 * Sessions live in the database (never MemoryStore). Cookie per SECURITY.md decision 2: HttpOnly,
 * SameSite=Lax, `__Host-` prefixed and Secure in production. The idle timeout is checked against
 * `lastSeenAt` (see sessionTimeouts) rather than with a rolling cookie, which would write the
 * session row on every request.
 */
export function sessionMiddleware(config: Config, db: Db, logger: Logger): RequestHandler {
  const production = config.env === 'production';
  const store = new DbSessionStore(db, logger, config.env === 'test' ? 0 : 10 * 60 * 1000);
  return session({
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
