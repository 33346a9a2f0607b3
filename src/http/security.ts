import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { rateLimit, ipKeyGenerator } from 'express-rate-limit';
import type { Config } from '../config';
import type { Db } from '../db/db';
import { DbRateLimitStore } from './rate-limit-store';
import { HttpError } from './errors';

/**
 * Strict headers (SECURITY.md decision 4): no inline script or style anywhere, so the CSP needs no
 * nonce; htmx runs with allowEval=false and without its injected indicator styles (see the layout).
 */
export function securityHeaders(config: Config): RequestHandler {
  const production = config.env === 'production';
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        ...(production ? { upgradeInsecureRequests: [] } : { upgradeInsecureRequests: null }),
      },
    },
    frameguard: { action: 'deny' },
    strictTransportSecurity: production ? { maxAge: 31536000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
  });
}

/** Authenticated pages must not be stored by browsers or proxies (SECURITY.md case 29). */
export function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.set('Cache-Control', 'no-store');
  next();
}

/**
 * Sign-in throttling, per client IP and per username (SECURITY.md case 38). The IP comes from
 * req.ip, which honours X-Forwarded-For only when TRUST_PROXY says a proxy is in front. The counters
 * live in the database (DbRateLimitStore), shared by every instance.
 */
export function loginRateLimits(config: Config, db: Db): RequestHandler[] {
  const common = {
    windowMs: 15 * 60 * 1000,
    limit: config.loginRateLimit,
    standardHeaders: 'draft-8' as const,
    legacyHeaders: false,
    // Only failed attempts count: a successful sign-in answers 303.
    skipSuccessfulRequests: true,
    handler: (req: Request, _res: Response, next: NextFunction) => {
      req.log?.warn({ event: 'login.rate_limited', route: req.path }, 'sign-in rate limit hit');
      next(new HttpError(429, 'Too many sign-in attempts. Wait a few minutes and try again.'));
    },
  };
  return [
    rateLimit({
      ...common,
      store: new DbRateLimitStore(db, 'login-ip:'),
      keyGenerator: (req) => ipKeyGenerator(req.ip ?? ''),
    }),
    rateLimit({
      ...common,
      store: new DbRateLimitStore(db, 'login-user:'),
      keyGenerator: (req) => {
        const email = (req.body as Record<string, unknown> | undefined)?.email;
        return `user:${typeof email === 'string' ? email.trim().toLowerCase().slice(0, 254) : ''}`;
      },
    }),
  ];
}

/** Sign-ins a client IP may start per window; each start stores a session (state, nonce, PKCE). */
export const SESSION_STARTS_PER_WINDOW = 60;

/**
 * Anonymous session writes are rate limited (issue: no unbounded session rows from visitors): the only
 * anonymous request that stores a session is the start of a sign-in with Microsoft Entra ID.
 */
export function sessionStartLimit(db: Db): RequestHandler {
  return rateLimit({
    store: new DbRateLimitStore(db, 'session-start:'),
    windowMs: 15 * 60 * 1000,
    limit: SESSION_STARTS_PER_WINDOW,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? ''),
    handler: (req: Request, _res: Response, next: NextFunction) => {
      req.log?.warn({ event: 'session.rate_limited', route: req.path }, 'sign-in start rate limit hit');
      next(new HttpError(429, 'Too many sign-in attempts from your network. Wait a few minutes and try again.'));
    },
  });
}
