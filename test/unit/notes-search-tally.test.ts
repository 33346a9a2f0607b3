import { tally, type Candidate, type TallyFilters } from '../../src/features/notes/notes-search.tally';
import { facetTenants } from '../../src/features/notes/notes-search.repo';
import type { PageRequest } from '../../src/features/notes/notes-search.types';

/** src/features/notes/notes-search.tally.ts: facet counts over the other filters, paging and order (DOMAIN.md §5.12.4). */
const page = (n = 1, size = 20): PageRequest => ({
  page: n,
  pageSize: size,
  windows: {
    week: { from: '2026-11-30', to: '2026-12-06' },
    month: { from: '2026-12-01', to: '2026-12-31' },
    quarter: { from: '2026-10-01', to: '2026-12-31' },
  },
});
const note = (id: number, over: Partial<Candidate> = {}): Candidate => ({
  id,
  category: 'Engagement Management',
  escalated: false,
  legacy: false,
  tenantId: 1,
  authorId: 7,
  nextDate: null,
  createdMs: Date.parse(`2026-11-${String(id).padStart(2, '0')}T10:00:00.000Z`),
  services: '',
  rank: 0,
  ...over,
});
const none: TallyFilters = { type: [], tenantIds: null, service: [], author: 'all', sort: 'created', userId: 7 };

describe('notes search tally', () => {
  const rows = [
    note(1, { category: 'Technical Enablement', services: 'EXO,SPO', tenantId: 2 }),
    note(2, { escalated: true, services: 'EXO', nextDate: '2026-12-02' }),
    note(3, { category: 'Technical Enablement', escalated: true, authorId: 8, nextDate: '2026-12-20' }),
    note(4, { legacy: true, tenantId: 2, services: 'SPO' }),
  ];

  it('without filters: every note counts in every facet, newest first', () => {
    const t = tally(rows, none, page());
    expect(t.total).toBe(4);
    expect(t.pageIds).toEqual([4, 3, 2, 1]);
    expect([...t.type]).toEqual(
      expect.arrayContaining([
        ['Technical Enablement', 2],
        ['Engagement Management', 2],
      ]),
    );
    expect(t.escalated).toEqual({ yes: 2, no: 2 });
    expect(t.legacy).toEqual({ yes: 1, no: 3 });
    expect(Object.fromEntries(t.service)).toEqual({ EXO: 2, SPO: 2 });
    expect(Object.fromEntries(t.tenant)).toEqual({ 1: 2, 2: 2 });
    expect(t.next).toEqual({ week: 1, month: 2, quarter: 2 });
    expect(t.author).toEqual({ all: 4, me: 3 });
  });

  it('a facet counts over the other filters only, so a ticked value keeps its alternatives', () => {
    const t = tally(rows, { ...none, type: ['Technical Enablement'] }, page());
    expect(t.total).toBe(2);
    expect(Object.fromEntries(t.type)).toEqual({ 'Technical Enablement': 2, 'Engagement Management': 2 });
    expect(t.escalated).toEqual({ yes: 1, no: 1 });
  });

  it('a note failing two filters counts in no facet', () => {
    const t = tally([...rows, note(5, { services: 'EXO' })], { ...none, escalated: 'yes', service: ['SPO'] }, page());
    expect(t.total).toBe(0);
    // Notes 1 and 4 fail only "escalated", 2 and 3 only "service"; note 5 fails both and counts nowhere.
    expect(t.escalated).toEqual({ yes: 0, no: 2 });
    expect(Object.fromEntries(t.service)).toEqual({ EXO: 1 });
  });

  it('filters by tenant ids, author, next window and legacy', () => {
    expect(tally(rows, { ...none, tenantIds: [2] }, page()).pageIds).toEqual([4, 1]);
    expect(tally(rows, { ...none, tenantIds: [] }, page()).total).toBe(0);
    expect(tally(rows, { ...none, author: 'me' }, page()).pageIds).toEqual([4, 2, 1]);
    const next = { window: 'week' as const, from: '2026-11-30', to: '2026-12-06' };
    expect(tally(rows, { ...none, next }, page()).pageIds).toEqual([2]);
    expect(tally(rows, { ...none, legacy: 'yes' }, page()).pageIds).toEqual([4]);
  });

  it('orders by relevance (then newest) or by tenant name, and pages', () => {
    const ranked = rows.map((r) => ({ ...r, rank: r.id === 2 ? -9 : -1 }));
    expect(tally(ranked, { ...none, sort: 'relevance' }, page()).pageIds).toEqual([2, 4, 3, 1]);
    const names = new Map([
      [1, 'Zeta'],
      [2, 'Alpha'],
    ]);
    expect(tally(rows, { ...none, sort: 'tenant' }, page(), (id) => names.get(id)!).pageIds).toEqual([4, 1, 3, 2]);
    expect(tally(rows, none, page(2, 3)).pageIds).toEqual([1]);
  });
});

/** The tenant facet reads names only for the tenants it can show (src/features/notes/notes-search.repo.ts). */
describe('facetTenants', () => {
  it('keeps the chosen tenants and every tenant counted at least as often as the 15th, ties included', () => {
    // Tenants 1–20 counted 20, 19, …, 1 times; tenants 21 and 22 tie with the 15th (count 6).
    const counts = new Map<number, number>(Array.from({ length: 20 }, (_, i) => [i + 1, 20 - i]));
    counts.set(21, 6).set(22, 6);
    const ids = facetTenants(counts, [40]);
    expect(ids.sort((a, b) => a - b)).toEqual([...Array.from({ length: 15 }, (_, i) => i + 1), 21, 22, 40]);
    expect(facetTenants(new Map([[7, 1]]), [])).toEqual([7]);
    expect(facetTenants(new Map(), [])).toEqual([]);
  });
});
