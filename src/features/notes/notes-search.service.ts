import Joi from 'joi';
import type { AccessScope } from '../../auth/scope';
import { NOTE_CATEGORIES } from '../../domain/enums';
import { BadRequest } from '../../http/errors';
import { escapeHtml } from '../../http/one-byte';
import {
  MARK_END,
  MARK_START,
  type NextWindow,
  type NotesSearchIndex,
  type SearchFacets,
  type SearchHit,
} from './notes-search.types';

/** GET /notes/search query (docs/routes.md). */
export interface SearchQuery {
  q: string;
  type: string[];
  escalated?: 'yes' | 'no';
  tenant: string[];
  service: string[];
  next?: NextWindow;
  author: 'all' | 'me';
  legacy?: 'yes' | 'no';
  sort: 'relevance' | 'created' | 'tenant';
  page: number;
}

const many = (item: Joi.Schema) => Joi.array().items(item).single().default([]);
const schema = Joi.object<SearchQuery>({
  q: Joi.string().allow('').trim().max(200).default(''),
  type: many(Joi.string().valid(...NOTE_CATEGORIES)),
  escalated: Joi.string().valid('yes', 'no').empty(''),
  tenant: many(Joi.string().guid().lowercase()),
  service: many(Joi.string().pattern(/^[A-Z0-9]{1,20}$/)),
  next: Joi.string().valid('week', 'month', 'quarter').empty(''),
  author: Joi.string().valid('all', 'me').empty('').default('all'),
  legacy: Joi.string().valid('yes', 'no').empty(''),
  sort: Joi.string().valid('relevance', 'created', 'tenant').empty('').default('relevance'),
  page: Joi.number().integer().min(1).max(10_000).empty('').default(1),
}).options({ stripUnknown: true });

export function parseSearchQuery(raw: Record<string, unknown>): SearchQuery {
  const { value, error } = schema.validate(raw);
  if (error) throw new BadRequest(`Invalid search: ${error.details[0].message.replace(/"/g, '')}`);
  return value;
}

export const PAGE_SIZE = 20;

/** The calendar week (Monday to Sunday), month and quarter around today, as inclusive ISO dates (UTC). */
export function nextWindows(now: Date): Record<NextWindow, { from: string; to: string }> {
  const day = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d)).toISOString().slice(0, 10);
  const [y, m, d] = [now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()];
  const monday = d - ((now.getUTCDay() + 6) % 7);
  const q = Math.floor(m / 3) * 3;
  return {
    week: { from: day(y, m, monday), to: day(y, m, monday + 6) },
    month: { from: day(y, m, 1), to: day(y, m + 1, 0) },
    quarter: { from: day(y, q, 1), to: day(y, q + 3, 0) },
  };
}

export interface Chip {
  label: string;
  href: string;
}

export interface SearchView {
  query: SearchQuery;
  hits: (SearchHit & { snippetHtml: string })[];
  total: number;
  pageCount: number;
  facets: SearchFacets;
  chips: Chip[];
  href: (change: Partial<Record<keyof SearchQuery, unknown>>) => string;
}

/**
 * Full-text search over every note on every tenant the user can view (DOMAIN.md §5.12.4). Scope is
 * applied by the index in SQL, so a note outside it is neither a result nor a facet count.
 */
export async function searchNotes(
  index: NotesSearchIndex,
  scope: AccessScope,
  query: SearchQuery,
  now: Date = new Date(),
): Promise<SearchView> {
  const windows = nextWindows(now);
  const { next, page, ...rest } = query;
  const result = await index.search(
    scope,
    { ...rest, next: next ? { window: next, ...windows[next] } : undefined },
    { page, pageSize: PAGE_SIZE, windows },
  );
  const href = (change: Partial<Record<keyof SearchQuery, unknown>>) => searchHref({ ...query, page: 1, ...change });
  return {
    query,
    hits: result.hits.map((h) => ({ ...h, snippetHtml: highlighted(h.snippet) })),
    total: result.total,
    pageCount: Math.max(1, Math.ceil(result.total / PAGE_SIZE)),
    facets: result.facets,
    chips: chipsOf(query, result.facets, href),
    href,
  };
}

function chipsOf(query: SearchQuery, facets: SearchFacets, href: SearchView['href']): Chip[] {
  const label = (list: { value: string; label: string }[], v: string) => list.find((f) => f.value === v)?.label ?? v;
  const chips: Chip[] = [];
  for (const t of query.type) chips.push({ label: t, href: href({ type: query.type.filter((x) => x !== t) }) });
  if (query.escalated) chips.push({ label: `Escalated: ${query.escalated}`, href: href({ escalated: undefined }) });
  for (const t of query.tenant)
    chips.push({ label: label(facets.tenant, t), href: href({ tenant: query.tenant.filter((x) => x !== t) }) });
  for (const s of query.service)
    chips.push({ label: label(facets.service, s), href: href({ service: query.service.filter((x) => x !== s) }) });
  if (query.next)
    chips.push({ label: `Next update: ${label(facets.next, query.next)}`, href: href({ next: undefined }) });
  if (query.author === 'me') chips.push({ label: 'My Notes', href: href({ author: 'all' }) });
  if (query.legacy) chips.push({ label: `Legacy: ${query.legacy}`, href: href({ legacy: undefined }) });
  return chips;
}

/** /notes/search with the query's non-default values, in a stable order. */
export function searchHref(query: Partial<Record<keyof SearchQuery, unknown>>): string {
  const p = new URLSearchParams();
  const put = (k: string, v: unknown) => {
    if (Array.isArray(v)) for (const x of v) p.append(k, String(x));
    else if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  };
  put('q', query.q);
  for (const k of ['type', 'escalated', 'tenant', 'service', 'next', 'legacy'] as const) put(k, query[k]);
  if (query.author === 'me') put('author', 'me');
  if (query.sort && query.sort !== 'relevance') put('sort', query.sort);
  if (query.page && query.page !== 1) put('page', query.page);
  const s = p.toString();
  return s ? `/notes/search?${s}` : '/notes/search';
}

/** The snippet escaped, then its match markers turned into <mark> (the only markup it can carry). */
export function highlighted(snippet: string): string {
  return escapeHtml(snippet).split(MARK_START).join('<mark>').split(MARK_END).join('</mark>');
}
