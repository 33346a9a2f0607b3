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

export async function lookups(db: Db, kind: string): Promise<LookupValue[]> {
  const rows = await db('lookups').where({ kind, active: true }).orderBy('sort').select('value', 'partner_selectable');
  return rows.map((r) => ({ value: r.value, partnerSelectable: Boolean(r.partner_selectable) }));
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

export type StatusRowWrite = Omit<StatusRow, 'id' | 'version' | 'updated_at' | 'updated_by_name' | 'overridden'> & {
  overridden: boolean;
};
export interface LineWrite {
  migration_type: string;
  entitlements: number;
  estimated_migration_date: string;
  notes: string | null;
  data_size_gb: number | null;
  status?: string | null;
}

export interface ServiceWrite {
  tenantServiceId: number;
  userId: number;
  now: string;
  scenario: string;
  migration: {
    ms_performing_migration: boolean | null;
    migration_start_date: string | null;
    migration_end_date: string | null;
    migration_rejection_reason: string | null;
    migration_rejection_note: string | null;
  };
  /** Rows to keep (id) or create (no id). Existing rows not listed are deleted. */
  rows: (StatusRowWrite & { id?: number })[];
  lines: LineWrite[] | null;
  /** Service Intent notes for every new or changed status note. */
  notes: { text: string; searchTenant: string; searchServices: string; tenantId: number; code: string }[];
}

const snapshot = (r: Record<string, unknown>) => JSON.stringify(r);
const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * Writes a validated service save in one transaction: status rows (with history), Service Intent
 * notes, migration fields and lines, scenario, and the version bump. Returns false when the version
 * moved under us (the caller reports a 409).
 */
export async function saveService(db: Db, w: ServiceWrite, expectedVersion: number): Promise<boolean> {
  return db.transaction(async (trx) => {
    const bumped = await trx('tenant_services')
      .where({ id: w.tenantServiceId, version: expectedVersion })
      .update({
        engagement_scenario: w.scenario,
        ...w.migration,
        version: expectedVersion + 1,
        updated_at: w.now,
        updated_by: w.userId,
      });
    if (bumped !== 1) return false;

    const existing = new Map(
      (await trx('entitlement_status_rows').where('tenant_service_id', w.tenantServiceId)).map((r) => [
        r.id as number,
        r,
      ]),
    );
    const keep = new Set(w.rows.filter((r) => r.id !== undefined).map((r) => r.id!));
    const history = (row_id: number, action: string, snap: Record<string, unknown>) =>
      trx('entitlement_status_history').insert({
        tenant_service_id: w.tenantServiceId,
        row_id,
        action,
        snapshot_json: snapshot(snap),
        changed_by: w.userId,
        changed_at: w.now,
      });
    for (const [id, old] of existing) {
      if (keep.has(id)) continue;
      await trx('entitlement_status_rows').where({ id }).delete();
      await history(id, 'delete', old);
    }
    const fields = [
      'l1',
      'l2',
      'l3',
      'entitlements',
      'status_note',
      'target_date',
      'owner',
      'next_action_date',
    ] as const;
    // Rows whose (L1, L2, L3) changes are taken out first and put back with the same id, so a swap of two
    // combinations never trips the unique index (V-27) half-way through.
    const changed = w.rows.filter((r) => {
      if (r.id === undefined) return false;
      const old = existing.get(r.id)!;
      return fields.some((f) => (old[f] ?? null) !== (r[f] ?? null));
    });
    for (const r of changed) await trx('entitlement_status_rows').where({ id: r.id! }).delete();
    for (const r of w.rows) {
      const { id, ...data } = r;
      if (id !== undefined && !changed.includes(r)) continue;
      const old = id !== undefined ? existing.get(id) : undefined;
      const row = {
        ...data,
        tenant_service_id: w.tenantServiceId,
        version: old ? old.version + 1 : 1,
        created_at: old?.created_at ?? w.now,
        created_by: old ? old.created_by : w.userId,
        updated_at: w.now,
        updated_by: w.userId,
        ...(old ? { id } : {}),
      };
      const [{ id: newId }] = await trx('entitlement_status_rows').insert(row).returning('id');
      await history(newId, old ? 'update' : 'create', { ...row, id: newId });
    }

    for (const n of w.notes) {
      const [{ id: noteId }] = await trx('notes')
        .insert({
          tenant_id: n.tenantId,
          category: 'Service Intent',
          body_html: `<p>${escapeHtml(n.text)}</p>`,
          body_text: n.text,
          source_context: 'entitlement_status',
          author_user_id: w.userId,
          created_at: w.now,
          search_tenant: n.searchTenant,
          search_services: n.searchServices,
        })
        .returning('id');
      await trx('note_services').insert({ note_id: noteId, service_code: n.code });
    }

    if (w.lines !== null) {
      const oldLines = new Map(
        (await trx('migration_type_lines').where('tenant_service_id', w.tenantServiceId)).map((l) => [
          l.migration_type as string,
          l,
        ]),
      );
      const wanted = new Set(w.lines.map((l) => l.migration_type));
      for (const [type, l] of oldLines)
        if (!wanted.has(type)) await trx('migration_type_lines').where({ id: l.id }).delete();
      for (const l of w.lines) {
        const old = oldLines.get(l.migration_type);
        const { status, ...data } = l;
        // V-43: status only changes when the caller may set it (the service passes it only for admins).
        const statusPatch = status === undefined ? {} : { status };
        if (old) {
          await trx('migration_type_lines')
            .where({ id: old.id })
            .update({ ...data, ...statusPatch, version: old.version + 1, updated_at: w.now, updated_by: w.userId });
        } else {
          await trx('migration_type_lines').insert({
            ...data,
            ...statusPatch,
            tenant_service_id: w.tenantServiceId,
            created_at: w.now,
            created_by: w.userId,
            updated_at: w.now,
            updated_by: w.userId,
          });
        }
      }
    }
    return true;
  });
}
