import type { Knex } from 'knex';
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
  const rows = (await trx('assignments')
    .where({ tenant_id: tenantId })
    .select('id', 'assignee_user_id', 'type', 'version')) as StoredAssignment[];
  const scopes = (await trx('assignment_scopes').where({ tenant_id: tenantId }).orderBy('id')) as {
    id: number;
    assignment_id: number;
    scope: string;
    is_primary: number;
  }[];
  for (const a of rows) a.scopes = scopes.filter((s) => s.assignment_id === a.id);
  return rows;
}

/** Order-independent form of a scope set, for comparing and for the audit's before/after. */
function asJson(scopes: { scope: string; primary: boolean }[]): string {
  const sorted = [...scopes].sort((a, b) => a.scope.localeCompare(b.scope));
  return JSON.stringify({
    scopes: sorted.map((s) => s.scope),
    primary: sorted.filter((s) => s.primary).map((s) => s.scope),
  });
}

/**
 * Upserts assignments keyed by (tenant, assignee, type) (V-65) and makes their scopes equal to the
 * desired ones, writing an AssignmentAudit row per change. Primary flags are cleared for every
 * assignment before any is set, so a flag can move between assignees without tripping the V-64 index.
 */
export async function syncAssignments(
  trx: Knex,
  tenantId: number,
  desired: DesiredAssignment[],
  stamp: Stamp,
): Promise<Record<Outcome, number>> {
  const counts = { created: 0, updated: 0, unchanged: 0 };
  const stored = await listAssignments(trx, tenantId);
  const plans = desired.map((d) => {
    const old = stored.find((a) => a.assignee_user_id === d.userId && a.type === d.type);
    const before = old?.scopes.map((s) => ({ scope: s.scope, primary: !!s.is_primary })) ?? [];
    const changed = !old || asJson(before) !== asJson(d.scopes);
    return { d, old, before, changed };
  });
  // Pass 1: remove scopes and clear primary flags that go away.
  for (const { d, old, changed } of plans) {
    if (!old || !changed) continue;
    for (const s of old.scopes) {
      const want = d.scopes.find((x) => x.scope === s.scope);
      if (!want) await trx('assignment_scopes').where({ id: s.id }).delete();
      else if (s.is_primary && !want.primary)
        await trx('assignment_scopes').where({ id: s.id }).update({ is_primary: false });
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
        await trx('assignment_scopes').insert({
          assignment_id: assignmentId,
          tenant_id: tenantId,
          type: d.type,
          scope: s.scope,
          is_primary: s.primary,
        });
      } else if (s.primary && !existing.is_primary) {
        await trx('assignment_scopes').where({ id: existing.id }).update({ is_primary: true });
      }
    }
    await trx('assignment_audit').insert({
      at: stamp.at,
      actor_user_id: stamp.actorId,
      tenant_id: tenantId,
      assignee_user_id: d.userId,
      type: d.type,
      action: old ? 'update' : 'add',
      before_json: old ? asJson(before) : null,
      after_json: asJson(d.scopes),
    });
    counts[old ? 'updated' : 'created']++;
  }
  return counts;
}

/** `${author_user_id}|${created_at}` of every note of the tenant: the import key of a note. */
export async function listNoteKeys(trx: Knex, tenantId: number): Promise<Map<string, number>> {
  const rows = (await trx('notes').where({ tenant_id: tenantId }).select('id', 'author_user_id', 'created_at')) as {
    id: number;
    author_user_id: number | null;
    created_at: string;
  }[];
  return new Map(rows.map((r) => [`${r.author_user_id}|${r.created_at}`, r.id]));
}

export async function listEnterpriseEntryTimes(trx: Knex, tenantId: number): Promise<Set<string>> {
  return new Set(
    ((await trx('enterprise_status_entries').where({ tenant_id: tenantId }).select('at')) as { at: string }[]).map(
      (r) => r.at,
    ),
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
