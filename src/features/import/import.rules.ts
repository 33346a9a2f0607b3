import { checkWhitelisted } from '../../domain/rules/assignment.rules';
import { domainOf, isDomain } from '../../domain/values';
import type { ImportProblem } from '../admin/admin.errors';
import { QUEUE_DOMAIN } from '../admin/admin.validators';
import type { ImportContext } from './import-context.repo';
import { RuleRun, type Principal, type RunOptions } from './import-run';
import type { ImportFile, ImportTenant } from './import.types';
import { checkTenant, type PlannedTenant } from './import-tenant.rules';

/**
 * Cross-reference rules of the import file (CONTRACT.md §5), run after the joi shape check.
 * Every rule reports into one list (nothing stops early) and skips values whose shape is already
 * wrong, so one mistake is reported once. The result is a normalised plan the writer can apply as is.
 */

export interface ImportPlan {
  file: ImportFile;
  tenants: PlannedTenant[];
}

function checkOrgs(run: RuleRun, file: Pick<ImportFile, 'orgs'>): void {
  const seenNames = new Map<string, number>();
  const seenDomains = new Map<string, string>();
  const seenEntra = new Map<string, number>();
  for (const org of run.ctx.orgs.values()) {
    run.orgNames.set(org.name.toLowerCase(), org.name);
    run.orgDomains.set(org.name.toLowerCase(), new Set(org.domains));
  }
  (Array.isArray(file.orgs) ? file.orgs : []).forEach((org, i) => {
    const p = `orgs[${i}]`;
    if (!run.ok(`${p}.name`)) return;
    const key = org.name.toLowerCase();
    const dbOrg = run.ctx.orgs.get(key);
    if (seenNames.has(key))
      run.add(`${p}.name`, `org "${org.name}" is listed twice (also orgs[${seenNames.get(key)}])`);
    seenNames.set(key, i);
    run.orgNames.set(key, dbOrg?.name ?? org.name);
    const domains = run.orgDomains.get(key) ?? new Set<string>();
    run.orgDomains.set(key, domains);
    if (run.ok(`${p}.domains`)) {
      org.domains.forEach((domain, j) => {
        const dp = `${p}.domains[${j}]`;
        if (!isDomain(domain)) return run.add(dp, `"${domain}" is not a valid domain name`);
        if (domain === QUEUE_DOMAIN || domain.endsWith(`.${QUEUE_DOMAIN}`))
          return run.add(dp, `${domain} is reserved for queue principals`);
        const owner = run.ctx.domainOwner.get(domain);
        if (owner && owner.toLowerCase() !== key)
          return run.add(dp, `domain ${domain} is already whitelisted for ${owner}`);
        if (seenDomains.has(domain))
          return run.add(dp, `domain ${domain} is listed twice (also ${seenDomains.get(domain)})`);
        seenDomains.set(domain, dp);
        domains.add(domain);
      });
    }
    if (org.entraTenantId && run.ok(`${p}.entraTenantId`)) {
      const owner = run.ctx.entraOwner.get(org.entraTenantId);
      if (owner && owner.toLowerCase() !== key)
        run.add(`${p}.entraTenantId`, `Entra tenant id already belongs to ${owner}`);
      else if (seenEntra.has(org.entraTenantId))
        run.add(
          `${p}.entraTenantId`,
          `Entra tenant id is listed twice (also orgs[${seenEntra.get(org.entraTenantId)}])`,
        );
      seenEntra.set(org.entraTenantId, i);
    }
  });
}

