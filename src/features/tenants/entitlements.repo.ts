import type { Db } from '../../db/db';
import { marks, readRows } from '../../db/sql';
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

interface ServiceRow {
  id: number;
  code: string;
  name: string;
  group: string;
  migration_eligible: number | boolean;
  total_entitlements: number;
  entitlement_override: number | null;
  active_users: number;
  engagement_scenario: string | null;
  phase: string | null;
  rfa_submitted_date: string | null;
  target_first_au_date: string | null;
  target_40_au_date: string | null;
  target_max_au_date: string | null;
  ms_performing_migration: number | boolean | null;
}

/**
 * The Tenant Entitlements pane: one row per entitled service of a tenant the caller has already
 * resolved inside the user's scope (tenants.repo findTenant). The Edit Tenant dialog and the Services
 * tab show it: prepared statements, not knex's builder (docs/decisions.md 141).
 */
export async function entitlementsForTenant(db: Db, tenantId: number): Promise<EntitlementPaneRow[]> {
  const services = await readRows<ServiceRow>(
    db,
    `SELECT ts.id, s.code, s.name, s."group", s.migration_eligible, ts.total_entitlements, ts.entitlement_override,
            ts.active_users, ts.engagement_scenario, ts.phase, ts.rfa_submitted_date, ts.target_first_au_date,
            ts.target_40_au_date, ts.target_max_au_date, ts.ms_performing_migration
       FROM tenant_services ts JOIN services s ON s.code = ts.service_code
      WHERE ts.tenant_id = ? ORDER BY s.sort_order`,
    [tenantId],
  );
  if (services.length === 0) return [];
  const ids = services.map((s) => s.id);
  const breakdown = await readRows<{ tenant_service_id: number; l1: string; n: number | string }>(
    db,
    `SELECT tenant_service_id, l1, sum(entitlements) AS n FROM entitlement_status_rows
      WHERE tenant_service_id IN (${marks(ids)}) GROUP BY tenant_service_id, l1`,
    ids,
  );
  const primaries = await readRows<{ scope: string; type: string; display_name: string }>(
    db,
    `SELECT sc.scope, sc.type, u.display_name
       FROM assignment_scopes sc JOIN assignments a ON a.id = sc.assignment_id JOIN users u ON u.id = a.assignee_user_id
      WHERE sc.tenant_id = ? AND sc.is_primary = ? AND sc.type IN (?, ?, ?)`,
    [tenantId, true, 'P-RM', 'P-FM', 'P-FE'],
  );

  return services.map((s) => {
    const effective = s.entitlement_override ?? s.total_entitlements;
    const l1Order = (l1: string) => L1_VALUES.indexOf(l1 as (typeof L1_VALUES)[number]);
    const l1Breakdown = breakdown
      .filter((b) => b.tenant_service_id === s.id)
      .map((b) => ({ l1: b.l1, entitlements: Number(b.n) }))
      .sort((a, b) => l1Order(a.l1) - l1Order(b.l1));
    const holder = (type: string) => {
      const own = primaries.find((p) => p.scope === s.code && p.type === type);
      const tenantWide = primaries.find((p) => p.scope === 'TENANT' && p.type === type);
      const found = own ?? tenantWide;
      return found ? { name: found.display_name, fromTenant: !own } : null;
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
