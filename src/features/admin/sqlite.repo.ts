import type BetterSqlite3 from 'better-sqlite3';
import type { Knex } from 'knex';
import type { BulkLoad } from './bulk-load.types';
import { marks } from '../../db/sql';

/**
 * Access to the raw better-sqlite3 connection behind knex, for the SQLite-only operations the admin
 * tools need: the online backup API and bulk loading with prepared statements. The connection is
 * knex's only pool member, so it is released as soon as `fn` settles.
 */
export async function withRawConnection<T>(db: Knex, fn: (conn: BetterSqlite3.Database) => Promise<T> | T): Promise<T> {
  const conn = (await db.client.acquireConnection()) as BetterSqlite3.Database;
  try {
    return await fn(conn);
  } finally {
    await db.client.releaseConnection(conn);
  }
}

/**
 * Buffers rows for one table and writes them with multi-row INSERT statements when flushed. Besides
 * saving the per-statement cost, this matters for tables with triggers into FTS5 (notes → notes_fts):
 * FTS5 flushes its pending terms at the end of every statement, so row-by-row inserts write one tiny
 * index segment per note (about 3× slower for a million notes).
 * Rows are only written by flush(), so the caller controls the order (parents before children:
 * foreign keys stay immediate — deferring them makes every parent insert scan its child tables).
 */
export class BulkInserter {
  // Implements BulkTable (bulk-load.ts) with a synchronous flush: prepared statements on the raw connection.
  private readonly rows: unknown[] = [];
  private readonly batchRows: number;
  private readonly statements = new Map<number, BetterSqlite3.Statement>();
  count = 0;

  constructor(
    private readonly conn: BetterSqlite3.Database,
    private readonly table: string,
    private readonly columns: string[],
    maxRows = 500,
  ) {
    // SQLite allows 32,766 bound parameters per statement.
    this.batchRows = Math.max(1, Math.min(maxRows, Math.floor(32_000 / columns.length)));
  }

  push(...values: unknown[]): void {
    this.rows.push(...values);
    this.count++;
  }

  flush(): void {
    const width = this.columns.length;
    for (let start = 0; start < this.rows.length; start += this.batchRows * width) {
      const values = this.rows.slice(start, start + this.batchRows * width);
      const n = values.length / width;
      let stmt = this.statements.get(n);
      if (!stmt) {
        const tuple = `(${marks(this.columns)})`;
        stmt = this.conn.prepare(
          `INSERT INTO ${this.table} (${this.columns.join(', ')}) VALUES ${Array(n).fill(tuple).join(', ')}`,
        );
        this.statements.set(n, stmt);
      }
      stmt.run(values);
    }
    this.rows.length = 0;
  }
}

/** The next free id of an AUTOINCREMENT table (above both max(id) and sqlite_sequence, so ids are never reused). */
export function nextId(conn: BetterSqlite3.Database, table: string): number {
  const max = (conn.prepare(`SELECT coalesce(max(id), 0) AS n FROM ${table}`).get() as { n: number }).n;
  const seq =
    (conn.prepare('SELECT seq FROM sqlite_sequence WHERE name = ?').get(table) as { seq: number } | undefined)?.seq ??
    0;
  return Math.max(max, seq) + 1;
}

/**
 * SQLite's BulkLoad: prepared statements on knex's only connection inside BEGIN IMMEDIATE (the write lock
 * for the whole load), with a 256 MB page cache while loading (fewer page spills for the note indexes).
 */
export async function sqliteBulkLoad<T>(db: Knex, fn: (load: BulkLoad) => Promise<T>): Promise<T> {
  return withRawConnection(db, async (conn) => {
    const previousCache = conn.pragma('cache_size', { simple: true }) as number;
    conn.pragma('cache_size = -262144');
    conn.exec('BEGIN IMMEDIATE');
    try {
      const result = await fn({
        table: (name, columns) => new BulkInserter(conn, name, columns),
        nextId: async (table) => nextId(conn, table),
      });
      conn.exec('COMMIT');
      return result;
    } catch (err) {
      if (conn.inTransaction) conn.exec('ROLLBACK');
      throw err;
    } finally {
      conn.pragma(`cache_size = ${previousCache}`);
    }
  });
}
