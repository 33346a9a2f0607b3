import type { Knex } from 'knex';
import type { SessionUser } from './users.repo';
import { marks } from '../db/sql';

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
 * tenantVisibleSql asks the same per tenant, for looking up one tenant.
 */
export function whereTenantVisible(
  qb: Knex.QueryBuilder,
  scope: AccessScope,
  tenantIdColumn = 'tenants.id',
): Knex.QueryBuilder {
  const visible = tenantInScopeSql(scope, tenantIdColumn);
  return visible ? qb.whereRaw(visible.sql, visible.params) : qb;
}

/**
 * whereTenantVisible as SQL text, for reads written as prepared statements (the notes lists): the
 * tenant id column in the set of tenants the scope's assignments reach; null for an admin (no condition).
 */
export function tenantInScopeSql(scope: AccessScope, tenantIdColumn: string): SqlCondition | null {
  if (scope.kind === 'admin') return null;
  const grant = grantSql(scope, '');
  if (!grant) return { sql: '1 = 0', params: [] };
  return { sql: `${tenantIdColumn} IN (SELECT tenant_id FROM assignments WHERE ${grant.sql})`, params: grant.params };
}

export interface SqlCondition {
  /** Portable SQL with `?` parameters. */
  sql: string;
  params: Knex.Value[];
}

/**
 * whereTenantVisible per tenant, as SQL text for the prepared statement of the hottest lookup
 * (findTenant): an EXISTS on the tenant's own assignments; null for an admin (no condition).
 */
export function tenantVisibleSql(scope: AccessScope, tenantIdColumn: string): SqlCondition | null {
  if (scope.kind === 'admin') return null;
  const grant = grantSql(scope, 'va.');
  if (!grant) return { sql: '1 = 0', params: [] };
  return {
    sql: `EXISTS (SELECT 1 FROM assignments va WHERE va.tenant_id = ${tenantIdColumn} AND ${grant.sql})`,
    params: grant.params,
  };
}

/**
 * The assignments (columns prefixed `p`) through which a non-admin scope sees their tenant; null when it
 * sees none (a partner user without an org, a kind with no grants).
 */
function grantSql(scope: AccessScope, p: string): SqlCondition | null {
  if (scope.kind === 'internal') {
    const ids = scope.managedOrgIds;
    if (!ids.length) return null;
    return { sql: `${p}type = ? AND ${p}org_id IN (${marks(ids)})`, params: ['P-RM', ...ids] };
  }
  if (scope.kind !== 'partner' || scope.orgId === null) return null;
  return {
    sql: `(${p}assignee_user_id = ? AND ${p}is_partner_type = ? OR ${p}org_id = ? AND ${p}type = ?)`,
    params: [scope.userId, true, scope.orgId, 'P-RM'],
  };
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
  const mine = assignedToMeSql(scope, tenantIdColumn);
  return qb.whereRaw(mine.sql, mine.params);
}

/** whereAssignedToMe as SQL text, for reads written as prepared statements. */
export function assignedToMeSql(scope: AccessScope, tenantIdColumn: string): SqlCondition {
  return {
    sql: `${tenantIdColumn} IN (SELECT tenant_id FROM assignments WHERE assignee_user_id = ? AND is_partner_type = ?)`,
    params: [scope.userId, true],
  };
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
