import { kindOf, type Db } from '../../db/db';
import { logState, SETS_CHANGED, startLog, takeChanges } from '../../db/change-log';
import type { AccessScope } from '../../auth/scope';
import { entriesByIds, myRoles, orgEntries, type ListEntry } from './tenants.repo';
import { hasSurrogates, reposition, type Ordered } from './list-order';

/**
 * The tenants of the Partner List's and the My tabs' sets, kept in memory on SQLite (decision 126),
 * and kept in step with the database (decision 128): before each use, the connection's change log
 * (src/db/change-log.ts) says which tenants this process changed; their rows are read again and moved
 * to their place in each order. A change to the sets themselves (assignments, tenants added or
 * removed, a display name), a commit by another connection (`data_version`) or a schema change
 * (`schema_version`) empties the store. The store also keeps the ids of the tenants each scope may see,
 * for the notes search (keptTenantIds), emptied with the sets.
 */
export interface StoreLimits {
  /** A set of more tenants is not kept: its pages are read through SQL. */
  rows: number;
  /**
   * Rows held over every set (about 400 bytes each, up to about 720 once searches built the trigrams of
   * its names and Tenant IDs); the least recently used set goes first.
   */
  held: number;
}

export interface MembershipSet extends Ordered {
  /** Every tenant name with ASCII letters lowered, and every Tenant ID, each joined by NUL. */
  names: Haystack;
  guids: Haystack;
  /** 1 where the tenant is active, by position. */
  active: Uint8Array;
  activeCount: number;
  /** Positions matching the last few searches, by search. */
  searches: Map<string, Uint8Array>;
  /** Position of each tenant id. */
  positions: Map<number, number>;
  /** A user's own set: their P- roles by tenant. */
  roles?: Map<number, string[]>;
}

export interface Haystack {
  text: string;
  /** Where each row's value starts in `text`, and one past the end. */
  starts: Int32Array;
  /** Rows by trigram, built by the first search of three characters or more (list-index.ts). */
  trigrams?: Map<number, Int32Array>;
}

/** What the store keeps by key: a set of the list, or the ids of the tenants a scope may see. */
type Kept = MembershipSet | Set<number>;
const rowsOf = (value: Kept | null): number =>
  value === null ? 0 : value instanceof Set ? value.size : value.entries.length;

/** The sets of one database handle (tests run several in one process). */
export class ListStore {
  constructor(readonly limits: StoreLimits = { rows: 25_000, held: 100_000 }) {}

  private readonly sets = new Map<string, Kept | null>();
  private held = 0;
  private version: string | null = null;
  /** Moves whenever the held sets change; a set read meanwhile is not kept. */
  private epoch = 0;
  /** The last sync: one runs at a time, so no request reads the sets while another is refreshing them. */
  private syncing: Promise<void> = Promise.resolve();

  /** Brings the held sets up to date with the database. */
  sync(db: Db): Promise<void> {
    const run = () => this.syncOnce(db);
    return (this.syncing = this.syncing.then(run, run));
  }

  private async syncOnce(db: Db): Promise<void> {
    try {
      const state = await logState(db);
      if (!state || state.version !== this.version) {
        this.clear();
        this.version = (await startLog(db)).version;
        return;
      }
      if (!state.dirty) return;
      const ids = await takeChanges(db);
      this.epoch++;
      if (ids.includes(SETS_CHANGED)) return this.clear();
      const fresh = await entriesByIds(db, ids);
      for (const set of this.sets.values()) if (set && !(set instanceof Set)) refresh(set, fresh);
    } catch (err) {
      // Changes taken from the log but not applied would be lost: start over next time.
      this.clear();
      this.version = null;
      throw err;
    }
  }

  async get<T extends Kept>(key: string, load: () => Promise<T | null>): Promise<T | null> {
    if (this.sets.has(key)) {
      const set = this.sets.get(key) as T | null;
      this.sets.delete(key);
      this.sets.set(key, set);
      return set;
    }
    const epoch = this.epoch;
    const set = await load();
    const rows = rowsOf(set);
    if (epoch !== this.epoch || rows > this.limits.held) return set;
    if (this.sets.has(key)) this.held -= rowsOf(this.sets.get(key) ?? null);
    this.sets.delete(key);
    this.sets.set(key, set);
    this.held += rows;
    for (const [oldest, value] of this.sets) {
      if (this.held <= this.limits.held) break;
      this.sets.delete(oldest);
      this.held -= rowsOf(value);
    }
    return set;
  }

