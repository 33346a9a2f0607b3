import { Client, type ClientConfig } from 'pg';

/** The advisory lock key every instance takes around its migrations ("ftop" in ASCII). */
const MIGRATION_LOCK_KEY = 0x66746f70;

/**
 * PostgreSQL: runs `fn` (the migrations) while no other process runs its own, under a session advisory
 * lock on a connection of its own (outside the pool, which may hold one connection only). knex's lock
 * row alone is not enough on a new database: instances creating `knex_migrations_lock` together can each
 * insert its row, and then none can ever take the lock. (On SQLite the single writer serialises them.)
 */
export async function withPgMigrationLock<T>(connection: ClientConfig, fn: () => Promise<T>): Promise<T> {
  const lock = new Client(connection);
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    return await fn();
  } finally {
    await lock.end(); // ends the session, which releases the lock
  }
}
