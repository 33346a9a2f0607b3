import type { Db } from '../../db/db';
import { pendingMigrations } from '../../db/migration-status';

/**
 * Why this instance should not get traffic now, or null when it is ready: the process is stopping
 * (graceful shutdown), the database does not answer, or the schema is older than this build (a rolling
 * update before `ftop migrate`). One query: the migration names, which also shows the database answers.
 * The reason names no host, URL or driver message.
 */
export async function readiness(db: Db, stopping?: () => boolean): Promise<string | null> {
  if (stopping?.()) return 'shutting down';
  let pending: string[];
  try {
    pending = await pendingMigrations(db);
  } catch {
    return 'database unavailable';
  }
  return pending.length ? `${pending.length} pending migration(s)` : null;
}
