import type { Knex } from 'knex';
import type { SessionUser } from '../../auth/users.repo';
import type { Db } from '../../db/db';
import { INTERNAL_ASSIGNMENT_TYPES, PARTNER_ASSIGNMENT_TYPES } from '../../domain/enums';
import { fieldErrors } from '../../domain/problems';
import {
  changeRefusal,
  checkAssignment,
  checkNewAssignee,
  sentence,
  type Actor,
  type Assignee,
} from '../../domain/rules/assignment.rules';
import { domainOf } from '../../domain/values';
import { Forbidden, NotFound } from '../../http/errors';
import type { TenantContext } from '../tenants/tenants.service';
import { listAudit } from './assignments-audit.repo';
import { findOrg, findUser, type UserRecord } from './assignments-people.repo';
import * as repo from './assignments.repo';
import { PaneRefusal, type PaneForm, type PaneState } from './assignments.types';
import { buildEditor, type EditorView } from './assignments.view';

/** The acting user: the rules' Actor plus who they are (their org comes from the session, never the form). */
export interface AssignmentActor extends Actor {
  userId: number;
  orgId: number | null;
}

export function actorOf(user: SessionUser): AssignmentActor {
  return {
    userId: user.id,
    kind: user.kind,
    orgId: user.orgId,
    orgName: user.orgName,
    isPartnerAdmin: user.isPartnerAdmin,
  };
}

/**
 * Who may change assignments on a visible tenant: users assigned to it, the org's partner admins
 * (on every tenant of their org, DOMAIN.md §1.1) and system admins. Guests and internal users read.
 */
export function canManage(tenant: TenantContext, actor: AssignmentActor): boolean {
  if (actor.kind === 'admin') return true;
  return actor.kind === 'partner' && (tenant.access === 'edit' || actor.isPartnerAdmin);
}

/** Throws Forbidden (403) unless the actor may change this tenant's assignments. */
export function assertCanManage(tenant: TenantContext, actor: AssignmentActor): void {
  if (!canManage(tenant, actor))
    throw new Forbidden(
      actor.kind === 'internal'
        ? 'Internal users can view assignments but not change them.'
        : 'You can view these assignments but not change them: you are not assigned to this tenant.',
    );
}

/**
 * The type of a new assignment: P-RM, P-FM or P-FE. An internal type is Forbidden (403, V-61: the
 * Onboarding tab is read-only); anything else is a PaneRefusal on `type` (422).
 */
export function assertPartnerType(type: string): void {
  if ((PARTNER_ASSIGNMENT_TYPES as readonly string[]).includes(type)) return;
  if ((INTERNAL_ASSIGNMENT_TYPES as readonly string[]).includes(type))
    throw new Forbidden(`${type} is an internal assignment: it is shown read-only on the Onboarding tab.`);
  throw new PaneRefusal({ type: 'Choose the kind of assignment: P-RM, P-FM or P-FE.' });
}

/** Everything the dialog shows: both tabs, the history (newest 50) and what this actor may do. */
export async function loadEditor(db: Db, tenant: TenantContext, actor: AssignmentActor): Promise<EditorView> {
  const [stored, catalogue, audit] = await Promise.all([
    repo.listAssignments(db, tenant.id),
    repo.catalogue(db, tenant.id),
    listAudit(db, tenant.id, 50),
  ]);
  return buildEditor(stored, catalogue, audit, actor, {
    canManage: canManage(tenant, actor),
    tenantName: tenant.tenantName,
  });
}

export interface ResolvedAssignee {
  upn: string;
  user: UserRecord | undefined;
  org: { id: number; name: string };
  assignee: Assignee;
}

/**
 * A typed username as an assignee (V-60, V-61): a UPN whose domain the actor's org has whitelisted (a
 * system admin: the org owning the domain), of an existing partner user or queue of that org or of
 * nobody yet (provisioned on save, A-22). Throws PaneRefusal on `username` (422).
 */
