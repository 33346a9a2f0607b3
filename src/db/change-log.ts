import type { Db } from './db';
import { readRow } from './sql';

/**
 * Which tenants' list rows this SQLite connection has changed, for the Partner List kept in memory
 * (src/features/tenants/list-sets.ts, decision 128). TEMP triggers belong to the connection that made
 * them: every write of the server's one connection logs the tenant it touched, at no cost to other
 * connections (the CLI's import). Their commits show as a new `PRAGMA data_version`, and any schema
 * change as a new `PRAGMA schema_version`, after which the reader starts over. A log row is a tenant
 * id whose list columns or figures changed (a tenant's own row, its services), or 0 when the sets
 * themselves may have changed (tenants added or removed, assignments, their scopes, a user's display
 * name). Rows are kept once per tenant, so the log never holds more rows than there are tenants; a
 * rolled-back transaction takes its rows with it.
 */
const LOG = `
CREATE TEMP TABLE IF NOT EXISTS list_changes (tenant_id INTEGER PRIMARY KEY) WITHOUT ROWID;
CREATE TEMP TRIGGER IF NOT EXISTS list_changes_tenants_update AFTER UPDATE ON main.tenants
  BEGIN INSERT OR IGNORE INTO list_changes VALUES (NEW.id), (OLD.id); END;
CREATE TEMP TRIGGER IF NOT EXISTS list_changes_tenants_insert AFTER INSERT ON main.tenants
  BEGIN INSERT OR IGNORE INTO list_changes VALUES (0); END;
CREATE TEMP TRIGGER IF NOT EXISTS list_changes_tenants_delete AFTER DELETE ON main.tenants
  BEGIN INSERT OR IGNORE INTO list_changes VALUES (0); END;
CREATE TEMP TRIGGER IF NOT EXISTS list_changes_services_insert AFTER INSERT ON main.tenant_services
  BEGIN INSERT OR IGNORE INTO list_changes VALUES (NEW.tenant_id); END;
CREATE TEMP TRIGGER IF NOT EXISTS list_changes_services_update AFTER UPDATE ON main.tenant_services
  BEGIN INSERT OR IGNORE INTO list_changes VALUES (NEW.tenant_id), (OLD.tenant_id); END;
CREATE TEMP TRIGGER IF NOT EXISTS list_changes_services_delete AFTER DELETE ON main.tenant_services
  BEGIN INSERT OR IGNORE INTO list_changes VALUES (OLD.tenant_id); END;
${['INSERT', 'UPDATE', 'DELETE']
  .flatMap((event) =>
    ['assignments', 'assignment_scopes'].map(
      (table) => `CREATE TEMP TRIGGER IF NOT EXISTS list_changes_${table}_${event.toLowerCase()} AFTER ${event}
  ON main.${table} BEGIN INSERT OR IGNORE INTO list_changes VALUES (0); END;`,
    ),
  )
  .join('\n')}
CREATE TEMP TRIGGER IF NOT EXISTS list_changes_users_name AFTER UPDATE OF display_name ON main.users
  BEGIN INSERT OR IGNORE INTO list_changes VALUES (0); END;
`;

/** The id a log row holds when whole sets may have changed. */
export const SETS_CHANGED = 0;

export interface LogState {
  /**
   * `PRAGMA data_version` (moves when another connection commits) and `PRAGMA schema_version` (moves
   * with any schema change, also this connection's: a migration may rebuild a table and its triggers).
   */
  version: string;
  /** The log holds rows. */
  dirty: boolean;
}

/**
 * The connection's data version and whether its log holds rows; null when this connection has no log
 * yet (a new connection, or one never asked): the caller starts over with `startLog`.
 */
export async function logState(db: Db): Promise<LogState | null> {
  try {
    // A prepared statement, not knex's builder: the list runs this before every request it answers.
    const row = await readRow<{ version: string; dirty: number }>(
      db,
      `SELECT data_version || ':' || (SELECT schema_version FROM pragma_schema_version) AS version,
                EXISTS (SELECT 1 FROM temp.list_changes) AS dirty
           FROM pragma_data_version`,
    );
    return row ? { version: String(row.version), dirty: Boolean(row.dirty) } : null;
  } catch (err) {
    if (/no such table/i.test((err as Error).message)) return null;
    throw err;
  }
}

/** Creates the log and its triggers where missing and empties it: the caller reads everything afresh. */
export async function startLog(db: Db): Promise<LogState> {
  for (const statement of LOG.split(/;\s*(?=CREATE|$)/).filter((s) => s.trim())) await db.raw(statement);
  await db.raw('DELETE FROM temp.list_changes');
  return (await logState(db)) as LogState;
}

/**
 * The tenant ids logged since the last call, removed from the log. Only the ids read are removed, so
 * a write that lands between the two statements stays logged for the next call.
 */
export async function takeChanges(db: Db): Promise<number[]> {
  const ids = (await db.raw('SELECT tenant_id FROM temp.list_changes')).map((r: { tenant_id: number }) => r.tenant_id);
  await db.raw('DELETE FROM temp.list_changes WHERE tenant_id IN (SELECT value FROM json_each(?))', [
    JSON.stringify(ids),
  ]);
  return ids;
}