  private clear(): void {
    this.sets.clear();
    this.held = 0;
    this.epoch++;
  }
}

const stores = new WeakMap<Db, ListStore>();

function storeOf(db: Db): ListStore {
  let store = stores.get(db);
  if (!store) stores.set(db, (store = new ListStore()));
  return store;
}

/** The user's two sets, current with the database, or null when either is too large to keep (read SQL then). */
export async function userSets(
  db: Db,
  scope: AccessScope,
  store = storeOf(db),
): Promise<{ org: MembershipSet; mine: MembershipSet } | null> {
  const { rows: maxRows } = store.limits;
  await store.sync(db);
  const orgKey =
    scope.kind === 'admin'
      ? 'admin'
      : scope.kind === 'internal'
        ? [...scope.managedOrgIds].sort((a, b) => a - b)
        : scope.orgId;
  const org = await store.get(JSON.stringify(['org', orgKey]), async () => {
    const entries = await orgEntries(db, scope, maxRows + 1);
    return entries.length > maxRows ? null : membershipSet(entries);
  });
  if (!org) return null;
  // The My tabs' tenants are nearly all in the org's set, whose rows are taken as they are.
  const mine = await store.get(JSON.stringify(['mine', scope.userId]), async () => {
    const roles = await myRoles(db, scope);
    const ids = [...roles.keys()];
    if (ids.length > maxRows) return null;
    const others = new Map(
      (
        await entriesByIds(
          db,
          ids.filter((id) => !org.positions.has(id)),
        )
      ).map((e) => [e.id, e]),
    );
    const entries = ids.map((id) => (org.positions.has(id) ? org.entries[org.positions.get(id)!] : others.get(id)!));
    return { ...membershipSet(entries), roles };
  });
  return mine && { org, mine };
}

/**
 * The ids of the tenants a scope may see, as `load` reads them (whereTenantVisible's SQL, the one rule),
 * kept on SQLite until the sets change (an assignment or its scopes, a tenant added or removed, another
 * connection's commit): the notes search filters every search by them (5 ms a search for 5,000 tenants).
 * `key` names the scope. PostgreSQL reads them each time.
 */
export async function keptTenantIds(
  db: Db,
  key: string,
  load: () => Promise<Set<number>>,
  store = storeOf(db),
): Promise<Set<number>> {
  if (kindOf(db) !== 'sqlite') return load();
  await store.sync(db);
  return (await store.get(JSON.stringify(['visible', key]), load)) as Set<number>;
}

function membershipSet(entries: ListEntry[]): MembershipSet {
  const active = Uint8Array.from(entries, (e) => (e.isActive ? 1 : 0));
  return {
    entries,
    names: haystack(entries.map(foldedName)),
    guids: haystack(entries.map((e) => e.tenantGuid)),
    active,
    activeCount: active.reduce((n, a) => n + a, 0),
    orders: new Map(),
    searches: new Map(),
    plain: !entries.some(hasSurrogates),
    positions: new Map(entries.map((e, i) => [e.id, i])),
  };
}

/**
 * Replaces the set's rows of these tenants, where it holds them, and what depends on them. The search's
 * haystacks and its kept results depend on names and Tenant IDs alone: a save of a status, a date or a
 * figure keeps them (rebuilding both for 5,000 tenants cost more than a page without a search).
 */
function refresh(set: MembershipSet, fresh: ListEntry[]): void {
  let renamed = false;
  for (const entry of fresh) {
    const at = set.positions.get(entry.id);
    if (at === undefined) continue;
    const before = set.entries[at];
    renamed ||= before.tenantName !== entry.tenantName || before.tenantGuid !== entry.tenantGuid;
    set.entries[at] = entry;
    set.activeCount += Number(entry.isActive) - set.active[at];
    set.active[at] = Number(entry.isActive);
    if (set.plain && hasSurrogates(entry)) {
      set.plain = false;
      set.orders.clear();
    }
    reposition(set, at);
  }
  if (!renamed) return;
  set.names = haystack(set.entries.map(foldedName));
  set.guids = haystack(set.entries.map((e) => e.tenantGuid));
  set.searches.clear();
}

/** The name as SQLite's LIKE compares it: ASCII letters folded, nothing else. */
function foldedName(e: ListEntry): string {
  return e.tenantName.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

function haystack(values: string[]): Haystack {
  const starts = new Int32Array(values.length + 1);
  for (let i = 0; i < values.length; i++) starts[i + 1] = starts[i] + values[i].length + 1;
  return { text: values.join('\0'), starts };
}
