import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import querystring from 'node:querystring';
import { withoutControls } from '../domain/values';
import { HttpError } from './errors';

/**
 * Request bodies: forms (urlencoded) and JSON only, each at most 100 kB and 1,000 fields (413 above,
 * SECURITY.md case 31), parsed flat (extended:false: no nested objects, so no prototype pollution,
 * case 34). Whatever else arrives is refused by `acceptedBody`, which runs once the user is known
 * (so the `request.rejected` event says who sent it):
 * - a body of another type (text/plain, multipart, XML, or a body without a type) → 415;
 * - malformed JSON, or JSON that is not an object → 400; too large → 413;
 * - no body at all → an empty form, so a route never reads a field of `undefined`.
 * Text values lose NUL and the other control characters (src/domain/values.ts withoutControls), as the
 * query string's do (parseQuery).
 */
export function bodyParsers(): RequestHandler {
  // A parser's error (400, 413, 415) is kept for acceptedBody instead of going straight to the error handler.
  const parsers = [
    express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 1000 }),
    express.json({ limit: '100kb' }),
  ];
  // A request without a body (every GET a browser sends) skips both parsers.
  return (req, res, next) => {
    if (!hasBody(req)) return next();
    parsers[0](req, res, (err?: unknown) => {
      if (err) {
        res.locals.bodyError = err;
        return next();
      }
      parsers[1](req, res, (err2?: unknown) => {
        if (err2) res.locals.bodyError = err2;
        next();
      });
    });
  };
}

function hasBody(req: Request): boolean {
  if (req.get('Transfer-Encoding') !== undefined) return true;
  const length = req.get('Content-Length');
  return length !== undefined && length !== '0';
}

/**
 * Express's query parser ('simple': node:querystring), with text values cleaned as bodies' are: a search
 * holding NUL read nothing from the list kept in memory, everything through SQLite's LIKE, and was a 500
 * on PostgreSQL, which refuses NUL in text.
 */
export function parseQuery(text: string): querystring.ParsedUrlQuery {
  const query = querystring.parse(text);
  for (const [key, value] of Object.entries(query))
    query[key] = typeof value === 'string' ? withoutControls(value) : value?.map(withoutControls);
  return query;
}

export function acceptedBody(req: Request, res: Response, next: NextFunction): void {
  if (res.locals.bodyError) return next(res.locals.bodyError);
  if (req.method !== 'POST') return next();
  if (req.body === undefined) {
    if (hasBody(req)) return next(new HttpError(415, 'Send the form as application/x-www-form-urlencoded or JSON.'));
    req.body = {};
    return next();
  }
  if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body))
    return next(new HttpError(400, 'The request body must be a form or a JSON object.'));
  const body = req.body as Record<string, unknown>;
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string') body[key] = withoutControls(value);
    else if (Array.isArray(value)) body[key] = value.map((v) => (typeof v === 'string' ? withoutControls(v) : v));
  }
  next();
}
