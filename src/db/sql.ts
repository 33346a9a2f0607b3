import type BetterSqlite3 from 'better-sqlite3';
import type { Knex } from 'knex';
import { kindOf } from './db';
import { pgPreparedSql, pgSql, type PgClient } from './sql-postgres';
import { insertText, updateRows, type Sql } from './sql-statements';

/**
 * Prepared statements on a transaction's own connection, for the write paths that run many small
 * statements (a service section save, a note, and the import that makes hundreds of thousands of them).
 * A statement here costs a few microseconds; through knex's builder and runner it costs 50–150, which
 * decides whether a 100,000-tenant import takes one minute or half an hour. The SQL is portable
 * (`?` placeholders, no SQLite-only syntax); this module holds SQLite's implementation of `Sql`,
 * src/db/sql-postgres.ts PostgreSQL's, and src/db/sql-statements.ts what both write alike.
 */

export type { Sql } from './sql-statements';

/** The `?` placeholders of a list of values: `IN (${marks(ids)})`. */
export const marks = (values: readonly unknown[]): string => values.map(() => '?').join(', ');

interface Queue {
  table: string;
  columns: string[];
  /** The values of full statements (statementSizes' largest), each written as it is. */
  full: unknown[][];
  /** The values of the rows queued since the last full statement, row after row. */
  values: unknown[];
  /** Values per full statement. */
  perFull: number;
  /** The INSERT text per number of rows. */
  texts: Map<number, string>;
}

/** Whether the row's keys are these columns, in this order. */
function hasColumns(row: Record<string, unknown>, columns: string[]): boolean {
  let i = 0;
  for (const key in row) if (key !== columns[i++]) return false;
  return i === columns.length;
}

/**
 * Rows queued now and written later, many per INSERT statement, tables in the order they were first
 * queued (parents before children, so foreign keys hold), after the `parents` named up front: tables
 * whose queued rows others may refer to although a child table was queued first. Besides the
 * per-statement cost, this matters for notes: the FTS5 index behind them writes a segment per
 * statement, so note by note is several times slower than 200 at a time. Rows that need their id
 * before the flush take one from `Sql.nextId`.
 */
export class Deferred {
  /** The queues of each table (one per column list), tables in flush order. */
  private readonly tables = new Map<string, Queue[]>();
  private readonly lastOf = new Map<string, Queue>();
  private readonly ids = new Map<string, number>();
  private pending = 0;

  constructor(
    private readonly sql: Sql,
    private readonly flushAt = 5000,
    parents: readonly string[] = [],
  ) {
    for (const table of parents) this.tables.set(table, []);
  }

  async queue(table: string, row: Record<string, unknown>): Promise<void> {
    // Rows of a table nearly always share their columns: the last queue of the table is tried first.
    let q = this.lastOf.get(table);
    if (!q || !hasColumns(row, q.columns)) {
      const ofTable = this.tables.get(table) ?? [];
      q = ofTable.find((other) => hasColumns(row, other.columns));
      if (!q) {
        const columns = Object.keys(row);
        const perFull = statementSizes(columns.length)[0] * columns.length;
        q = { table, columns, full: [], values: [], perFull, texts: new Map() };
        this.tables.set(table, [...ofTable, q]);
      }
      this.lastOf.set(table, q);
    }
    // Values go into arrays of one statement each, small enough for V8's young generation: one flat
    // array per queue grew into old space, where every store of a new value paid the write barrier.
    for (const c of q.columns) q.values.push(row[c]);
    if (q.values.length >= q.perFull) {
      q.full.push(q.values);
      q.values = [];
    }
    if (++this.pending >= this.flushAt) await this.flush();
  }

  /**
   * The id of a row of `table` queued now: the first one from `Sql.nextId`, then counted on. Every new
   * row of the table written meanwhile must take its id from here (SQLite only: `Sql.idsUpFront`).
   */
  async nextId(table: string): Promise<number> {
    const id = this.ids.get(table) ?? (await this.sql.nextId(table));
    this.ids.set(table, id + 1);
    return id;
  }

  async flush(): Promise<void> {
    for (const q of [...this.tables.values()].flat()) {
      const width = q.columns.length;
      const count = q.values.length / width;
      const tuple = `(${marks(q.columns)})`;
      const text = (n: number) => {
        let t = q.texts.get(n);
        if (!t)
          q.texts.set(
            n,
            (t = `INSERT INTO ${q.table} (${q.columns.join(', ')}) VALUES ${Array(n).fill(tuple).join(', ')}`),
          );
        return t;
      };
      for (const values of q.full) await this.sql.run(text(q.perFull / width), values);
      let i = 0;
      for (const per of statementSizes(width).slice(1))
        for (; i + per <= count; i += per) await this.sql.run(text(per), q.values.slice(i * width, (i + per) * width));
      q.full = [];
      q.values = [];
    }
    this.pending = 0;
  }
}

/**
 * Rows per INSERT of a flush, largest first: full chunks of up to 200 rows (SQLite allows 32,766 bound
 * parameters per statement), then the rest in halving pieces (199 rows: 128 + 64 + 4 + 2 + 1). A few
 * statement shapes per table stay in the statement cache, not one per count, and a small table flushed
 * often (one history row per tenant, 5,000 rows between flushes) is no longer written row by row.
 */
export function statementSizes(width: number): number[] {
  const per = Math.max(1, Math.min(200, Math.floor(32_000 / width)));
  const sizes = [per];
  for (let n = 2 ** Math.floor(Math.log2(per)); n >= 1; n /= 2) if (n < per) sizes.push(n);
  return sizes;
}

