import type { Db } from '../../db/db';
import { marks, readRows } from '../../db/sql';
import { assignedToMeSql, tenantInScopeSql, type AccessScope, type SqlCondition } from '../../auth/scope';

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
 * tenant the user can view is visible (A-25); drafts live elsewhere and are private.
 */
export async function listTenantNotes(db: Db, tenantId: number, f: NotesFilter, limit = 200): Promise<NoteView[]> {
  return listNotes(db, [{ sql: 'n.tenant_id = ?', params: [tenantId] }], f, limit);
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
  const visible = tenantInScopeSql(scope, 'n.tenant_id');
  const mine = myActive ? [assignedToMeSql(scope, 'n.tenant_id'), { sql: 't.is_active = ?', params: [true] }] : [];
  return listNotes(db, [...(visible ? [visible] : []), ...mine], f, limit);
}

interface NoteRow {
  id: number;
  category: string;
  body_html: string;
  is_escalated: number | boolean;
  next_action: string | null;
  next_action_date: string | null;
  next_action_owner: string | null;
  overall_status: string | null;
  overall_status_date: string | null;
  is_legacy: number | boolean;
  is_system: number | boolean;
  author: string | null;
  created_at: string;
  tenant_guid: string;
  tenant_name: string;
}

// The columns a shown note needs: not its text for search (body_text, search_tenant, search_services) nor
// where it came from. `n.*` made the notes of a tenant page cost half as much again in SQLite and in
// strings (docs/decisions.md 149).
const NOTE_COLUMNS = [
  'id',
  'category',
  'body_html',
  'is_escalated',
  'next_action',
  'next_action_date',
  'next_action_owner',
  'overall_status',
  'overall_status_date',
  'is_legacy',
  'is_system',
  'created_at',
]
  .map((c) => `n.${c}`)
  .join(', ');

/**
 * Notes on the tenants the conditions keep (over `n.tenant_id` and the tenant `t`), newest first, with
 * the filter. Prepared statements, not knex's builder: every tenant page and service tab shows notes,
 * and building these two queries took about a tenth of a service tab's CPU (docs/decisions.md 140).
 */
async function listNotes(db: Db, tenants: SqlCondition[], f: NotesFilter, limit = 200): Promise<NoteView[]> {
  const where = tenants.map((c) => c.sql);
  const params: unknown[] = tenants.flatMap((c) => c.params);
  const and = (sql: string, ...values: unknown[]) => {
    where.push(sql);
    params.push(...values);
  };
  if (f.escalatedOnly) and('n.is_escalated = ?', true);
  if (f.withoutSystem) and('n.is_system = ? AND n.category <> ?', false, 'System Message');
  if (f.from) and('n.created_at >= ?', f.from);
  if (f.to) and('n.created_at < ?', f.to);
  if (f.categories.length) and(`n.category IN (${marks(f.categories)})`, ...f.categories);
  // Per note (the primary key's lookup), not the set of every note of the service: with a tenant's ten
  // notes in hand, building that set (hundreds of thousands of ids for a common service) cost 15 ms.
  if (f.services.length)
    and(
      `EXISTS (SELECT 1 FROM note_services ns WHERE ns.note_id = n.id AND ns.service_code IN (${marks(f.services)}))`,
      ...f.services,
    );
  const rows = await readRows<NoteRow>(
    db,
    `SELECT ${NOTE_COLUMNS}, u.display_name AS author, t.tenant_guid, t.tenant_name
       FROM notes n
       JOIN tenants t ON t.id = n.tenant_id
       LEFT JOIN users u ON u.id = n.author_user_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY n.created_at DESC, n.id DESC
      LIMIT ?`,
    [...params, limit],
  );
  const ids = rows.map((r) => r.id);
  const services = ids.length
    ? await readRows<{ note_id: number; code: string; name: string }>(
        db,
        `SELECT ns.note_id, s.code, s.name FROM note_services ns JOIN services s ON s.code = ns.service_code
          WHERE ns.note_id IN (${marks(ids)}) ORDER BY s.sort_order`,
        ids,
      )
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
