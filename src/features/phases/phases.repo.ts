import type { Knex } from 'knex';
import type { Db } from '../../db/db';
import type { ScenarioOption } from '../../domain/rules/scenario.rules';

/** One entitled service of a tenant on the Service Status sub-tab (DOMAIN.md §5.7.2). */
export interface PhaseRow {
  id: number;
  code: string;
  name: string;
  group: string;
  phase: string | null;
  activeUsers: number;
  effectiveTotal: number;
  /** The stored scenario with its §2.9 flag, when one is set. */
  scenario: ScenarioOption | undefined;
  version: number;
  updatedAt: string;
  updatedBy: string | null;
}

export interface PhaseChange {
  code: string;
  service: string;
  oldPhase: string | null;
  newPhase: string | null;
  changedBy: string | null;
  changedAt: string;
}

function services(db: Db | Knex.Transaction, tenantId: number) {
  return db('tenant_services as ts')
    .join('services as s', 's.code', 'ts.service_code')
    .leftJoin('users as u', 'u.id', 'ts.updated_by')
    .leftJoin('lookups as l', (j) =>
      j.on('l.value', 'ts.engagement_scenario').andOnVal('l.kind', 'engagement_scenario'),
    )
    .where('ts.tenant_id', tenantId)
    .orderBy('s.sort_order')
    .select(
      'ts.id',
      's.code',
      's.name',
      's.group',
      'ts.phase',
      'ts.active_users',
      'ts.total_entitlements',
      'ts.entitlement_override',
      'ts.engagement_scenario',
      'l.partner_selectable',
      'ts.version',
      'ts.updated_at',
      'u.display_name',
    );
}

function toRow(r: Record<string, unknown>): PhaseRow {
  return {
    id: r.id as number,
    code: r.code as string,
    name: r.name as string,
    group: r.group as string,
    phase: (r.phase as string | null) ?? null,
    activeUsers: r.active_users as number,
    effectiveTotal: (r.entitlement_override as number | null) ?? (r.total_entitlements as number),
    scenario:
      r.engagement_scenario && r.partner_selectable !== null
        ? { value: r.engagement_scenario as string, partnerSelectable: Boolean(r.partner_selectable) }
        : undefined,
    version: r.version as number,
    updatedAt: r.updated_at as string,
    updatedBy: (r.display_name as string | null) ?? null,
  };
}

/** Every entitled service of a tenant already resolved in the user's scope, in catalogue order. */
export async function phaseRows(db: Db, tenantId: number): Promise<PhaseRow[]> {
  return (await services(db, tenantId)).map(toRow);
}

/** One entitled service of the tenant, or undefined (another tenant's or an unknown code). */
export async function findPhaseRow(
  db: Db | Knex.Transaction,
  tenantId: number,
  code: string,
): Promise<PhaseRow | undefined> {
  const r = await services(db, tenantId).where('s.code', code).first();
  return r ? toRow(r) : undefined;
}

/** The tenant's phase changes, newest first (written by the trigger of migration 009). */
export async function phaseHistory(db: Db, tenantId: number, limit = 100): Promise<PhaseChange[]> {
  const rows = await db('service_phase_history as h')
    .join('tenant_services as ts', 'ts.id', 'h.tenant_service_id')
    .join('services as s', 's.code', 'ts.service_code')
    .leftJoin('users as u', 'u.id', 'h.changed_by')
    .where('ts.tenant_id', tenantId)
    .orderBy([
      { column: 'h.changed_at', order: 'desc' },
      { column: 'h.id', order: 'desc' },
    ])
    .limit(limit)
    .select('s.code', 's.name', 'h.old_phase', 'h.new_phase', 'h.changed_at', 'u.display_name');
  return rows.map((r: Record<string, string | null>) => ({
    code: r.code!,
    service: r.name!,
    oldPhase: r.old_phase,
    newPhase: r.new_phase,
    changedBy: r.display_name,
    changedAt: r.changed_at!,
  }));
}
