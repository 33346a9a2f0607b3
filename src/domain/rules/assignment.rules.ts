import { INTERNAL_ASSIGNMENT_TYPES, PARTNER_ASSIGNMENT_TYPES, TENANT_SCOPE } from '../enums';
import { Problems, type Problem } from '../problems';
import { domainOf, isEmail } from '../values';

/** Assignments of a tenant (DOMAIN.md §1.4, §2.11, §4.7), in the domain's names. */
export interface ScopeFlag {
  scope: string;
  primary: boolean;
}

/** Who an assignee is, as far as the rules care. */
export interface Assignee {
  upn: string;
  kind: 'partner' | 'internal' | 'admin' | 'queue';
  orgName: string | null;
}

export interface AssignmentValues {
  type: string;
  assignee: Assignee;
  scopes: ScopeFlag[];
}

const PARTNER_TYPES = new Set<string>(PARTNER_ASSIGNMENT_TYPES);
const INTERNAL_TYPES = new Set<string>(INTERNAL_ASSIGNMENT_TYPES);

/** V-60: a partner user's (or assignee's) email domain is whitelisted for the org. */
export function checkWhitelisted(email: string, orgName: string, domains: ReadonlySet<string>): Problem[] {
  return domains.has(domainOf(email))
    ? []
    : [{ path: ['email'], rule: 'V-60', message: `domain not whitelisted for ${orgName}` }];
}

/**
 * V-61 (partner types only for partner users and queues, internal types only for the others) and
 * V-63 (a primary flag only on a selected scope, each scope TENANT or a catalogue service).
 */
export function checkAssignment(
  type: string,
  who: Assignee,
  scopes: readonly string[],
  primary: readonly string[],
  isService: (code: string) => boolean,
): Problem[] {
  const problems = new Problems();
  const partner = who.kind === 'partner' || who.kind === 'queue';
  if (PARTNER_TYPES.has(type) && !partner)
    problems.add(['type'], 'V-61', `${type} is a partner assignment type; ${who.upn} is not a partner user or queue`);
  else if (INTERNAL_TYPES.has(type) && partner)
    problems.add(['type'], 'V-61', `${type} is an internal assignment type; ${who.upn} is a partner principal`);
  scopes.forEach((scope, m) => {
    if (scope !== TENANT_SCOPE && !isService(scope))
      problems.add(
        ['scopes', m],
        undefined,
        `"${scope}" is not a scope: use TENANT or a service code of the catalogue`,
      );
  });
  primary.forEach((scope, m) => {
    if (!scopes.includes(scope))
      problems.add(['primary', m], 'V-63', `${scope} is marked primary but is not one of the assigned scopes`);
  });
  return problems.list;
}

/** V-65: one assignment per (tenant, assignee, type). */
export const assignmentKey = (a: { type: string; assignee: { upn: string } }) => `${a.assignee.upn}|${a.type}`;

/**
 * V-64: at most one primary per (tenant, type, scope). Returns each clash: the later assignment in
 * `all` asking for a flag another one already holds.
 */
export function primaryClashes<T extends AssignmentValues>(
  all: readonly T[],
): { asking: T; holder: T; scope: string }[] {
  const holders = new Map<string, T>();
  const out: { asking: T; holder: T; scope: string }[] = [];
  for (const a of all)
    for (const s of a.scopes.filter((x) => x.primary)) {
      const holder = holders.get(`${a.type}|${s.scope}`);
      if (holder) out.push({ asking: a, holder, scope: s.scope });
      else holders.set(`${a.type}|${s.scope}`, a);
    }
  return out;
}

export const primaryClashMessage = (type: string, scope: string, holder: string) =>
  `only one primary ${type} per tenant and scope: ${scope} is already primary for ${holder}`;

/**
 * §7.3 / §2.10: an approved CPOR claim links the tenant to the org; when the org has no P-RM on the
 * tenant, its queue gets one (tenant primary unless another P-RM holds it). Returns the new assignment.
 */
export function cporQueueAssignment(all: readonly AssignmentValues[], queue: Assignee): AssignmentValues | undefined {
  const pRms = all.filter((a) => a.type === 'P-RM');
  if (pRms.some((a) => a.assignee.orgName === queue.orgName)) return undefined;
  const taken = pRms.some((a) => a.scopes.some((s) => s.scope === TENANT_SCOPE && s.primary));
  return { type: 'P-RM', assignee: queue, scopes: [{ scope: TENANT_SCOPE, primary: !taken }] };
}

/**
 * V-68: the tenant's only P-RM assignment holds the tenant-primary flag. Returns that assignment when
 * its Tenant scope still has to be made primary (the caller sets the flag), otherwise undefined.
 */
export function needsTenantPrimary<T extends AssignmentValues>(all: readonly T[]): T | undefined {
  const pRms = all.filter((a) => a.type === 'P-RM');
  const tenantScope = pRms.length === 1 ? pRms[0].scopes.find((s) => s.scope === TENANT_SCOPE) : undefined;
  return tenantScope && !tenantScope.primary ? pRms[0] : undefined;
}

/** The acting user, as far as the assignment rules care (the Edit Assignments dialog; the import acts as the system). */
export interface Actor {
  kind: Assignee['kind'];
  orgName: string | null;
  isPartnerAdmin: boolean;
}

/** "domain not whitelisted …" → "Domain not whitelisted ….": a rule's message as a sentence on a screen. */
export function sentence(message: string): string {
  const s = message.trim();
  return `${s.charAt(0).toUpperCase()}${s.slice(1)}${/[.!?]$/.test(s) ? '' : '.'}`;
}

