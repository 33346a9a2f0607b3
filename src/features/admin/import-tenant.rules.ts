import { INTERNAL_ASSIGNMENT_TYPES, PARTNER_ASSIGNMENT_TYPES, TENANT_SCOPE } from '../../domain/enums';
import type { ExistingTenant } from './import-context.repo';
import type { Principal, RuleRun } from './import.rules';
import type { ImportContact, ImportNote, ImportTenant } from './import.schemas';
import { checkService } from './import-service.rules';

/** Rules for one tenant of the import file: its fields, services, assignments, contacts, notes. */

export type Assignee = { upn: string } | { queueOf: string };

export interface PlannedAssignment {
  type: string;
  assignee: Assignee;
  scopes: { scope: string; primary: boolean }[];
  /** file: as written; cpor: the org queue's P-RM for an approved claim (§7.3); auto-primary: a stored one changed by V-68. */
  origin: 'file' | 'cpor' | 'auto-primary';
}

export interface PlannedTenant {
  src: ImportTenant;
  existing: ExistingTenant | undefined;
  /** The assignments to upsert (keyed by tenant, assignee, type); stored ones not listed stay as they are. */
  assignments: PlannedAssignment[];
}

const PARTNER_TYPES = new Set<string>(PARTNER_ASSIGNMENT_TYPES);
const INTERNAL_TYPES = new Set<string>(INTERNAL_ASSIGNMENT_TYPES);

interface Merged {
  key: string;
  type: string;
  upn: string;
  orgName: string | null;
  scopes: { scope: string; primary: boolean }[];
  origin: 'db' | PlannedAssignment['origin'];
  path?: string;
}

/** Resolves an email used as an assignee/author/… to a principal, reporting why it cannot be used. */
function resolve(run: RuleRun, upn: string, path: string): Principal | undefined {
  const principal = run.principal(upn);
  if (!principal) run.add(path, `unknown user ${upn} (not in users and not in the database)`);
  else if (principal.problem) run.add(path, principal.problem);
  return principal && !principal.problem ? principal : undefined;
}

function checkAssignments(
  run: RuleRun,
  tenant: ImportTenant,
  existing: ExistingTenant | undefined,
  linkedOrgs: string[],
  p: string,
): PlannedAssignment[] {
  const merged = new Map<string, Merged>();
  for (const a of existing?.assignments ?? []) {
    const who = run.principal(a.upn);
    merged.set(`${a.upn}|${a.type}`, {
      key: `${a.upn}|${a.type}`,
      type: a.type,
      upn: a.upn,
      orgName: who?.orgName ?? null,
      scopes: a.scopes,
      origin: 'db',
    });
  }
  const fromFile = new Map<string, string>();
  tenant.assignments.forEach((a, k) => {
    const ap = `${p}.assignments[${k}]`;
    if (!run.ok(ap)) return;
    const who = resolve(run, a.user, `${ap}.user`);
    if (!who) return;
    const partnerPrincipal = who.kind === 'partner' || who.kind === 'queue';
    if (PARTNER_TYPES.has(a.type) && !partnerPrincipal) {
      return run.add(
        `${ap}.type`,
        `${a.type} is a partner assignment type; ${a.user} is not a partner user or queue [V-61]`,
      );
    }
    if (INTERNAL_TYPES.has(a.type) && partnerPrincipal) {
      return run.add(`${ap}.type`, `${a.type} is an internal assignment type; ${a.user} is a partner principal [V-61]`);
    }
    let valid = true;
    a.scopes.forEach((scope, m) => {
      if (scope !== TENANT_SCOPE && !run.ctx.services.has(scope)) {
        valid = false;
        run.add(`${ap}.scopes[${m}]`, `unknown scope "${scope}" (TENANT or a service code)`);
      }
    });
    a.primary.forEach((scope, m) => {
      if (!a.scopes.includes(scope)) {
        valid = false;
        run.add(`${ap}.primary[${m}]`, `${scope} is marked primary but is not one of the scopes [V-63]`);
      }
    });
    const key = `${a.user}|${a.type}`;
    if (fromFile.has(key)) {
      return run.add(ap, `${a.user} already has a ${a.type} assignment on this tenant (${fromFile.get(key)}) [V-65]`);
    }
    fromFile.set(key, ap);
    if (!valid) return;
    merged.set(key, {
      key,
      type: a.type,
      upn: a.user,
      orgName: who.orgName,
      scopes: a.scopes.map((scope) => ({ scope, primary: a.primary.includes(scope) })),
      origin: 'file',
      path: ap,
    });
  });

  // §7.3 / §2.10: an approved CPOR claim links the tenant to the org: its queue gets a P-RM when the org has none.
  for (const orgName of new Set(linkedOrgs)) {
    const all = [...merged.values()];
    if (all.some((m) => m.type === 'P-RM' && m.orgName === orgName)) continue;
    const tenantPrimaryTaken = all.some(
      (m) => m.type === 'P-RM' && m.scopes.some((s) => s.scope === TENANT_SCOPE && s.primary),
    );
    const upn = run.queueUpn(orgName);
    merged.set(`${upn}|P-RM`, {
      key: `${upn}|P-RM`,
      type: 'P-RM',
      upn,
      orgName,
      scopes: [{ scope: TENANT_SCOPE, primary: !tenantPrimaryTaken }],
      origin: 'cpor',
    });
  }

  // V-64: one primary per (tenant, type, scope) across every org, the file and the database together.
  const holders = new Map<string, Merged>();
  for (const m of merged.values()) {
    for (const s of m.scopes.filter((x) => x.primary)) {
      const slot = `${m.type}|${s.scope}`;
      const holder = holders.get(slot);
      if (!holder) {
        holders.set(slot, m);
        continue;
      }
      // Report at the file entry that asks for the flag, naming whoever else holds it.
      const asking = m.path ? m : holder.path ? holder : undefined;
      const other = asking === m ? holder : m;
      if (asking) {
        const where = other.path ? ` (${other.path})` : ' in the database';
        run.add(
          `${asking.path}.primary`,
          `only one primary ${m.type} per tenant and scope: ${s.scope} is already primary for ${other.upn}${where} [V-64]`,
        );
      }
    }
  }

  // V-68: a tenant's only P-RM assignment holds the tenant-primary flag.
  const pRms = [...merged.values()].filter((m) => m.type === 'P-RM');
  if (pRms.length === 1) {
    const tenantScope = pRms[0].scopes.find((s) => s.scope === TENANT_SCOPE);
    if (tenantScope && !tenantScope.primary) {
      tenantScope.primary = true;
      if (pRms[0].origin === 'db') pRms[0].origin = 'auto-primary';
    }
  }
  return [...merged.values()]
    .filter((m): m is Merged & { origin: PlannedAssignment['origin'] } => m.origin !== 'db')
    .map((m) => ({
      type: m.type,
      assignee: run.principal(m.upn)?.kind === 'queue' && m.orgName ? { queueOf: m.orgName } : { upn: m.upn },
      scopes: m.scopes,
      origin: m.origin,
    }));
}

