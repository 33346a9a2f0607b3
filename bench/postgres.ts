/**
 * The PostgreSQL side of npm run bench (issue 13 item 6): the same data as the SQLite bench database,
 * copied once with the admin CLI's `copy-db` into `ftop_bench` (kept while the SQLite database it came
 * from is unchanged), then measured through a throw-away copy (`CREATE DATABASE … TEMPLATE`), with one
 * server and with two instances sharing the load.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import type { Manifest } from './database';
import { CLI, ROOT } from './options';

export const BENCH_PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TEMPLATE = 'ftop_bench';

const urlOf = (database: string) => {
  const u = new URL(BENCH_PG_URL);
  u.pathname = `/${database}`;
  return u.toString();
};

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Why PostgreSQL cannot be measured, or null when it answers. */
export async function postgresProblem(): Promise<string | null> {
  try {
    await withClient(BENCH_PG_URL, (c) => c.query('SELECT 1'));
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** The key of the SQLite database the PostgreSQL copy was made from. */
const sourceKey = (m: Manifest) => `${m.builtAt} ${m.generatorSha256} ${JSON.stringify(m.params)}`;

/** `ftop_bench`, copied from `sourceDb` unless it already holds that copy; the copy's wall time when made. */
export async function ensurePgDatabase(sourceDb: string, manifest: Manifest): Promise<{ seconds: number | null }> {
  const key = sourceKey(manifest);
  const current = await withClient(BENCH_PG_URL, async (c) => {
    const exists = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [TEMPLATE]);
    if (!exists.rowCount) return null;
    return withClient(urlOf(TEMPLATE), async (t) => {
      const r = await t.query(`SELECT to_regclass('bench_source') IS NOT NULL AS ok`);
      if (!r.rows[0].ok) return null;
      return ((await t.query('SELECT key FROM bench_source')).rows[0]?.key as string | undefined) ?? null;
    });
  });
  if (current === key) return { seconds: null };
  console.log(`copying the bench database into PostgreSQL (${TEMPLATE}) with \`ftop copy-db\` …`);
  await withClient(BENCH_PG_URL, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${TEMPLATE} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${TEMPLATE}`);
  });
  const started = Date.now();
  const run = spawnSync(process.execPath, ['--require', 'tsx/cjs', CLI, 'copy-db', '--to', urlOf(TEMPLATE)], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: `sqlite:${path.resolve(sourceDb)}`, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (run.status !== 0) throw new Error(`ftop copy-db failed (exit ${run.status})`);
  const seconds = (Date.now() - started) / 1000;
  await withClient(urlOf(TEMPLATE), async (t) => {
    await t.query('CREATE TABLE bench_source (key text NOT NULL)');
    await t.query('INSERT INTO bench_source (key) VALUES ($1)', [key]);
    await t.query('VACUUM ANALYZE');
  });
  return { seconds };
}

/** A throw-away copy of `ftop_bench` for one run: its URL and how to drop it. */
export async function runCopy(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `ftop_bench_run_${process.pid}`;
  await withClient(BENCH_PG_URL, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE}`);
  });
  return {
    url: urlOf(name),
    drop: () => withClient(BENCH_PG_URL, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  };
}
