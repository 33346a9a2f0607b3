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
 * Passport signs users in and out (req.login, req.logout: the session id is regenerated, and the session
 * keeps only the user's id, at `passport.user`). The routes that call them take `passport.initialize()`.
 */
export function configurePassport(): passport.PassportStatic {
  const instance = new passport.Passport() as unknown as passport.PassportStatic;
  instance.serializeUser((user, done) => done(null, (user as SessionUser).id));
  return instance;
}

/**
 * Every request's user, from the id passport keeps in the session, reloaded each time so that a user who is
 * disabled, removed or whose org is switched off loses access at the next request (SECURITY.md case 11).
 * The session store read the user's row with the session (decision 131); it goes through the same rule
 * as a sign-in. A session whose user can no longer sign in is destroyed, not merely ignored (a fresh
 * anonymous session takes its place). This is what passport.session() did, less its per-request
 * strategy object and callbacks, about 80 µs of a signed-in request's CPU time (docs/decisions.md 132).
 */
export function sessionUser(db: Db) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const id = (req.session as { passport?: { user?: unknown } } | undefined)?.passport?.user;
    if (id === undefined) return next();
    const row = takePreloadedUser(req);
    (row && Number(row.id) === Number(id) ? sessionUserOf(db, row) : findSignInUser(db, { id: Number(id) })).then(
      (user) => {
        if (user) {
          req.user = user;
          return next();
        }
        // regenerate = delete the stored row and continue with a fresh anonymous session.
        req.session.regenerate((err) => next(err));
      },
      next,
    );
  };
}

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
