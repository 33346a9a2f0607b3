import { INTERNAL_ASSIGNMENT_TYPES, PARTNER_ASSIGNMENT_TYPES, TENANT_SCOPE } from '../../domain/enums';
import type { ExistingTenant } from './import-context.repo';
import type { Principal, RuleRun } from './import-run';
import type { ImportTenant } from './import.schemas';

/** V-60…V-68 as the importer checks them: a tenant's assignments merged with the stored ones. */

export type Assignee = { upn: string } | { queueOf: string };

export interface PlannedAssignment {
  type: string;
  assignee: Assignee;
  scopes: { scope: string; primary: boolean }[];
  /** file: as written; cpor: the org queue's P-RM for an approved claim (§7.3); auto-primary: a stored one changed by V-68. */
  origin: 'file' | 'cpor' | 'auto-primary';
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
export function resolve(run: RuleRun, upn: string, path: string): Principal | undefined {
  const principal = run.principal(upn);
  if (!principal) run.add(path, `unknown user ${upn} (not in users and not in the database)`);
  else if (principal.problem) run.add(path, principal.problem);
  return principal && !principal.problem ? principal : undefined;
}

export function checkAssignments(
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
