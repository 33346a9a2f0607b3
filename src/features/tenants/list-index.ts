import { kindOf, type Db } from '../../db/db';
import type { AccessScope } from '../../auth/scope';
import type { ListEntry, TenantListRow } from './tenants.repo';
import type { ListQuery, Tab } from './tenants.schemas';
import { userSets, type Haystack, type MembershipSet } from './list-sets';
import { sortedOrder } from './list-order';

/**
 * The FRP view's page and tab counts served from memory (decision 126): the user's two sets
 * (src/features/tenants/list-sets.ts), an order per sort and direction (list-order.ts), and the
 * search as SQLite's LIKE does it: a substring of the name with ASCII letters folded, or of the Tenant
 * ID when the search could be one (test/unit/list-index.test.ts compares all of it with SQL).
 * PostgreSQL (its own collation; several instances) and sets too large to keep read pages in SQL.
 */
export interface IndexedPage {
  counts: Record<Tab, number>;
  total: number;
  page: number;
  pageCount: number;
  rows: TenantListRow[];
}

const STATE: Record<ListQuery['activity'], number> = { inactive: 0, active: 1, all: 2 };

/** One page of the FRP view with the tab counts, or null when this database or scope reads through SQL. */
export async function indexedPage(db: Db, scope: AccessScope, query: ListQuery): Promise<IndexedPage | null> {
  if (kindOf(db) === 'postgres') return null;
  const sets = await userSets(db, scope);
  if (!sets) return null;
  const { org, mine } = sets;
  // The Tenant State each tab keeps: 0 inactive, 1 active, 2 either.
  const wanted = (tab: Tab) => (tab === 'partner' ? STATE[query.activity] : Number(tab === 'my-active'));
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
  const rows = entries.map((e) => listRow(e, mine.roles?.get(e.id) ?? NO_ROLES));
  return { counts, total, page, pageCount, rows };
}

const NO_ROLES: string[] = [];
const rowsByEntry = new WeakMap<ListEntry, TenantListRow>();

/**
 * The row of a kept entry with the user's roles on it: the same object while the entry and the roles are
 * (a save replaces the entry; the roles are the user's set's), so the table renders it once (list-rows.ts).
 */
function listRow(entry: ListEntry, myRoles: string[]): TenantListRow {
  const kept = rowsByEntry.get(entry);
  if (kept?.myRoles === myRoles) return kept;
  const row = { ...entry, myRoles };
  rowsByEntry.set(entry, row);
  return row;
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
  // NUL joins the haystack's values: a needle holding one matches no tenant.
  if (!needle.includes('\0')) {
    const find = needle.length >= 3 ? markByTrigrams : mark;
    find(hits, set.names, needle);
    if (/^[0-9a-f-]+$/.test(needle)) find(hits, set.guids, needle);
  }
  if (set.searches.size >= 8) set.searches.delete(set.searches.keys().next().value as string);
  set.searches.set(q, hits);
  return hits;
}

/**
 * Sets hits[i] for every row whose value contains `needle` (of one or two characters; longer ones go
 * through markByTrigrams): one indexOf over all the values at once (one search per hit, not one per
 * row), the row found by walking the starts forward from the last hit (for a fragment in all 5,000
 * names, 310 → 113 µs against bisecting the starts for each hit).
 */
function mark(hits: Uint8Array, { text, starts }: Haystack, needle: string): void {
  let row = 0;
  for (let at = text.indexOf(needle); at >= 0;) {
    while (starts[row + 1] <= at) row++;
    hits[row] = 1;
    at = text.indexOf(needle, starts[row + 1]);
  }
}

/**
 * mark for a needle of three characters or more, through the haystack's trigrams (built on first use:
 * 14 ms and about 640 KB for 5,000 names, 22 ms and 970 KB for their Tenant IDs; dropped with the
 * haystack when a name changes): only the rows holding the needle's rarest trigram are looked at. The
 * bench's fragments ('0002-', 't00', 'embe') are digits and letters the names and Tenant IDs repeat: a
 * scan of the whole text took 16–120 µs a set, this 1–60.
 */
function markByTrigrams(hits: Uint8Array, hay: Haystack, needle: string): void {
  const grams = (hay.trigrams ??= trigrams(hay));
  let rows: Int32Array | undefined;
  let exact = needle.length === 3;
  for (let at = 0; at + 3 <= needle.length; at++) {
    const key = trigram(needle, at);
    const list = grams.get(key);
    if (!list) return;
    if (!rows || list.length < rows.length) rows = list;
    if (key === WIDE) exact = false;
  }
  const { text, starts } = hay;
  for (const row of rows!) if (exact || text.slice(starts[row], starts[row + 1] - 1).includes(needle)) hits[row] = 1;
}

/** The key of every trigram with a character at or above U+0400: the rows holding any of them. */
const WIDE = -1;

/** Three UTF-16 units in one small integer (10 bits each), or WIDE. */
function trigram(s: string, at: number): number {
  const a = s.charCodeAt(at);
  const b = s.charCodeAt(at + 1);
  const c = s.charCodeAt(at + 2);
  return (a | b | c) < 0x400 ? (a << 20) | (b << 10) | c : WIDE;
}

/** Each trigram of the values, with the rows holding it in ascending order. */
function trigrams({ text, starts }: Haystack): Map<number, Int32Array> {
  const lists = new Map<number, number[]>();
  for (let row = 0; row + 1 < starts.length; row++) {
    const end = starts[row + 1] - 1;
    for (let at = starts[row]; at + 3 <= end; at++) {
      const key = trigram(text, at);
      const list = lists.get(key);
      if (!list) lists.set(key, [row]);
      else if (list[list.length - 1] !== row) list.push(row);
    }
  }
  const grams = new Map<number, Int32Array>();
  for (const [key, list] of lists) grams.set(key, Int32Array.from(list));
  return grams;
}
