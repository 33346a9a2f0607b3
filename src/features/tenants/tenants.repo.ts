import type { Knex } from 'knex';
import { kindOf, type Db } from '../../db/db';
import { AccessScope, whereAssignedToMe, whereOrgTenant, whereTenantVisible } from '../../auth/scope';
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

/** The list's own columns of a tenant (`t`): what the FRP sorts, filters and shows without figures. */
export type ListEntry = Omit<TenantListRow, 'serviceCount' | 'totalEntitlements' | 'primaryPrm' | 'myRoles'>;

function selectListColumns(db: Db, qb: Knex.QueryBuilder): Knex.QueryBuilder {
  return qb.select(
    't.id',
    't.tenant_guid',
    't.tenant_name',
    't.customer_name',
    't.country',
    't.is_active',
    't.overall_status',
    't.overall_status_date',
    't.last_os_note_at',
    db.raw('coalesce(t.priority_override, t.priority) as priority'),
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
  };
}

/**
 * Every tenant of the user's org (the Partner List's set) with the list's columns, unsorted: what
 * src/features/tenants/list-index.ts keeps in memory. At most `limit` rows; more means the set is too
 * large to keep, and the caller reads pages through SQL.
 */
export async function orgEntries(db: Db, scope: AccessScope, limit: number): Promise<ListEntry[]> {
  return (await selectListColumns(db, tabBase(db, scope, 'org', '')).limit(limit)).map(toListEntry);
}

/** The tenants the user holds any P- assignment on (the My tabs' set, src/auth/scope.ts whereAssignedToMe). */
export function myTenantIds(db: Db, scope: AccessScope): Promise<number[]> {
  return db('assignments')
    .where({ assignee_user_id: scope.userId, is_partner_type: true })
    .distinct('tenant_id')
    .pluck('tenant_id');
}

/** The list's columns of these tenants. */
export async function entriesByIds(db: Db, ids: number[]): Promise<ListEntry[]> {
  const rows = await chunked<Record<string, unknown>>(ids, (part) =>
    selectListColumns(db, db('tenants as t').whereIn('t.id', part)),
  );
  return rows.map(toListEntry);
}

/**
 * One page of a tab, sorted (nulls last, then tenant name) — or every row when `all` is set (CSV).
 */
export async function listTenants(db: Db, scope: AccessScope, query: ListQuery, all = false): Promise<TenantListRow[]> {
  const dir = query.dir === 'desc' ? 'DESC' : 'ASC';
  const sortSql = SORT_SQL[query.sort];
  const qb = selectListColumns(db, tabQuery(db, scope, query.tab, query.q, query.activity)).orderByRaw(
    `(${sortSql}) IS NULL, ${sortSql} ${dir}, t.tenant_name ${dir}, t.id`,
  );
  if (!all) qb.limit(query.pageSize).offset((query.page - 1) * query.pageSize);
  return withFigures(db, scope, (await qb).map(toListEntry));
}

/** The per-row figures (services, entitlements, primary P-RM, my roles), read for the given rows' ids only. */
export async function withFigures(db: Db, scope: AccessScope, entries: ListEntry[]): Promise<TenantListRow[]> {
  if (entries.length === 0) return [];
  const ids = entries.map((r) => r.id);
  const [totals, primaries, roles] = await Promise.all([
    chunked(ids, (part) =>
      db('tenant_services')
        .whereIn('tenant_id', part)
        .groupBy('tenant_id')
        .select(
          'tenant_id',
          db.raw('count(*) as n'),
          db.raw('sum(coalesce(entitlement_override, total_entitlements)) as total'),
        ),
    ),
    chunked(ids, (part) =>
      db('assignment_scopes as s')
        .join('assignments as a', 'a.id', 's.assignment_id')
        .join('users as u', 'u.id', 'a.assignee_user_id')
        .whereIn('s.tenant_id', part)
        .where({ 's.type': 'P-RM', 's.scope': 'TENANT', 's.is_primary': true })
        .select('s.tenant_id', 'u.display_name'),
    ),
    chunked(ids, (part) =>
      db('assignments')
        .whereIn('tenant_id', part)
        .where({ assignee_user_id: scope.userId, is_partner_type: true })
        .orderBy('type')
        .select('tenant_id', 'type'),
    ),
  ]);
  const totalBy = new Map(totals.map((r) => [r.tenant_id, r]));
  const primaryBy = new Map(primaries.map((r) => [r.tenant_id, r.display_name as string]));
  const rolesBy = new Map<number, string[]>();
  for (const r of roles) rolesBy.set(r.tenant_id, [...(rolesBy.get(r.tenant_id) ?? []), r.type]);
  return entries.map((e) => ({
    ...e,
    serviceCount: Number(totalBy.get(e.id)?.n ?? 0),
    totalEntitlements: Number(totalBy.get(e.id)?.total ?? 0),
    primaryPrm: primaryBy.get(e.id) ?? null,
    myRoles: rolesBy.get(e.id) ?? [],
  }));
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
}

/** A tenant by its Tenant ID, only if the scope may see it; undefined means 404 either way. */
export async function findTenant(db: Db, scope: AccessScope, tenantGuid: string): Promise<TenantHeader | undefined> {
  const qb = db('tenants as t').where('t.tenant_guid', tenantGuid.toLowerCase());
  whereTenantVisible(qb, scope, 't.id', { perRow: true });
  const r = await qb.first();
  if (!r) return undefined;
  const myRoles = await db('assignments')
    .where({ tenant_id: r.id, assignee_user_id: scope.userId, is_partner_type: true })
    .orderBy('type')
    .pluck('type');
  return {
    id: r.id,
    tenantGuid: r.tenant_guid,
    tenantName: r.tenant_name,
    customerName: r.customer_name,
    country: r.country,
    segment: r.segment,
    isEnterprise: Boolean(r.is_enterprise),
    isActive: Boolean(r.is_active),
    overallStatus: r.overall_status,
    overallStatusDate: r.overall_status_date,
    totalSeats: r.total_seats,
    priority: r.priority_override ?? r.priority,
    version: r.version,
    myRoles,
  };
}
