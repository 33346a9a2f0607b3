import { INTERNAL_ASSIGNMENT_TYPES, PARTNER_ASSIGNMENT_TYPES, TENANT_SCOPE } from '../enums';
import { Problems, type Problem } from '../problems';
import { domainOf } from '../values';

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
      problems.add(['scopes', m], undefined, `unknown scope "${scope}" (TENANT or a service code)`);
  });
  primary.forEach((scope, m) => {
    if (!scopes.includes(scope))
      problems.add(['primary', m], 'V-63', `${scope} is marked primary but is not one of the scopes`);
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
