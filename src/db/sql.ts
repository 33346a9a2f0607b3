import type BetterSqlite3 from 'better-sqlite3';
import type { Knex } from 'knex';

/**
 * Prepared statements on a transaction's own connection, for the write paths that run many small
 * statements (a service section save, a note, and the import that makes hundreds of thousands of them).
 * A statement here costs a few microseconds; through knex's builder and runner it costs 50–150, which
 * decides whether a 100,000-tenant import takes one minute or half an hour. The SQL is portable
 * (`?` placeholders, no SQLite-only syntax); only this module knows the driver, so a PostgreSQL
 * implementation of `Sql` is the one place to add for that database.
 */
export interface Sql {
  run(sql: string, params?: readonly unknown[]): Promise<{ changes: number; lastId: number }>;
  get<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** INSERT of one row (its defined keys); returns the new row's id. */
  insert(table: string, row: Record<string, unknown>): Promise<number>;
  /** UPDATE of the defined keys of `patch` where every key of `where` matches; returns the rows changed. */
  update(table: string, where: Record<string, unknown>, patch: Record<string, unknown>): Promise<number>;
}

type Statement = BetterSqlite3.Statement;
const statements = new WeakMap<BetterSqlite3.Database, Map<string, Statement>>();

/** SQLite binds numbers, strings, bigints, buffers and null: booleans become 0/1, undefined null. */
const bind = (params: readonly unknown[]) =>
  params.map((v) => (typeof v === 'boolean' ? Number(v) : v === undefined ? null : v));

const defined = (row: Record<string, unknown>) => Object.entries(row).filter(([, v]) => v !== undefined);

/** The statements of a transaction (writes always run inside one: all or nothing). */
export async function sqlOf(trx: Knex): Promise<Sql> {
  if (!trx.isTransaction) throw new Error('sqlOf needs a transaction');
  // Inside a transaction knex hands out the transaction's own connection (and never releases it here).
  const conn = (await trx.client.acquireConnection()) as BetterSqlite3.Database;
  let cache = statements.get(conn);
  if (!cache) statements.set(conn, (cache = new Map()));
  const prepare = (sql: string): Statement => {
    let stmt = cache.get(sql);
    if (!stmt) cache.set(sql, (stmt = conn.prepare(sql)));
    return stmt;
  };
  const sql: Sql = {
    async run(text, params = []) {
      const r = prepare(text).run(bind(params));
      return { changes: r.changes, lastId: Number(r.lastInsertRowid) };
    },
    async get<T>(text: string, params: readonly unknown[] = []) {
      return prepare(text).get(bind(params)) as T | undefined;
    },
    async all<T>(text: string, params: readonly unknown[] = []) {
      return prepare(text).all(bind(params)) as T[];
    },
    async insert(table, row) {
      const entries = defined(row);
      const text = `INSERT INTO ${table} (${entries.map(([k]) => k).join(', ')}) VALUES (${entries.map(() => '?').join(', ')})`;
      return (
        await sql.run(
          text,
          entries.map(([, v]) => v),
        )
      ).lastId;
    },
    async update(table, where, patch) {
      const set = defined(patch);
      const keys = Object.entries(where);
      if (set.length === 0) return 0;
      const text = `UPDATE ${table} SET ${set.map(([k]) => `${k} = ?`).join(', ')} WHERE ${keys.map(([k]) => `${k} = ?`).join(' AND ')}`;
      return (await sql.run(text, [...set.map(([, v]) => v), ...keys.map(([, v]) => v)])).changes;
    },
  };
  return sql;
}
