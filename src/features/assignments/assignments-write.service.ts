import { type Db } from '../../db/db';
import { fieldErrors } from '../../domain/problems';
import { checkPrmRemoval, prmRemoval, removesAssignment } from '../../domain/rules/assignment.rules';
import type { TenantContext } from '../tenants/tenants.service';
import {
  audit,
  autoPrimary,
  checkScopes,
  context,
  findStored,
  flags,
  guarded,
  moveFlags,
  rewrite,
  sameScopes,
  stale,
  type Ctx,
  type Valued,
} from './assignments-apply';
import { insertProvisionedUser } from './assignments-people.repo';
import * as repo from './assignments.repo';
import { FORM_NAMES } from './assignments.schemas';
import { assertCanManage, assertPartnerType, resolveAssignee, type AssignmentActor } from './assignments.service';
import { AssignmentConflict, PaneRefusal, type PaneForm } from './assignments.types';
import { values } from './assignments.view';
import { tenantWrite } from '../../db/locks';

/**
 * Apply Assignments (DOMAIN.md §5.5): one pane's change committed in one transaction, which takes the
 * write lock first (src/db/sqlite-client.ts). Rules V-60…V-68 come from src/domain/rules/assignment.rules.ts
 * and are checked against the assignments as stored inside that transaction; every change writes an
 * AssignmentAudit row. Each function returns the sentence that tells the user what happened.
 */

