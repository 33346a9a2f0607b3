import fs from 'node:fs';
import type { Knex } from 'knex';
import { loadConfig, type Config } from '../config';
import { createDb, dbKind, safeMessage, sqliteFilename } from '../db/db';
import { pendingMigrations } from '../db/migration-status';
import { AdminInputError } from '../features/admin/admin.errors';

/** What every CLI command shares: output streams, configuration and a database that is always closed. */

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** The validated configuration; a bad environment becomes a one-line input error. */
export function cliConfig(): Config {
  try {
    return loadConfig();
  } catch (err) {
    throw new AdminInputError((err as Error).message);
  }
}

/**
 * Checks the database path before knex opens it, so a wrong path is one clear line (knex would print
 * its own stack trace for a connection it cannot open).
 */
function checkDatabaseFile(file: string, mustExist: boolean): void {
  if (!fs.existsSync(file)) {
    if (mustExist) throw new AdminInputError(`database ${file} does not exist; run the migrate command first`);
    return;
  }
  if (!fs.statSync(file).isFile()) throw new AdminInputError(`database ${file} is not a file`);
  try {
    fs.accessSync(file, fs.constants.R_OK | fs.constants.W_OK);
  } catch {
    throw new AdminInputError(`database ${file} is not readable and writable`);
  }
}

/**
 * Opens the configured database, runs `fn`, and always closes it so the process can exit.
 * With `requireSchema` (the default), a missing database file or pending migrations are refused
 * before anything is written; only `migrate` and `backup` open a database as it is.
 */
export async function withDb<T>(
  fn: (db: Knex, config: Config) => Promise<T>,
  opts: { requireSchema?: boolean } = {},
): Promise<T> {
  const config = cliConfig();
  const requireSchema = opts.requireSchema ?? true;
  const postgres = dbKind(config.databaseUrl) === 'postgres';
  if (!postgres) {
    const file = sqliteFilename(config.databaseUrl);
    if (file !== ':memory:') checkDatabaseFile(file, requireSchema);
  }
  // The admin commands write in bulk: a larger page cache keeps the indexes they insert into (a 100,000-tenant
  // import's peak memory stays under 500 MB with it), and no memory map.
  const db = postgres
    ? createDb(config.databaseUrl, { poolMax: config.dbPoolMax, lockTimeoutMs: config.dbLockTimeoutMs })
    : createDb(config.databaseUrl, { createDir: true, cacheMb: 64, mmapMb: 0, lockTimeoutMs: config.dbLockTimeoutMs });
  if (postgres) {
    try {
      await db.raw('SELECT 1');
    } catch (err) {
      await db.destroy();
      // One clear line, never the URL (it may carry a password).
      throw new AdminInputError(`PostgreSQL (DATABASE_URL) cannot be reached: ${safeMessage(err, config.databaseUrl)}`);
    }
  }
  try {
    if (requireSchema) {
      const pending = await pendingMigrations(db);
      if (pending.length) {
        throw new AdminInputError(
          `the database has ${pending.length} pending migration(s); run the migrate command first`,
        );
      }
    }
    return await fn(db, config);
  } finally {
    await db.destroy();
  }
}

/** Parses a whole number option within bounds; `name` is the option as the user typed it. */
export function intOption(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw.trim())) throw new AdminInputError(`${name} must be a whole number (got "${raw}")`);
  const value = Number(raw);
  if (value < min || value > max) throw new AdminInputError(`${name} must be between ${min} and ${max} (got ${value})`);
  return value;
}

/** Seconds with one decimal, for "done in 12.3 s" lines. */
export function seconds(startedAt: bigint): string {
  return (Number(process.hrtime.bigint() - startedAt) / 1e9).toFixed(1);
}
