import type { AccessScope } from '../../auth/scope';

/**
 * The notes search index behind one small interface (STYLE.md › Data: SQLite-only features sit behind
 * one module each). notes-search.repo.ts implements it with SQLite FTS5; a PostgreSQL backend implements
 * the same interface (tsvector + GIN) and nothing above it changes.
 */
export interface NotesSearchIndex {
  /** Notes on tenants the scope can view that match the query, one page, with facet counts over the same scope. */
  search(scope: AccessScope, query: SearchFilters, page: PageRequest): Promise<SearchPage>;
}

export type NextWindow = 'week' | 'month' | 'quarter';

export interface SearchFilters {
  /** Words as typed; each word also matches as a stem and as a prefix ('migrat' finds 'migrating'). */
  q: string;
  type: string[];
  escalated?: 'yes' | 'no';
  /** Tenant IDs (GUIDs). */
  tenant: string[];
  /** Service codes. */
  service: string[];
  /** Next action date inside this week, month or quarter (inclusive ISO dates, computed by the caller). */
  next?: { window: NextWindow; from: string; to: string };
  author: 'all' | 'me';
  legacy?: 'yes' | 'no';
  sort: 'relevance' | 'created' | 'tenant';
}

export interface PageRequest {
  page: number;
  pageSize: number;
  /** The three Next Update windows, for their counts. */
  windows: Record<NextWindow, { from: string; to: string }>;
}

export interface SearchHit {
  id: number;
  category: string;
  tenantGuid: string;
  tenantName: string;
  createdAt: string;
  isEscalated: boolean;
  isLegacy: boolean;
  author: string | null;
  nextAction: string | null;
  nextActionDate: string | null;
  /** Plain text with matches wrapped in U+0002 … U+0003 (escaped and marked up by the view layer). */
  snippet: string;
  services: { code: string; name: string }[];
}

export interface FacetCount {
  value: string;
  label: string;
  count: number;
}

export interface SearchFacets {
  type: FacetCount[];
  escalated: FacetCount[];
  tenant: FacetCount[];
  service: FacetCount[];
  next: FacetCount[];
  author: FacetCount[];
  legacy: FacetCount[];
}

export interface SearchPage {
  hits: SearchHit[];
  total: number;
  facets: SearchFacets;
}

export const MARK_START = '\u0002';
export const MARK_END = '\u0003';
