import type { Db } from '../../db/db';
import { whereTenantVisible, type AccessScope } from '../../auth/scope';
import type { FacetCount, NotesSearchIndex, SearchHit } from './notes-search.types';
import { tally } from './notes-search.tally';
import { NoteFacts, type NoteFact } from './note-facts';
import { keptTenantIds } from '../tenants/list-sets';

/**
 * What differs between databases in notes search: how the words match (SQLite FTS5 in
 * notes-search.fts5.ts, PostgreSQL tsvector in notes-search.pg.ts). Facets, paging and hits are shared.
 */
export interface SearchBackend {
  /**
   * Ids of the notes in scope that match `q` (which has words: queryWords(q) is not empty) and, when
   * `ranked`, their relevance in the same order (lower is better).
   */
  matching(scope: AccessScope, q: string, ranked: boolean): Promise<{ ids: number[]; ranks: number[] | null }>;
  /** The page's snippets with the matches marked (MARK_START … MARK_END), by note id; none without words. */
  snippets(ids: number[], q: string): Promise<Map<number, string>>;
}

/**
 * The notes search index on `backend`: one query for the matching ids, their facet columns from
 * memory (note-facts.ts), facets counted in notes-search.tally.ts.
 */
export function notesSearchOn(db: Db, backend: SearchBackend): NotesSearchIndex {
  const facts = new NoteFacts((ids) => factsOf(db, ids));
  return {
    async search(scope, f, page) {
      const hasWords = queryWords(f.q).length > 0;
      const ranked = f.sort === 'relevance' && hasWords;
      // Without words, every note in scope: the same query on either database.
      const matching = hasWords
        ? await backend.matching(scope, f.q, ranked)
        : { ids: await scopeNoteIds(db, scope), ranks: null };
      const visible = await visibleTenants(db, scope);
      const rows = (await facts.candidates(matching.ids, matching.ranks)).filter(
        (r) => visible === null || visible.has(r.tenantId),
      );
      const tenantIds = f.tenant.length ? await tenantIdsOf(db, f.tenant) : null;
      // Tenant names sort the notes only for sort=tenant; otherwise they label the tenant facet's top rows.
      const sortNames = f.sort === 'tenant' ? await tenantNames(db, [...new Set(rows.map((r) => r.tenantId))]) : null;
      const t = tally(rows, { ...f, tenantIds, userId: scope.userId }, page, (id) => sortNames?.get(id)?.name ?? '');
      const names = sortNames ?? (await tenantNames(db, facetTenants(t.tenant, tenantIds ?? [])));
      const serviceNames = await serviceNamesOf(db);
      const chosenTenants = new Set(f.tenant);
      return {
        hits: await hitsOf(db, t.pageIds, await backend.snippets(t.pageIds, f.q)),
        total: t.total,
        facets: {
          type: [...t.type].map(([value, count]) => ({ value, label: value, count })).sort(byCount),
          escalated: yesNo(t.escalated),
          legacy: yesNo(t.legacy),
          tenant: top(
            [...t.tenant]
              .filter(([id]) => names.has(id))
              .map(([id, count]) => ({ value: names.get(id)!.guid, label: names.get(id)!.name, count })),
            chosenTenants,
          ),
          service: top(
            [...t.service].map(([code, count]) => ({ value: code, label: serviceNames.get(code) ?? code, count })),
            new Set(f.service),
          ),
          next: (['week', 'month', 'quarter'] as const).map((k) => ({
            value: k,
            label: NEXT_LABELS[k],
            count: t.next[k],
          })),
          author: [
            { value: 'all', label: 'All Notes', count: t.author.all },
            { value: 'me', label: 'My Notes', count: t.author.me },
          ],
        },
      };
    },
  };
}

/** The words of a query, as both backends read it: letters and digits only (no query syntax), at most 12. */
export function queryWords(q: string): string[] {
  return (q.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 12);
}

/** Reading facts in slices keeps each statement under both databases' limits on bound values. */
const FACTS_SLICE = 5000;

/** The facet columns of the notes `ids`, their service codes in one comma-separated string. */
async function factsOf(db: Db, ids: number[]): Promise<NoteFact[]> {
  const out: NoteFact[] = [];
  for (let i = 0; i < ids.length; i += FACTS_SLICE) {
    const slice = ids.slice(i, i + FACTS_SLICE);
    const rows = (await db('notes')
      .whereIn('id', slice)
      .select(
        'id',
        'category',
        'is_escalated',
        'is_legacy',
        'tenant_id',
        'author_user_id',
        'next_action_date',
        'created_at',
      )) as Record<string, unknown>[];
    const codes = new Map<number, string[]>();
    const links = (await db('note_services')
      .whereIn('note_id', slice)
      .orderBy(['note_id', 'service_code'])
      .select('note_id', 'service_code')) as { note_id: number; service_code: string }[];
    for (const l of links) {
      const id = Number(l.note_id);
      codes.set(id, [...(codes.get(id) ?? []), l.service_code]);
    }
    for (const r of rows)
      out.push({
        id: Number(r.id),
        category: String(r.category),
        escalated: Boolean(r.is_escalated),
        legacy: Boolean(r.is_legacy),
        tenantId: Number(r.tenant_id),
        authorId: r.author_user_id === null ? null : Number(r.author_user_id),
        nextDate: (r.next_action_date as string | null) ?? null,
        createdAt: String(r.created_at),
        services: (codes.get(Number(r.id)) ?? []).join(','),
      });
  }
  return out;
}

/**
 * The tenants the facet can show: the chosen ones and those counted at least as often as the
 * FACET_LIMIT-th most frequent (ties at that count are ordered by name, so all of them are read).
 */
