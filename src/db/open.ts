import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { createDb, dbKind, migrateLatest, refreshStatistics, sqliteFilename, type Db } from './db';

/**
 * The schema, notes search and the test suite's first files run on PostgreSQL; the server and the admin
 * CLI do not yet (issue 13, docs/decisions.md 75), and say so instead of failing half-way.
 */
export const POSTGRES_NOT_YET =
  'DATABASE_URL names PostgreSQL, which the server and the admin CLI do not support yet; use sqlite:<path>';

/** Why the server will not start on this database; the message says what to do. */
export class StartupError extends Error {}

/**
 * Opens the server's database (SECURITY.md §5.3 "read-only / missing DB file at startup").
 * - Production never creates a database: a missing file or folder is a mistyped DATABASE_URL far more
 *   often than a wish for an empty portal, so it refuses to start (`ftop migrate` creates one on purpose),
 *   and a file that fails `PRAGMA quick_check` is refused too. Development creates what is missing.
 * - Migrations run only when some are pending: applying none still writes knex's lock row, and a
 *   server must start (and serve reads) on a full disk.
 * - Planner statistics are refreshed when possible; failing that is a warning, not a reason to stop.
 */
export async function openServerDb(config: Config, logger: Logger): Promise<Db> {
  const production = config.env === 'production';
  if (dbKind(config.databaseUrl) === 'postgres') throw new StartupError(POSTGRES_NOT_YET);
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
  const db = createDb(config.databaseUrl, { createDir: !production });
  try {
    if (production && !memory) {
      const rows = (await db.raw('PRAGMA quick_check')) as { quick_check: string }[];
      const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
      if (problems.length)
        throw new StartupError(
          `database file ${path.resolve(file)} failed PRAGMA quick_check (${problems.slice(0, 3).join('; ')}); restore a backup`,
        );
    }
    const [, pending] = (await db.migrate.list()) as [unknown[], unknown[]];
    if (pending.length) logger.info({ migrations: await migrateLatest(db) }, 'migrations applied');
  } catch (err) {
    await db.destroy();
    if (err instanceof StartupError) throw err;
    throw new StartupError(`database ${path.resolve(file)} cannot be opened: ${(err as Error).message}`);
  }
  try {
    await refreshStatistics(db);
  } catch (err) {
    logger.warn({ err }, 'planner statistics not refreshed');
  }
  return db;
}
