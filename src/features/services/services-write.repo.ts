import type { Db } from '../../db/db';
import type { StatusRow } from './services.repo';

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
