import type { Db } from '../../db/db';
import { marks, readRow, readRows } from '../../db/sql';

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

// The section's reads are prepared statements (readRow, readRows), not knex's builder: opening one service tab ran
// seven of them, and the builder and runner cost more than the reads (docs/decisions.md 130).

export async function findTenantService(db: Db, tenantId: number, code: string): Promise<TenantServiceRow | undefined> {
  const r = await readRow<Record<string, unknown>>(
    db,
    `SELECT ts.*, s.name AS service_name, s.migration_eligible AS service_migration_eligible,
              u.display_name AS updated_by_name
         FROM tenant_services ts
         JOIN services s ON s.code = ts.service_code
         LEFT JOIN users u ON u.id = ts.updated_by
        WHERE ts.tenant_id = ? AND ts.service_code = ?
        LIMIT 1`,
    [tenantId, code],
  );
  if (!r) return undefined;
  return {
    id: r.id as number,
    tenantId: r.tenant_id as number,
    code: r.service_code as string,
    name: r.service_name as string,
    migrationEligible: Boolean(r.service_migration_eligible),
    totalEntitlements: r.total_entitlements as number,
    entitlementOverride: r.entitlement_override as number | null,
    engagementScenario: r.engagement_scenario as string | null,
    msPerformingMigration: r.ms_performing_migration === null ? null : Boolean(r.ms_performing_migration),
    migrationStartDate: r.migration_start_date as string | null,
    migrationEndDate: r.migration_end_date as string | null,
    migrationRejectionReason: r.migration_rejection_reason as string | null,
    migrationRejectionNote: r.migration_rejection_note as string | null,
    version: r.version as number,
    updatedAt: r.updated_at as string,
    updatedByName: r.updated_by_name as string | null,
  };
}

export function statusRows(db: Db, tenantServiceId: number): Promise<StatusRow[]> {
  return readRows<StatusRow>(
    db,
    `SELECT r.*, u.display_name AS updated_by_name
         FROM entitlement_status_rows r LEFT JOIN users u ON u.id = r.updated_by
        WHERE r.tenant_service_id = ? ORDER BY r.id`,
    [tenantServiceId],
  );
}

export function migrationLines(db: Db, tenantServiceId: number): Promise<MigrationLine[]> {
  return readRows<MigrationLine>(db, 'SELECT * FROM migration_type_lines WHERE tenant_service_id = ? ORDER BY id', [
    tenantServiceId,
  ]);
}

export interface LookupValue {
  value: string;
  partnerSelectable: boolean;
}

/** The active values of each kind of lookup, in their order: one statement for all the kinds a section shows. */
export async function lookups<K extends string>(db: Db, kinds: readonly K[]): Promise<Record<K, LookupValue[]>> {
  const rows = await readRows<{ kind: K; value: string; partner_selectable: unknown }>(
    db,
    `SELECT kind, value, partner_selectable FROM lookups
        WHERE kind IN (${marks(kinds)}) AND active = ? ORDER BY kind, sort`,
    [...kinds, true],
  );
  const byKind = Object.fromEntries(kinds.map((k) => [k, [] as LookupValue[]])) as Record<K, LookupValue[]>;
  for (const r of rows) byKind[r.kind].push({ value: r.value, partnerSelectable: Boolean(r.partner_selectable) });
  return byKind;
}

export interface CporClaim {
  partner_name: string;
  mpn_id: string | null;
  claim_status: string;
  claimed_at: string | null;
  approved_at: string | null;
  service_code: string | null;
}

export function cporClaims(db: Db, tenantId: number, code: string): Promise<CporClaim[]> {
  return readRows<CporClaim>(
    db,
    `SELECT partner_name, mpn_id, claim_status, claimed_at, approved_at, service_code FROM cpor_claims
        WHERE tenant_id = ? AND (service_code = ? OR service_code IS NULL) ORDER BY id`,
    [tenantId, code],
  );
}

const PRIMARY_TYPES = ['Onboarding RM', 'P-RM', 'P-FM', 'P-FE'];

/** Primary Onboarding RM, P-RM, P-FM and P-FE for the service (a service-scope primary wins over the tenant's). */
export async function primaries(
  db: Db,
  tenantId: number,
  code: string,
): Promise<{ type: string; name: string; scope: string }[]> {
  const rows = await readRows<{ type: string; name: string; scope: string }>(
    db,
    `SELECT s.type, u.display_name AS name, s.scope
         FROM assignment_scopes s
         JOIN assignments a ON a.id = s.assignment_id
         JOIN users u ON u.id = a.assignee_user_id
        WHERE s.tenant_id = ? AND s.is_primary = ? AND s.scope IN (?, ?) AND s.type IN (?, ?, ?, ?)`,
    [tenantId, true, code, 'TENANT', ...PRIMARY_TYPES],
  );
  const byType = new Map<string, { type: string; name: string; scope: string }>();
  for (const r of rows) if (!byType.has(r.type) || r.scope !== 'TENANT') byType.set(r.type, r);
  return PRIMARY_TYPES.flatMap((t) => (byType.has(t) ? [byType.get(t)!] : []));
}
