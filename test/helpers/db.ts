import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb, Db, DbOptions, kindOf } from '../../src/db/db';
import { createPgDatabase, onPostgres } from './pg';

export { onPostgres };

/**
 * A fresh, migrated database for one test file: a copy of the template that jest's global setup
 * migrated once. Returns the knex handle and its URL (for a second process such as the CLI).
 * `lockTimeoutMs`: DB_LOCK_TIMEOUT_MS for this handle (the fault tests wait 1 s instead of 5).
 */
export async function createTestDb({ lockTimeoutMs }: Pick<DbOptions, 'lockTimeoutMs'> = {}): Promise<{
  db: Db;
  url: string;
  file: string;
}> {
  const pgTemplate = process.env.FTOP_TEST_PG_TEMPLATE;
  if (onPostgres()) {
    if (!pgTemplate) throw new Error('the postgres project runs without a PostgreSQL template (global setup)');
    const { url } = await createPgDatabase(pgTemplate);
    return { db: createDb(url, { poolMax: 4, lockTimeoutMs }), url, file: '' };
  }
  const template = process.env.FTOP_TEST_TEMPLATE_DB;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ftop-db-'));
  const file = path.join(dir, 'test.sqlite3');
  if (template && fs.existsSync(template)) {
    fs.copyFileSync(template, file);
    const db = createDb(`sqlite:${file}`, { lockTimeoutMs });
    return { db, url: `sqlite:${file}`, file };
  }
  const db = createDb(`sqlite:${file}`, { lockTimeoutMs });
  await db.migrate.latest();
  return { db, url: `sqlite:${file}`, file };
}

/**
 * A row as SQLite hands it back, whichever database read it: booleans as 0/1 (PostgreSQL returns
 * true/false), so assertions written once hold on both.
 */
export function sqliteForm<T extends Record<string, unknown> | undefined>(row: T): T {
  if (!row) return row;
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'boolean' ? Number(v) : v])) as T;
}

/** Notes the full-text index finds for one word (FTS5 on SQLite, the tsvector column on PostgreSQL). */
export async function countNotesMatching(db: Db, word: string): Promise<number> {
  if (kindOf(db) === 'postgres') {
    const { rows } = await db.raw(
      "SELECT count(*) AS n FROM notes WHERE search_vector @@ plainto_tsquery('english', ?)",
      [word],
    );
    return Number(rows[0].n);
  }
  const rows = await db.raw('SELECT count(*) AS n FROM notes_fts WHERE notes_fts MATCH ?', [word]);
  return Number(rows[0].n);
}

/** Rows of a raw SELECT, whichever driver answered (better-sqlite3 gives the rows, pg a result object). */
export async function rawRows<T = Record<string, unknown>>(
  db: Db,
  sql: string,
  bindings: unknown[] = [],
): Promise<T[]> {
  const result = await db.raw(sql, bindings as never);
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
