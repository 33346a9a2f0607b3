import { Router } from 'express';
import type { PassportStatic } from 'passport';
import type { AppDeps } from '../app-deps';
import { renderPage } from '../http/render';
import { loginRateLimits } from '../http/security';
import { NotFound } from '../http/errors';
import { safeReturnTo } from './guards';
import { signIn } from './passport';
import { findSignInUser, listSignInUsers, recordSignIn } from './users.repo';
import { nowIso } from '../db/db';

/** Sign-in and sign-out: GET /login, POST /login/dev (dev mode only), POST /logout. */
export function authRoutes(deps: AppDeps, passport: PassportStatic): Router {
  const { config, db } = deps;
  const router = Router();

  router.get('/login', async (req, res) => {
    const returnTo = safeReturnTo(req.query.returnTo);
    if (req.user) return res.redirect(303, returnTo === '/' ? '/tenants' : returnTo);
    res.set('Cache-Control', 'no-store');
    const users = config.authMode === 'dev' ? await listSignInUsers(db) : [];
    renderPage(res, 'auth/login', { title: 'Sign in', users, returnTo, authMode: config.authMode, error: null });
  });

  router.post('/login/dev', ...loginRateLimits(config, db), passport.initialize(), async (req, res) => {
    if (config.authMode !== 'dev') throw new NotFound();
    const email = typeof req.body?.email === 'string' ? req.body.email : '';
    const returnTo = safeReturnTo(req.body?.returnTo);
    const user = email ? await findSignInUser(db, { upn: email }) : undefined;
    if (!user) {
      req.log.warn({ event: 'login.failed', mode: 'dev' }, 'sign-in refused');
      res.status(401).set('Cache-Control', 'no-store');
      renderPage(res, 'auth/login', {
        title: 'Sign in',
        users: await listSignInUsers(db),
        returnTo,
        authMode: config.authMode,
        error: 'No active user with that email can sign in.',
      });
      return;
    }
    await signIn(req, user);
    await recordSignIn(db, user.id, nowIso());
    req.log.info({ event: 'login.succeeded', mode: 'dev', userId: user.id, orgId: user.orgId }, 'signed in');
    res.redirect(303, returnTo === '/' ? '/tenants' : returnTo);
  });

  router.post('/logout', passport.initialize(), (req, res, next) => {
    const userId = req.user?.id;
    // passport's logout regenerates the session; destroy it as well so the store row is gone (case 15).
    req.logout((err) => {
      if (err) return next(err);
      req.session.destroy((destroyErr) => {
        if (destroyErr) return next(destroyErr);
        req.log.info({ event: 'logout', userId }, 'signed out');
        res.clearCookie(config.env === 'production' ? '__Host-ftop.sid' : 'ftop.sid', { path: '/' });
        res.set('Cache-Control', 'no-store').set('Clear-Site-Data', '"cookies"');
        res.redirect(303, '/login');
      });
    });
  });

  return router;
}
