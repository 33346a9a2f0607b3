import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { createDb, dbKind, migrateLatest, safeMessage, sqliteFilename, type Db } from './db';
import { pendingMigrations } from './migration-status';
import { refreshStatistics } from './statistics';

/** Why the server will not start on this database; the message says what to do. */
export class StartupError extends Error {}

/**
 * Opens the server's database (SECURITY.md §5.3 "read-only / missing DB file at startup"), checks it,
 * applies pending migrations and refreshes planner statistics.
 * - Migrations run only when some are pending: applying none still writes knex's lock row, and a
 *   server must start (and serve reads) on a full disk. knex's migration lock (a row in
 *   `knex_migrations_lock`) lets only one of several instances starting together apply them; the
 *   others wait for it and then find nothing pending.
 * - Planner statistics are refreshed when possible; failing that is a warning, not a reason to stop.
 */
export async function openServerDb(config: Config, logger: Logger): Promise<Db> {
  const db = dbKind(config.databaseUrl) === 'postgres' ? await openPostgres(config) : await openSqlite(config);
  try {
    const pending = await pendingMigrations(db);
    if (pending.length) logger.info({ migrations: await migrateLatest(db) }, 'migrations applied');
  } catch (err) {
    await db.destroy();
    throw new StartupError(`database migrations failed: ${safeMessage(err, config.databaseUrl)}`);
  }
  try {
    await refreshStatistics(db);
  } catch (err) {
    logger.warn({ err }, 'planner statistics not refreshed');
  }
  return db;
}

/**
 * SQLite: production never creates a database: a missing file or folder is a mistyped DATABASE_URL far
 * more often than a wish for an empty portal, so it refuses to start (`ftop migrate` creates one on
 * purpose), and a file that fails `PRAGMA quick_check` is refused too. Development creates what is missing.
 */
async function openSqlite(config: Config): Promise<Db> {
  const production = config.env === 'production';
  const file = sqliteFilename(config.databaseUrl);
  const memory = file === ':memory:';
  if (!memory && fs.existsSync(file)) {
    try {
      fs.accessSync(file, fs.constants.R_OK | fs.constants.W_OK);
    } catch {
      throw new StartupError(`database file ${path.resolve(file)} is not readable and writable`);
    }
  } else if (!memory && production) {
    throw new StartupError(
      `database file ${path.resolve(file)} does not exist; check DATABASE_URL, or create the database with \`ftop migrate\``,
    );
  }
  const db = createDb(config.databaseUrl, {
    createDir: !production,
    cacheMb: config.sqliteCacheMb,
    mmapMb: config.sqliteMmapMb,
    lockTimeoutMs: config.dbLockTimeoutMs,
  });
  try {
    if (production && !memory) {
      const rows = (await db.raw('PRAGMA quick_check')) as { quick_check: string }[];
      const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
      if (problems.length)
        throw new StartupError(
          `database file ${path.resolve(file)} failed PRAGMA quick_check (${problems.slice(0, 3).join('; ')}); restore a backup`,
        );
    }
    await db.raw('SELECT 1');
  } catch (err) {
    await db.destroy();
    if (err instanceof StartupError) throw err;
    throw new StartupError(`database ${path.resolve(file)} cannot be opened: ${(err as Error).message}`);
  }
  return db;
}

/**
 * PostgreSQL: no files to check; the server must answer. The database itself is created by its
 * administrator (`createdb`), the schema by the migrations.
 */
async function openPostgres(config: Config): Promise<Db> {
  const db = createDb(config.databaseUrl, { poolMax: config.dbPoolMax, lockTimeoutMs: config.dbLockTimeoutMs });
  try {
    await db.raw('SELECT 1');
  } catch (err) {
    await db.destroy();
    throw new StartupError(`PostgreSQL (DATABASE_URL) cannot be reached: ${safeMessage(err, config.databaseUrl)}`);
  }
  return db;
}
