import type { Knex } from 'knex';
import type { Db } from '../../db/db';
import { readRows } from '../../db/sql';
import { whereAssignedToMe, whereTenantVisible, type AccessScope } from '../../auth/scope';

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
  tenantGuid: string;
  tenantName: string;
}

export interface NotesFilter {
  /** Inclusive lower and exclusive upper bound on created_at (ISO), either may be open. */
  from?: string;
  to?: string;
  categories: string[];
  services: string[];
  /** Latest Notes' toggles (DOMAIN.md §5.12.3); the tenant history shows every note. */
  escalatedOnly?: boolean;
  withoutSystem?: boolean;
}

/**
 * Notes of one tenant (already resolved in the user's scope), newest first. Every saved note on a
 * tenant the user can view is visible; drafts live elsewhere and are private.
 */
export async function listTenantNotes(db: Db, tenantId: number, f: NotesFilter, limit = 200): Promise<NoteView[]> {
  return listNotes(db, (q) => q.where('n.tenant_id', tenantId), f, limit);
}

/**
 * Latest Notes (DOMAIN.md §5.12.3): notes on every tenant the user can view, or only the tenants of their
 * My Active tab (assigned to them and active), newest first. Scope is applied here, in SQL.
 */
export async function listLatestNotes(
  db: Db,
  scope: AccessScope,
  myActive: boolean,
  f: NotesFilter,
  limit: number,
): Promise<NoteView[]> {
  return listNotes(
    db,
    (q) => {
      whereTenantVisible(q, scope, 'n.tenant_id');
      if (myActive) whereAssignedToMe(q, scope, 'n.tenant_id').where('t.is_active', true);
    },
    f,
    limit,
  );
}

/**
 * Notes on the tenants `tenants` keeps (a scope filter from src/auth/scope.ts over `n.tenant_id`), newest
 * first: Latest Notes (DOMAIN.md §5.12.3).
 */
async function listNotes(
  db: Db,
  tenants: (q: Knex.QueryBuilder) => void,
  f: NotesFilter,
  limit = 200,
): Promise<NoteView[]> {
  const q = db('notes as n')
    .join('tenants as t', 't.id', 'n.tenant_id')
    .leftJoin('users as u', 'u.id', 'n.author_user_id')
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id', 'desc')
    .limit(limit)
    .select('n.*', 'u.display_name as author', 't.tenant_guid', 't.tenant_name');
  tenants(q);
  if (f.escalatedOnly) q.where('n.is_escalated', true);
  if (f.withoutSystem) q.where('n.is_system', false).whereNot('n.category', 'System Message');
  if (f.from) q.where('n.created_at', '>=', f.from);
  if (f.to) q.where('n.created_at', '<', f.to);
  if (f.categories.length) q.whereIn('n.category', f.categories);
  // Per note (the primary key's lookup), not the set of every note of the service: with a tenant's ten
  // notes in hand, building that set (hundreds of thousands of ids for a common service) cost 15 ms.
  if (f.services.length)
    q.whereExists((s) =>
      s
        .select(db.raw('1'))
        .from('note_services as ns')
        .whereRaw('ns.note_id = n.id')
        .whereIn('ns.service_code', f.services),
    );
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
    tenantGuid: r.tenant_guid,
    tenantName: r.tenant_name,
  }));
}

/** The tenant's entitled services, for the Service filter. */
export async function tenantServiceOptions(db: Db, tenantId: number): Promise<{ code: string; name: string }[]> {
  return readRows<{ code: string; name: string }>(
    db,
    `SELECT s.code, s.name FROM tenant_services ts JOIN services s ON s.code = ts.service_code
        WHERE ts.tenant_id = ? ORDER BY s.sort_order`,
    [tenantId],
  );
}

/** Every service in catalogue order, for Latest Notes' Service filter. */
export async function serviceCatalogue(db: Db): Promise<{ code: string; name: string }[]> {
  return db('services').orderBy('sort_order').select('code', 'name');
}
