import Database from 'better-sqlite3';
import type { Knex } from 'knex';
import { withRawConnection } from './sqlite.repo';

/** SQLite online backup and the checks run on the copy. */

export const COUNTED_TABLES = [
  'partner_orgs',
  'users',
  'tenants',
  'tenant_services',
  'entitlement_status_rows',
  'assignments',
  'contacts',
  'notes',
] as const;

/** Online, consistent copy through the SQLite backup API (writers may keep working meanwhile). */
export async function backupTo(db: Knex, file: string): Promise<void> {
  await withRawConnection(db, async (conn) => {
    await conn.backup(file);
  });
}

/**
 * Makes the copy a self-contained single file (rollback journal instead of WAL), then reopens it
 * read-only and runs PRAGMA integrity_check and row counts.
 */
export function verifyCopy(file: string): { integrity: string; counts: Record<string, number> } {
  const rw = new Database(file);
  try {
    rw.pragma('journal_mode = DELETE');
  } finally {
    rw.close();
  }
  const ro = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = ro.pragma('integrity_check') as { integrity_check: string }[];
    const integrity = rows.map((r) => r.integrity_check).join('; ');
    const counts: Record<string, number> = {};
    for (const table of COUNTED_TABLES) {
      counts[table] = (ro.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    }
    return { integrity, counts };
  } finally {
    ro.close();
  }
}
