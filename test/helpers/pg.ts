import crypto from 'node:crypto';
import { createDb, type Db } from '../../src/db/db';

/**
 * PostgreSQL for the tests (issue 13): the server at TEST_PG_URL (default the machine's own, trust auth).
 * test/helpers/global-setup.ts probes it once per run and sets FTOP_TEST_PG=1 when it answers; without
 * it the PostgreSQL tests are reported as skipped with the reason, and under CI=true the run fails.
 */
export const TEST_PG_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export const pgAvailable = (): boolean => process.env.FTOP_TEST_PG === '1';

/** Whether this test file runs in the `postgres` project (jest.config.js sets the global per project). */
export function onPostgres(): boolean {
  return (globalThis as { FTOP_TEST_DB?: string }).FTOP_TEST_DB === 'postgres';
}

/**
 * PostgreSQL-only tests: run in the `postgres` project (once, not again in `sqlite`); shown as skipped
 * when PostgreSQL is not there. Files holding nothing else are named `*.pg.test.ts`.
 */
export function describeOnPostgres(name: string, fn: () => void): void {
  if (onPostgres()) describe(`${name} (PostgreSQL)`, fn);
  else if (!pgAvailable()) describe.skip(`${name} (PostgreSQL)`, fn);
}

/** The URL of another database on the same server. */
export const pgUrl = (database: string): string => {
  const u = new URL(TEST_PG_URL);
  u.pathname = `/${database}`;
  return u.toString();
};

/**
 * A new database of its own for one test file (dropped by `drop`): empty, or a copy of `template`
 * (global setup migrates one per run for the `postgres` project, jest.config.js).
 */
export async function createPgDatabase(template?: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `ftop_t_${process.env.FTOP_TEST_RUN ?? process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  await asAdmin((admin) => admin.raw(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`));
  return {
    url: pgUrl(name),
    drop: () => asAdmin((admin) => admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

/** Runs `fn` on a connection to the server's maintenance database (CREATE and DROP DATABASE). */
export async function asAdmin<T>(fn: (admin: Db) => Promise<T>): Promise<T> {
  const admin = createDb(TEST_PG_URL, { poolMax: 1 });
  try {
    return await fn(admin);
  } finally {
    await admin.destroy();
  }
}

/** Whether the server answers (global setup). */
export async function probePostgres(): Promise<string | null> {
  try {
    await asAdmin((admin) => admin.raw('SELECT 1'));
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}
