import { stringify } from 'csv-stringify/sync';
import type { Db } from '../../db/db';
import type { AccessScope, AccessLevel } from '../../auth/scope';
import { BadRequest, Forbidden, NotFound } from '../../http/errors';
import { countTabs, findTenant, listTenants, TenantHeader, TenantListRow } from './tenants.repo';
import { indexedPage } from './list-index';
import { entitlementsForTenant, EntitlementPaneRow } from './entitlements.repo';
import { ListQuery, listQuerySchema, Tab } from './tenants.schemas';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The FRP tab a user lands on. Internal users hold no P- assignments, so their My tabs are always
 * empty; they land on the Partner List, which shows the tenants of the orgs they manage (DOMAIN.md §5.2).
 */
export function landingTab(kind: AccessScope['kind']): Tab {
  return kind === 'internal' ? 'partner' : 'my-active';
}

/**
 * Validates the FRP view query; repeated parameters use their first value and a missing tab is
 * `defaultTab` (the user's landing tab). Throws BadRequest (400).
 */
export function parseListQuery(raw: Record<string, unknown>, defaultTab: Tab = 'my-active'): ListQuery {
  const flat = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const { value, error } = listQuerySchema.validate(flat, { context: { defaultTab } });
  if (error) throw new BadRequest(`Invalid list query: ${error.details[0].message.replace(/"/g, '')}`);
  return value;
}

export interface FrpView {
  query: ListQuery;
  rows: TenantListRow[];
  counts: Record<Tab, number>;
  total: number;
  pageCount: number;
}

/**
 * One page of the FRP view with the tab counts. A page past the end shows the last page. On SQLite the
 * rows come from the in-memory list of the user's sets (src/features/tenants/list-index.ts, current
 * with every write), otherwise from SQL; `fresh` reads SQL whatever memory holds (the Refresh button).
 */
export async function frpView(db: Db, scope: AccessScope, query: ListQuery, fresh = false): Promise<FrpView> {
  const indexed = fresh ? null : await indexedPage(db, scope, query);
  if (indexed) {
    const { counts, total, page, pageCount, rows } = indexed;
    return { query: { ...query, page }, rows, counts, total, pageCount };
  }
  const counts = await countTabs(db, scope, query.q, query.activity);
  const total = counts[query.tab];
  const pageCount = Math.max(1, Math.ceil(total / query.pageSize));
  const effective = { ...query, page: Math.min(query.page, pageCount) };
  const rows = total === 0 ? [] : await listTenants(db, scope, effective);
  return { query: effective, rows, counts, total, pageCount };
}

/** Every row of the tab as CSV (UTF-8 with BOM so spreadsheet tools read accents, header row first). */
export async function frpCsv(db: Db, scope: AccessScope, query: ListQuery): Promise<string> {
  const rows = await listTenants(db, scope, query, true);
  return (
    '\ufeff' +
    stringify(
      rows.map((r) => [
        r.tenantName,
        r.tenantGuid,
        r.customerName,
        r.country ?? '',
        r.isActive ? 'Active' : 'Inactive',
        r.overallStatus ?? '',
        r.overallStatusDate ?? '',
        r.lastOsNoteAt ? r.lastOsNoteAt.slice(0, 10) : '',
        r.priority ?? '',
        r.serviceCount,
        r.totalEntitlements,
        r.primaryPrm ?? '',
        r.myRoles.join(' '),
      ]),
      {
        header: true,
        columns: [
          'Tenant Name',
          'Tenant ID',
          'Customer',
          'Country',
          'Tenant State',
          'Overall Status',
          'Status Date',
          'Last OS Note Date',
          'Priority',
          'Entitled Services',
          'Total Entitlements',
          'Primary P-RM',
          'My Roles',
        ],
        // A cell starting with = + - @ is neutralised so a spreadsheet never runs it as a formula.
        cast: { string: (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v) },
      },
    )
  );
}

export interface TenantContext extends TenantHeader {
  access: AccessLevel;
}

/**
 * Resolves a Tenant ID in the user's scope. Malformed, missing and out-of-scope ids all throw the
 * same NotFound (SECURITY.md decision 3). Access is `edit` for users assigned to the tenant and admins.
 */
export async function loadTenant(db: Db, scope: AccessScope, tenantGuid: string): Promise<TenantContext> {
  const tenant = GUID.test(tenantGuid) ? await findTenant(db, scope, tenantGuid) : undefined;
  if (!tenant) throw new NotFound();
  const access: AccessLevel = scope.kind === 'admin' || tenant.myRoles.length > 0 ? 'edit' : 'read';
  return { ...tenant, access };
}

export function entitlements(db: Db, tenant: TenantContext): Promise<EntitlementPaneRow[]> {
  return entitlementsForTenant(db, tenant.id);
}

/**
 * Only users assigned to the tenant (and admins) may change it (DOMAIN.md §1.2); org members who are
 * not assigned and internal users are read-only. Throws Forbidden (403).
 */
export function assertCanEdit(tenant: TenantContext): void {
  if (tenant.access !== 'edit')
    throw new Forbidden('You can view this tenant but not change it: you are not assigned to it.');
}