type Statement = BetterSqlite3.Statement;
/**
 * The Sql of each SQLite connection, with its prepared statements: made once, because the write paths
 * ask for it per statement, and a fresh object of closures each time was a measurable share of an
 * import's JavaScript (docs/decisions.md 112).
 */
const sqliteSqls = new WeakMap<BetterSqlite3.Database, Sql>();

/** SQLite binds numbers, strings, bigints, buffers and null: booleans become 0/1, undefined null. */
const sqliteValue = (v: unknown) => (typeof v === 'boolean' ? Number(v) : v === undefined ? null : v);
const bind = (params: readonly unknown[]) => params.map(sqliteValue);

/** SQLite hands booleans back as 0/1 and decimals as numbers: compare in that form. */
function same(stored: unknown, wanted: unknown): boolean {
  const a = sqliteValue(stored);
  const b = sqliteValue(wanted);
  return a === b || (a !== null && b !== null && String(a) === String(b));
}

/** The columns of `patch` (undefined = leave alone) whose value differs from the stored row. */
export function changedColumns(stored: Record<string, unknown>, patch: Record<string, unknown>) {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch))
    if (value !== undefined && !same(stored[key], value)) out[key] = value;
  return out;
}

/** The statements of a transaction (writes always run inside one: all or nothing). */
export async function sqlOf(trx: Knex): Promise<Sql> {
  if (!trx.isTransaction) throw new Error('sqlOf needs a transaction');
  if (kindOf(trx) === 'postgres') return pgSql(trx);
  // Inside a transaction knex hands out the transaction's own connection (and never releases it here).
  const conn = (await trx.client.acquireConnection()) as BetterSqlite3.Database;
  let sql = sqliteSqls.get(conn);
  if (!sql) sqliteSqls.set(conn, (sql = sqliteSql(conn)));
  return sql;
}

/**
 * The statements of one short read or write outside a transaction (the session store and the
 * signed-in user, on every request): SQLite's prepared statements on the pool's connection, taken and
 * given back around `use`; on PostgreSQL the pool's knex. A statement through knex's builder costs more
 * than the rest of a small page's request (docs/decisions.md 115).
 */
export async function withSql<T>(db: Knex, use: (sql: Sql) => Promise<T>): Promise<T> {
  const conn = await db.client.acquireConnection();
  try {
    if (kindOf(db) === 'postgres') return await use(pgPreparedSql(conn as PgClient));
    let sql = sqliteSqls.get(conn);
    if (!sql) sqliteSqls.set(conn, (sql = sqliteSql(conn)));
    return await use(sql);
  } finally {
    await db.client.releaseConnection(conn);
  }
}

/**
 * One read on its own. On SQLite, outside a transaction, it runs at once on the pool's connection when no
 * one holds that connection (an open transaction does) and no one waits for it: a statement run
 * synchronously cannot interleave with anything else on the connection. Otherwise (given a transaction:
 * on its connection), and on PostgreSQL, it goes through withSql. Taking the connection through the pool (its timers and promises) cost 40–50 µs of
 * server CPU per read, more than the session's read itself (docs/decisions.md 132).
 */
export function readRow<T>(db: Knex, text: string, params: readonly unknown[] = []): Promise<T | undefined> {
  const conn = idleSqliteConnection(db);
  if (!conn) return withSql(db, (sql) => sql.get<T>(text, params));
  try {
    return Promise.resolve(prepared(conn, text).get(bind(params)) as T | undefined);
  } catch (err) {
    return Promise.reject(err);
  }
}

/** readRow for every row. */
export function readRows<T>(db: Knex, text: string, params: readonly unknown[] = []): Promise<T[]> {
  const conn = idleSqliteConnection(db);
  if (!conn) return withSql(db, (sql) => sql.all<T>(text, params));
  try {
    return Promise.resolve(prepared(conn, text).all(bind(params)) as T[]);
  } catch (err) {
    return Promise.reject(err);
  }
}

/** The pool's SQLite connection if it is free and nobody waits for it (knex's pool is tarn's; its own lists). */
export function idleSqliteConnection(db: Knex): BetterSqlite3.Database | undefined {
  if (db.isTransaction || kindOf(db) !== 'sqlite') return undefined;
  const pool = db.client.pool as unknown as
    { free?: { resource: BetterSqlite3.Database }[]; pendingAcquires?: unknown[] } | undefined;
  if (!pool?.free?.length || pool.pendingAcquires?.length) return undefined;
  return pool.free[pool.free.length - 1].resource;
}

/** Each SQLite connection's prepared statements, by their text. */
const statements = new WeakMap<BetterSqlite3.Database, Map<string, Statement>>();

function prepared(conn: BetterSqlite3.Database, text: string): Statement {
  let cache = statements.get(conn);
  if (!cache) statements.set(conn, (cache = new Map()));
  let stmt = cache.get(text);
  if (!stmt) cache.set(text, (stmt = conn.prepare(text)));
  return stmt;
}

function sqliteSql(conn: BetterSqlite3.Database): Sql {
  const prepare = (text: string): Statement => prepared(conn, text);
  const sql: Sql = {
    idsUpFront: true,
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
      const { text, values } = insertText(table, row);
      return (await sql.run(text, values)).lastId;
    },
    async nextId(table) {
      // Above both max(id) and sqlite_sequence, so an AUTOINCREMENT table never reuses an id.
      const max = await sql.get<{ n: number }>(`SELECT coalesce(max(id), 0) AS n FROM ${table}`);
      const seq = await sql.get<{ seq: number }>('SELECT seq FROM sqlite_sequence WHERE name = ?', [table]);
      return Math.max(max?.n ?? 0, seq?.seq ?? 0) + 1;
    },
    update: (table, where, patch) => updateRows(sql, table, where, patch),
  };
  return sql;
}
