import type { ListEntry } from './tenants.repo';
import type { ListQuery, Sort } from './tenants.schemas';

/**
 * The FRP view's orders in memory, as SQLite gives them (`ORDER BY (key) IS NULL, key dir,
 * tenant_name dir, id`, src/features/tenants/tenants.repo.ts): nulls last in both directions, strings
 * by code point (the BINARY collation). Tenant names are unique, so the id never decides.
 */
export interface Ordered {
  entries: ListEntry[];
  /** No UTF-16 surrogates in any string: plain `<` is code point order. */
  plain: boolean;
  /** Positions in `entries`, per `${sort} ${dir}`, built on first use. */
  orders: Map<string, Int32Array>;
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

/** Whether any string the list sorts on holds a UTF-16 surrogate (an astral character). */
export function hasSurrogates(e: ListEntry): boolean {
  return /[\uD800-\uDFFF]/.test([e.tenantName, e.customerName, e.country, e.overallStatus].join(''));
}

/**
 * The set's positions in the query's order. The name order is sorted; every other order groups the
 * name order by the column's value and sorts the distinct values (few for most columns). A descending
 * order is the ascending one with its non-null and its null part each reversed.
 */
export function sortedOrder(set: Ordered, sort: Sort, dir: ListQuery['dir']): Int32Array {
  const cached = set.orders.get(`${sort} ${dir}`);
  if (cached) return cached;
  const compare = stringOrder(set);
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

/**
 * Moves the entry at `position`, just replaced, to its place in every order built so far: out of the
 * order, then back in where a binary search by the order's comparison puts it.
 */
export function reposition(set: Ordered, position: number): void {
  const compare = stringOrder(set);
  for (const [name, order] of set.orders) {
    const [sort, dir] = name.split(' ') as [Sort, ListQuery['dir']];
    const key = KEYS[sort];
    const sign = dir === 'desc' ? -1 : 1;
    const before = (a: ListEntry, b: ListEntry): boolean => {
      const x = key(a);
      const y = key(b);
      if (x === null || y === null) {
        if (x !== y) return y === null;
      } else if (x !== y) return sign * (typeof x === 'number' ? x - (y as number) : compare(x, y as string)) < 0;
      return sign * compare(a.tenantName, b.tenantName) < 0;
    };
    const at = order.indexOf(position);
    order.copyWithin(at, at + 1);
    const moved = set.entries[position];
    let lo = 0;
    let hi = order.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(set.entries[order[mid]], moved)) lo = mid + 1;
      else hi = mid;
    }
    order.copyWithin(lo + 1, lo, order.length - 1);
    order[lo] = position;
  }
}

function stringOrder(set: Ordered): (a: string, b: string) => number {
  return set.plain ? comparePlain : compareCodePoints;
}

function comparePlain(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Code point order (UTF-8 byte order, SQLite's BINARY), where UTF-16 order puts surrogates before U+E000–U+FFFF. */
function compareCodePoints(a: string, b: string): number {
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
