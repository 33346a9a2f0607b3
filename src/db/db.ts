import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';
import { types as pgTypes, type ClientConfig } from 'pg';
import { migrationSource } from '../../migrations';
import { withPgMigrationLock } from './migration-lock';
import { SqliteClient } from './sqlite-client';

export type Db = Knex;

/** Which database a DATABASE_URL names: `sqlite:…` (embedded default) or `postgres://…` / `postgresql://…`. */
export type DbKind = 'sqlite' | 'postgres';

export function dbKind(databaseUrl: string): DbKind {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return 'postgres';
  if (databaseUrl.startsWith('sqlite:')) return 'sqlite';
  throw new Error(`Unsupported DATABASE_URL: use sqlite:<file> or postgres://…`);
}

/** The kind of database a knex instance talks to (for the one module per concern that differs). */
/** The database behind a knex instance, transaction or query builder. */
export const kindOf = (db: Pick<Knex, 'client'>): DbKind => (db.client.config.client === 'pg' ? 'postgres' : 'sqlite');

/** Resolves `sqlite:<path>` / `sqlite::memory:` to a better-sqlite3 filename. */
export function sqliteFilename(databaseUrl: string): string {
  const m = /^sqlite:(.+)$/.exec(databaseUrl);
  // Never echo the URL: a PostgreSQL URL may carry a password.
  if (!m) throw new Error('DATABASE_URL is not a sqlite:<path> URL');
  return m[1];
}

/** The server's SQLite memory unless SQLITE_CACHE_MB / SQLITE_MMAP_MB say otherwise (decision 117). */
export const SQLITE_MEMORY_DEFAULTS = { cacheMb: 16, mmapMb: 0 } as const;

export interface DbOptions {
  /** Create the parent folder of the database file when missing (server and CLI do; a missing folder is a clear error otherwise). */
  createDir?: boolean;
  /** Open read-only (backup verification). */
  readonly?: boolean;
  /** SQLite page cache per connection, in MiB (SQLITE_CACHE_MB for the server). */
  cacheMb?: number;
  /** SQLite memory-mapped reads, in MiB, 0 = off (SQLITE_MMAP_MB for the server). */
  mmapMb?: number;
  /** PostgreSQL: connections per process (DB_POOL_MAX, default 10). */
  poolMax?: number;
  /** How long a statement waits for another writer's lock before it fails (DB_LOCK_TIMEOUT_MS). */
  lockTimeoutMs?: number;
}

/**
 * Opens the database. SQLite pragmas are set on every connection (STYLE.md › Data):
 * WAL, foreign keys on, synchronous=FULL so an acknowledged save survives power loss,
 * and a busy timeout so a second writer (the CLI) waits instead of failing at once.
 * One connection: better-sqlite3 is synchronous, and a single writer avoids SQLITE_BUSY inside the app.
 */
export function createDb(databaseUrl: string, options: DbOptions = {}): Db {
  if (dbKind(databaseUrl) === 'postgres') return createPostgresDb(databaseUrl, options);
  const filename = sqliteFilename(databaseUrl);
  if (filename !== ':memory:' && options.createDir) {
    fs.mkdirSync(path.dirname(path.resolve(filename)), { recursive: true });
  }
  return knexFactory({
    client: SqliteClient,
    // Error messages carry the SQL with `?` placeholders, never the bound values (SECURITY.md case 39).
    compileSqlOnError: false,
    connection: { filename, options: { readonly: options.readonly ?? false } },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      idleTimeoutMillis: 24 * 3600 * 1000,
      afterCreate(conn: { pragma(sql: string): unknown }, done: (err: Error | null, conn: unknown) => void) {
        try {
          if (filename !== ':memory:' && !options.readonly) conn.pragma('journal_mode = WAL');
          conn.pragma('foreign_keys = ON');
          conn.pragma('synchronous = FULL');
          conn.pragma(`busy_timeout = ${Math.round(options.lockTimeoutMs ?? LOCK_TIMEOUT_MS)}`);
          // The operating system's file cache keeps the database's pages; SQLite's own cache holds the hottest
          // of them. Mapping the file made every page read count towards the server's memory and was no
          // faster (docs/performance.md, Memory).
          conn.pragma(`cache_size = -${Math.round((options.cacheMb ?? SQLITE_MEMORY_DEFAULTS.cacheMb) * 1024)}`);
          if (filename !== ':memory:')
            conn.pragma(`mmap_size = ${Math.round((options.mmapMb ?? SQLITE_MEMORY_DEFAULTS.mmapMb) * 1048576)}`);
          conn.pragma('temp_store = MEMORY');
          done(null, conn);
        } catch (err) {
          done(err as Error, conn);
        }
      },
    },
    migrations: { migrationSource, tableName: 'knex_migrations' },
  });
}

/**
 * PostgreSQL: a pool of connections shared by the process; several processes share the database
 * (docs/deploy.md). Every session is UTC so timestamps written by SQL match the ISO strings the app writes.
 */
