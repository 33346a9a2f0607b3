import type { Knex } from 'knex';
import { kindOf, type Db } from './db';

/**
 * A write transaction on one tenant: writes on the same tenant take turns, so a read-modify-write (read
 * the version, check it, write) never loses another save (issue 13). SQLite: every write transaction
 * begins IMMEDIATE (src/db/sqlite-client.ts) and so already holds the database's only write lock.
 * PostgreSQL: the tenant's row is locked (`SELECT … FOR UPDATE`) before anything is read, so a second
 * save on the tenant waits for the first to commit, then reads its version and answers 409.
 */
export function tenantWrite<T>(db: Db, tenantId: number, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return db.transaction(async (trx) => {
    if (kindOf(db) === 'postgres') await trx.raw('SELECT id FROM tenants WHERE id = ? FOR UPDATE', [tenantId]);
    return fn(trx);
  });
}
