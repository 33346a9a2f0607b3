import type { NextFunction, Request, Response } from 'express';
import passport from 'passport';
import type { Db } from '../db/db';
import { takePreloadedUser } from './session-store';
import { findSignInUser, sessionUserOf, SessionUser } from './users.repo';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends SessionUser {}
  }
}

/**
 * Passport keeps only the user id in the session and reloads the user on every request, so a user who
 * is disabled, removed or whose org is switched off loses access at the next request (SECURITY.md case 11).
 */
export function configurePassport(db: Db): passport.PassportStatic {
  const instance = new passport.Passport() as unknown as passport.PassportStatic;
  instance.serializeUser((user, done) => done(null, (user as SessionUser).id));
  // Three parameters: passport passes the request, whose session the store read together with its user.
  instance.deserializeUser((req: Request, id: unknown, done: (err: unknown, user?: Express.User | false) => void) => {
    const row = takePreloadedUser(req);
    (row && Number(row.id) === Number(id) ? sessionUserOf(db, row) : findSignInUser(db, { id: Number(id) }))
      .then((user) => done(null, user ?? false))
      .catch((err) => done(err));
  });
  return instance;
}

/**
 * A session whose user can no longer sign in is destroyed, not merely ignored. Runs around
 * passport.session(): `before` notes the session's user id, `after` destroys the row if passport
 * could not load that user.
 */
export const staleSession = {
  before(req: Request, res: Response, next: NextFunction): void {
    const sess = req.session as unknown as { passport?: { user?: unknown } } | undefined;
    res.locals.sessionUserId = sess?.passport?.user;
    next();
  },
  after(req: Request, res: Response, next: NextFunction): void {
    if (res.locals.sessionUserId !== undefined && !req.user) {
      // regenerate = delete the stored row and continue with a fresh anonymous session.
      req.session.regenerate((err) => next(err));
      return;
    }
    next();
  },
};

/**
 * Signs a user in: passport regenerates the session id (no fixation, SECURITY.md cases 13–14),
 * then the sign-in time starts the absolute lifetime.
 */
export function signIn(req: Request, user: SessionUser): Promise<void> {
  return new Promise((resolve, reject) => {
    req.login(user, (err) => {
      if (err) return reject(err);
      req.session.signedInAt = Date.now();
      req.session.lastSeenAt = req.session.signedInAt;
      req.session.save((saveErr) => (saveErr ? reject(saveErr) : resolve()));
    });
  });
}