function checkContact(
  run: RuleRun,
  c: ImportContact,
  tenantServices: Set<string>,
  cp: string,
  seen: Map<string, string>,
): void {
  if (c.surveyEligible) {
    // V-11: a survey-eligible contact is an engaged Customer with email, country, language and ≥1 service.
    if (c.type !== 'Customer') run.add(`${cp}.type`, 'survey-eligible contacts must be Customer contacts [V-11]');
    if (!c.engaged) run.add(`${cp}.engaged`, 'must be true for a survey-eligible contact [V-11]');
    if (!c.email) run.add(`${cp}.email`, 'is required for a survey-eligible contact [V-11]');
    if (!c.country) run.add(`${cp}.country`, 'is required for a survey-eligible contact [V-11]');
    if (!c.surveyLanguage) run.add(`${cp}.surveyLanguage`, 'is required for a survey-eligible contact [V-11]');
    if (!c.services?.length)
      run.add(`${cp}.services`, 'at least one service is required for a survey-eligible contact [V-11]');
  }
  if (c.surveyLanguage && !run.ctx.lookups.get('survey_language')?.has(c.surveyLanguage)) {
    run.add(`${cp}.surveyLanguage`, `unknown survey language "${c.surveyLanguage}"`);
  }
  // V-13: type-specific fields.
  if (c.doNotCall && c.type !== 'Customer') run.add(`${cp}.doNotCall`, 'is only allowed on Customer contacts [V-13]');
  if (c.skillType && c.type !== 'Partner') run.add(`${cp}.skillType`, 'is only allowed on Partner contacts [V-13]');
  else if (c.skillType && !run.ctx.lookups.get('skill_type')?.has(c.skillType))
    run.add(`${cp}.skillType`, `unknown skill type "${c.skillType}"`);
  if (c.msRole && c.type !== 'Microsoft') run.add(`${cp}.msRole`, 'is only allowed on Microsoft contacts [V-13]');
  (c.services ?? []).forEach((code, m) => {
    if (!tenantServices.has(code))
      run.add(`${cp}.services[${m}]`, `${code} is not an entitled service of this tenant [V-14]`);
  });
  const key = contactKey(c);
  if (seen.has(key)) run.add(cp, `contact ${c.email || c.name} is listed twice (also ${seen.get(key)})`);
  seen.set(key, cp);
}

/** Upsert key of a contact within its tenant: type plus email, or type plus name when there is no email. */
export function contactKey(c: { type: string; email?: string | null; name: string }): string {
  return c.email ? `${c.type}|e|${c.email.toLowerCase()}` : `${c.type}|n|${c.name.trim().toLowerCase()}`;
}