function checkUsers(run: RuleRun, file: Pick<ImportFile, 'users'>): void {
  for (const u of run.ctx.users.values()) {
    run.principals.set(u.upn, { upn: u.upn, kind: u.kind, orgName: u.orgName });
  }
  // Queues of every org (file or database) can be named as assignees by their UPN.
  for (const name of run.orgNames.values()) {
    const upn = run.queueUpn(name);
    if (!run.principals.has(upn)) run.principals.set(upn, { upn, kind: 'queue', orgName: name });
  }
  const seen = new Map<string, number>();
  (Array.isArray(file.users) ? file.users : []).forEach((user, i) => {
    const p = `users[${i}]`;
    if (!run.ok(`${p}.email`)) return;
    const kind = user.kind ?? 'partner';
    const existing = run.ctx.users.get(user.email);
    if (seen.has(user.email))
      return run.add(`${p}.email`, `user ${user.email} is listed twice (also users[${seen.get(user.email)}])`);
    seen.set(user.email, i);
    if (domainOf(user.email) === QUEUE_DOMAIN || existing?.kind === 'queue') {
      return run.add(`${p}.email`, `${user.email} is a queue principal; queues are created with their org`);
    }
    if (existing && existing.kind !== kind) {
      return run.add(
        `${p}.kind`,
        `${user.email} exists as a ${existing.kind} user; the kind cannot change through import`,
      );
    }
    const principal: Principal = { upn: user.email, kind, orgName: null };
    if (kind === 'partner' && user.org !== undefined && run.ok(`${p}.org`)) {
      const orgName = run.orgName(user.org);
      if (!orgName) {
        principal.problem = `unknown org "${user.org}"`;
        run.add(`${p}.org`, `unknown org "${user.org}" (not in orgs and not in the database)`);
      } else {
        principal.orgName = orgName;
        if (existing && existing.orgName !== orgName) {
          run.add(`${p}.org`, `${user.email} belongs to ${existing.orgName}; the org cannot change through import`);
        }
        const [notWhitelisted] = checkWhitelisted(
          user.email,
          orgName,
          run.orgDomains.get(orgName.toLowerCase()) ?? new Set(),
        );
        // Reported here and again, without the rule tag, wherever the user is named (CONTRACT.md §5).
        if (notWhitelisted) {
          principal.problem = notWhitelisted.message;
          run.add(`${p}.email`, notWhitelisted.message);
        }
      }
    }
    (run.ok(`${p}.managedOrgs`) ? (user.managedOrgs ?? []) : []).forEach((name, j) => {
      if (!run.orgName(name)) run.add(`${p}.managedOrgs[${j}]`, `unknown org "${name}"`);
    });
    run.principals.set(user.email, principal);
  });
}

/** The orgs and users of the file (checked before any tenant, which names them). */
export function checkHead(run: RuleRun, file: Pick<ImportFile, 'orgs' | 'users'>): void {
  checkOrgs(run, file);
  checkUsers(run, file);
}

/** Tenants of the file with their index (all of them, or one batch of a file read as a stream). */
export function checkTenants(run: RuleRun, tenants: { tenant: ImportTenant; index: number }[]): PlannedTenant[] {
  const planned: PlannedTenant[] = [];
  for (const { tenant, index: i } of tenants) {
    const p = `tenants[${i}]`;
    if (run.ok(`${p}.tenantId`)) {
      const first = run.tenantGuids.get(tenant.tenantId);
      if (first !== undefined && first !== i)
        run.add(`${p}.tenantId`, `tenant ${tenant.tenantId} is listed twice (also tenants[${first}])`);
      else run.tenantGuids.set(tenant.tenantId, i);
    }
    if (run.ok(`${p}.name`)) {
      const first = run.tenantNames.get(tenant.name);
      if (first !== undefined && first !== i)
        run.add(`${p}.name`, `tenant name ${tenant.name} is listed twice (also tenants[${first}])`);
      else run.tenantNames.set(tenant.name, i);
      const owner = run.ctx.tenantGuidByName.get(tenant.name);
      if (owner && run.ok(`${p}.tenantId`) && owner !== tenant.tenantId) {
        run.add(`${p}.name`, `tenant name ${tenant.name} is already used by tenant ${owner}`);
      }
    }
    const plan = checkTenant(run, tenant, p);
    if (plan) planned.push(plan);
  }
  return planned;
}

/**
 * Runs every cross-reference rule over a shape-checked file held in memory.
 * Returns the problems (shape errors first merged in) and, when there are none, the plan to write.
 */
export function checkImport(
  file: ImportFile,
  shapeErrors: ImportProblem[],
  ctx: ImportContext,
  options: RunOptions,
): { problems: ImportProblem[]; omitted: number; plan: ImportPlan } {
  const run = new RuleRun(ctx, shapeErrors, options);
  checkHead(run, file);
  const list = Array.isArray(file.tenants) ? file.tenants : [];
  const tenants = checkTenants(
    run,
    list.map((tenant, index) => ({ tenant, index })),
  );
  return { problems: sortProblems(run.problems), omitted: run.omitted, plan: { file, tenants } };
}

/** File order: orgs, then users, then tenants, each by index; within one entry, the order rules found them. */
export function sortProblems(problems: ImportProblem[]): ImportProblem[] {
  const rank = (path: string): [number, number] => {
    const m = /^(orgs|users|tenants)\[(\d+)\]/.exec(path);
    return m ? [['orgs', 'users', 'tenants'].indexOf(m[1]) + 1, Number(m[2])] : [0, 0];
  };
  return problems
    .map((p, i) => ({ p, i, r: rank(p.path) }))
    .sort((a, b) => a.r[0] - b.r[0] || a.r[1] - b.r[1] || a.i - b.i)
    .map(({ p }) => p);
}
