import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { csrfSync } from 'csrf-sync';
import type { Config } from '../config';
import { HttpError } from './errors';

/**
 * CSRF protection on every state-changing request (SECURITY.md decision 1, cases 19–22).
 * - Signed in: a synchronizer token kept in the session (csrf-sync).
 * - Anonymous (the sign-in form): a signed double-submit cookie. The form carries a random token and
 *   the cookie carries the same token with its HMAC under SESSION_SECRET, so no session row is written
 *   for a visitor who has not signed in. A token of either kind is only valid for its own kind: a
 *   pre-sign-in token is refused after sign-in (case 20).
 * A cross-site Origin or Sec-Fetch-Site is refused first, even with a valid token (case 22).
 * The token travels in the form's hidden `_csrf` field (plain forms) or the X-CSRF-Token header (htmx).
 */

const tokenOf = (req: Request): string | undefined => {
  const header = req.get('X-CSRF-Token');
  if (header) return header;
  const field = (req.body as Record<string, unknown> | undefined)?._csrf;
  return typeof field === 'string' ? field : undefined;
};

// 32 random bytes (256 bits; csrf-sync's default is 128 bytes): the token rides in the session, which
// express-session serialises and hashes three times a request, and three times in every page.
const sessionCsrf = csrfSync({ getTokenFromRequest: tokenOf, size: 32 });

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameBytes(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

export function csrf(config: Config) {
  const cookieName = config.env === 'production' ? '__Host-ftop.csrf' : 'ftop.csrf';
  const sign = (token: string) => crypto.createHmac('sha256', config.sessionSecret).update(token).digest('base64url');
  /** The anonymous token in the request's cookie, when the cookie is present and its signature holds. */
  const cookieToken = (req: Request): string | undefined => {
    const raw = cookieValue(req.get('Cookie'), cookieName);
    const [token, mac] = raw?.split('.') ?? [];
    return token && mac && sameBytes(mac, sign(token)) ? token : undefined;
  };

  /** The token every view puts in `<meta name="csrf-token">` and the `_csrf` fields. */
  function token(req: Request, res: Response, next: NextFunction): void {
    if (req.user) {
      res.locals.csrfToken = sessionCsrf.generateToken(req);
      return next();
    }
    let anonymous = cookieToken(req);
    if (!anonymous) {
      anonymous = crypto.randomBytes(24).toString('base64url');
      res.cookie(cookieName, `${anonymous}.${sign(anonymous)}`, {
        httpOnly: true,
        sameSite: 'lax',
        secure: config.env === 'production',
        path: '/',
        maxAge: 2 * 3600 * 1000,
      });
    }
    res.locals.csrfToken = anonymous;
    next();
  }

  function protect(req: Request, _res: Response, next: NextFunction): void {
    if (SAFE_METHODS.has(req.method)) return next();
    const site = req.get('Sec-Fetch-Site');
    if (site && site !== 'same-origin' && site !== 'none')
      return next(new HttpError(403, 'Cross-site request refused'));
    const origin = req.get('Origin');
    if (origin && origin !== 'null') {
      let originHost: string | undefined;
      try {
        originHost = new URL(origin).host;
      } catch {
        originHost = undefined;
      }
      const host = req.get('Host');
      if (!host || originHost !== host) return next(new HttpError(403, 'Cross-site request refused'));
    }
    const sent = tokenOf(req);
    const anonymous = cookieToken(req);
    const valid = req.user ? sessionCsrf.isRequestValid(req) : !!sent && !!anonymous && sameBytes(sent, anonymous);
    if (!valid) {
      req.log?.warn({ event: 'csrf.failed', route: req.path }, 'CSRF token missing or invalid');
      return next(new HttpError(403, 'Your form has expired or is not valid. Reload the page and try again.'));
    }
    next();
  }

  return { token, protect };
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