function checkNote(
  run: RuleRun,
  n: ImportNote,
  tenantServices: Set<string>,
  np: string,
  seen: Map<string, string>,
): void {
  resolve(run, n.author, `${np}.author`);
  // Stored in one canonical UTC form, so the (tenant, author, createdAt) key matches on re-import.
  n.createdAt = new Date(n.createdAt).toISOString();
  if (Date.parse(n.createdAt) > run.options.now.getTime() + 5 * 60_000)
    run.add(`${np}.createdAt`, 'must not be in the future');
  n.services.forEach((code, m) => {
    if (!tenantServices.has(code))
      run.add(`${np}.services[${m}]`, `${code} is not an entitled service of this tenant [V-71]`);
  });
  if (n.overallStatus && n.category !== 'Engagement Management') {
    run.add(`${np}.overallStatus`, 'is only allowed on Engagement Management notes');
  }
  if (n.overallStatusDate && !n.overallStatus) run.add(`${np}.overallStatusDate`, 'needs overallStatus');
  if (n.overallStatus && !n.overallStatusDate) n.overallStatusDate = n.createdAt.slice(0, 10);
  const key = `${n.author}|${n.createdAt}`;
  if (seen.has(key)) run.add(np, `a note by ${n.author} at ${n.createdAt} is listed twice (also ${seen.get(key)})`);
  seen.set(key, np);
}

/** Checks one tenant entry; returns its plan (also when it has problems: the caller decides). */
export function checkTenant(run: RuleRun, tenant: ImportTenant, p: string): PlannedTenant | null {
  if (!run.ok(`${p}.tenantId`) || typeof tenant !== 'object' || tenant === null) return null;
  const existing = run.ctx.tenants.get(tenant.tenantId);
  if (tenant.segment && run.ok(`${p}.segment`) && !run.ctx.lookups.get('segment')?.has(tenant.segment)) {
    run.add(`${p}.segment`, `unknown segment "${tenant.segment}"`);
  }
  if (tenant.overallStatus && !tenant.overallStatusDate)
    run.add(`${p}.overallStatusDate`, 'is required with overallStatus');
  if (tenant.overallStatusDate && !tenant.overallStatus)
    run.add(`${p}.overallStatus`, 'is required with overallStatusDate');

  const services = Array.isArray(tenant.services) ? tenant.services : [];
  const tenantServices = new Set<string>(existing?.services.keys() ?? []);
  const seenCodes = new Map<string, number>();
  const linkedOrgs: string[] = [];
  services.forEach((svc, j) => {
    const sp = `${p}.services[${j}]`;
    if (run.ok(`${sp}.code`)) {
      if (seenCodes.has(svc.code))
        run.add(`${sp}.code`, `${svc.code} is listed twice (also services[${seenCodes.get(svc.code)}])`);
      seenCodes.set(svc.code, j);
      if (run.ctx.services.has(svc.code)) tenantServices.add(svc.code);
    }
    linkedOrgs.push(...checkService(run, svc, existing?.services.get(svc.code), sp));
  });

  const assignments = Array.isArray(tenant.assignments) ? checkAssignments(run, tenant, existing, linkedOrgs, p) : [];
  const seenContacts = new Map<string, string>();
  (Array.isArray(tenant.contacts) ? tenant.contacts : []).forEach((c, k) => {
    if (run.ok(`${p}.contacts[${k}]`)) checkContact(run, c, tenantServices, `${p}.contacts[${k}]`, seenContacts);
  });
  const seenNotes = new Map<string, string>();
  (Array.isArray(tenant.notes) ? tenant.notes : []).forEach((n, k) => {
    if (run.ok(`${p}.notes[${k}]`)) checkNote(run, n, tenantServices, `${p}.notes[${k}]`, seenNotes);
  });

  const enterprise = tenant.enterprise ?? existing?.isEnterprise ?? false;
  const seenAt = new Map<string, number>();
  (Array.isArray(tenant.enterpriseStatus) ? tenant.enterpriseStatus : []).forEach((e, k) => {
    const ep = `${p}.enterpriseStatus[${k}]`;
    if (!run.ok(ep)) return;
    if (!enterprise)
      return run.add(ep, 'enterprise status entries need an enterprise tenant (enterprise: true) [V-80]');
    if (!run.ctx.lookups.get('enterprise_status')?.has(e.status))
      run.add(`${ep}.status`, `unknown enterprise status "${e.status}"`);
    resolve(run, e.by, `${ep}.by`);
    e.at = new Date(e.at).toISOString();
    if (seenAt.has(e.at))
      run.add(`${ep}.at`, `an entry at ${e.at} is listed twice (also enterpriseStatus[${seenAt.get(e.at)}])`);
    seenAt.set(e.at, k);
  });
  return { src: tenant, existing, assignments };
}
