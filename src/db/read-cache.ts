import { kindOf, type Db } from './db';

interface Held<T> {
  entries: Map<string, { generation: string; at: number; value: T; weight: number }>;
  weight: number;
}

/**
 * A small cache of read results that is only valid while the database is unchanged.
 *
 * The database's generation is `total_changes()` of the app's single connection (every row this
 * process writes, through knex or not) plus `PRAGMA data_version` (bumped by commits of other
 * connections, such as the admin CLI). Any write anywhere invalidates every entry; entries also
 * expire after `ttlMs` as a guard. Keys must include everything that shapes the result, above all
 * the user's access scope. `budget` bounds the entries' summed weight (say, rows held) as well as
 * their number; an entry heavier than the whole budget is not kept.
 *
 * On PostgreSQL nothing is cached: several instances write to one database, and a per-instance cache
 * would serve what another instance has already changed (issue 13: shared state lives in the database).
 */
export class ReadCache<T> {
  /** One store per database handle, so two databases in one process (tests) never share entries. */
  private readonly byDb = new WeakMap<Db, Held<T>>();

  constructor(
    private readonly maxEntries = 500,
    private readonly ttlMs = 5_000,
    private readonly now: () => number = Date.now,
    private readonly budget: { weigh: (value: T) => number; max: number } = { weigh: () => 0, max: 0 },
  ) {}

  async get(db: Db, key: string, load: () => Promise<T>): Promise<T> {
    if (kindOf(db) === 'postgres') return load();
    let held = this.byDb.get(db);
    if (!held) this.byDb.set(db, (held = { entries: new Map(), weight: 0 }));
    const { entries } = held;
    const generation = await databaseGeneration(db);
    const hit = entries.get(key);
    if (hit && hit.generation === generation && this.now() - hit.at < this.ttlMs) return hit.value;
    const value = await load();
    const weight = this.budget.weigh(value);
    // Only keep what was read at an unchanged generation (no write slipped in while loading).
    if ((await databaseGeneration(db)) === generation && weight <= this.budget.max) {
      const evict = (k: string) => {
        held.weight -= entries.get(k)?.weight ?? 0;
        entries.delete(k);
      };
      evict(key);
      entries.set(key, { generation, at: this.now(), value, weight });
      held.weight += weight;
      while (entries.size > this.maxEntries || held.weight > this.budget.max)
        evict(entries.keys().next().value as string);
    }
    return value;
  }
}

async function databaseGeneration(db: Db): Promise<string> {
  const [row] = await db.raw('SELECT total_changes() AS changes, data_version AS version FROM pragma_data_version');
  return `${row.changes}:${row.version}`;
}
