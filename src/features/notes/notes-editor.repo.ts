import type { Db } from '../../db/db';
import { whereTenantMatches } from '../tenants/tenants.repo';
import { sqlOf } from '../../db/sql';
import { whereAssignedToMe, type AccessScope } from '../../auth/scope';
import { insertNote, type NoteWrite } from './notes-write.repo';

export interface TenantOption {
  guid: string;
  name: string;
}

/**
 * The tenants the user can write notes on (DOMAIN.md §5.12.1: "a picker of the tenants the user can
 * edit"): those they are assigned to (any P- type), every tenant for an admin; internal users none —
 * the same rule as loadTenant's `edit` access. `term` matches part of the name or the Tenant ID.
 */
export async function editableTenants(
  db: Db,
  scope: AccessScope,
  term: string,
  limit: number,
): Promise<TenantOption[]> {
  if (scope.kind !== 'admin' && scope.kind !== 'partner') return [];
  const q = db('tenants as t')
    .orderBy('t.tenant_name')
    .limit(limit)
    .select('t.tenant_guid as guid', 't.tenant_name as name');
  if (scope.kind !== 'admin') whereAssignedToMe(q, scope, 't.id');
  if (term) whereTenantMatches(q, term);
  return q;
}

/** The tenant's services in catalogue order (V-71). */
export async function tenantServices(db: Db, tenantId: number): Promise<{ code: string; name: string }[]> {
  return db('tenant_services as ts')
    .join('services as s', 's.code', 'ts.service_code')
    .where('ts.tenant_id', tenantId)
    .orderBy('s.sort_order')
    .select('s.code', 's.name');
}

/** Next Action Owner choices (V-73): the tenant's assigned people and its contacts, by name. */
export async function ownerOptions(db: Db, tenantId: number): Promise<string[]> {
  const users = await db('assignments as a')
    .join('users as u', 'u.id', 'a.assignee_user_id')
    .where('a.tenant_id', tenantId)
    .whereNot('u.kind', 'queue')
    .distinct('u.display_name as name');
  const contacts = await db('contacts').where('tenant_id', tenantId).distinct('name');
  return [...new Set([...users, ...contacts].map((r: { name: string }) => r.name))].sort((a, b) => a.localeCompare(b));
}

/** The note saved with this idempotency key, if any. */
export async function noteByKey(
  db: Db,
  key: string,
): Promise<{ id: number; tenantId: number; authorId: number | null } | undefined> {
  const row = await db('notes').where('idempotency_key', key).first('id', 'tenant_id', 'author_user_id');
  return row && { id: row.id, tenantId: row.tenant_id, authorId: row.author_user_id };
}

/**
 * Writes the note, its services and (through the insert trigger) its search entry in one transaction,
 * and removes the owner's draft it was restored from in the same transaction.
 */
export async function saveNote(
  db: Db,
  note: NoteWrite,
  services: string[],
  fromDraft?: { ownerId: number; id: number },
): Promise<number> {
  return db.transaction(async (trx) => {
    const id = await insertNote(await sqlOf(trx), note, services);
    if (fromDraft) await trx('note_drafts').where({ id: fromDraft.id, owner_user_id: fromDraft.ownerId }).delete();
    return id;
  });
}

export async function tenantGuidOf(db: Db, tenantId: number): Promise<string> {
  const row = await db('tenants').where('id', tenantId).first('tenant_guid');
  return row.tenant_guid;
}
