import fs from 'node:fs';
import path from 'node:path';
import { createApp } from './app';
import type { AppDeps } from './app-deps';
import { loadConfig } from './config';
import { createDb, migrateLatest, refreshStatistics, sqliteFilename } from './db/db';
import { createLogger } from './http/logger';
import { seedDemo } from '../seeds/demo';

/**
 * npm start: load config → open the database → migrate → seed the demo data set when the database
 * is empty → listen. SIGTERM/SIGINT stop accepting, finish open requests, then close the database.
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
  const logger = createLogger(config.logLevel);
  const file = sqliteFilename(config.databaseUrl);
  if (file !== ':memory:' && fs.existsSync(file)) {
    try {
      fs.accessSync(file, fs.constants.R_OK | fs.constants.W_OK);
    } catch {
      logger.fatal(`database file ${path.resolve(file)} is not readable and writable`);
      process.exit(1);
    }
  }
  const db = createDb(config.databaseUrl, { createDir: true });
  const applied = await migrateLatest(db);
  if (applied.length) logger.info({ migrations: applied }, 'migrations applied');
  const tenants = Number((await db('tenants').count({ n: '*' }).first())?.n ?? 0);
  if (tenants === 0 && config.env !== 'production') {
    await seedDemo(db, { log: (line) => logger.info(line) });
    logger.info('demo data set loaded (empty database)');
  }

  await refreshStatistics(db);
  const app = createApp({ config, db, logger, extraRoutes: options.extraRoutes });
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

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.close(async () => {
      await db.destroy();
      process.exit(0);
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(1), 10_000).unref();
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
