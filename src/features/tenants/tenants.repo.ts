import type { Knex } from 'knex';
import { kindOf, type Db } from '../../db/db';
import { AccessScope, tenantVisibleSql, whereAssignedToMe, whereOrgTenant } from '../../auth/scope';
import { readRow, readRows } from '../../db/sql';
import type { ListQuery, Sort, Tab } from './tenants.schemas';

export interface TenantListRow {
  id: number;
  tenantGuid: string;
  tenantName: string;
  customerName: string;
  country: string | null;
  isActive: boolean;
  overallStatus: string | null;
  overallStatusDate: string | null;
  lastOsNoteAt: string | null;
  priority: string | null;
  serviceCount: number;
  totalEntitlements: number;
  primaryPrm: string | null;
  myRoles: string[];
}

const SORT_SQL: Record<Sort, string> = {
  name: 't.tenant_name',
  customer: 't.customer_name',
  country: 't.country',
  status: 't.overall_status',
  statusDate: 't.overall_status_date',
  lastNote: 't.last_os_note_at',
  priority:
    "CASE coalesce(t.priority_override, t.priority) WHEN 'High' THEN 1 WHEN 'Medium' THEN 2 WHEN 'Low' THEN 3 ELSE 4 END",
};

/** LIKE pattern for a case-insensitive substring match (against lower(column): PostgreSQL compares case) with the user's % and _ taken literally. */
export function likePattern(q: string): string {
  return `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Tenants (as `t`) whose name or Tenant ID contains `q`, in any case: the FRP search, the notes type-aheads.
 * SQLite's LIKE ignores ASCII case by itself (and its lower() folds no more than that), so the name is
 * compared as stored; lower() of every name in scope was a third of a search's time. PostgreSQL's LIKE
 * compares case, so there the name is lowered. Tenant IDs are stored in lower case and hold only hex
 * digits and dashes: a search with any other character cannot match one, and does not scan them.
 */
export function whereTenantMatches(qb: Knex.QueryBuilder, q: string): Knex.QueryBuilder {
  const pattern = likePattern(q);
  const name = kindOf(qb) === 'postgres' ? 'lower(t.tenant_name)' : 't.tenant_name';
  return qb.where((w) => {
    w.whereRaw(`${name} LIKE ? ESCAPE '\\'`, [pattern]);
    if (/^[0-9a-f-]+$/i.test(q)) w.orWhereRaw("t.tenant_guid LIKE ? ESCAPE '\\'", [pattern]);
  });
}

type Membership = 'mine' | 'org';

/**
 * Tenants of the FRP view inside the user's scope, with the search filter. Both tab filters come from
 * src/auth/scope.ts and are subsets of what the scope may see (my P- assignments; my org's P-RMs), so
 * the broader visibility filter is not repeated here.
 */
function tabBase(db: Db, scope: AccessScope, membership: Membership, q: string): Knex.QueryBuilder {
  const qb = db('tenants as t');
  if (membership === 'org') whereOrgTenant(qb, scope, 't.id');
  else whereAssignedToMe(qb, scope, 't.id');
  if (q) whereTenantMatches(qb, q);
  return qb;
}

function tabQuery(db: Db, scope: AccessScope, tab: Tab, q: string, activity: ListQuery['activity']): Knex.QueryBuilder {
  if (tab === 'partner') {
    const qb = tabBase(db, scope, 'org', q);
    if (activity !== 'all') qb.where('t.is_active', activity === 'active');
    return qb;
  }
  return tabBase(db, scope, 'mine', q).where('t.is_active', tab === 'my-active');
}

/** The three tab counts for the current search (each label shows its count), in two queries. */
export async function countTabs(
  db: Db,
  scope: AccessScope,
  q: string,
  activity: ListQuery['activity'],
): Promise<Record<Tab, number>> {
  const mine = await tabBase(db, scope, 'mine', q)
    .select('t.is_active as active')
    .count({ n: '*' })
    .groupBy('t.is_active');
  const partner = await tabQuery(db, scope, 'partner', q, activity).count({ n: '*' }).first();
  const mineCount = (active: boolean) =>
    Number(mine.find((r: { active: unknown; n: unknown }) => Boolean(r.active) === active)?.n ?? 0);
  return { 'my-active': mineCount(true), 'my-inactive': mineCount(false), partner: Number(partner?.n ?? 0) };
}

/** A row of the FRP view as every user of the scope sees it: all but the user's own roles. */
export type ListEntry = Omit<TenantListRow, 'myRoles'>;

const LIST_COLUMNS = [
  't.id',
  't.tenant_guid',
  't.tenant_name',
  't.customer_name',
  't.country',
  't.is_active',
  't.overall_status',
  't.overall_status_date',
  't.last_os_note_at',
];

/** The list's columns of `t` and its figures (services, entitlements, primary P-RM: a lookup each per row). */
function selectListColumns(db: Db, qb: Knex.QueryBuilder): Knex.QueryBuilder {
  return qb.select(
    ...LIST_COLUMNS,
    db.raw('coalesce(t.priority_override, t.priority) as priority'),
    db.raw('(SELECT count(*) FROM tenant_services ts WHERE ts.tenant_id = t.id) AS service_count'),
    db.raw(
      '(SELECT sum(coalesce(ts.entitlement_override, ts.total_entitlements)) FROM tenant_services ts WHERE ts.tenant_id = t.id) AS total_entitlements',
    ),
    db.raw(
      `(SELECT u.display_name FROM assignment_scopes s JOIN assignments a ON a.id = s.assignment_id
         JOIN users u ON u.id = a.assignee_user_id
        WHERE s.tenant_id = t.id AND s.type = 'P-RM' AND s.scope = 'TENANT' AND s.is_primary = ?) AS primary_prm`,
      [true],
    ),
  );
}

function toListEntry(r: Record<string, unknown>): ListEntry {
  return {
    id: r.id as number,
    tenantGuid: r.tenant_guid as string,
    tenantName: r.tenant_name as string,
    customerName: r.customer_name as string,
    country: (r.country as string) ?? null,
    isActive: Boolean(r.is_active),
    overallStatus: (r.overall_status as string) ?? null,
    overallStatusDate: (r.overall_status_date as string) ?? null,
    lastOsNoteAt: (r.last_os_note_at as string) ?? null,
    priority: (r.priority as string) ?? null,
    serviceCount: Number(r.service_count ?? 0),
    totalEntitlements: Number(r.total_entitlements ?? 0),
    primaryPrm: (r.primary_prm as string) ?? null,
  };
}

/**
 * Every tenant of the user's org (the Partner List's set) as the list shows it, unsorted: what
 * src/features/tenants/list-index.ts keeps in memory. At most `limit` rows; more means the set is too
 * large to keep, and the caller reads pages through SQL.
 */
export async function orgEntries(db: Db, scope: AccessScope, limit: number): Promise<ListEntry[]> {
  return (await selectListColumns(db, tabBase(db, scope, 'org', '')).limit(limit)).map(toListEntry);
}

/**
 * These tenants as the list shows them, by id and without a scope of its own: the ids come from a
 * query in the user's scope (a page of `tabQuery`, the user's own assignments), or, for the change
 * log, their rows only replace rows a set read in scope already holds (src/features/tenants/list-sets.ts).
 */
export async function entriesByIds(db: Db, ids: number[]): Promise<ListEntry[]> {
  const rows = await chunked<Record<string, unknown>>(ids, (part) =>
    selectListColumns(db, db('tenants as t').whereIn('t.id', part)),
  );
  return rows.map(toListEntry);
}

/**
 * The user's P- roles by tenant, each tenant's in type order: the My tabs' set (src/auth/scope.ts
 * whereAssignedToMe) and the My Roles column. With `ids`, for those tenants only.
 */
export async function myRoles(db: Db, scope: AccessScope, ids?: number[]): Promise<Map<number, string[]>> {
  const query = (part?: number[]) => {
    const qb = db('assignments').where({ assignee_user_id: scope.userId, is_partner_type: true });
    if (part) qb.whereIn('tenant_id', part);
    return qb.orderBy('type').select('tenant_id', 'type');
  };
  const rows: { tenant_id: number; type: string }[] = ids ? await chunked(ids, query) : await query();
  const roles = new Map<number, string[]>();
  for (const r of rows) roles.set(r.tenant_id, [...(roles.get(r.tenant_id) ?? []), r.type]);
  return roles;
}

/**
 * One page of a tab, sorted (nulls last, then tenant name) — or every row when `all` is set (CSV):
 * the page's ids first, then those rows with their figures.
 */
export async function listTenants(db: Db, scope: AccessScope, query: ListQuery, all = false): Promise<TenantListRow[]> {
  const dir = query.dir === 'desc' ? 'DESC' : 'ASC';
  const sortSql = SORT_SQL[query.sort];
  const qb = tabQuery(db, scope, query.tab, query.q, query.activity)
    .select('t.id')
    .orderByRaw(`(${sortSql}) IS NULL, ${sortSql} ${dir}, t.tenant_name ${dir}, t.id`);
  if (!all) qb.limit(query.pageSize).offset((query.page - 1) * query.pageSize);
  const ids: number[] = (await qb).map((r: { id: number }) => r.id);
  const byId = new Map((await entriesByIds(db, ids)).map((e) => [e.id, e]));
  const roles = await myRoles(db, scope, ids);
  return ids.map((id) => ({ ...(byId.get(id) as ListEntry), myRoles: roles.get(id) ?? [] }));
}

/** SQLite limits bound parameters; CSV exports of thousands of rows query their figures in slices. */
async function chunked<T>(ids: number[], run: (part: number[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += 500) out.push(...(await run(ids.slice(i, i + 500))));
  return out;
}

export interface TenantHeader {
  id: number;
  tenantGuid: string;
  tenantName: string;
  customerName: string;
  country: string | null;
  segment: string | null;
  isEnterprise: boolean;
  isActive: boolean;
  overallStatus: string | null;
  overallStatusDate: string | null;
  totalSeats: number | null;
  priority: string | null;
  version: number;
  myRoles: string[];
  // The summary's general facts (DOMAIN.md §5.6), read with the row rather than again by the tenant view.
  createdAt: string;
  updatedAt: string;
  enteredFtcAt: string | null;
  isVolumeLicensing: boolean;
  eligible: boolean;
  enterpriseLevel: string | null;
}

/**
 * A tenant by its Tenant ID, only if the scope may see it; undefined means 404 either way. Every tenant
 * route runs it first, so it is two prepared statements (the scope's condition from src/auth/scope.ts),
 * not knex's builder, which cost more than the reads themselves.
 */
export async function findTenant(db: Db, scope: AccessScope, tenantGuid: string): Promise<TenantHeader | undefined> {
  const visible = tenantVisibleSql(scope, 't.id');
  const r = await readRow<Record<string, unknown>>(
    db,
    `SELECT t.* FROM tenants t WHERE t.tenant_guid = ?${visible ? ` AND ${visible.sql}` : ''} LIMIT 1`,
    [tenantGuid.toLowerCase(), ...(visible?.params ?? [])],
  );
  if (!r) return undefined;
  const roles = await readRows<{ type: string }>(
    db,
    'SELECT type FROM assignments WHERE tenant_id = ? AND assignee_user_id = ? AND is_partner_type = ? ORDER BY type',
    [r.id, scope.userId, true],
  );
  return {
    id: Number(r.id),
    tenantGuid: String(r.tenant_guid),
    tenantName: String(r.tenant_name),
    customerName: String(r.customer_name),
    country: r.country as string | null,
    segment: r.segment as string | null,
    isEnterprise: Boolean(r.is_enterprise),
    isActive: Boolean(r.is_active),
    overallStatus: r.overall_status as string | null,
    overallStatusDate: r.overall_status_date as string | null,
    totalSeats: r.total_seats as number | null,
    priority: (r.priority_override ?? r.priority) as string | null,
    version: Number(r.version),
    myRoles: roles.map((role) => role.type),
    createdAt: r.created_at as string,
    updatedAt: r.updated_at as string,
    enteredFtcAt: r.entered_ftc_at as string | null,
    isVolumeLicensing: Boolean(r.is_volume_licensing),
    eligible: Boolean(r.eligible),
    enterpriseLevel: r.enterprise_level as string | null,
  };
}
