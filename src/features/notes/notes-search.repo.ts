import type { Knex } from 'knex';
import type { Db } from '../../db/db';
import { whereTenantVisible, type AccessScope } from '../../auth/scope';
import {
  MARK_END,
  MARK_START,
  type FacetCount,
  type NotesSearchIndex,
  type PageRequest,
  type SearchHit,
} from './notes-search.types';

type Facet = 'type' | 'escalated' | 'tenant' | 'service' | 'next' | 'author' | 'legacy';

/**
 * An FTS5 MATCH expression from what the user typed: every word a quoted prefix term (so no FTS5
 * syntax from the user is ever interpreted), all words required. The index stems words (Porter), and
 * FTS5 stems the query term the same way, so 'migrating' and 'migrat' both reach 'migration'.
 */
export function matchExpression(q: string): string | null {
  const words = q.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.length
    ? words
        .slice(0, 12)
        .map((w) => `"${w}"*`)
        .join(' ')
    : null;
}

/** Relevance: body counts most, then next action; tenant and service names help but do not dominate. */
const RANK = 'bm25(notes_fts, 4.0, 2.0, 1.0, 1.0)';

/** SQLite FTS5 implementation of the notes search index. */
export function fts5NotesSearch(db: Db): NotesSearchIndex {
  return {
    async search(scope, f, page) {
      const match = matchExpression(f.q);
      // One filtered query per use; `except` leaves out one facet's own filter so its counts show the
      // alternatives (ticking a second note type widens the result instead of emptying the pane).
      const base = (except?: Facet): Knex.QueryBuilder => {
        const qb = db('notes as n').join('tenants as t', 't.id', 'n.tenant_id');
        if (match) qb.join('notes_fts', 'notes_fts.rowid', 'n.id').whereRaw('notes_fts MATCH ?', [match]);
        whereTenantVisible(qb, scope, 'n.tenant_id');
        if (except !== 'type' && f.type.length) qb.whereIn('n.category', f.type);
        if (except !== 'escalated' && f.escalated) qb.where('n.is_escalated', f.escalated === 'yes');
        if (except !== 'legacy' && f.legacy) qb.where('n.is_legacy', f.legacy === 'yes');
        if (except !== 'tenant' && f.tenant.length) qb.whereIn('t.tenant_guid', f.tenant);
        if (except !== 'author' && f.author === 'me') qb.where('n.author_user_id', scope.userId);
        if (except !== 'next' && f.next) qb.whereBetween('n.next_action_date', [f.next.from, f.next.to]);
        if (except !== 'service' && f.service.length)
          qb.whereIn('n.id', (s) => s.select('note_id').from('note_services').whereIn('service_code', f.service));
        return qb;
      };

      const hitsQuery = base()
        .leftJoin('users as u', 'u.id', 'n.author_user_id')
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
          match
            ? db.raw(`snippet(notes_fts, 0, ?, ?, '…', 40) AS snippet`, [MARK_START, MARK_END])
            : db.raw('substr(n.body_text, 1, 300) AS snippet'),
        )
        .limit(page.pageSize)
        .offset((page.page - 1) * page.pageSize);
      if (f.sort === 'tenant') hitsQuery.orderBy('t.tenant_name').orderBy('n.created_at', 'desc');
      else if (f.sort === 'relevance' && match) hitsQuery.orderByRaw(RANK).orderBy('n.created_at', 'desc');
      else hitsQuery.orderBy('n.created_at', 'desc').orderBy('n.id', 'desc');

      const [rows, [{ total }]] = await Promise.all([hitsQuery, base().count({ total: '*' })]);
      return {
        hits: await withServices(db, rows.map(hit)),
        total: Number(total),
        facets: {
          type: await grouped(base('type'), 'n.category'),
          escalated: yesNo(await grouped(base('escalated'), 'n.is_escalated')),
          legacy: yesNo(await grouped(base('legacy'), 'n.is_legacy')),
          tenant: (
            await base('tenant')
              .groupBy('t.id')
              .select('t.tenant_guid as value', 't.tenant_name as label')
              .count({ count: '*' })
              .modify(chosenFirst, 't.tenant_guid', f.tenant)
              .orderBy('count', 'desc')
              .orderBy('t.tenant_name')
              .limit(FACET_LIMIT)
          ).map(counted),
          service: (
            await base('service')
              .join('note_services as ns', 'ns.note_id', 'n.id')
              .join('services as s', 's.code', 'ns.service_code')
              .groupBy('s.code')
              .select('s.code as value', 's.name as label')
              .count({ count: '*' })
              .modify(chosenFirst, 's.code', f.service)
              .orderBy('count', 'desc')
              .orderBy('s.name')
              .limit(FACET_LIMIT)
          ).map(counted),
          next: await nextCounts(db, base('next'), page),
          author: await authorCounts(db, base('author'), scope),
        },
      };
    },
  };
}

/** Facets list their most frequent values; a value chosen elsewhere still shows as a chip. */
const FACET_LIMIT = 15;

/** Values the user ticked come first, so they stay in the pane (and can be unticked) past the limit. */
function chosenFirst(qb: Knex.QueryBuilder, column: string, chosen: string[]): void {
  if (chosen.length)
    qb.orderByRaw(`CASE WHEN ?? IN (${chosen.map(() => '?').join(', ')}) THEN 0 ELSE 1 END`, [column, ...chosen]);
}

async function grouped(qb: Knex.QueryBuilder, column: string): Promise<FacetCount[]> {
  const rows = await qb.groupBy(column).select(`${column} as value`).count({ count: '*' }).orderBy('count', 'desc');
  return rows.map((r: Record<string, unknown>) => ({
    value: String(r.value),
    label: String(r.value),
    count: Number(r.count),
  }));
}

function yesNo(rows: FacetCount[]): FacetCount[] {
  const of = (v: string) => rows.find((r) => r.value === v)?.count ?? 0;
  return [
    { value: 'yes', label: 'Yes', count: of('1') },
    { value: 'no', label: 'No', count: of('0') },
  ];
}

async function nextCounts(db: Db, qb: Knex.QueryBuilder, page: PageRequest): Promise<FacetCount[]> {
  const labels = { week: 'This Week', month: 'This Month', quarter: 'This Quarter' } as const;
  const keys = Object.keys(labels) as (keyof typeof labels)[];
  const sums = keys.map((k) =>
    db.raw(`coalesce(sum(CASE WHEN n.next_action_date BETWEEN ? AND ? THEN 1 ELSE 0 END), 0) AS ??`, [
      page.windows[k].from,
      page.windows[k].to,
      k,
    ]),
  );
  const [row] = await qb.select(sums);
  return keys.map((k) => ({ value: k, label: labels[k], count: Number(row?.[k] ?? 0) }));
}

async function authorCounts(db: Db, qb: Knex.QueryBuilder, scope: AccessScope): Promise<FacetCount[]> {
  const [row] = await qb.select(
    db.raw('count(*) AS all_notes'),
    db.raw('coalesce(sum(CASE WHEN n.author_user_id = ? THEN 1 ELSE 0 END), 0) AS mine', [scope.userId]),
  );
  return [
    { value: 'all', label: 'All Notes', count: Number(row?.all_notes ?? 0) },
    { value: 'me', label: 'My Notes', count: Number(row?.mine ?? 0) },
  ];
}

const counted = (r: Record<string, unknown>): FacetCount => ({
  value: String(r.value),
  label: String(r.label),
  count: Number(r.count),
});

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
