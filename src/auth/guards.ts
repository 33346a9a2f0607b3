import type { NextFunction, Request, Response } from 'express';
import { isPartial } from '../http/render';

/**
 * Only same-site paths may be a post-sign-in destination (SECURITY.md case 35): one leading slash,
 * no second slash or backslash, no scheme, no control characters.
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2000) return '/';
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return '/';
  }
  for (const candidate of [value, decoded]) {
    if (!candidate.startsWith('/') || candidate.startsWith('//') || candidate.startsWith('/\\')) return '/';
    if ([...candidate].some((ch) => ch.charCodeAt(0) < 0x20)) return '/';
  }
  return value;
}

/**
 * Every route behind this needs a signed-in user: pages redirect to the sign-in page with a
 * returnTo, htmx requests get 401 with HX-Redirect (CONTRACT.md §4).
 */
export function requireUser(req: Request, res: Response, next: NextFunction): void {
  if (req.user) return next();
  if (req.get('HX-Request') === 'true' || isPartial(req)) {
    res.set('HX-Redirect', '/login').status(401).send('');
    return;
  }
  if (req.method === 'GET' || req.method === 'HEAD') {
    res.redirect(302, `/login?returnTo=${encodeURIComponent(safeReturnTo(req.originalUrl))}`);
    return;
  }
  res.redirect(302, '/login');
}