export function facetTenants(counts: Map<number, number>, chosen: number[]): number[] {
  const sorted = [...counts.values()].sort((a, b) => b - a);
  const least = sorted[Math.min(FACET_LIMIT, sorted.length) - 1] ?? 0;
  return [...new Set([...chosen, ...[...counts].filter(([, n]) => n >= least).map(([id]) => id)])];
}

/** Every note on the tenants the scope may see. */
async function scopeNoteIds(db: Db, scope: AccessScope): Promise<number[]> {
  const rows = (await whereTenantVisible(db('notes').select('id'), scope, 'notes.tenant_id')) as { id: number }[];
  return rows.map((r) => Number(r.id));
}

/**
 * The tenants the scope may see (null: every tenant), by the one visibility rule. A backend may narrow
 * its matches by other means (the FTS5 index's scope words); this decides what is shown and counted.
 */
async function visibleTenants(db: Db, scope: AccessScope): Promise<Set<number> | null> {
  if (scope.kind === 'admin') return null;
  const key = JSON.stringify([scope.kind, scope.userId, scope.orgId, [...scope.managedOrgIds].sort((a, b) => a - b)]);
  return keptTenantIds(db, key, async () => {
    const rows = (await whereTenantVisible(db('tenants').select('id'), scope, 'tenants.id')) as { id: number }[];
    return new Set(rows.map((r) => Number(r.id)));
  });
}

/** Ids of the chosen Tenant IDs (any tenant: the candidates are already in scope). */
async function tenantIdsOf(db: Db, guids: string[]): Promise<number[]> {
  const rows = await db('tenants').whereIn('tenant_guid', guids).select('id');
  return rows.map((r: { id: number }) => Number(r.id));
}

/** Tenant ID and name of the tenants among the candidates (one query). */
async function tenantNames(db: Db, ids: number[]): Promise<Map<number, { guid: string; name: string }>> {
  if (!ids.length) return new Map();
  const rows = (await db('tenants').whereIn('id', ids).select('id', 'tenant_guid', 'tenant_name')) as {
    id: number;
    tenant_guid: string;
    tenant_name: string;
  }[];
  return new Map(rows.map((r) => [Number(r.id), { guid: r.tenant_guid, name: r.tenant_name }]));
}

async function serviceNamesOf(db: Db): Promise<Map<string, string>> {
  const rows = (await db('services').select('code', 'name')) as { code: string; name: string }[];
  return new Map(rows.map((r) => [r.code, r.name]));
}

/** The page's notes with tenant, author, snippet and services, in the order of `ids`. */
async function hitsOf(db: Db, ids: number[], snippets: Map<number, string>): Promise<SearchHit[]> {
  if (!ids.length) return [];
  const rows = (await db('notes as n')
    .join('tenants as t', 't.id', 'n.tenant_id')
    .leftJoin('users as u', 'u.id', 'n.author_user_id')
    .whereIn('n.id', ids)
    .select(
      'n.id',
      'n.category',
      'n.created_at',
      'n.is_escalated',
      'n.is_legacy',
      'n.next_action',
      'n.next_action_date',
      't.tenant_guid',
      't.tenant_name',
      'u.display_name as author',
      db.raw('substr(n.body_text, 1, 300) AS snippet'),
    )) as Record<string, unknown>[];
  for (const r of rows) r.snippet = snippets.get(Number(r.id)) ?? r.snippet;
  const byId = new Map(rows.map((r) => [Number(r.id), hit(r)]));
  return withServices(
    db,
    ids.map((id) => byId.get(id)!),
  );
}

/** Facets list their most frequent values; a value chosen elsewhere still shows as a chip. */
const FACET_LIMIT = 15;

const NEXT_LABELS = { week: 'This Week', month: 'This Month', quarter: 'This Quarter' } as const;

const byCount = (a: FacetCount, b: FacetCount) =>
  b.count - a.count || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);

/** The most frequent values, the ones the user ticked first (so they stay in the pane and can be unticked). */
function top(list: FacetCount[], chosen: Set<string>): FacetCount[] {
  return list
    .sort((a, b) => Number(chosen.has(b.value)) - Number(chosen.has(a.value)) || byCount(a, b))
    .slice(0, FACET_LIMIT);
}

function yesNo(c: { yes: number; no: number }): FacetCount[] {
  return [
    { value: 'yes', label: 'Yes', count: c.yes },
    { value: 'no', label: 'No', count: c.no },
  ];
}

function hit(r: Record<string, unknown>): SearchHit {
  return {
    id: Number(r.id),
    category: String(r.category),
    tenantGuid: String(r.tenant_guid),
    tenantName: String(r.tenant_name),
    createdAt: String(r.created_at),
    isEscalated: Boolean(r.is_escalated),
    isLegacy: Boolean(r.is_legacy),
    author: (r.author as string | null) ?? null,
    nextAction: (r.next_action as string | null) ?? null,
    nextActionDate: (r.next_action_date as string | null) ?? null,
    snippet: String(r.snippet ?? ''),
    services: [],
  };
}

async function withServices(db: Db, hits: SearchHit[]): Promise<SearchHit[]> {
  if (!hits.length) return hits;
  const rows = await db('note_services as ns')
    .join('services as s', 's.code', 'ns.service_code')
    .whereIn(
      'ns.note_id',
      hits.map((h) => h.id),
    )
    .orderBy('s.sort_order')
    .select('ns.note_id', 's.code', 's.name');
  return hits.map((h) => ({
    ...h,
    services: rows.filter((r) => r.note_id === h.id).map((r) => ({ code: r.code, name: r.name })),
  }));
}
