import type { Knex } from 'knex';

/**
 * knex's better-sqlite3 client with one change: transactions begin with `BEGIN IMMEDIATE`
 * (SECURITY.md decision 5). knex opens them with a deferred `BEGIN`, so a save that reads first and
 * writes later only asks for the write lock at its first write; when another connection holds it,
 * SQLite answers SQLITE_BUSY at once instead of waiting (a reader cannot wait for a writer without
 * risking a deadlock). Taking the lock at the start makes every transaction wait up to the busy
 * timeout, then fail cleanly (503) before it has read anything.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
type Ctor = new (...args: unknown[]) => object;
const BetterSqlite3Client = require('knex/lib/dialects/better-sqlite3') as Ctor;
const SqliteTransaction = require('knex/lib/dialects/sqlite3/execution/sqlite-transaction') as Ctor;
/* eslint-enable @typescript-eslint/no-require-imports */

class ImmediateTransaction extends SqliteTransaction {
  begin(conn: unknown): Promise<unknown> {
    return (this as unknown as { query(conn: unknown, sql: string): Promise<unknown> }).query(conn, 'BEGIN IMMEDIATE;');
  }
}

class ImmediateClient extends BetterSqlite3Client {
  transaction(...args: unknown[]): unknown {
    return new ImmediateTransaction(this, ...args);
  }

  async acquireRawConnection(): Promise<unknown> {
    const parent = BetterSqlite3Client.prototype as unknown as { acquireRawConnection(): Promise<unknown> };
    const conn = (await parent.acquireRawConnection.call(this)) as Preparing;
    keepStatements(conn);
    return conn;
  }
}

interface Preparing {
  prepare(sql: string): unknown;
}

/** Statements kept per connection; beyond this the least recently used is dropped. */
const STATEMENTS_KEPT = 500;

/**
 * knex prepares every query anew, which was about 1 ms of a tenant page's 12 (a dozen statements,
 * `docs/performance.md`): the connection keeps its prepared statements by SQL text instead. A
 * statement is only ever run to completion (`all`, `get`, `run`; nothing here iterates), so sharing
 * one between queries is safe; SQLite re-prepares it by itself after a schema change.
 */
function keepStatements(conn: Preparing): void {
  const prepare = conn.prepare.bind(conn);
  const kept = new Map<string, unknown>();
  conn.prepare = (sql: string) => {
    let stmt = kept.get(sql);
    if (stmt) kept.delete(sql);
    else stmt = prepare(sql);
    kept.set(sql, stmt);
    if (kept.size > STATEMENTS_KEPT) kept.delete(kept.keys().next().value as string);
    return stmt;
  };
}

export const SqliteClient = ImmediateClient as unknown as typeof Knex.Client;
