import path from 'node:path';
import zlib from 'node:zlib';
import compression from 'compression';
import express, { Express, NextFunction, Request, Response, Router } from 'express';
import type { AppDeps } from './app-deps';
import { CONTACT_TYPES, L1_VALUES, OVERALL_STATUSES } from './domain/enums';
import { SURVEY_REQUIREMENTS, TYPE_FIELDS } from './domain/rules/contact.rules';
import { CONTACT_TEXT, LIMITS } from './domain/values';
import { authRoutes } from './auth/auth.routes';
import { entraRoutes } from './auth/entra';
import { requireUser } from './auth/guards';
import { configurePassport, sessionUser } from './auth/passport';
import { sessionMiddleware, sessionTimeouts } from './auth/session';
import { errorHandler, notFoundHandler } from './http/error-handler';
import { acceptedBody, bodyParsers, parseQuery } from './http/body';
import { csrf } from './http/csrf';
import { createLogger, httpLogger, logWho } from './http/logger';
import { noStore, securityHeaders } from './http/security';
import { fmt } from './http/view-helpers';
import { dialogAssetAttributes, pageAssets } from './http/page-assets';
import { useViews } from './http/views';
import { minifiedAssets } from './http/assets';
import { tenantsRoutes } from './features/tenants/tenants.routes';
import { servicesRoutes } from './features/services/services.routes';
import { suggestRoutes } from './features/suggest/suggest.routes';
import { forecastRoutes } from './features/forecast/forecast.routes';
import { engagementRoutes } from './features/engagement/engagement.routes';
import { notesRoutes } from './features/notes/notes.routes';
import { notesLibraryRoutes } from './features/notes/notes-library.routes';
import { contactsRoutes } from './features/contacts/contacts.routes';
import { guidanceRoutes } from './features/guidance/guidance.routes';
import { assignmentsRoutes } from './features/assignments/assignments.routes';
import { tenantViewRoutes } from './features/tenant-view/tenant-view.routes';
import { phasesRoutes } from './features/phases/phases.routes';
import { enterpriseRoutes } from './features/enterprise/enterprise.routes';
import { healthRoutes } from './features/health/health.routes';
import { ROOT } from './root';

/** The routers for the paths under `prefix` only: any other request leaves at the first layer (`next('router')`). */
function under(prefix: string, ...routers: Router[]): Router {
  const scoped = Router();
  scoped.use((req: Request, _res: Response, next: NextFunction) =>
    next(req.path.startsWith(prefix) ? undefined : 'router'),
  );
  for (const router of routers) scoped.use(router);
  return scoped;
}