/** A display name for a provisioned user until they sign in: "jane.doe@…" → "Jane Doe". */
export function nameFromUpn(upn: string): string {
  const local = upn.slice(0, upn.lastIndexOf('@'));
  return local
    .split(/[._-]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}

/**
 * Adds a P-RM, P-FM or P-FE (V-60…V-65, V-68), provisioning a whitelisted username nobody has used yet.
 * Throws Forbidden (403), PaneRefusal (422) or AssignmentConflict (409: the same assignee and type was
 * added by someone else meanwhile, V-65).
 */
export async function createAssignment(
  db: Db,
  tenant: TenantContext,
  actor: AssignmentActor,
  form: PaneForm,
): Promise<string> {
  assertCanManage(tenant, actor);
  assertPartnerType(form.type);
  return guarded(() =>
    tenantWrite(db, tenant.id, async (trx) => {
      const ctx = await context(trx, tenant, actor);
      const who = await resolveAssignee(trx, actor, form.username, form.type);
      const existing = who.user && ctx.all.find((a) => a.userId === who.user!.id && a.type === form.type);
      if (existing)
        throw new AssignmentConflict(
          `${existing.name} was given a ${form.type} assignment by someone else after you opened this form, so yours was not added. Their assignment is open below as saved.`,
          existing.id,
          existing.scopes,
        );
      const saving: Valued = { type: form.type, assignee: who.assignee, scopes: flags(form), stored: null };
      const before = ctx.all.map(values);
      const conflicts = checkScopes(ctx, saving, before, form);
      const others = await moveFlags(ctx, before, conflicts);
      const name = who.user?.name ?? nameFromUpn(who.upn);
      const auto = await autoPrimary(ctx, [...others, saving], { values: saving, name });
      const userId =
        who.user?.id ??
        (await insertProvisionedUser(trx, { upn: who.upn, name, orgId: who.org.id }, ctx.stamp.at, actor.userId));
      const id = await repo.insertAssignment(
        trx,
        { tenantId: tenant.id, userId, orgId: who.org.id, type: form.type },
        ctx.stamp,
      );
      await repo.replaceScopes(trx, { id, tenantId: tenant.id, type: form.type }, saving.scopes);
      await audit(ctx, { userId, type: form.type }, 'add', null, saving.scopes);
      const provisioned = who.user ? '' : ` ${who.upn} was provisioned and can sign in with that name.`;
      return `${name} was added as ${form.type}.${provisioned}${auto}`;
    }),
  );
}

/**
 * Saves an assignment's scopes and primary flags (V-61…V-64, V-68) against its `version` (409 when
 * stale); no scope left removes it (V-62) once confirmed (V-66, V-67).
 */
export async function updateAssignment(
  db: Db,
  tenant: TenantContext,
  actor: AssignmentActor,
  id: number,
  form: PaneForm,
): Promise<string> {
  assertCanManage(tenant, actor);
  return guarded(() =>
    tenantWrite(db, tenant.id, async (trx) => {
      const ctx = await context(trx, tenant, actor);
      const stored = findStored(ctx, id);
      if (String(stored.version) !== form.version) throw stale(stored);
      if (removesAssignment(form.scopes)) return remove(ctx, stored, form, 'scopes');
      const saving: Valued = { ...values(stored), scopes: flags(form) };
      const before = ctx.all.filter((a) => a.id !== id).map(values);
      const conflicts = checkScopes(ctx, saving, before, form);
      const others = await moveFlags(ctx, before, conflicts);
      const auto = await autoPrimary(ctx, [...others, saving], { values: saving, name: stored.name });
      if (sameScopes(stored.scopes, saving.scopes))
        return `Nothing changed: ${stored.name}’s ${stored.type} assignment is as it was.${auto}`;
      await rewrite(ctx, stored, saving.scopes);
      return `${stored.name}’s ${stored.type} assignment was saved.${auto}`;
    }),
  );
}

/** Removes an assignment once confirmed (V-67), with the last P-RM guard (V-66); 409 when `version` is stale. */
export async function deleteAssignment(
  db: Db,
  tenant: TenantContext,
  actor: AssignmentActor,
  id: number,
  form: PaneForm,
): Promise<string> {
  assertCanManage(tenant, actor);
  return guarded(() =>
    tenantWrite(db, tenant.id, async (trx) => {
      const ctx = await context(trx, tenant, actor);
      const stored = findStored(ctx, id);
      if (form.version && String(stored.version) !== form.version) throw stale(stored);
      return remove(ctx, stored, form, 'confirm');
    }),
  );
}

async function remove(
  ctx: Ctx,
  stored: repo.StoredAssignment,
  form: PaneForm,
  at: 'confirm' | 'scopes',
): Promise<string> {
  const removal = prmRemoval(ctx.all.map(values), values(stored));
  const block = checkPrmRemoval(removal, ctx.actor, form.confirmTenantName, ctx.tenant.tenantName);
  const refused = block.find((p) => p.path[0] === 'confirm');
  if (refused) throw new PaneRefusal({ [at]: refused.message }, false, removal);
  if (!form.confirm) {
    const what = `${stored.name}’s ${stored.type} assignment`;
    const ask =
      at === 'scopes'
        ? `Unticking every scope removes ${what}. Tick “Yes, remove it” and apply again, or tick a scope to keep it.`
        : `Confirm that ${what} should be removed.`;
    throw new PaneRefusal({ [at]: ask }, false, removal);
  }
  if (block.length > 0) throw new PaneRefusal(fieldErrors(block, FORM_NAMES), false, removal);
  await repo.deleteAssignment(ctx.trx, ctx.tenant.id, stored.id);
  await audit(ctx, stored, 'delete', stored.scopes, null);
  const rest = ctx.all.filter((a) => a.id !== stored.id);
  const auto = await autoPrimary(ctx, rest.map(values));
  // V-62: the person's last assignment on the tenant takes it off their My tabs.
  const left =
    stored.kind !== 'queue' && !rest.some((a) => a.userId === stored.userId && a.type.startsWith('P-'))
      ? ` ${stored.name} has no assignment left on this tenant, so it has left their My Active and My Inactive tabs.`
      : '';
  const portfolio =
    removal === 'last' ? ` The tenant has left ${stored.orgName ?? 'the organisation'}’s Partner List.` : '';
  return `${stored.name}’s ${stored.type} assignment was removed.${left}${portfolio}${auto}`;
}
