import type { Knex } from 'knex';
import { marks } from '../../db/sql';

/**
 * The reads and writes of `ftop copy-db` (SQLite → PostgreSQL): the target's schema as PostgreSQL
 * describes it (tables, copied columns, primary keys, foreign keys), batches read from the SQLite
 * source in rowid order, and the deferred foreign-key updates that break the reference cycles.
 */

export interface TableInfo {
  name: string;
  /** Columns written by the copy, in table order: every column but generated ones (notes.search_vector). */
  columns: string[];
  /** PostgreSQL type of each copied column (for casts in the deferred updates). */
  types: Record<string, string>;
  primaryKey: string[];
}

export interface ForeignKey {
  table: string;
  column: string;
  references: string;
}

type Rows<T> = { rows: T[] };

export async function targetTables(target: Knex): Promise<TableInfo[]> {
  const { rows } = (await target.raw(`SELECT c.table_name, c.column_name, c.data_type
    FROM information_schema.columns c JOIN information_schema.tables t
      ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
    WHERE c.table_schema = current_schema() AND c.is_generated = 'NEVER'
    ORDER BY c.table_name, c.ordinal_position`)) as Rows<{
    table_name: string;
    column_name: string;
    data_type: string;
  }>;
  const { rows: keys } = (await target.raw(`SELECT c.relname AS table_name, a.attname AS column_name
    FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (i.indkey)
    WHERE i.indisprimary AND c.relnamespace = current_schema()::regnamespace
    ORDER BY c.relname, array_position(i.indkey::int2[], a.attnum)`)) as Rows<{
    table_name: string;
    column_name: string;
  }>;
  const tables = new Map<string, TableInfo>();
  for (const r of rows) {
    let t = tables.get(r.table_name);
    if (!t) tables.set(r.table_name, (t = { name: r.table_name, columns: [], types: {}, primaryKey: [] }));
    t.columns.push(r.column_name);
    t.types[r.column_name] = r.data_type;
  }
  for (const k of keys) tables.get(k.table_name)?.primaryKey.push(k.column_name);
  return [...tables.values()];
}

export async function targetForeignKeys(target: Knex): Promise<ForeignKey[]> {
  const { rows } = (await target.raw(`SELECT c.conrelid::regclass::text AS table_name,
      a.attname AS column_name, c.confrelid::regclass::text AS referenced
    FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
    WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace
    ORDER BY 1, 2`)) as Rows<{ table_name: string; column_name: string; referenced: string }>;
  return rows.map((r) => ({ table: r.table_name, column: r.column_name, references: r.referenced }));
}

/** Column names of a SQLite table (an empty list when it does not exist). */
export async function sourceColumns(source: Knex, table: string): Promise<string[]> {
  const rows = (await source.raw(`PRAGMA table_info(${quote(table)})`)) as { name: string }[];
  return rows.map((r) => r.name);
}

export async function countRows(db: Knex, table: string): Promise<number> {
  return Number((await db(table).count({ n: '*' }).first())?.n ?? 0);
}

/** Up to `limit` rows after `afterRowid`, in rowid order, with their rowid as `__rowid`. */
export async function sourceBatch(
  source: Knex,
  table: string,
  columns: string[],
  afterRowid: number,
  limit: number,
): Promise<Record<string, unknown>[]> {
  return (await source.raw(
    `SELECT rowid AS __rowid, ${columns.map(quote).join(', ')} FROM ${quote(table)} WHERE rowid > ? ORDER BY rowid LIMIT ?`,
    [afterRowid, limit],
  )) as Record<string, unknown>[];
}

/** Sets deferred foreign-key columns of rows already copied (`values`: id first, then the columns). */
export async function updateDeferred(
  trx: Knex,
  table: TableInfo,
  columns: string[],
  values: unknown[][],
): Promise<void> {
  if (values.length === 0) return;
  const names = ['id', ...columns];
  const set = columns.map((c) => `${quote(c)} = v.${quote(c)}::${table.types[c]}`).join(', ');
  const tuple = `(${marks(names)})`;
  for (let i = 0; i < values.length; i += 1000) {
    const chunk = values.slice(i, i + 1000);
    await trx.raw(
      `UPDATE ${quote(table.name)} AS t SET ${set}
       FROM (VALUES ${chunk.map(() => tuple).join(', ')}) AS v(${names.map(quote).join(', ')})
       WHERE t.id = v.id::integer`,
      chunk.flat() as Knex.RawBinding[],
    );
  }
}

/** Rows of `table` ordered by its primary key: the first or last `n`, or `n` at random (from SQLite). */
export async function sampleKeys(
  source: Knex,
  table: TableInfo,
  which: 'first' | 'last' | 'random',
  n: number,
): Promise<unknown[][]> {
  const key = table.primaryKey.map(quote).join(', ');
  const order =
    which === 'random'
      ? 'random()'
      : table.primaryKey.map((c) => `${quote(c)} ${which === 'first' ? 'ASC' : 'DESC'}`).join(', ');
  const rows = (await source.raw(`SELECT ${key} FROM ${quote(table.name)} ORDER BY ${order} LIMIT ?`, [n])) as Record<
    string,
    unknown
  >[];
  return rows.map((r) => table.primaryKey.map((c) => r[c]));
}

/** The rows with these primary keys, the copied columns only. */
export async function rowsByKeys(db: Knex, table: TableInfo, keys: unknown[][]): Promise<Record<string, unknown>[]> {
  if (keys.length === 0) return [];
  const q = db(table.name).select(table.columns);
  return table.primaryKey.length === 1
    ? q.whereIn(table.primaryKey[0], keys.map((k) => k[0]) as Knex.Value[])
    : q.whereIn(table.primaryKey, keys as Knex.Value[][]);
}

/** An identifier in double quotes (both databases): table and column names come from the schema, never the user. */
export const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;
