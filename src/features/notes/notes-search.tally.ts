import type { NextWindow, PageRequest, SearchFilters } from './notes-search.types';

/**
 * Facet counting for notes search, over the matching notes in scope fetched once (one query instead of
 * one per facet; docs/performance.md). Pure: the index implementation (SQLite FTS5 today) supplies the
 * candidates and turns ids back into labels and hits.
 */

/** A note that matches the words and is in scope, with what the filters and facets look at. */
export interface Candidate {
  id: number;
  category: string;
  escalated: boolean;
  legacy: boolean;
  tenantId: number;
  authorId: number | null;
  nextDate: string | null;
  /** When the note was written, epoch milliseconds. */
  createdMs: number;
  /** Service codes, comma-separated ('' for none). */
  services: string;
  /** Relevance, lower is better (bm25); 0 without words. */
  rank: number;
}

/** The filters with tenants resolved to ids: null without a tenant filter (a Tenant ID nobody has matches nothing). */
export interface TallyFilters extends Omit<SearchFilters, 'tenant' | 'q'> {
  tenantIds: number[] | null;
  userId: number;
}

export interface Tally {
  total: number;
  /** The page's note ids, in the requested order. */
  pageIds: number[];
  /** Notes passing every filter but the facet's own, by value. */
  type: Map<string, number>;
  escalated: { yes: number; no: number };
  legacy: { yes: number; no: number };
  tenant: Map<number, number>;
  service: Map<string, number>;
  next: Record<NextWindow, number>;
  author: { all: number; me: number };
}

const FACETS = ['type', 'escalated', 'legacy', 'tenant', 'service', 'next', 'author'] as const;
type Facet = (typeof FACETS)[number];

/**
 * Counts each facet over the notes that pass every other filter (so a ticked facet still shows its
 * alternatives), and pages the notes that pass all of them. `tenantName` is needed for sort=tenant only.
 */
export function tally(
  rows: Candidate[],
  f: TallyFilters,
  page: PageRequest,
  tenantName: (id: number) => string = () => '',
): Tally {
  const types = new Set(f.type);
  const tenants = new Set(f.tenantIds ?? []);
  const services = new Set(f.service);
  const passes: Record<Facet, (r: Candidate) => boolean> = {
    type: (r) => !types.size || types.has(r.category),
    escalated: (r) => !f.escalated || r.escalated === (f.escalated === 'yes'),
    legacy: (r) => !f.legacy || r.legacy === (f.legacy === 'yes'),
    tenant: (r) => f.tenantIds === null || tenants.has(r.tenantId),
    service: (r) => !services.size || codes(r).some((c) => services.has(c)),
    next: (r) => !f.next || (r.nextDate !== null && r.nextDate >= f.next.from && r.nextDate <= f.next.to),
    author: (r) => f.author !== 'me' || r.authorId === f.userId,
  };
  // Only the filters in use can fail; a facet with no filter passes every note.
  const active = FACETS.filter((k) => filterInUse(k, f));
  const t: Tally = {
    total: 0,
    pageIds: [],
    type: new Map(),
    escalated: { yes: 0, no: 0 },
    legacy: { yes: 0, no: 0 },
    tenant: new Map(),
    service: new Map(),
    next: { week: 0, month: 0, quarter: 0 },
    author: { all: 0, me: 0 },
  };
  const hits: Candidate[] = [];
  for (const r of rows) {
    let failed: Facet | null = null;
    let failures = 0;
    for (const k of active) {
      if (!passes[k](r) && ++failures === 1) failed = k;
      if (failures > 1) break;
    }
    if (failures > 1) continue;
    if (failures === 0) hits.push(r);
    for (const k of FACETS) if (failures === 0 || failed === k) count(t, k, r, f, page);
  }
  t.total = hits.length;
  hits.sort(ORDER[f.sort](tenantName));
  const start = (page.page - 1) * page.pageSize;
  t.pageIds = hits.slice(start, start + page.pageSize).map((r) => r.id);
  return t;
}

function filterInUse(k: Facet, f: TallyFilters): boolean {
  if (k === 'type') return f.type.length > 0;
  if (k === 'tenant') return f.tenantIds !== null;
  if (k === 'service') return f.service.length > 0;
  if (k === 'author') return f.author === 'me';
  return Boolean(f[k]);
}

function count(t: Tally, k: Facet, r: Candidate, f: TallyFilters, page: PageRequest): void {
  switch (k) {
    case 'type':
      return void t.type.set(r.category, (t.type.get(r.category) ?? 0) + 1);
    case 'escalated':
      return void (r.escalated ? t.escalated.yes++ : t.escalated.no++);
    case 'legacy':
      return void (r.legacy ? t.legacy.yes++ : t.legacy.no++);
    case 'tenant':
      return void t.tenant.set(r.tenantId, (t.tenant.get(r.tenantId) ?? 0) + 1);
    case 'service':
      for (const c of codes(r)) t.service.set(c, (t.service.get(c) ?? 0) + 1);
      return;
    case 'next':
      if (r.nextDate === null) return;
      for (const w of ['week', 'month', 'quarter'] as const)
        if (r.nextDate >= page.windows[w].from && r.nextDate <= page.windows[w].to) t.next[w]++;
      return;
    case 'author':
      t.author.all++;
      if (r.authorId === f.userId) t.author.me++;
  }
}

const codes = (r: Candidate): string[] => (r.services ? r.services.split(',') : []);

const newestFirst = (a: Candidate, b: Candidate) => b.createdMs - a.createdMs || b.id - a.id;

const ORDER: Record<SearchFilters['sort'], (name: (id: number) => string) => (a: Candidate, b: Candidate) => number> = {
  relevance: () => (a, b) => a.rank - b.rank || newestFirst(a, b),
  created: () => newestFirst,
  // Byte order, as the database sorts names.
  tenant: (name) => (a, b) => {
    const [x, y] = [name(a.tenantId), name(b.tenantId)];
    return x < y ? -1 : x > y ? 1 : newestFirst(a, b);
  },
};
