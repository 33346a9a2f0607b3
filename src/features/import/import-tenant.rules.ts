import { renamed } from '../../domain/problems';
import { checkContact, type ContactValues } from '../../domain/rules/contact.rules';
import { checkEnterpriseStatus, checkEnterpriseTenant } from '../../domain/rules/enterprise-status.rules';
import { checkOverallStatus, checkStatusAndDate } from '../../domain/rules/overall-status.rules';
import { checkAssignments, resolve, type PlannedAssignment } from './import-assignments.rules';
import type { ExistingTenant } from './import-context.repo';
import type { RuleRun } from './import-run';
import type { ImportContact, ImportNote, ImportTenant } from './import.types';
import { checkService } from './import-service.rules';

/** The domain's names of a status update → this file's keys. */
const STATUS_NAMES = { status: 'overallStatus', statusDate: 'overallStatusDate', note: 'body' };

export interface PlannedTenant {
  src: ImportTenant;
  existing: ExistingTenant | undefined;
  /** The assignments to upsert (keyed by tenant, assignee, type); stored ones not listed stay as they are. */
  assignments: PlannedAssignment[];
}

/** Rules for one tenant of the import file: its fields, services, assignments, contacts, notes. */

const orNull = (v: string | null | undefined) => v || null;

/** An import file's contact in the domain's names (V-10…V-14 are src/domain/rules/contact.rules.ts). */
function contactValues(c: ImportContact): ContactValues {
  return {
    type: c.type,
    name: c.name,
    email: orNull(c.email),
    phone: orNull(c.phone),
    roleTitle: orNull(c.roleTitle),
    country: orNull(c.country),
    location: orNull(c.location),
    timeZone: orNull(c.timeZone),
    engaged: c.engaged ?? false,
    surveyEligible: c.surveyEligible ?? false,
    surveyLanguage: orNull(c.surveyLanguage),
    services: c.services ?? [],
    doNotCall: c.doNotCall ?? false,
    skillType: orNull(c.skillType),
    msRole: orNull(c.msRole),
  };
}

function checkContactEntry(
  run: RuleRun,
  c: ImportContact,
  tenantServices: Set<string>,
  cp: string,
  seen: Map<string, string>,
): void {
  const lookup = (kind: string) => [...(run.ctx.lookups.get(kind) ?? [])];
  run.report(
    cp,
    checkContact(contactValues(c), {
      entitled: tenantServices,
      languages: lookup('survey_language'),
      skillTypes: lookup('skill_type'),
    }),
  );
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
  if (n.overallStatus) {
    n.overallStatusDate ||= n.createdAt.slice(0, 10);
    const values = { status: n.overallStatus, statusDate: n.overallStatusDate, noteText: n.body };
    run.report(np, renamed(checkOverallStatus(values, run.options.entry), STATUS_NAMES));
  }
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
  if (tenant.overallStatus || tenant.overallStatusDate) {
    const problems = checkStatusAndDate(tenant.overallStatus ?? '', tenant.overallStatusDate ?? '', run.options.entry);
    run.report(p, renamed(problems, STATUS_NAMES));
  }

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
    if (run.ok(`${p}.contacts[${k}]`)) checkContactEntry(run, c, tenantServices, `${p}.contacts[${k}]`, seenContacts);
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
    // V-80: src/domain/rules/enterprise-status.rules.ts, as for the Status tab.
    const notEnterprise = checkEnterpriseTenant(enterprise);
    if (notEnterprise.length) return run.report(ep, notEnterprise);
    const statuses = [...(run.ctx.lookups.get('enterprise_status') ?? [])];
    run.report(ep, checkEnterpriseStatus(e, { statuses, entry: run.options.entry }));
    resolve(run, e.by, `${ep}.by`);
    e.at = new Date(e.at).toISOString();
    if (seenAt.has(e.at))
      run.add(`${ep}.at`, `an entry at ${e.at} is listed twice (also enterpriseStatus[${seenAt.get(e.at)}])`);
    seenAt.set(e.at, k);
  });
  return { src: tenant, existing, assignments };
}
