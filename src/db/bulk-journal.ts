import type { Knex } from 'knex';
import { kindOf } from './db';

/**
 * A bulk load (`ftop import`, `ftop seed --tenants`) writes each page once instead of twice when no other
 * connection has the database open. In WAL mode, every page of a 1.6 GB load is written to the WAL and
 * copied into the database at the checkpoint; with a rollback journal, pages appended to the file need no
 * journal at all, and the few existing pages the load changes are journalled once. Commit and rollback stay
 * atomic and durable (synchronous=FULL), and a crash leaves a hot journal that the next open rolls back.
 *
 * SQLite refuses to leave WAL while another connection has the database open (a running portal), so then
 * the load keeps WAL and the portal keeps reading while it runs. Afterwards WAL is switched on again; should
 * that fail, every connection the portal opens switches it on (src/db/db.ts). Measured: docs/decisions.md 72.
 */
export async function withBulkJournal<T>(db: Knex, load: () => Promise<T>): Promise<T> {
  // PostgreSQL has no journal mode to choose: its WAL is the server's business.
  if (kindOf(db) === 'postgres') return load();
  const switched = await journalMode(db, 'TRUNCATE');
  try {
    return await load();
  } finally {
    if (switched) await journalMode(db, 'WAL');
  }
}

/** Sets the journal mode; false when SQLite refused (another connection has the database open). */
async function journalMode(db: Knex, mode: 'TRUNCATE' | 'WAL'): Promise<boolean> {
  try {
    const rows = (await db.raw(`PRAGMA journal_mode = ${mode}`)) as { journal_mode: string }[];
    return rows[0]?.journal_mode === mode.toLowerCase();
  } catch {
    return false;
  }
}