export async function resolveAssignee(
  conn: Db | Knex.Transaction,
  actor: AssignmentActor,
  username: string,
  type: string,
): Promise<ResolvedAssignee> {
  const upn = username.trim().toLowerCase();
  const org =
    actor.kind === 'admin'
      ? await findOrg(conn, { domain: domainOf(upn) })
      : actor.orgId !== null
        ? await findOrg(conn, { id: actor.orgId })
        : undefined;
  const whitelist = checkNewAssignee(upn, org ?? null);
  if (whitelist.length > 0 || !org) throw new PaneRefusal(fieldErrors(whitelist));
  const user = await findUser(conn, upn);
  if (user && user.orgId !== null && user.orgId !== org.id)
    throw new PaneRefusal({ username: `${upn} belongs to ${user.orgName}, not to ${org.name}.` });
  if (user?.status === 'disabled')
    throw new PaneRefusal({ username: `${user.name} (${upn}) is disabled and cannot be given assignments.` });
  const assignee: Assignee = { upn, kind: user?.kind ?? 'partner', orgName: org.name };
  const kind = checkAssignment(type, assignee, [], [], () => true).filter((p) => p.rule === 'V-61');
  if (kind.length > 0) throw new PaneRefusal({ username: sentence(kind[0].message) });
  return { upn, user, org, assignee };
}

/** How the pane names a username: the person's display name, or the username while nobody has it. */
export async function assigneeName(db: Db, username: string): Promise<string> {
  return (username && (await findUser(db, username))?.name) || username;
}

export const blankForm = (type: string, username = ''): PaneForm => ({
  type,
  username,
  scopes: [],
  primary: [],
  replacePrimary: false,
  version: '',
  confirm: false,
  confirmTenantName: '',
});

/**
 * The edit pane of a stored assignment, as stored. Throws NotFound for another tenant's id and Forbidden (V-61)
 * for an assignment the actor may not change (another org's, an internal type).
 */
export async function editPane(
  db: Db,
  tenant: TenantContext,
  actor: AssignmentActor,
  assignmentId: number,
): Promise<PaneState> {
  const a = (await repo.listAssignments(db, tenant.id)).find((x) => x.id === assignmentId);
  if (!a) throw new NotFound();
  const refusal = changeRefusal(actor, a.type, a.orgName);
  if (refusal) throw new Forbidden(refusal);
  const form: PaneForm = {
    ...blankForm(a.type, a.upn),
    scopes: a.scopes.map((s) => s.scope),
    primary: a.scopes.filter((s) => s.primary).map((s) => s.scope),
    version: String(a.version),
  };
  return {
    mode: 'edit',
    type: a.type,
    assignmentId: a.id,
    assigneeName: a.name,
    form,
    canReplace: false,
    removal: null,
  };
}

/**
 * The Add step under a block (DOMAIN.md §5.5): checks the username (V-60, V-61) and opens the pane for a
 * new assignee, or — V-65, one assignment per (tenant, assignee, type) — the existing record with a notice.
 */
export async function startAdd(
  db: Db,
  tenant: TenantContext,
  actor: AssignmentActor,
  type: string,
  username: string,
): Promise<{ pane: PaneState; notice: string | null }> {
  assertCanManage(tenant, actor);
  assertPartnerType(type);
  const who = await resolveAssignee(db, actor, username, type);
  const existing = who.user
    ? (await repo.listAssignments(db, tenant.id)).find((a) => a.userId === who.user!.id && a.type === type)
    : undefined;
  if (existing) {
    const pane = await editPane(db, tenant, actor, existing.id);
    return {
      pane,
      notice: `${existing.name} already has a ${type} assignment on this tenant, so it is open here for editing.`,
    };
  }
  const pane: PaneState = {
    mode: 'add',
    type,
    assignmentId: null,
    assigneeName: who.user?.name ?? who.upn,
    form: blankForm(type, who.upn),
    canReplace: false,
    removal: null,
  };
  return {
    pane,
    notice: who.user ? null : `${who.upn} has not used the portal yet; saving creates their account (provisioned).`,
  };
}
