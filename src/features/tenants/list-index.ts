import { kindOf, type Db } from '../../db/db';
import { ReadCache } from '../../db/read-cache';
import type { AccessScope } from '../../auth/scope';
import { entriesByIds, myRoles, orgEntries, type ListEntry, type TenantListRow } from './tenants.repo';
import type { ListQuery, Sort, Tab } from './tenants.schemas';

/**
 * The FRP view's rows served from memory (decision 126): per membership set (an org's Partner List,
 * a user's own assignments) the list's columns of every tenant, with one sorted order per sort and
 * direction built when first asked for. An entry lives while the database is unchanged (the read
 * cache's generation: any write anywhere, from this process or another, drops it), so after a save
 * the next list request reads the set again, once for every query of that set until the next write.
 *
 * The order and the search are SQLite's, reproduced (test/unit/list-index.test.ts compares both on
 * the same rows): nulls last, then the column, then the tenant name in the same direction, then the
 * id; strings compared by code point (SQLite's BINARY collation); the search is a substring of the
 * name with ASCII letters folded (SQLite's LIKE), or of the Tenant ID when the search could be one.
 * PostgreSQL (its own collation; several instances) and sets over MAX_ROWS rows read pages in SQL.
 */
export const MAX_ROWS = 25_000;
/** Rows held over every set: about 400 bytes each. */
const MAX_HELD_ROWS = 100_000;

interface MembershipSet {
  entries: ListEntry[];
  /** Every tenant_name with ASCII letters lowered, and every Tenant ID, each joined by NUL, and where each row's starts. */
  names: Haystack;
  guids: Haystack;
  /** 1 where the tenant is active, by position. */
  active: Uint8Array;
  activeCount: number;
  /** Sorted positions per `${sort} ${dir}`, built on first use. */
  orders: Map<string, Int32Array>;
  /** Positions matching the last few searches, by search. */
  searches: Map<string, Uint8Array>;
  /** No UTF-16 surrogates anywhere: plain `<` is code point order. */
  plain: boolean;
  /** The entries by tenant id, built when a user's own set is taken from this one. */
  byId?: Map<number, ListEntry>;
  /** A user's own set: their P- roles by tenant. */
  roles?: Map<number, string[]>;
}

export interface IndexedPage {
  counts: Record<Tab, number>;
  total: number;
  page: number;
  pageCount: number;
  rows: TenantListRow[];
}

const sets = new ReadCache<MembershipSet | null>(256, 30_000, Date.now, {
  weigh: (set) => set?.entries.length ?? 0,
  max: MAX_HELD_ROWS,
});

/** One page of the FRP view with the tab counts, or null when this database or scope reads through SQL. */
export async function indexedPage(db: Db, scope: AccessScope, query: ListQuery): Promise<IndexedPage | null> {
  if (kindOf(db) === 'postgres') return null;
  const org = await orgSet(db, scope);
  const mine = org && (await mineSet(db, scope, org));
  if (!org || !mine) return null;
  // 0: inactive, 1: active, 2: either — the Tenant State each tab keeps.
  const wanted = (tab: Tab) =>
    tab === 'partner'
      ? query.activity === 'all'
        ? 2
        : Number(query.activity === 'active')
      : Number(tab === 'my-active');
  const counts = {
    'my-active': count(mine, query.q, 1),
    'my-inactive': count(mine, query.q, 0),
    partner: count(org, query.q, wanted('partner')),
  };
  const total = counts[query.tab];
  const pageCount = Math.max(1, Math.ceil(total / query.pageSize));
  const page = Math.min(query.page, pageCount);
  const set = query.tab === 'partner' ? org : mine;
  const state = wanted(query.tab);
  const hits = query.q ? matching(set, query.q) : null;
  const order = sortedOrder(set, query.sort, query.dir);
  const skip = (page - 1) * query.pageSize;
  const entries: ListEntry[] = [];
  if (!hits && state === 2) {
    for (const i of order.subarray(skip, skip + query.pageSize)) entries.push(set.entries[i]);
  } else {
    let seen = 0;
    for (const i of order) {
      if ((state !== 2 && set.active[i] !== state) || (hits && !hits[i]) || seen++ < skip) continue;
      entries.push(set.entries[i]);
      if (entries.length === query.pageSize) break;
    }
  }
  const rows = entries.map((e) => ({ ...e, myRoles: mine.roles?.get(e.id) ?? [] }));
  return { counts, total, page, pageCount, rows };
}

/** How many of the set have the Tenant State (2: either) and match the search. */
function count(set: MembershipSet, q: string, state: number): number {
  if (!q)
    return state === 2 ? set.entries.length : state === 1 ? set.activeCount : set.entries.length - set.activeCount;
  const hits = matching(set, q);
  let n = 0;
  for (let i = 0; i < hits.length; i++) if (hits[i] && (state === 2 || set.active[i] === state)) n++;
  return n;
}

/** 1 for each tenant whose name (ASCII case folded) or, for a search that could be one, Tenant ID contains `q`. */
function matching(set: MembershipSet, q: string): Uint8Array {
  let hits = set.searches.get(q);
  if (hits) return hits;
  const needle = q.toLowerCase();
  hits = new Uint8Array(set.entries.length);
  mark(hits, set.names, needle);
  if (/^[0-9a-f-]+$/.test(needle)) mark(hits, set.guids, needle);
  if (set.searches.size >= 8) set.searches.delete(set.searches.keys().next().value as string);
  set.searches.set(q, hits);
  return hits;
}

interface Haystack {
  text: string;
  starts: Int32Array;
}

const SEPARATOR = '\0';

