import type { Db } from '../../db/db';

export interface NoteView {
  id: number;
  category: string;
  bodyHtml: string;
  isEscalated: boolean;
  nextAction: string | null;
  nextActionDate: string | null;
  nextActionOwner: string | null;
  overallStatus: string | null;
  overallStatusDate: string | null;
  isLegacy: boolean;
  isSystem: boolean;
  author: string | null;
  createdAt: string;
  services: { code: string; name: string }[];
}

export interface NotesFilter {
  /** Inclusive lower and exclusive upper bound on created_at (ISO), either may be open. */
  from?: string;
  to?: string;
  categories: string[];
  services: string[];
}

/**
 * Notes of one tenant (already resolved in the user's scope), newest first. Every saved note on a
 * tenant the user can view is visible; drafts live elsewhere and are private.
 */
export async function listTenantNotes(db: Db, tenantId: number, f: NotesFilter, limit = 200): Promise<NoteView[]> {
  const q = db('notes as n')
    .leftJoin('users as u', 'u.id', 'n.author_user_id')
    .where('n.tenant_id', tenantId)
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id', 'desc')
    .limit(limit)
    .select('n.*', 'u.display_name as author');
  if (f.from) q.where('n.created_at', '>=', f.from);
  if (f.to) q.where('n.created_at', '<', f.to);
  if (f.categories.length) q.whereIn('n.category', f.categories);
  if (f.services.length)
    q.whereIn('n.id', (s) => s.select('note_id').from('note_services').whereIn('service_code', f.services));
  const rows = await q;
  const services = rows.length
    ? await db('note_services as ns')
        .join('services as s', 's.code', 'ns.service_code')
        .whereIn(
          'ns.note_id',
          rows.map((r) => r.id),
        )
        .orderBy('s.sort_order')
        .select('ns.note_id', 's.code', 's.name')
    : [];
  return rows.map((r) => ({
    id: r.id,
    category: r.category,
    bodyHtml: r.body_html,
    isEscalated: Boolean(r.is_escalated),
    nextAction: r.next_action,
    nextActionDate: r.next_action_date,
    nextActionOwner: r.next_action_owner,
    overallStatus: r.overall_status,
    overallStatusDate: r.overall_status_date,
    isLegacy: Boolean(r.is_legacy),
    isSystem: Boolean(r.is_system),
    author: r.author ?? null,
    createdAt: r.created_at,
    services: services.filter((s) => s.note_id === r.id).map((s) => ({ code: s.code, name: s.name })),
  }));
}

/** The tenant's entitled services, for the Service filter. */
export async function tenantServiceOptions(db: Db, tenantId: number): Promise<{ code: string; name: string }[]> {
  return db('tenant_services as ts')
    .join('services as s', 's.code', 'ts.service_code')
    .where('ts.tenant_id', tenantId)
    .orderBy('s.sort_order')
    .select('s.code', 's.name');
}
