import { kindOf, type Db } from './db';

/**
 * A small cache of read results that is only valid while the database is unchanged.
 *
 * The database's generation is `total_changes()` of the app's single connection (every row this
 * process writes, through knex or not) plus `PRAGMA data_version` (bumped by commits of other
 * connections, such as the admin CLI). Any write anywhere invalidates every entry; entries also
 * expire after `ttlMs` as a guard. Keys must include everything that shapes the result, above all
 * the user's access scope.
 *
 * On PostgreSQL nothing is cached: several instances write to one database, and a per-instance cache
 * would serve what another instance has already changed (issue 13: shared state lives in the database).
 */
export class ReadCache<T> {
  /** One map per database handle, so two databases in one process (tests) never share entries. */
  private readonly byDb = new WeakMap<Db, Map<string, { generation: string; at: number; value: T }>>();

  constructor(
    private readonly maxEntries = 500,
    private readonly ttlMs = 5_000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(db: Db, key: string, load: () => Promise<T>): Promise<T> {
    if (kindOf(db) === 'postgres') return load();
    let entries = this.byDb.get(db);
    if (!entries) this.byDb.set(db, (entries = new Map()));
    const generation = await databaseGeneration(db);
    const hit = entries.get(key);
    if (hit && hit.generation === generation && this.now() - hit.at < this.ttlMs) return hit.value;
    const value = await load();
    // Only keep what was read at an unchanged generation (no write slipped in while loading).
    if ((await databaseGeneration(db)) === generation) {
      entries.delete(key);
      entries.set(key, { generation, at: this.now(), value });
      if (entries.size > this.maxEntries) entries.delete(entries.keys().next().value as string);
    }
    return value;
  }
}

async function databaseGeneration(db: Db): Promise<string> {
  const [row] = await db.raw('SELECT total_changes() AS changes, data_version AS version FROM pragma_data_version');
  return `${row.changes}:${row.version}`;
}