/** Builds the Express app. No I/O at import and no listen: server.ts and the tests call this. */
export function createApp(deps: AppDeps): Express {
  const { config, db } = deps;
  const logger = deps.logger ?? createLogger(config.logLevel);
  const app = express();
  app.disable('x-powered-by');
  // No ETag computed over every response body (a SHA-1 of each page): pages are `no-store`, so no browser
  // asks again with If-None-Match. Static files set their own (src/http/assets.ts, express.static).
  app.set('etag', false);
  app.set('query parser', parseQuery);
  app.set('trust proxy', config.trustProxy);
  useViews(app, path.join(ROOT, 'views'));
  app.locals.fmt = fmt;
  // Which stylesheets and scripts a page links, and what a dialog loads when it opens (issue 14 item 6).
  app.locals.assets = { page: pageAssets, dialog: dialogAssetAttributes };
  // One vocabulary of values: templates read limits (maxlength) from src/domain/values.ts, never copy them.
  app.locals.limits = { ...LIMITS, contact: CONTACT_TEXT };
  // Enumerations and rule facts the forms show (DOMAIN.md §3, V-11, V-13), never copied into templates.
  app.locals.domain = {
    l1Values: L1_VALUES,
    overallStatuses: OVERALL_STATUSES,
    contactTypes: CONTACT_TYPES,
    contactTypeFields: TYPE_FIELDS,
    surveyRequirements: SURVEY_REQUIREMENTS,
  };

  app.use(securityHeaders(config));
  app.use(httpLogger(logger));
  // Pages, fragments, CSS and JS are compressed when the client asks (Accept-Encoding); a response under
  // 1 KB goes as is. A request that accepts no encoding (a script, a monitor, autocannon in `npm run bench`)
  // skips the middleware, whose wrappers and negotiation cost about 50 µs of CPU for nothing; browsers
  // always ask, and the bench measures a gzip row too (docs/decisions.md 132).
  // Static files here; pages after the session middleware, so that a session save at the end of a
  // response (which may fail on a locked database) runs before the compressed body is finished.
  // Everything after the session at zlib's fastest level, as sendHtml gzips a page in one piece itself
  // (src/http/render.ts): a Partner List page of 140 KB in 141 µs instead of 468 (11.1 KB instead of 9.9);
  // stylesheets and scripts, which browsers keep, at the default level (docs/decisions.md 150).
  const whenAsked =
    (middleware: ReturnType<typeof compression>) => (req: Request, res: Response, next: NextFunction) =>
      req.headers['accept-encoding'] ? middleware(req, res, next) : next();
  app.use(['/static', '/vendor'], whenAsked(compression({ threshold: 1024 })));
  // Forms only GET and POST: TRACE, PUT, DELETE and friends are 405 before any routing (SECURITY.md cases 8, 37).
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (['GET', 'HEAD', 'POST', 'OPTIONS'].includes(req.method)) return next();
    res.set('Allow', 'GET, HEAD, POST').status(405).type('text/plain').send('Method not allowed');
  });

  // Static files need no session or database.
  const statics = { index: false, maxAge: config.env === 'production' ? '1d' : 0 };
  app.use('/static', minifiedAssets(path.join(ROOT, 'public'), config.env === 'production' ? 86_400 : 0));
  app.use('/static', express.static(path.join(ROOT, 'public'), statics));
  app.get('/vendor/htmx.min.js', (_req, res) =>
    res.sendFile(require.resolve('htmx.org/dist/htmx.min.js'), { maxAge: statics.maxAge }),
  );
  // The Notes Editor's rich-text library (docs/decisions.md: Quill, chosen for the strict CSP), served locally.
  for (const file of ['quill.js', 'quill.snow.css']) {
    app.get(`/vendor/${file}`, (_req, res) =>
      res.sendFile(require.resolve(`quill/dist/${file}`), { maxAge: statics.maxAge }),
    );
  }

  app.use(healthRoutes(deps));

  app.use(bodyParsers());

  const passport = configurePassport();
  const csrfCheck = csrf(config);
  app.use(sessionMiddleware(config, db, logger));
  app.use(whenAsked(compression({ threshold: 1024, level: zlib.constants.Z_BEST_SPEED })));
  app.use(sessionTimeouts(config));
  // The signed-in user of every request; passport itself only on the routes that sign in and out.
  app.use(sessionUser(db));
  app.use(logWho);
  app.use(acceptedBody);
  app.use(csrfCheck.protect);
  app.use(csrfCheck.token);
  app.use(noStore);
  app.use((req: Request, res: Response, next: NextFunction) => {
    res.locals.user = req.user ?? null;
    res.locals.currentPath = req.path;
    res.locals.firstMilestonePct = config.firstMilestonePct;
    res.locals.externalLinks = config.externalLinks;
    res.locals.flash = req.session?.flash ?? null;
    if (req.session?.flash) delete req.session.flash;
    next();
  });

  app.use(authRoutes(deps, passport));
  if (config.authMode === 'entra') app.use(entraRoutes(deps, passport));

  app.use(requireUser);
  app.get('/', (_req, res) => res.redirect(302, '/tenants'));
  app.use(tenantsRoutes(deps));
  // Each feature router declares its routes by their full path; a request outside a router's prefix skips
  // all of its routes at once instead of being matched against each (docs/decisions.md 122).
  const tenantRoutes = [
    tenantViewRoutes,
    phasesRoutes,
    enterpriseRoutes,
    servicesRoutes,
    forecastRoutes,
    engagementRoutes,
    notesRoutes,
    contactsRoutes,
    assignmentsRoutes,
  ];
  app.use(under('/tenants/', ...tenantRoutes.map((routes) => routes(deps))));
  app.use(under('/suggest', suggestRoutes(deps)));
  app.use(under('/notes', notesLibraryRoutes(deps)));
  app.use(under('/guidance', guidanceRoutes()));
  if (deps.extraRoutes) {
    const extra = Router();
    deps.extraRoutes(extra);
    app.use(extra);
  }

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
