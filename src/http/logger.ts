import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino, { Logger } from 'pino';
import pinoHttp from 'pino-http';
import type { NextFunction, Request, Response } from 'express';

/**
 * Errors as they are logged: type, code, message and stack, nothing else. Drivers and libraries hang
 * extra properties on errors (knex's `bindings` and `sql`, a session's data); none of them is logged.
 * Messages hold SQL with `?` placeholders only (knex runs with compileSqlOnError: false).
 */
export function safeError(err: unknown): Record<string, unknown> {
  // Duck-typed: an error from another realm (a native module, a vm context) is no `instanceof Error`.
  const e = err as { message?: unknown; stack?: unknown; code?: unknown; constructor?: { name?: string } } | null;
  if (typeof e !== 'object' || e === null || typeof e.message !== 'string')
    return { type: typeof err, message: 'a non-error value was thrown' };
  return {
    type: e.constructor?.name ?? 'Error',
    ...(typeof e.code === 'string' || typeof e.code === 'number' ? { code: e.code } : {}),
    message: e.message,
    stack: typeof e.stack === 'string' ? e.stack : undefined,
  };
}

/** JSON logs on stdout. Never tokens, cookies, emails or note bodies (SECURITY.md case 39). */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: safeError },
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * Request logging with a request id (also sent as X-Request-Id and shown on error pages): one line per
 * request when it ends (`info` for 2xx and 3xx, `warn` for 4xx, `error` for 5xx) with the request's id,
 * method and path, the status, the time taken and who it was for.
 *
 * pino-http's per-request work is kept to what a line needs (docs/decisions.md 139): about 140 µs a
 * request on the bench's VM, a fifth of the signed-in baseline's CPU, most of it for lines the level
 * leaves out.
 * - `wrapSerializers: false`: the serializers below read the request and response themselves; pino's
 *   standard ones first copied every header, the query and the socket's address into an object that
 *   these then cut down to three fields.
 * - `customProps` gives nothing while the user is not yet known (pino-http asks when the request
 *   arrives, before sign-in is read, and again when it ends): no child logger with no bindings.
 * - `customLogLevel` answers 'silent' for a level the logger does not write (LOG_LEVEL=warn and a 200),
 *   and pino-http then returns before building the line's bindings and a child logger for them.
 */
export function httpLogger(logger: Logger) {
  return pinoHttp({
    logger,
    wrapSerializers: false,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const id = crypto.randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    // Only the path: query strings can carry customer names and search text.
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        path: String(req.url).split('?')[0],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      err: safeError,
    },
    // pino-http skips the child logger when this is undefined (its type says object).
    customProps: ((req: IncomingMessage) => {
      const user = (req as Request).user;
      return user ? { userId: user.id, orgId: user.orgId } : undefined;
    }) as (req: IncomingMessage) => object,
    customLogLevel: (_req, res, err) => {
      const level = err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info';
      return logger.isLevelEnabled(level) ? level : 'silent';
    },
    autoLogging: {
      ignore: (req: IncomingMessage) =>
        (req.url ?? '').startsWith('/vendor/') || (req.url ?? '').startsWith('/static/'),
    },
  });
}

/**
 * Once the user is known (after passport), every line the request logs carries who it was for:
 * security events (authz.denied, csrf.failed, request.rejected, validation.failed) say `userId` and `orgId`.
 * The child logger is made when a line is first logged: most requests log none besides pino-http's own
 * line (which adds the user itself, `customProps`), and a child per request was a tenth of a small
 * page's CPU time (docs/decisions.md 115).
 */
export function logWho(req: Request, _res: Response, next: NextFunction): void {
  const { user, log } = req;
  if (user && log) {
    let child: Logger | undefined;
    Object.defineProperty(req, 'log', {
      configurable: true,
      enumerable: true,
      get: () => (child ??= log.child({ userId: user.id, orgId: user.orgId })),
      set: (value: Logger) => void (child = value),
    });
  }
  next();
}

/**
 * The one `validation.failed` event of a 422 (SECURITY.md case 39): the route and the names of the
 * fields refused, never their values. Routes that re-render their form with 422 call it too.
 */
export function validationFailed(req: Request, fields: Record<string, unknown>): void {
  req.log?.warn({ event: 'validation.failed', route: req.path, fields: Object.keys(fields) }, 'input refused');
}
