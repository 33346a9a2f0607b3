import type { Db } from '../../db/db';

/** A draft as stored (DOMAIN.md §2.13 NoteDraft): private to its owner, every query filters by owner. */
export interface DraftRow {
  id: number;
  tenantId: number | null;
  tenantGuid: string | null;
  tenantName: string | null;
  category: string | null;
  serviceCodes: string[];
  bodyHtml: string;
  isEscalated: boolean;
  nextAction: string | null;
  nextActionDate: string | null;
  nextActionOwner: string | null;
  savedAt: string;
}

export interface DraftWrite {
  tenant_id: number | null;
  category: string | null;
  service_codes: string[];
  body_html: string;
  is_escalated: boolean;
  next_action: string | null;
  next_action_date: string | null;
  next_action_owner: string | null;
}

const columns = ['d.*', 't.tenant_guid', 't.tenant_name'] as const;

function toDraft(r: Record<string, unknown>): DraftRow {
  return {
    id: Number(r.id),
    tenantId: (r.tenant_id as number | null) ?? null,
    tenantGuid: (r.tenant_guid as string | null) ?? null,
    tenantName: (r.tenant_name as string | null) ?? null,
    category: (r.category as string | null) ?? null,
    serviceCodes: JSON.parse(String(r.service_codes ?? '[]')) as string[],
    bodyHtml: String(r.body_html ?? ''),
    isEscalated: Boolean(r.is_escalated),
    nextAction: (r.next_action as string | null) ?? null,
    nextActionDate: (r.next_action_date as string | null) ?? null,
    nextActionOwner: (r.next_action_owner as string | null) ?? null,
    savedAt: String(r.saved_at),
  };
}

/** The owner's drafts, newest first. */
export async function listDrafts(db: Db, ownerId: number): Promise<DraftRow[]> {
  const rows = await db('note_drafts as d')
    .leftJoin('tenants as t', 't.id', 'd.tenant_id')
    .where('d.owner_user_id', ownerId)
    .orderBy('d.saved_at', 'desc')
    .orderBy('d.id', 'desc')
    .select(columns);
  return rows.map(toDraft);
}

/** One of the owner's drafts; another user's draft is simply not found. */
export async function findDraft(db: Db, ownerId: number, id: number): Promise<DraftRow | undefined> {
  const row = await db('note_drafts as d')
    .leftJoin('tenants as t', 't.id', 'd.tenant_id')
    .where({ 'd.owner_user_id': ownerId, 'd.id': id })
    .first(columns);
  return row ? toDraft(row) : undefined;
}

export async function countDrafts(db: Db, ownerId: number): Promise<number> {
  const [{ n }] = await db('note_drafts').where('owner_user_id', ownerId).count({ n: '*' });
  return Number(n);
}

/** Inserts a draft, or overwrites the owner's draft `id`; returns its id (undefined if `id` is not theirs). */
export async function writeDraft(db: Db, ownerId: number, d: DraftWrite, id?: number): Promise<number | undefined> {
  const row = { ...d, service_codes: JSON.stringify(d.service_codes), saved_at: new Date().toISOString() };
  if (id !== undefined) {
    const n = await db('note_drafts')
      .where({ id, owner_user_id: ownerId })
      .update({ ...row, version: db.raw('version + 1') });
    return n === 1 ? id : undefined;
  }
  const [{ id: created }] = await db('note_drafts')
    .insert({ ...row, owner_user_id: ownerId })
    .returning('id');
  return created;
}

/** Deletes one of the owner's drafts (inside the note's transaction when a restored draft is saved). */
export async function deleteDraft(db: Db, ownerId: number, id: number): Promise<boolean> {
  return (await db('note_drafts').where({ id, owner_user_id: ownerId }).delete()) === 1;
}
