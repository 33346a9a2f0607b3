import { TENANT_SCOPE } from '../../domain/enums';
import {
  checkPrmRemoval,
  PRM_WARNING,
  prmRemoval,
  type Actor,
  type AssignmentValues,
  type PrmRemoval,
  type ScopeFlag,
} from '../../domain/rules/assignment.rules';
import type { AuditEntry } from './assignments-audit.repo';
import type { CatalogueService, StoredAssignment } from './assignments.repo';
import { INTERNAL_TITLES, PARTNER_BLOCKS } from './assignments.types';

/** What the Edit Assignments templates show, built from stored rows (no SQL, no express). */

export interface ScopeChip {
  scope: string;
  label: string;
  primary: boolean;
  entitled: boolean;
}

export interface AssigneeView {
  id: number;
  type: string;
  version: number;
  name: string;
  /** Only for the acting user's own org (DOMAIN.md §1.5: other orgs show name and org only). */
  upn: string | null;
  orgName: string | null;
  queue: boolean;
  provisioned: boolean;
  editable: boolean;
  chips: ScopeChip[];
  tenantPrimary: boolean;
  /** Service scopes (the "N" of "N of M services"). */
  services: number;
  /** V-66 for a delete of this assignment: none, warn, or the org's last P-RM. */
  removal: PrmRemoval;
  /** V-66: why this actor may not remove it (ordinary users, last P-RM), or null. */
  removalRefusal: string | null;
}

export interface HistoryLine extends AuditEntry {
  beforeChips: ScopeChip[] | null;
  afterChips: ScopeChip[] | null;
}

export interface EditorView {
  canManage: boolean;
  catalogue: CatalogueService[];
  blocks: {
    type: string;
    short: string;
    title: string;
    assignees: AssigneeView[];
    /** The tenant-primary holder's name, or null (the UI prompts for one on P-RM and P-FM, §1.4 item 9). */
    tenantPrimary: string | null;
    promptPrimary: boolean;
  }[];
  onboarding: { type: string; title: string; assignees: AssigneeView[] }[];
  /** Who holds each primary now, by `${type}|${scope}`: the pane names them next to the Primary box. */
  holders: Record<string, { name: string; id: number }>;
  history: HistoryLine[];
  historyTotal: number;
  /** Any scope flags (a conflict's stored and posted versions) as chips. */
  scopeChips(scopes: readonly ScopeFlag[]): ScopeChip[];
  prmWarning: string;
  /** V-66: partner admins and system admins may remove the last P-RM after typing the tenant name. */
  mayRemoveLast: boolean;
}

export const values = (a: StoredAssignment): AssignmentValues & { stored: StoredAssignment } => ({
  type: a.type,
  assignee: { upn: a.upn, kind: a.kind, orgName: a.orgName },
  scopes: a.scopes,
  stored: a,
});

/** Scope flags as chips: Tenant first, then the services in catalogue order, each with its name. */
export function chips(scopes: readonly ScopeFlag[], catalogue: readonly CatalogueService[]): ScopeChip[] {
  const order = (s: string) => (s === TENANT_SCOPE ? -1 : catalogue.findIndex((c) => c.code === s));
  return [...scopes]
    .sort((a, b) => order(a.scope) - order(b.scope))
    .map((s) => {
      const service = catalogue.find((c) => c.code === s.scope);
      return {
        scope: s.scope,
        label: s.scope === TENANT_SCOPE ? 'Tenant' : (service?.name ?? s.scope),
        primary: s.primary,
        entitled: s.scope === TENANT_SCOPE || Boolean(service?.entitled),
      };
    });
}

/** A person as other people see them: the queue as "FTP <org>", another org's people with their org. */
export function personLabel(a: { name: string; orgName: string | null }, actor: Actor): string {
  return a.orgName && actor.orgName !== a.orgName && !a.name.includes(a.orgName) ? `${a.name} (${a.orgName})` : a.name;
}

export function buildEditor(
  stored: StoredAssignment[],
  catalogue: CatalogueService[],
  audit: { entries: AuditEntry[]; total: number },
  actor: Actor,
  opts: { canManage: boolean; tenantName: string },
): EditorView {
  const all = stored.map(values);
  const view = (a: StoredAssignment): AssigneeView => {
    const removal = prmRemoval(all, values(a));
    const own = actor.kind === 'admin' || (a.orgName !== null && a.orgName === actor.orgName);
    const refusal = checkPrmRemoval(removal, actor, '', opts.tenantName).find((p) => p.path[0] === 'confirm');
    return {
      id: a.id,
      type: a.type,
      version: a.version,
      name: a.kind === 'internal' || own ? a.name : personLabel(a, actor),
      upn: own && a.kind !== 'queue' ? a.upn : null,
      orgName: a.orgName,
      queue: a.kind === 'queue',
      provisioned: a.status === 'provisioned',
      editable: opts.canManage && own && a.type.startsWith('P-'),
      chips: chips(a.scopes, catalogue),
      tenantPrimary: a.scopes.some((s) => s.scope === TENANT_SCOPE && s.primary),
      services: a.scopes.filter((s) => s.scope !== TENANT_SCOPE).length,
      removal,
      removalRefusal: refusal?.message ?? null,
    };
  };
  const holders: EditorView['holders'] = {};
  for (const a of stored)
    for (const s of a.scopes)
      if (s.primary) holders[`${a.type}|${s.scope}`] = { name: personLabel(a, actor), id: a.id };
  const internalTypes = [...new Set(stored.filter((a) => !a.type.startsWith('P-')).map((a) => a.type))];
  internalTypes.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return {
    canManage: opts.canManage,
    catalogue,
    blocks: PARTNER_BLOCKS.map((b) => ({
      ...b,
      assignees: stored.filter((a) => a.type === b.type).map(view),
      tenantPrimary: holders[`${b.type}|${TENANT_SCOPE}`]?.name ?? null,
      promptPrimary: b.type !== 'P-FE' && !holders[`${b.type}|${TENANT_SCOPE}`],
    })),
    onboarding: internalTypes.map((type) => ({
      type,
      title: INTERNAL_TITLES[type] ?? type,
      assignees: stored.filter((a) => a.type === type).map(view),
    })),
    holders,
    history: audit.entries.map((e) => ({
      ...e,
      actor: e.actor ? { ...e.actor, name: personLabel(e.actor, actor) } : null,
      assignee: {
        ...e.assignee,
        name: e.assignee.kind === 'internal' ? e.assignee.name : personLabel(e.assignee, actor),
      },
      beforeChips: e.before ? chips(e.before, catalogue) : null,
      afterChips: e.after ? chips(e.after, catalogue) : null,
    })),
    historyTotal: audit.total,
    scopeChips: (scopes) => chips(scopes, catalogue),
    prmWarning: PRM_WARNING,
    mayRemoveLast: actor.isPartnerAdmin || actor.kind === 'admin',
  };
}

/** Onboarding RM and FPM first (DOMAIN.md §5.5), then any other internal type present. */
const rank = (type: string) => (type === 'Onboarding RM' ? 0 : type === 'FPM' ? 1 : 2);
