import type { NextFunction, Request, Response } from 'express';
import { databaseFault } from '../db/faults';
import { Conflict, HttpError, ValidationError } from './errors';
import { validationFailed } from './logger';
import { isPartial, renderPage, renderView, sendHtml } from './render';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Sign-in required',
  403: 'Not allowed',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Request too large',
  415: 'Unsupported request',
  422: 'Please check your input',
  429: 'Too many requests',
  500: 'Something went wrong',
  503: 'Busy',
};

/** 404 for anything no route answered: the same page as a tenant outside the user's reach. */
export function notFoundHandler(_req: Request, _res: Response, next: NextFunction): void {
  next(new HttpError(404, 'Not found'));
}

/**
 * The one error handler: typed errors keep their status and message; anything else is a 500 whose
 * page shows only the request id (the stack goes to the log under the same id, SECURITY.md case 36).
 * A database fault (busy, locked, full, read-only) becomes a 503 with Retry-After (src/db/faults.ts).
 */
export async function errorHandler(err: unknown, req: Request, res: Response, _next: NextFunction): Promise<void> {
  if (res.headersSent) {
    // A failure after the response began (express-session saving at the end of a response that already
    // reported a fault): it is logged here, safely, instead of by Express's default handler on stderr.
    const fault = databaseFault(err);
    if (fault)
      req.log?.warn(
        { event: 'db.fault', kind: fault.kind, code: (err as { code?: string }).code },
        'database fault after the response',
      );
    else req.log?.error({ err }, 'failed after the response began');
    if (!res.writableEnded) res.end();
    return;
  }
  let status = 500;
  let message = 'An unexpected error occurred. If it happens again, give the request id to your administrator.';
  const e = err as { status?: number; statusCode?: number; type?: string; code?: string; message?: string };
  const fault = databaseFault(err);
  if (err instanceof HttpError) {
    status = err.status;
    message = err.message;
  } else if (fault) {
    status = 503;
    message = fault.message;
    res.set('Retry-After', String(fault.retryAfter));
  } else if (typeof (e?.status ?? e?.statusCode) === 'number' && (e.status ?? e.statusCode)! < 500) {
    // body-parser and friends: 400 malformed, 413 too large / too many parameters, 415 charset or encoding.
    status = (e.status ?? e.statusCode)!;
    message =
      status === 413
        ? 'The request is too large.'
        : status === 415
          ? 'This kind of request body is not accepted.'
          : 'The request could not be read.';
  }
  const requestId = String(req.id ?? '');
  const route = req.path;
  if (fault) req.log?.warn({ event: 'db.fault', kind: fault.kind, code: e.code, status, route }, 'database fault');
  else if (status >= 500) req.log?.error({ err, requestId }, 'request failed');
  else if (status === 404) req.log?.info({ event: 'not_found', route }, 'not found');
  else if (err instanceof ValidationError) validationFailed(req, err.fields);
  else req.log?.warn({ event: 'request.rejected', status, route }, message);

  res.status(status).set('Cache-Control', 'no-store');
  res.vary('HX-Request');
  // A stale save (409) shows what is stored now and a way to reload (STYLE.md › htmx dialog flow, step 6).
  const conflict = err instanceof Conflict ? conflictLines(err) : null;
  const reloadUrl = conflict ? safeSamePath(req.get('HX-Current-URL') ?? req.get('Referer')) : null;
  const locals = { title: TITLES[status] ?? 'Error', status, message, requestId, conflict, reloadUrl };
  try {
    if (isPartial(req)) {
      // htmx swaps this into #flash (HX-Retarget), whatever element made the request.
      res.set('HX-Retarget', '#flash').set('HX-Reswap', 'innerHTML');
      sendHtml(res, renderView(res, 'errors/_error', locals));
    } else if (req.accepts(['html', 'json']) === 'json') {
      res.json({ error: message, requestId });
    } else {
      renderPage(res, status === 404 ? 'errors/404' : 'errors/error', locals);
    }
  } catch (renderErr) {
    req.log?.error({ err: renderErr }, 'error page failed');
    res.type('text/plain').send(`${locals.title}. Request id: ${requestId}`);
  }
}

/** The stored values a Conflict carries, as "label: value" lines (escaped by the view). */
function conflictLines(err: Conflict): string[] {
  const current = (err.details.current ?? {}) as Record<string, unknown>;
  return Object.entries(current)
    .filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
    .map(
      ([k, v]) =>
        `${k
          .replace(/([A-Z])/g, ' $1')
          .replace(/_/g, ' ')
          .toLowerCase()}: ${String(v)}`,
    );
}

/** Only a same-origin path may be offered as the reload link. */
function safeSamePath(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url, 'http://local.invalid');
    return u.pathname.startsWith('/') && !u.pathname.startsWith('//') ? u.pathname + u.search : null;
  } catch {
    return null;
  }
}
