import type { SessionUser } from '../../auth/users.repo';
import type { Config } from '../../config';
import type { Db } from '../../db/db';
import { INTERNAL_ASSIGNMENT_TYPES, PARTNER_ASSIGNMENT_TYPES } from '../../domain/enums';
import { ELIGIBILITY_THRESHOLDS, meetsThreshold } from '../../domain/rules/eligibility.rules';
import { statusForm } from '../engagement/engagement.service';
import { notesEditorLink } from '../notes/notes-links';
import { FILTER_CATEGORIES, RANGES, tenantHistory, type HistoryQuery } from '../notes/notes.service';
import { entitlements, type TenantContext } from '../tenants/tenants.service';
import * as repo from './tenant-view.repo';

/** The tabs of the detailed tenant view (DOMAIN.md §5.6), each with its own URL under /tenants/:tenantId. */
export const TABS = [
  { key: 'status', label: 'Status', path: '/status' },
  { key: 'services', label: 'Services', path: '/services' },
  { key: 'contacts', label: 'Contacts', path: '/contacts' },
  { key: 'eligibility', label: 'Eligibility', path: '/eligibility' },
] as const;
export type TabKey = (typeof TABS)[number]['key'];

/** The Status tab's sub-tabs (DOMAIN.md §5.7). */
export const STATUS_TABS = [
  { key: 'overall', label: 'Overall Status', path: '/status' },
  { key: 'phases', label: 'Service Status', path: '/service-status' },
  { key: 'enterprise', label: 'Enterprise Status', path: '/enterprise-status' },
] as const;
export type StatusTabKey = (typeof STATUS_TABS)[number]['key'];

/** Roles the summary always lists, with or without a holder; other internal types only when present. */
const ALWAYS_SHOWN = [...PARTNER_ASSIGNMENT_TYPES, 'Onboarding RM', 'FPM'];

export interface TenantFrame {
  tab: TabKey;
  sub: StatusTabKey | null;
  tabs: typeof TABS;
  statusTabs: typeof STATUS_TABS;
  /** "P-FM, P-FE", "Guest (read-only)", the internal role, or "Admin". */
  accessLabel: string;
  holders: repo.RoleHolder[];
  facts: repo.TenantFacts;
}

/** The user's access level on the tenant as the header shows it (DOMAIN.md §5.6). */
export function accessLabel(tenant: TenantContext, user: SessionUser): string {
  if (tenant.access === 'edit') return tenant.myRoles.join(', ') || 'Admin';
  if (user.kind === 'internal') return `${user.internalRole ?? 'Internal'} (read-only)`;
  return 'Guest (read-only)';
}

/**
 * What every page of the tenant view shows around its panel: the header's access level, the summary of
 * role holders (P-RM, P-FM, P-FE, Onboarding RM, FPM, then the other internal types present) and facts.
 */
export async function tenantFrame(
  db: Db,
  tenant: TenantContext,
  user: SessionUser,
  tab: TabKey,
  sub: StatusTabKey | null = null,
): Promise<TenantFrame> {
  const [present, facts] = await Promise.all([repo.roleHolders(db, tenant.id), repo.tenantFacts(db, tenant)]);
  const order = [...ALWAYS_SHOWN, ...INTERNAL_ASSIGNMENT_TYPES.filter((t) => !ALWAYS_SHOWN.includes(t))];
  const holders = order.flatMap((type) => {
    const found = present.find((h) => h.type === type);
    if (found) return [found];
    return ALWAYS_SHOWN.includes(type) ? [{ type, primary: null, primaryOrg: null, assigned: 0 }] : [];
  });
  return {
    tab,
    sub: tab === 'status' ? (sub ?? 'overall') : null,
    tabs: TABS,
    statusTabs: STATUS_TABS,
    accessLabel: accessLabel(tenant, user),
    holders,
    facts,
  };
}

/**
 * The Overall Status sub-tab (DOMAIN.md §5.7.1): the Edit Tenant dialog's overall status form (the same
 * partial, route and rules), Create Notes, and the tenant's notes history (the /notes component).
 */
export async function overallPanel(db: Db, config: Config, tenant: TenantContext, query: HistoryQuery) {
  const [form, history] = await Promise.all([statusForm(db, config, tenant), tenantHistory(db, tenant, query)]);
  return {
    form,
    errors: {},
    conflict: null,
    saved: false,
    query,
    ...history,
    ranges: RANGES,
    categories: FILTER_CATEGORIES,
    createNotes: notesEditorLink(tenant.tenantGuid, 'Engagement Management'),
  };
}

export const SERVICE_GROUPS = ['Office 365', 'EMS', 'Windows'] as const;

/**
 * The Services tab (DOMAIN.md §5.8): entitled services grouped Office 365 / EMS / Windows, each with
 * its L1/L2 counts; `expanded` lists the rows shown open (the no-JavaScript path of the row toggle).
 */
export async function servicesOverview(db: Db, tenant: TenantContext, expanded: string[]) {
  const [rows, reasons] = await Promise.all([entitlements(db, tenant), repo.reasonCounts(db, tenant.id)]);
  const services = rows.map((s) => ({
    ...s,
    reasons: reasons.filter((r) => r.code === s.code),
    expanded: expanded.includes(s.code),
    // V-20: only services with eligible entitlements have a page.
    hasPage: s.effectiveTotal > 0,
  }));
  return {
    groups: SERVICE_GROUPS.map((group) => ({ group, services: services.filter((s) => s.group === group) })).filter(
      (g) => g.services.length > 0,
    ),
    canEdit: tenant.access === 'edit',
  };
}

/** The Eligibility tab (DOMAIN.md §5.11): the read-only record and the program thresholds. */
export async function eligibilityView(db: Db, tenant: TenantContext) {
  const record = await repo.eligibility(db, tenant.id);
  return {
    record,
    thresholds: Object.entries(ELIGIBILITY_THRESHOLDS).map(([type, t]) => ({ type, ...t })),
    meets: record ? meetsThreshold(record.customerType, record.eligibleSeats) : null,
  };
}
