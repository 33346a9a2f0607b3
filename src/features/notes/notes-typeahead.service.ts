import { accessScope } from '../../auth/scope';
import type { SessionUser } from '../../auth/users.repo';
import type { Db } from '../../db/db';
import { queryHref } from '../../http/view-helpers';
import { editableTenants } from './notes-editor.repo';
import { parseSearchQuery, searchHref, type SearchQuery } from './notes-search.service';
import { servicesInScope, tenantsInScope } from './notes-typeahead.repo';

/** At most this many tenants in the editor's picker; the search type-ahead offers as many services and tenants each. */
export const TENANT_MATCHES = 20;
const SEARCH_MATCHES = 10;

/** A type-ahead term as typed: trimmed, at most 200 characters; a repeated parameter counts as none. */
export function termOf(raw: unknown): string {
  return typeof raw === 'string' ? raw.trim().slice(0, 200) : '';
}

export interface TenantPicker {
  term: string;
  matches: { guid: string; name: string; href: string }[];
  /** More tenants match than are listed. */
  more: boolean;
}

/**
 * The Notes Editor's tenant picker (DOMAIN.md §5.12.1, "a picker of the tenants the user can edit"): the
 * first 20 tenants the user can write notes on whose name or Tenant ID contains `term`, each linking to
 * the editor for it with the category kept. Another org's tenant never matches (scoped in SQL).
 */
export async function tenantPicker(db: Db, user: SessionUser, term: string, category: string): Promise<TenantPicker> {
  const rows = await editableTenants(db, accessScope(user), term, TENANT_MATCHES + 1);
  return {
    term,
    matches: rows
      .slice(0, TENANT_MATCHES)
      .map((r) => ({ ...r, href: queryHref('/notes/new', { tenant: r.guid, category }) })),
    more: rows.length > TENANT_MATCHES,
  };
}

export interface SearchChoice {
  /** The search parameter the choice adds, and its value (a service code or a Tenant ID). */
  name: 'service' | 'tenant';
  value: string;
  label: string;
  /** The current search with this filter added. */
  href: string;
}

/**
 * "Search Services and Tenants" (DOMAIN.md §5.12.4): typing "exchange" offers "Exchange - Service" and
 * "Exchange: Outlook Mobile - Service", then the matching tenants. Services come from tenants in the
 * user's scope, tenants from the scope; a value the search already filters on is not offered again.
 * `raw` is the current search's query plus `find`; an invalid search is BadRequest (400) as on /notes/search.
 */
export async function searchChoices(
  db: Db,
  user: SessionUser,
  raw: Record<string, unknown>,
): Promise<{ term: string; query: SearchQuery; options: SearchChoice[]; back: string }> {
  const query = parseSearchQuery(raw);
  const term = termOf(raw.find);
  const href = (change: Partial<SearchQuery>) => searchHref({ ...query, page: 1, ...change });
  const back = searchHref(query);
  if (!term) return { term, query, options: [], back };
  const scope = accessScope(user);
  const [services, tenants] = await Promise.all([
    servicesInScope(db, scope, term, SEARCH_MATCHES),
    tenantsInScope(db, scope, term, SEARCH_MATCHES),
  ]);
  const options: SearchChoice[] = [
    ...services
      .filter((s) => !query.service.includes(s.code))
      .map((s) => ({
        name: 'service' as const,
        value: s.code,
        label: `${s.name} - Service`,
        href: href({ service: [...query.service, s.code] }),
      })),
    ...tenants
      .filter((t) => !query.tenant.includes(t.guid))
      .map((t) => ({
        name: 'tenant' as const,
        value: t.guid,
        label: `${t.name} - Tenant`,
        href: href({ tenant: [...query.tenant, t.guid] }),
      })),
  ];
  return { term, query, options, back };
}
