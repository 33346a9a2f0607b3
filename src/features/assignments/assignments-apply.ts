import type { Knex } from 'knex';
import { constraintViolation } from '../../db/constraint-error';
import { nowIso } from '../../db/db';
import { TENANT_SCOPE } from '../../domain/enums';
import {
  changeRefusal,
  checkAssignment,
  needsTenantPrimary,
  NO_SCOPE_MESSAGE,
  primaryConflicts,
  primaryHeldMessage,
  sentence,
  type AssignmentValues,
  type ScopeFlag,
} from '../../domain/rules/assignment.rules';
import { Forbidden, NotFound } from '../../http/errors';
import type { TenantContext } from '../tenants/tenants.service';
import { insertAudit } from './assignments-audit.repo';
import * as repo from './assignments.repo';
import type { AssignmentActor } from './assignments.service';
import { AssignmentConflict, PaneRefusal, type PaneForm } from './assignments.types';
import { chips, personLabel } from './assignments.view';

/**
 * The steps every Apply Assignments save shares, inside its transaction: the stored assignments as they are
 * now, V-61…V-64 on the scopes asked for, "Replace primary", V-68 and the audit row of each change.
 */

export type Valued = AssignmentValues & { stored: repo.StoredAssignment | null };

export interface Ctx {
  trx: Knex;
  tenant: TenantContext;
  actor: AssignmentActor;
  stamp: repo.Stamp;
  all: repo.StoredAssignment[];
  catalogue: repo.CatalogueService[];
}

export async function context(trx: Knex, tenant: TenantContext, actor: AssignmentActor): Promise<Ctx> {
  const [all, catalogue] = await Promise.all([repo.listAssignments(trx, tenant.id), repo.catalogue(trx, tenant.id)]);
  return { trx, tenant, actor, stamp: { at: nowIso(), actorId: actor.userId }, all, catalogue };
}

export const flags = (form: PaneForm): ScopeFlag[] =>
  form.scopes.map((scope) => ({ scope, primary: form.primary.includes(scope) }));

export const label = (ctx: Ctx, scope: string) => chips([{ scope, primary: false }], ctx.catalogue)[0].label;

export const sameScopes = (a: readonly ScopeFlag[], b: readonly ScopeFlag[]) =>
  a.length === b.length && a.every((x) => b.some((y) => y.scope === x.scope && y.primary === x.primary));

/** V-61 (assignee kind), unknown scopes, V-63, V-62 (at least one scope) and V-64; returns the flags to move. */
export function checkScopes(ctx: Ctx, saving: Valued, others: Valued[], form: PaneForm) {
  const fields: Record<string, string> = {};
  const isService = (code: string) => ctx.catalogue.some((c) => c.code === code);
  for (const p of checkAssignment(saving.type, saving.assignee, form.scopes, form.primary, isService))
    fields[p.rule === 'V-61' ? 'username' : String(p.path[0])] ??= sentence(p.message);
  if (form.scopes.length === 0) fields.scopes ??= NO_SCOPE_MESSAGE;
  if (Object.keys(fields).length > 0) throw new PaneRefusal(fields);
  const conflicts = primaryConflicts(others, saving);
  const blocking = conflicts.filter((c) => !c.replaceable || !form.replacePrimary);
  if (blocking.length > 0) {
    const message = blocking.map((c) => {
      const holder = c.holder.stored!;
      return primaryHeldMessage(
        saving.type,
        label(ctx, c.scope),
        personLabel(holder, ctx.actor),
        holder.orgName,
        c.replaceable,
      );
    });
    throw new PaneRefusal(
      { primary: message.join(' ') },
      conflicts.some((c) => c.replaceable),
    );
  }
  return conflicts;
}

export async function audit(
  ctx: Ctx,
  a: { userId: number; type: string },
  action: 'add' | 'update' | 'delete',
  before: ScopeFlag[] | null,
  after: ScopeFlag[] | null,
) {
  await insertAudit(
    ctx.trx,
    { tenantId: ctx.tenant.id, assigneeUserId: a.userId, type: a.type, action, before, after },
    ctx.stamp,
  );
}

/** Writes a stored assignment's new scopes with its version and an audit row. */
export async function rewrite(ctx: Ctx, a: repo.StoredAssignment, scopes: ScopeFlag[]): Promise<void> {
  await repo.replaceScopes(ctx.trx, { id: a.id, tenantId: ctx.tenant.id, type: a.type }, scopes);
  await repo.touch(ctx.trx, a.id, ctx.stamp);
  await audit(ctx, a, 'update', a.scopes, scopes);
}

/** "Replace primary" (V-64): the holders of the same org lose the flags the save takes; returns the others as they are after. */
export async function moveFlags(
  ctx: Ctx,
  others: Valued[],
  conflicts: ReturnType<typeof checkScopes>,
): Promise<Valued[]> {
  const after: Valued[] = [];
  for (const o of others) {
    const lost = conflicts.filter((c) => c.holder === o).map((c) => c.scope);
    if (lost.length === 0) after.push(o);
    else {
      const scopes = o.scopes.map((s) => (lost.includes(s.scope) ? { ...s, primary: false } : s));
      await rewrite(ctx, o.stored!, scopes);
      after.push({ ...o, scopes });
    }
  }
  return after;
}

/** V-68: when the tenant has one P-RM, its Tenant scope is primary. `saving` (if given) takes the flag before it is written. */
export async function autoPrimary(
  ctx: Ctx,
  list: Valued[],
  saving?: { values: Valued; name: string },
): Promise<string> {
  const lone = needsTenantPrimary(list);
  if (!lone) return '';
  const scopes = lone.scopes.map((s) => (s.scope === TENANT_SCOPE ? { ...s, primary: true } : s));
  if (lone === saving?.values) saving.values.scopes = scopes;
  else await rewrite(ctx, lone.stored!, scopes);
  const name = lone === saving?.values ? saving.name : lone.stored!.name;
  return ` ${name} is the only P-RM, so the assignment was made tenant primary automatically.`;
}

export function findStored(ctx: Ctx, id: number): repo.StoredAssignment {
  const stored = ctx.all.find((a) => a.id === id);
  if (!stored) throw new NotFound();
  const refusal = changeRefusal(ctx.actor, stored.type, stored.orgName);
  if (refusal) throw new Forbidden(refusal);
  return stored;
}

export function stale(stored: repo.StoredAssignment): AssignmentConflict {
  return new AssignmentConflict(
    `${stored.name}’s ${stored.type} assignment was changed by someone else after you opened it, so your changes were not saved.`,
    stored.id,
    stored.scopes,
  );
}

/** The database's own guards (V-64 index, V-65 unique key) as the same answers, should a rule ever miss. */
export async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const v = constraintViolation(err);
    if (v?.kind === 'unique' && v.table === 'assignment_scopes')
      throw new PaneRefusal({
        primary: 'Someone else holds one of these primary flags now. Reload the assignments and try again.',
      });
    if (v?.kind === 'unique' && v.table === 'assignments')
      throw new AssignmentConflict(
        'This assignment was added by someone else meanwhile, so yours was not saved.',
        null,
        null,
      );
    throw err;
  }
}