export const WHITELIST_MESSAGE = 'User must belong to a partner tenant whitelisted for FTOP access';

/**
 * V-60 for a username typed as a new assignee: shaped like a UPN/email, and its domain whitelisted for
 * `org` (the acting user's org; for a system admin, the org owning the domain, null when none does).
 * The whitelist decision is checkWhitelisted's, as in the import.
 */
export function checkNewAssignee(
  username: string,
  org: { name: string; domains: ReadonlySet<string> } | null,
): Problem[] {
  const upn = username.trim().toLowerCase();
  if (!isEmail(upn)) {
    const example = org ? [...org.domains][0] : 'partner.example';
    return [
      {
        path: ['username'],
        rule: 'V-60',
        message: `Enter the person's sign-in name as an email address, for example jane.doe@${example}.`,
      },
    ];
  }
  const domain = domainOf(upn);
  if (!org)
    return [
      {
        path: ['username'],
        rule: 'V-60',
        message: `${WHITELIST_MESSAGE}: no partner organisation has whitelisted ${domain}.`,
      },
    ];
  return checkWhitelisted(upn, org.name, org.domains).map((p) => ({
    path: ['username'],
    rule: p.rule,
    message: `${WHITELIST_MESSAGE}: ${domain} is not a whitelisted domain of ${org.name}.`,
  }));
}

/**
 * V-61 for the acting user: partner users change only P-RM, P-FM and P-FE assignments of their own org
 * (its users and queue); a system admin changes partner assignments of any org; internal users change
 * nothing. Internal types stay read-only on the Onboarding tab. Returns the refusal (403) or undefined.
 */
export function changeRefusal(actor: Actor, type: string, assigneeOrg: string | null): string | undefined {
  if (actor.kind !== 'partner' && actor.kind !== 'admin')
    return 'Internal users can view assignments but not change them.';
  if (!PARTNER_TYPES.has(type))
    return `${type} is an internal assignment: it is shown read-only on the Onboarding tab and cannot be changed here.`;
  if (actor.kind === 'partner' && assigneeOrg !== actor.orgName)
    return `This ${type} assignment belongs to ${assigneeOrg ?? 'another organisation'}; only that organisation can change it.`;
  return undefined;
}

/** V-62: an assignment needs at least one scope; saving one with none deletes it. */
export const removesAssignment = (scopes: readonly string[]) => scopes.length === 0;

export const NO_SCOPE_MESSAGE = 'Tick at least one scope: the Tenant row or a service.';

/**
 * V-64 for one assignment being saved (`saving`, with the primary flags it asks for) against the
 * tenant's other assignments: each scope whose primary another assignment holds, and whether "Replace
 * primary" may move it — only from a holder of the same org (DOMAIN.md §1.5: no taking over another
 * org's primary).
 */
export function primaryConflicts<T extends AssignmentValues>(
  others: readonly T[],
  saving: T,
): { scope: string; holder: T; replaceable: boolean }[] {
  return primaryClashes([...others, saving])
    .filter((c) => c.asking === saving)
    .map(({ scope, holder }) => ({
      scope,
      holder,
      replaceable: holder.assignee.orgName !== null && holder.assignee.orgName === saving.assignee.orgName,
    }));
}

/** V-64 on a screen: primaryClashMessage as a sentence, and what the user can do about it. */
export function primaryHeldMessage(
  type: string,
  scope: string,
  holder: string,
  holderOrg: string | null,
  replaceable: boolean,
) {
  const advice = replaceable
    ? `Tick “Replace primary” to move the flag, or untick Primary for ${scope}.`
    : `Only ${holderOrg ?? 'its organisation'} can hand it over; untick Primary for ${scope}.`;
  return `${sentence(primaryClashMessage(type, scope, holder))} ${advice}`;
}

/**
 * V-66: what removing `removing` means. 'none': not a P-RM; 'warn': a P-RM, but its org keeps another
 * one on the tenant; 'last': the org's last P-RM, the link between the tenant and the org.
 */
export type PrmRemoval = 'none' | 'warn' | 'last';

export function prmRemoval(all: readonly AssignmentValues[], removing: AssignmentValues): PrmRemoval {
  if (removing.type !== 'P-RM') return 'none';
  const key = assignmentKey(removing);
  const others = all.filter(
    (a) => a.type === 'P-RM' && assignmentKey(a) !== key && a.assignee.orgName === removing.assignee.orgName,
  );
  return others.length > 0 ? 'warn' : 'last';
}

export const PRM_WARNING =
  'Removing a P-RM can take this tenant out of your firm’s portfolio: without a P-RM of your organisation the tenant drops out of the Partner List and AU growth on it is no longer credited to you.';

/**
 * V-66 (block): the org's last P-RM may be removed only by a partner admin (or a system admin) who types
 * the tenant's name; ordinary partner users are refused. Compared without case and outer spaces.
 */
export function checkPrmRemoval(removal: PrmRemoval, actor: Actor, typedName: string, tenantName: string): Problem[] {
  if (removal !== 'last') return [];
  if (!actor.isPartnerAdmin && actor.kind !== 'admin')
    return [
      {
        path: ['confirm'],
        rule: 'V-66',
        message:
          'This is your organisation’s last P-RM on this tenant, so only a partner admin can remove it. Add another P-RM first, or ask your partner admin.',
      },
    ];
  if (typedName.trim().toLowerCase() !== tenantName.toLowerCase())
    return [
      {
        path: ['confirmTenantName'],
        rule: 'V-66',
        message: `Type the tenant name ${tenantName} to confirm removing the last P-RM.`,
      },
    ];
  return [];
}