function createPostgresDb(databaseUrl: string, options: DbOptions): Db {
  // Numbers come back as numbers, as from SQLite: count(*) (bigint) and decimals (numeric) would be
  // strings otherwise. Counts and data sizes stay far below 2^53.
  pgTypes.setTypeParser(pgTypes.builtins.INT8, (v: string) => Number(v));
  pgTypes.setTypeParser(pgTypes.builtins.NUMERIC, (v: string) => Number(v));
  return knexFactory({
    client: 'pg',
    compileSqlOnError: false,
    connection: databaseUrl,
    // A request waits at most this long for a free connection, then answers 503 (src/db/faults.ts).
    acquireConnectionTimeout: 10_000,
    // knex prints a failed connection attempt to stdout besides rejecting with it; the rejection reaches
    // the error handler, which logs it as JSON (db.fault), so stdout stays JSON lines only.
    log: {
      warn(message: string) {
        if (!String(message).startsWith('Acquire connection error')) console.warn(message);
      },
    },
    pool: {
      min: 0,
      max: options.poolMax ?? 10,
      afterCreate(
        conn: { query(sql: string, cb: (err: Error | null) => void): void },
        done: (err: Error | null, conn: unknown) => void,
      ) {
        conn.query(pgSessionSettings(options.lockTimeoutMs ?? LOCK_TIMEOUT_MS), (err) => done(err, conn));
      },
    },
    migrations: { migrationSource, tableName: 'knex_migrations' },
  });
}

/**
 * How long a statement waits for another writer's lock unless DB_LOCK_TIMEOUT_MS says otherwise: SQLite's
 * busy_timeout, PostgreSQL's lock_timeout. Past it the request is a 503 "busy" (src/db/faults.ts).
 */
export const LOCK_TIMEOUT_MS = 5000;

/**
 * Set on every PostgreSQL connection (decision 103).
 * - lock_timeout: a statement waiting longer for a lock fails (55P03, a 503 "busy" in src/db/faults.ts)
 *   instead of holding the request and its connection, as busy_timeout does on SQLite.
 * - random_page_cost 1.1: the portal's working set is expected in memory or on SSD; with the default 4 the
 *   planner reads every note matching a search word (374,000 pages' worth) instead of the notes of the
 *   user's tenants through their index (350 ms against 45 ms for one common word).
 * - cpu_tuple_cost 0.03 (default 0.01): reading a row costs more, against an index probe, than the default
 *   model says; with it the planner looks up a user's few thousand tenants by id instead of scanning all
 *   100,000 and hashing (the Partner List: 40 ms a request instead of 110–120 ms on the bench data).
 * - max_parallel_workers_per_gather 0: a request's query gets no extra workers; instances already run
 *   many requests at once, and starting workers cost more than they saved on queries of this size.
 * - jit off: compiling a short query's plan cost 30 ms and more, never paid back by a request's queries.
 */
const pgSessionSettings = (lockTimeoutMs: number) =>
  `SET TIME ZONE 'UTC'; SET lock_timeout = ${Math.round(lockTimeoutMs)}; SET random_page_cost = 1.1; ` +
  'SET cpu_tuple_cost = 0.03; SET max_parallel_workers_per_gather = 0; SET jit = off';

/**
 * Applies pending migrations. Instances starting together take turns (src/db/migration-lock.ts); the
 * ones after the first find nothing to do. A migration's DDL that waits longer than lock_timeout for a
 * table the running portal holds is rolled back (PostgreSQL DDL is transactional) and tried again,
 * for up to `waitMs`.
 */
export async function migrateLatest(db: Db, waitMs = 120_000): Promise<string[]> {
  const until = Date.now() + waitMs;
  for (;;) {
    try {
      const latest = () => db.migrate.latest();
      const [, log] =
        kindOf(db) === 'postgres'
          ? // knex's parsed connection settings (the password is kept there, not enumerable)
            await withPgMigrationLock(db.client.connectionSettings as ClientConfig, latest)
          : await latest();
      return log as string[];
    } catch (err) {
      const e = err as { code?: string; message?: string };
      const waited = e.code === '55P03' || /lock timeout/.test(e.message ?? '');
      if (!waited || Date.now() > until) throw err;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/**
 * An error's message without the connection URL or its password (DATABASE_URL may carry one; the
 * drivers' messages normally do not, but a message is never trusted to leave it out).
 */
export function safeMessage(err: unknown, databaseUrl: string): string {
  const e = err as { message?: unknown; code?: unknown };
  let message = typeof e?.message === 'string' && e.message ? e.message : String(e?.code ?? err);
  const secrets = [databaseUrl];
  try {
    const u = new URL(databaseUrl);
    if (u.password) secrets.push(u.password, decodeURIComponent(u.password));
  } catch {
    // not a URL (sqlite:…): nothing more to hide
  }
  for (const secret of secrets.filter((s) => s.length >= 3)) message = message.split(secret).join('***');
  return message.split('\n')[0];
}

/** Current UTC timestamp as stored in every *_at column. */
export function nowIso(now: Date = new Date()): string {
  return now.toISOString();
}
