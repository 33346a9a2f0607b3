import v8 from 'node:v8';
import { createApp } from './app';
import type { AppDeps } from './app-deps';
import { loadConfig, v8Flags } from './config';
import { openServerDb } from './db/open';
import { createLogger } from './http/logger';
import { ensureCurrentModel } from './features/suggest/corrections.service';
import { modelInfo } from './features/suggest/suggest.model';
import { seedDemo } from '../seeds/demo';

/**
 * npm start: load config → open the database (src/db/open.ts: checks, pending migrations) → seed the
 * demo data set when the database is empty (not in production) → listen. SIGTERM/SIGINT stop accepting,
 * finish open requests (at most SHUTDOWN_TIMEOUT_MS), then close the database and exit 0.
 * `extraRoutes` lets the benchmark (bench/server.ts) add its baseline page; npm start passes none.
 */
export async function start(options: Pick<AppDeps, 'extraRoutes'> = {}): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
  // Read by V8 at every full collection, so setting it now applies to the whole life of the process.
  for (const flag of v8Flags(config)) v8.setFlagsFromString(flag);
  const logger = createLogger(config.logLevel);
  // No fault of a request or of the database may end the process (an error reaches the error handler);
  // a rejection nobody handled is logged (its error serialised safely) and the server goes on.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception');
    process.exit(1);
  });
  let db;
  try {
    db = await openServerDb(config, logger);
  } catch (err) {
    logger.fatal((err as Error).message);
    process.exit(1);
  }
  const tenants = Number((await db('tenants').count({ n: '*' }).first())?.n ?? 0);
  if (tenants === 0 && config.env !== 'production') {
    await seedDemo(db, { log: (line) => logger.info(line) });
    logger.info('demo data set loaded (empty database)');
  }

  // Suggest learns from the committed status rows (DOMAIN.md §6, docs/decisions.md 71).
  await ensureCurrentModel(db);
  logger.info(modelInfo(), 'suggest model built');

  let stopping = false;
  const app = createApp({ config, db, logger, extraRoutes: options.extraRoutes, stopping: () => stopping });
  const server = app.listen(config.port, () => {
    logger.info(
      { port: config.port, authMode: config.authMode },
      `FTOP Partner Portal on http://localhost:${config.port}`,
    );
  });
  // Slow or idle clients cannot hold the server (SECURITY.md §5.3).
  server.headersTimeout = 20_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;

  // Graceful shutdown (docs/deploy.md): stop accepting, let the requests in flight finish, close each
  // keep-alive connection as soon as it is idle, then close the pool. A request that outlives
  // SHUTDOWN_TIMEOUT_MS has its connection closed and the exit code says the drain was cut short.
  server.prependListener('request', (_req, res) => {
    if (stopping && !res.headersSent) res.setHeader('Connection', 'close');
    res.once('close', () => {
      if (stopping) setImmediate(() => server.closeIdleConnections());
    });
  });
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'shutting down: finishing requests in flight');
    const exit = async (code: number) => {
      try {
        await db.destroy();
      } catch (err) {
        logger.warn({ err }, 'database pool not closed cleanly');
      }
      logger.info({ code }, 'stopped');
      process.exit(code);
    };
    server.close(() => void exit(0));
    server.closeIdleConnections();
    setTimeout(() => {
      logger.warn('shutdown timeout: closing the connections still open');
      server.closeAllConnections();
      void exit(1);
    }, config.shutdownTimeoutMs).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

if (require.main === module) {
  start().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
