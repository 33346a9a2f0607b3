import type { Knex } from 'knex';
import type { Db } from '../../db/db';

/** One entitled service of an already resolved tenant (the tenantId loader did the scoping). */
export interface TenantServiceRow {
  id: number;
  tenantId: number;
  code: string;
  name: string;
  migrationEligible: boolean;
  totalEntitlements: number;
  entitlementOverride: number | null;
  engagementScenario: string | null;
  msPerformingMigration: boolean | null;
  migrationStartDate: string | null;
  migrationEndDate: string | null;
  migrationRejectionReason: string | null;
  migrationRejectionNote: string | null;
  version: number;
  updatedAt: string;
  updatedByName: string | null;
}

export interface StatusRow {
  id: number;
  l1: string;
  l2: string | null;
  l3: string | null;
  entitlements: number;
  status_note: string;
  target_date: string | null;
  owner: string | null;
  next_action_date: string | null;
  suggested_l1: string | null;
  suggested_l2: string | null;
  suggested_l3: string | null;
  suggestion_confidence: string | null;
  overridden: number | boolean;
  version: number;
  updated_at: string;
  updated_by_name: string | null;
}

export interface MigrationLine {
  id: number;
  migration_type: string;
  entitlements: number;
  estimated_migration_date: string;
  notes: string | null;
  data_size_gb: number | null;
  status: string | null;
}

export async function findTenantService(db: Db, tenantId: number, code: string): Promise<TenantServiceRow | undefined> {
  const r = await db('tenant_services as ts')
    .join('services as s', 's.code', 'ts.service_code')
    .leftJoin('users as u', 'u.id', 'ts.updated_by')
    .where({ 'ts.tenant_id': tenantId, 'ts.service_code': code })
    .first(
      'ts.*',
      's.name as service_name',
      's.migration_eligible as service_migration_eligible',
      'u.display_name as updated_by_name',
    );
  if (!r) return undefined;
  return {
    id: r.id,
    tenantId: r.tenant_id,
    code: r.service_code,
    name: r.service_name,
    migrationEligible: Boolean(r.service_migration_eligible),
    totalEntitlements: r.total_entitlements,
    entitlementOverride: r.entitlement_override,
    engagementScenario: r.engagement_scenario,
    msPerformingMigration: r.ms_performing_migration === null ? null : Boolean(r.ms_performing_migration),
    migrationStartDate: r.migration_start_date,
    migrationEndDate: r.migration_end_date,
    migrationRejectionReason: r.migration_rejection_reason,
    migrationRejectionNote: r.migration_rejection_note,
    version: r.version,
    updatedAt: r.updated_at,
    updatedByName: r.updated_by_name,
  };
}

export function statusRows(db: Db | Knex.Transaction, tenantServiceId: number): Promise<StatusRow[]> {
  return db('entitlement_status_rows as r')
    .leftJoin('users as u', 'u.id', 'r.updated_by')
    .where('r.tenant_service_id', tenantServiceId)
    .select('r.*', 'u.display_name as updated_by_name')
    .orderBy('r.id');
}

export function migrationLines(db: Db | Knex.Transaction, tenantServiceId: number): Promise<MigrationLine[]> {
  return db('migration_type_lines').where('tenant_service_id', tenantServiceId).orderBy('id');
}

export interface LookupValue {
  value: string;
  partnerSelectable: boolean;
}

/** The active values of each kind of lookup, in their order: one statement for all the kinds a section shows. */
export async function lookups<K extends string>(db: Db, kinds: readonly K[]): Promise<Record<K, LookupValue[]>> {
  const rows = await db('lookups')
    .whereIn('kind', kinds)
    .where('active', true)
    .orderBy(['kind', 'sort'])
    .select('kind', 'value', 'partner_selectable');
  const byKind = Object.fromEntries(kinds.map((k) => [k, [] as LookupValue[]])) as Record<K, LookupValue[]>;
  for (const r of rows) byKind[r.kind as K].push({ value: r.value, partnerSelectable: Boolean(r.partner_selectable) });
  return byKind;
}

export function cporClaims(db: Db, tenantId: number, code: string) {
  return db('cpor_claims')
    .where('tenant_id', tenantId)
    .where((w) => w.where('service_code', code).orWhereNull('service_code'))
    .orderBy('id')
    .select('partner_name', 'mpn_id', 'claim_status', 'claimed_at', 'approved_at', 'service_code');
}

/** Primary Onboarding RM, P-RM, P-FM and P-FE for the service (a service-scope primary wins over the tenant's). */
export async function primaries(
  db: Db,
  tenantId: number,
  code: string,
): Promise<{ type: string; name: string; scope: string }[]> {
  const rows: { type: string; name: string; scope: string }[] = await db('assignment_scopes as s')
    .join('assignments as a', 'a.id', 's.assignment_id')
    .join('users as u', 'u.id', 'a.assignee_user_id')
    .where('s.tenant_id', tenantId)
    .where('s.is_primary', true)
    .whereIn('s.scope', [code, 'TENANT'])
    .whereIn('s.type', ['Onboarding RM', 'P-RM', 'P-FM', 'P-FE'])
    .select('s.type', 'u.display_name as name', 's.scope');
  const byType = new Map<string, { type: string; name: string; scope: string }>();
  for (const r of rows) if (!byType.has(r.type) || r.scope !== 'TENANT') byType.set(r.type, r);
  return ['Onboarding RM', 'P-RM', 'P-FM', 'P-FE'].flatMap((t) => (byType.has(t) ? [byType.get(t)!] : []));
}
