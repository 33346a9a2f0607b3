import { TENANT_SCOPE } from '../../domain/enums';
import {
  assignmentKey,
  checkAssignment,
  cporQueueAssignment,
  needsTenantPrimary,
  primaryClashes,
  primaryClashMessage,
  type Assignee,
  type AssignmentValues,
} from '../../domain/rules/assignment.rules';
import type { ExistingTenant } from './import-context.repo';
import type { Principal, RuleRun } from './import-run';
import type { ImportTenant } from './import.types';

/** V-60…V-68 as the importer checks them: a tenant's assignments merged with the stored ones. */

export type PlannedAssignee = { upn: string } | { queueOf: string };

export interface PlannedAssignment {
  type: string;
  assignee: PlannedAssignee;
  scopes: { scope: string; primary: boolean }[];
  /** file: as written; cpor: the org queue's P-RM for an approved claim (§7.3); auto-primary: a stored one changed by V-68. */
  origin: 'file' | 'cpor' | 'auto-primary';
}

interface Merged extends AssignmentValues {
  origin: 'db' | PlannedAssignment['origin'];
  /** The file entry's JSON path. */
  path?: string;
}

/** Resolves an email used as an assignee/author/… to a principal, reporting why it cannot be used. */
export function resolve(run: RuleRun, upn: string, path: string): Principal | undefined {
  const principal = run.principal(upn);
  if (!principal) run.add(path, `unknown user ${upn} (not in users and not in the database)`);
  else if (principal.problem) run.add(path, principal.problem);
  return principal && !principal.problem ? principal : undefined;
}

/**
 * V-60…V-68 for one tenant of the file (src/domain/rules/assignment.rules.ts), with the stored
 * assignments; returns what to write: the file's assignments, a CPOR queue P-RM (§7.3) and stored ones
 * whose tenant-primary flag V-68 sets.
 */
export function checkAssignments(
  run: RuleRun,
  tenant: ImportTenant,
  existing: ExistingTenant | undefined,
  linkedOrgs: string[],
  p: string,
): PlannedAssignment[] {
  const merged = new Map<string, Merged>();
  const assignee = (upn: string): Assignee => {
    const who = run.principal(upn);
    return { upn, kind: who?.kind ?? 'partner', orgName: who?.orgName ?? null };
  };
  for (const a of existing?.assignments ?? []) {
    const stored: Merged = { type: a.type, assignee: assignee(a.upn), scopes: a.scopes, origin: 'db' };
    merged.set(assignmentKey(stored), stored);
  }
  const fromFile = new Map<string, string>();
  tenant.assignments.forEach((a, k) => {
    const ap = `${p}.assignments[${k}]`;
    if (!run.ok(ap) || !resolve(run, a.user, `${ap}.user`)) return;
    const entered: Merged = {
      type: a.type,
      assignee: assignee(a.user),
      scopes: a.scopes.map((scope) => ({ scope, primary: a.primary.includes(scope) })),
      origin: 'file',
      path: ap,
    };
    const problems = checkAssignment(a.type, entered.assignee, a.scopes, a.primary, (c) => run.ctx.services.has(c));
    run.report(ap, problems);
    if (problems.some((x) => x.rule === 'V-61')) return;
    const key = assignmentKey(entered);
    if (fromFile.has(key))
      return run.add(ap, `${a.user} already has a ${a.type} assignment on this tenant (${fromFile.get(key)}) [V-65]`);
    fromFile.set(key, ap);
    if (problems.length === 0) merged.set(key, entered);
  });

  for (const orgName of new Set(linkedOrgs)) {
    const queue = cporQueueAssignment([...merged.values()], assignee(run.queueUpn(orgName)));
    if (queue) merged.set(assignmentKey(queue), { ...queue, assignee: { ...queue.assignee, orgName }, origin: 'cpor' });
  }

  // V-64 across every org, the file and the database together; reported at the file entry asking for the flag.
  for (const { asking: a, holder: h, scope } of primaryClashes([...merged.values()])) {
    const [asking, other] = a.path ? [a, h] : h.path ? [h, a] : [];
    if (!asking || !other) continue;
    const where = other.path ? ` (${other.path})` : ' in the database';
    run.add(`${asking.path}.primary`, `${primaryClashMessage(a.type, scope, other.assignee.upn)}${where} [V-64]`);
  }

  const only = needsTenantPrimary([...merged.values()]);
  if (only) {
    only.scopes = only.scopes.map((s) => (s.scope === TENANT_SCOPE ? { ...s, primary: true } : s));
    if (only.origin === 'db') only.origin = 'auto-primary';
  }
  return [...merged.values()]
    .filter((m): m is Merged & { origin: PlannedAssignment['origin'] } => m.origin !== 'db')
    .map((m) => ({
      type: m.type,
      assignee:
        m.assignee.kind === 'queue' && m.assignee.orgName ? { queueOf: m.assignee.orgName } : { upn: m.assignee.upn },
      scopes: m.scopes,
      origin: m.origin,
    }));
}
