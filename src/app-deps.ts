import type { Router } from 'express';
import type { Logger } from 'pino';
import type { Config } from './config';
import type { Db } from './db/db';

/**
 * What createApp (app.ts) and every router take. It lives apart from app.ts so the routers can
 * name it without importing app.ts, which imports them all.
 */
export interface AppDeps {
  config: Config;
  db: Db;
  logger?: Logger;
  /** Routes added behind sign-in, after the app's own and before the 404 handler (the benchmark's baseline page). */
  extraRoutes?: (router: Router) => void;
  /** True once the process has begun a graceful shutdown (src/server.ts): GET /readyz answers 503. */
  stopping?: () => boolean;
}
