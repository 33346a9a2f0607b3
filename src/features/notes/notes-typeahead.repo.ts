import type { Db } from '../../db/db';
import { whereTenantVisible, type AccessScope } from '../../auth/scope';
import { likePattern, whereTenantMatches } from '../tenants/tenants.repo';

/**
 * "Search Services and Tenants" (DOMAIN.md §5.12.4): the catalogue services whose name, code or alias
 * contains `term` that at least one tenant in the scope has, in catalogue order. The scope is applied in
 * SQL, so a service only another org's tenants have is never offered.
 */
export async function servicesInScope(
  db: Db,
  scope: AccessScope,
  term: string,
  limit: number,
): Promise<{ code: string; name: string }[]> {
  const pattern = likePattern(term);
  return db('services as s')
    .where((w) =>
      w
        .whereRaw("lower(s.name) LIKE ? ESCAPE '\\'", [pattern])
        .orWhereRaw("lower(s.code) LIKE ? ESCAPE '\\'", [pattern])
        .orWhereRaw("lower(s.aliases) LIKE ? ESCAPE '\\'", [pattern]),
    )
    .whereExists((sub) => {
      sub.select(db.raw('1')).from('tenant_services as ts').whereRaw('ts.service_code = s.code');
      whereTenantVisible(sub, scope, 'ts.tenant_id');
    })
    .orderBy('s.sort_order')
    .limit(limit)
    .select('s.code', 's.name');
}

/** The tenants in the scope whose name or Tenant ID contains `term`, by name. */
export async function tenantsInScope(
  db: Db,
  scope: AccessScope,
  term: string,
  limit: number,
): Promise<{ guid: string; name: string }[]> {
  const q = db('tenants as t')
    .orderBy('t.tenant_name')
    .limit(limit)
    .select('t.tenant_guid as guid', 't.tenant_name as name');
  whereTenantVisible(q, scope, 't.id');
  return whereTenantMatches(q, term);
}
