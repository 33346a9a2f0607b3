import type { Knex } from 'knex';
import { kindOf } from '../../db/db';
import { pgBulkLoad } from './pg-bulk.repo';
import { sqliteBulkLoad } from './sqlite.repo';
import type { BulkLoad } from './bulk-load.types';

export type { BulkLoad, BulkTable } from './bulk-load.types';

/**
 * Bulk loading with explicit ids (`seed --tenants N`, `copy-db`): rows are buffered per table and written
 * many per INSERT when flushed, all in one transaction. One implementation per database, chosen once:
 * SQLite prepares statements on the raw connection (the fast path, unchanged); PostgreSQL sends the same
 * multi-row INSERTs through the transaction and moves the id sequences past the loaded ids at the end.
 */
/**
 * Runs `fn` in one transaction that holds the write lock (SQLite) or locks `tables` against other
 * writers (PostgreSQL; readers go on), and commits when it resolves; rolls back when it throws.
 */
export async function withBulkLoad<T>(db: Knex, tables: string[], fn: (load: BulkLoad) => Promise<T>): Promise<T> {
  return kindOf(db) === 'postgres' ? pgBulkLoad(db, tables, fn) : sqliteBulkLoad(db, fn);
}
