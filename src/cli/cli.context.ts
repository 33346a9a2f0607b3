import fs from 'node:fs';
import type { Knex } from 'knex';
import { migrationSource } from '../../migrations';
import { loadConfig, type Config } from '../config';
import { createDb, dbKind, sqliteFilename } from '../db/db';
import { POSTGRES_NOT_YET } from '../db/open';
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

/** Names of migrations not yet applied, read without writing (knex's migrate.list() would create its table). */
async function pendingMigrations(db: Knex): Promise<string[]> {
  const all = (await migrationSource.getMigrations([])).map((m) => migrationSource.getMigrationName(m));
  const hasTable = await db('sqlite_master').where({ type: 'table', name: 'knex_migrations' }).first('name');
  if (!hasTable) return all;
  const done = new Set(((await db('knex_migrations').select('name')) as { name: string }[]).map((r) => r.name));
  return all.filter((name) => !done.has(name));
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
  if (dbKind(config.databaseUrl) === 'postgres') throw new AdminInputError(POSTGRES_NOT_YET);
  const file = sqliteFilename(config.databaseUrl);
  if (file !== ':memory:') checkDatabaseFile(file, requireSchema);
  // No memory map: the admin commands write in bulk, and mapped pages would count towards their memory.
  const db = createDb(config.databaseUrl, { createDir: true, mmap: false });
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
