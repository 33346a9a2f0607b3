import { auditJson } from '../assignments/assignments-audit.repo';
import type { Knex } from 'knex';
import { type Deferred, marks, sqlOf } from '../../db/sql';
import { PARTNER_ASSIGNMENT_TYPES } from '../../domain/enums';
import { created, insertRow, updateChanged, type Outcome, type Stamp } from './import-write.repo';

/** Tenant-level writes of the importer: assignments with scopes and audit, contacts, notes, histories. */

const CHUNK = 200;
const PARTNER_TYPES = new Set<string>(PARTNER_ASSIGNMENT_TYPES);

export interface DesiredAssignment {
  userId: number;
  orgId: number | null;
  type: string;
  scopes: { scope: string; primary: boolean }[];
}

interface StoredAssignment {
  id: number;
  assignee_user_id: number;
  type: string;
  version: number;
  scopes: { id: number; scope: string; is_primary: number }[];
}

async function listAssignments(trx: Knex, tenantId: number): Promise<StoredAssignment[]> {
  const sql = await sqlOf(trx);
  const rows = await sql.all<StoredAssignment>(
    'SELECT id, assignee_user_id, type, version FROM assignments WHERE tenant_id = ?',
    [tenantId],
  );
  if (rows.length === 0) return rows;
  // By assignment (indexed); assignment_scopes has no plain index on tenant_id.
  const scopes = await sql.all<{ id: number; assignment_id: number; scope: string; is_primary: number }>(
    `SELECT * FROM assignment_scopes WHERE assignment_id IN (${marks(rows)}) ORDER BY id`,
    rows.map((r) => r.id),
  );
  for (const a of rows) a.scopes = scopes.filter((s) => s.assignment_id === a.id);
  return rows;
}

/**
 * Upserts assignments keyed by (tenant, assignee, type) (V-65) and makes their scopes equal to the
 * desired ones, writing an AssignmentAudit row per change. Primary flags are cleared for every
 * assignment before any is set, so a flag can move between assignees without tripping the V-64 index.
 * New scopes and the audit rows go to `deferred` (written many per statement before the import ends).
 */
export async function syncAssignments(
  trx: Knex,
  tenantId: number,
  desired: DesiredAssignment[],
  stamp: Stamp,
  deferred: Deferred,
): Promise<Record<Outcome, number>> {
  const counts = { created: 0, updated: 0, unchanged: 0 };
  const sql = await sqlOf(trx);
  const stored = await listAssignments(trx, tenantId);
  const plans = desired.map((d) => {
    const old = stored.find((a) => a.assignee_user_id === d.userId && a.type === d.type);
    const before = old?.scopes.map((s) => ({ scope: s.scope, primary: !!s.is_primary })) ?? [];
    const changed = !old || auditJson(before) !== auditJson(d.scopes);
    return { d, old, before, changed };
  });
  // Pass 1: remove scopes and clear primary flags that go away.
  for (const { d, old, changed } of plans) {
    if (!old || !changed) continue;
    for (const s of old.scopes) {
      const want = d.scopes.find((x) => x.scope === s.scope);
      if (!want) await sql.run('DELETE FROM assignment_scopes WHERE id = ?', [s.id]);
      else if (s.is_primary && !want.primary)
        await sql.update('assignment_scopes', { id: s.id }, { is_primary: false });
    }
  }
  // Pass 2: create assignments, add scopes, set primary flags; audit each change.
  for (const { d, old, before, changed } of plans) {
    if (!changed) {
      counts.unchanged++;
      continue;
    }
    let assignmentId = old?.id;
    if (!assignmentId) {
      assignmentId = await insertRow(trx, 'assignments', {
        tenant_id: tenantId,
        assignee_user_id: d.userId,
        org_id: d.orgId,
        type: d.type,
        is_partner_type: PARTNER_TYPES.has(d.type),
        ...created(stamp),
      });
    } else {
      await updateChanged(trx, 'assignments', { id: assignmentId }, {}, stamp, { force: true });
    }
    for (const s of d.scopes) {
      const existing = old?.scopes.find((x) => x.scope === s.scope);
      if (!existing) {
        await deferred.queue('assignment_scopes', {
          assignment_id: assignmentId,
          tenant_id: tenantId,
          type: d.type,
          scope: s.scope,
          is_primary: s.primary,
        });
      } else if (s.primary && !existing.is_primary) {
        await sql.update('assignment_scopes', { id: existing.id }, { is_primary: true });
      }
    }
    await deferred.queue('assignment_audit', {
      at: stamp.at,
      actor_user_id: stamp.actorId,
      tenant_id: tenantId,
      assignee_user_id: d.userId,
      type: d.type,
      action: old ? 'update' : 'add',
      before_json: old ? auditJson(before) : null,
      after_json: auditJson(d.scopes),
    });
    counts[old ? 'updated' : 'created']++;
  }
  return counts;
}

/** `${author_user_id}|${created_at}` of every note of the tenant: the import key of a note. */
export async function listNoteKeys(trx: Knex, tenantId: number): Promise<Map<string, number>> {
  const rows = await (
    await sqlOf(trx)
  ).all<{ id: number; author_user_id: number | null; created_at: string }>(
    'SELECT id, author_user_id, created_at FROM notes WHERE tenant_id = ?',
    [tenantId],
  );
  return new Map(rows.map((r) => [`${r.author_user_id}|${r.created_at}`, r.id]));
}

export async function listEnterpriseEntryTimes(trx: Knex, tenantId: number): Promise<Set<string>> {
  return new Set(
    (
      await (
        await sqlOf(trx)
      ).all<{ at: string }>('SELECT at FROM enterprise_status_entries WHERE tenant_id = ?', [tenantId])
    ).map((r) => r.at),
  );
}

/** Users by UPN with their org, for resolving assignees and authors while writing. */
export async function findUserIds(
  trx: Knex,
  upns: string[],
): Promise<Map<string, { id: number; orgId: number | null }>> {
  const out = new Map<string, { id: number; orgId: number | null }>();
  for (let i = 0; i < upns.length; i += CHUNK) {
    for (const u of (await trx('users')
      .whereIn('upn', upns.slice(i, i + CHUNK))
      .select('id', 'upn', 'org_id')) as {
      id: number;
      upn: string;
      org_id: number | null;
    }[]) {
      out.set(u.upn, { id: u.id, orgId: u.org_id });
    }
  }
  return out;
}