function haystack(values: string[]): Haystack {
  const starts = new Int32Array(values.length + 1);
  for (let i = 0; i < values.length; i++) starts[i + 1] = starts[i] + values[i].length + 1;
  return { text: values.join(SEPARATOR), starts };
}

/**
 * Sets hits[i] for every row whose value contains `needle`: one indexOf over all the values at once
 * (one search per hit, not one per row), the row found by bisecting the starts.
 */
function mark(hits: Uint8Array, { text, starts }: Haystack, needle: string): void {
  if (needle.includes(SEPARATOR)) return;
  for (let at = text.indexOf(needle); at >= 0;) {
    let lo = 0;
    let hi = hits.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= at) lo = mid;
      else hi = mid - 1;
    }
    hits[lo] = 1;
    at = text.indexOf(needle, starts[lo + 1]);
  }
}

/** The Partner List's set: the tenants of the user's org (an internal user's managed orgs; every org for an admin). */
function orgSet(db: Db, scope: AccessScope): Promise<MembershipSet | null> {
  const key =
    scope.kind === 'admin'
      ? 'admin'
      : scope.kind === 'internal'
        ? [...scope.managedOrgIds].sort((a, b) => a - b)
        : scope.orgId;
  return sets.get(db, JSON.stringify(['org', key]), async () => {
    const entries = await orgEntries(db, scope, MAX_ROWS + 1);
    return entries.length > MAX_ROWS ? null : membershipSet(entries);
  });
}

/**
 * The My tabs' set: the tenants the user holds a P- assignment on. Nearly all of them are in the org's
 * set, whose rows are taken as they are; the others are read.
 */
function mineSet(db: Db, scope: AccessScope, org: MembershipSet): Promise<MembershipSet | null> {
  return sets.get(db, JSON.stringify(['mine', scope.userId]), async () => {
    const roles = await myRoles(db, scope);
    const ids = [...roles.keys()];
    if (ids.length > MAX_ROWS) return null;
    org.byId ??= new Map(org.entries.map((e) => [e.id, e]));
    const byId = org.byId;
    const others = new Map(
      (
        await entriesByIds(
          db,
          ids.filter((id) => !byId.has(id)),
        )
      ).map((e) => [e.id, e]),
    );
    return { ...membershipSet(ids.map((id) => (byId.get(id) ?? others.get(id)) as ListEntry)), roles };
  });
}

function membershipSet(entries: ListEntry[]): MembershipSet {
  const text = (e: ListEntry) => [e.tenantName, e.customerName, e.country, e.overallStatus].join('');
  const active = Uint8Array.from(entries, (e) => (e.isActive ? 1 : 0));
  return {
    entries,
    names: haystack(entries.map((e) => e.tenantName.replace(/[A-Z]+/g, (s) => s.toLowerCase()))),
    guids: haystack(entries.map((e) => e.tenantGuid)),
    active,
    activeCount: active.reduce((n, a) => n + a, 0),
    orders: new Map(),
    searches: new Map(),
    plain: !entries.some((e) => /[\uD800-\uDFFF]/.test(text(e))),
  };
}

const PRIORITY_RANK: Record<string, number> = { High: 1, Medium: 2, Low: 3 };

/** The sort column's value as SQL sorts it (tenants.repo.ts SORT_SQL). */
const KEYS: Record<Sort, (e: ListEntry) => string | number | null> = {
  name: (e) => e.tenantName,
  customer: (e) => e.customerName,
  country: (e) => e.country,
  status: (e) => e.overallStatus,
  statusDate: (e) => e.overallStatusDate,
  lastNote: (e) => e.lastOsNoteAt,
  priority: (e) => PRIORITY_RANK[e.priority ?? ''] ?? 4,
};

/**
 * The set's positions in the order of `ORDER BY (key) IS NULL, key dir, tenant_name dir, id`. Tenant
 * names are unique, so the id never decides. The name order is sorted; every other order groups the
 * name order by the column's value and sorts the values (few for most columns). A descending order
 * is the ascending one with its non-null and its null part each reversed.
 */
function sortedOrder(set: MembershipSet, sort: Sort, dir: ListQuery['dir']): Int32Array {
  const cached = set.orders.get(`${sort} ${dir}`);
  if (cached) return cached;
  const compare = set.plain ? comparePlain : compareCodePoints;
  const key = KEYS[sort];
  let order: Int32Array;
  if (dir === 'desc') {
    order = Int32Array.from(sortedOrder(set, sort, 'asc'));
    let nonNull = order.length;
    while (nonNull > 0 && key(set.entries[order[nonNull - 1]]) === null) nonNull--;
    order.subarray(0, nonNull).reverse();
    order.subarray(nonNull).reverse();
  } else if (sort === 'name') {
    order = Int32Array.from(set.entries, (_, i) => i).sort((a, b) =>
      compare(set.entries[a].tenantName, set.entries[b].tenantName),
    );
  } else {
    const groups = new Map<string | number | null, number[]>();
    for (const i of sortedOrder(set, 'name', 'asc')) {
      const value = key(set.entries[i]);
      const group = groups.get(value);
      if (group) group.push(i);
      else groups.set(value, [i]);
    }
    const values = [...groups.keys()].sort((x, y) => {
      if (x === null || y === null) return x === null ? 1 : -1;
      return typeof x === 'number' ? x - (y as number) : compare(x, y as string);
    });
    order = Int32Array.from(values.flatMap((value) => groups.get(value) as number[]));
  }
  set.orders.set(`${sort} ${dir}`, order);
  return order;
}

function comparePlain(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Code point order (UTF-8 byte order, SQLite's BINARY), where UTF-16 order puts surrogates before U+E000–U+FFFF. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  return unit >= 0xe000 ? unit - 0x800 : unit;
}
