import type { Knex } from 'knex';
import type { SessionUser } from './users.repo';

/**
 * The signed-in user's access scope, computed here and nowhere else (SECURITY.md decision 3).
 * The org always comes from the session, never from the request.
 */
export interface AccessScope {
  userId: number;
  kind: SessionUser['kind'];
  orgId: number | null;
  managedOrgIds: number[];
  isPartnerAdmin: boolean;
}

export function accessScope(user: SessionUser): AccessScope {
  return {
    userId: user.id,
    kind: user.kind,
    orgId: user.orgId,
    managedOrgIds: user.managedOrgIds,
    isPartnerAdmin: user.isPartnerAdmin,
  };
}

/**
 * Restricts a query to the tenants the scope may see (DOMAIN.md §1.2):
 * - partner user: tenants they hold any P- assignment on, plus tenants their org holds a P-RM on;
 * - internal user: tenants their managed orgs hold a P-RM on;
 * - admin: every tenant.
 * Applied in SQL by every repo that reads tenant data; a tenant outside the scope is simply not found.
 * `perRow` asks the same per tenant (EXISTS on the tenant's own assignments) instead of building the
 * set of every visible tenant: the form for looking up one or a few tenants.
 */
export function whereTenantVisible(
  qb: Knex.QueryBuilder,
  scope: AccessScope,
  tenantIdColumn = 'tenants.id',
  { perRow = false }: { perRow?: boolean } = {},
): Knex.QueryBuilder {
  if (scope.kind === 'admin') return qb;
  if (scope.kind !== 'internal' && (scope.kind !== 'partner' || scope.orgId === null)) return qb.whereRaw('1 = 0');
  if (perRow)
    return qb.whereExists((sub) =>
      grants(sub.select(1).from('assignments as va').whereRaw('va.tenant_id = ??', [tenantIdColumn]), scope, 'va.'),
    );
  return qb.whereIn(tenantIdColumn, (sub) => grants(sub.select('tenant_id').from('assignments'), scope, ''));
}

/** The assignments through which a (non-admin) scope sees their tenant. */
function grants(a: Knex.QueryBuilder, scope: AccessScope, p: string): Knex.QueryBuilder {
  if (scope.kind === 'internal') return a.where(`${p}type`, 'P-RM').whereIn(`${p}org_id`, scope.managedOrgIds);
  return a.where((w) =>
    w
      .where({ [`${p}assignee_user_id`]: scope.userId, [`${p}is_partner_type`]: true })
      .orWhere({ [`${p}org_id`]: scope.orgId, [`${p}type`]: 'P-RM' }),
  );
}

/**
 * Tenants the user is personally assigned to (any P- type, tenant or service scope): the My tabs.
 * Always a subset of whereTenantVisible for the same scope.
 */
export function whereAssignedToMe(
  qb: Knex.QueryBuilder,
  scope: AccessScope,
  tenantIdColumn = 'tenants.id',
): Knex.QueryBuilder {
  return qb.whereIn(tenantIdColumn, (sub) =>
    sub.select('tenant_id').from('assignments').where({ assignee_user_id: scope.userId, is_partner_type: true }),
  );
}

/**
 * Tenants linked to the user's org through a P-RM held by its queue or any of its users: the Partner
 * List tab (for internal users, the orgs they manage). Always a subset of whereTenantVisible.
 */
export function whereOrgTenant(
  qb: Knex.QueryBuilder,
  scope: AccessScope,
  tenantIdColumn = 'tenants.id',
): Knex.QueryBuilder {
  const orgIds = scope.kind === 'internal' ? scope.managedOrgIds : scope.orgId === null ? [] : [scope.orgId];
  if (scope.kind === 'admin') {
    return qb.whereIn(tenantIdColumn, (sub) =>
      sub.select('tenant_id').from('assignments').where('type', 'P-RM').whereNotNull('org_id'),
    );
  }
  return qb.whereIn(tenantIdColumn, (sub) =>
    sub.select('tenant_id').from('assignments').where('type', 'P-RM').whereIn('org_id', orgIds),
  );
}

/** Access level on one visible tenant: assigned partner users (and admins) edit; everyone else reads (DOMAIN.md §1.2). */
export type AccessLevel = 'edit' | 'read';
