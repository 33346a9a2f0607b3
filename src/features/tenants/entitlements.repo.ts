import type { Db } from '../../db/db';
import { L1_VALUES } from '../../domain/enums';

export interface EntitlementPaneRow {
  code: string;
  name: string;
  group: string;
  totalEntitlements: number;
  override: number | null;
  effectiveTotal: number;
  activeUsers: number;
  auPercent: number | null;
  l1Breakdown: { l1: string; entitlements: number }[];
  engagementScenario: string | null;
  phase: string | null;
  /** The service's primary per partner type; falls back to the tenant-level primary (`fromTenant`). */
  primaries: Record<'P-RM' | 'P-FM' | 'P-FE', { name: string; fromTenant: boolean } | null>;
  forecast: { rfa: string | null; first: string | null; forty: string | null; max: string | null };
  migrationEligible: boolean;
  msPerformingMigration: boolean | null;
}

/**
 * The Tenant Entitlements pane: one row per entitled service of a tenant the caller has already
 * resolved inside the user's scope (tenants.repo findTenant).
 */
export async function entitlementsForTenant(db: Db, tenantId: number): Promise<EntitlementPaneRow[]> {
  const services = await db('tenant_services as ts')
    .join('services as s', 's.code', 'ts.service_code')
    .where('ts.tenant_id', tenantId)
    .orderBy('s.sort_order')
    .select(
      'ts.id',
      's.code',
      's.name',
      's.group',
      's.migration_eligible',
      'ts.total_entitlements',
      'ts.entitlement_override',
      'ts.active_users',
      'ts.engagement_scenario',
      'ts.phase',
      'ts.rfa_submitted_date',
      'ts.target_first_au_date',
      'ts.target_40_au_date',
      'ts.target_max_au_date',
      'ts.ms_performing_migration',
    );
  if (services.length === 0) return [];
  const breakdown = await db('entitlement_status_rows')
    .whereIn(
      'tenant_service_id',
      services.map((s) => s.id),
    )
    .groupBy('tenant_service_id', 'l1')
    .select('tenant_service_id', 'l1', db.raw('sum(entitlements) as n'));
  const primaries = await db('assignment_scopes as sc')
    .join('assignments as a', 'a.id', 'sc.assignment_id')
    .join('users as u', 'u.id', 'a.assignee_user_id')
    .where({ 'sc.tenant_id': tenantId, 'sc.is_primary': true })
    .whereIn('sc.type', ['P-RM', 'P-FM', 'P-FE'])
    .select('sc.scope', 'sc.type', 'u.display_name');

  return services.map((s) => {
    const effective = s.entitlement_override ?? s.total_entitlements;
    const l1Order = (l1: string) => L1_VALUES.indexOf(l1 as (typeof L1_VALUES)[number]);
    const l1Breakdown = breakdown
      .filter((b) => b.tenant_service_id === s.id)
      .map((b) => ({ l1: b.l1 as string, entitlements: Number(b.n) }))
      .sort((a, b) => l1Order(a.l1) - l1Order(b.l1));
    const holder = (type: string) => {
      const own = primaries.find((p) => p.scope === s.code && p.type === type);
      const tenantWide = primaries.find((p) => p.scope === 'TENANT' && p.type === type);
      const found = own ?? tenantWide;
      return found ? { name: found.display_name as string, fromTenant: !own } : null;
    };
    return {
      code: s.code,
      name: s.name,
      group: s.group,
      totalEntitlements: s.total_entitlements,
      override: s.entitlement_override,
      effectiveTotal: effective,
      activeUsers: s.active_users,
      auPercent: effective > 0 ? Math.round((s.active_users / effective) * 1000) / 10 : null,
      l1Breakdown,
      engagementScenario: s.engagement_scenario,
      phase: s.phase,
      primaries: { 'P-RM': holder('P-RM'), 'P-FM': holder('P-FM'), 'P-FE': holder('P-FE') },
      forecast: {
        rfa: s.rfa_submitted_date,
        first: s.target_first_au_date,
        forty: s.target_40_au_date,
        max: s.target_max_au_date,
      },
      migrationEligible: Boolean(s.migration_eligible),
      msPerformingMigration: s.ms_performing_migration === null ? null : Boolean(s.ms_performing_migration),
    };
  });
}
