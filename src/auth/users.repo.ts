import type { Db } from '../db/db';
import type { UserKind } from '../domain/enums';
import { readRow, readRows } from '../db/sql';

/** The signed-in principal as every request sees it (req.user). */
export interface SessionUser {
  id: number;
  upn: string;
  displayName: string;
  kind: UserKind;
  internalRole: string | null;
  orgId: number | null;
  orgName: string | null;
  isPartnerAdmin: boolean;
  /** Internal users: the partner orgs whose tenants they may view read-only. */
  managedOrgIds: number[];
}

/** A user as SIGN_IN_USER_COLUMNS reads them. */
export interface UserRow {
  id: number;
  upn: string;
  display_name: string;
  kind: UserKind;
  internal_role: string | null;
  org_id: number | null;
  org_name: string | null;
  is_partner_admin: number | boolean;
  status: string;
  org_active: number | boolean | null;
}

/** A user with their org's name and state (users `u`, partner_orgs `o`): sign-in, every session, the sign-in page. */
export const SIGN_IN_USER_COLUMNS = `u.id, u.upn, u.display_name, u.kind, u.internal_role, u.org_id, o.name AS org_name,
  u.is_partner_admin, u.status, o.is_active AS org_active`;
const USERS = `SELECT ${SIGN_IN_USER_COLUMNS} FROM users u LEFT JOIN partner_orgs o ON o.id = u.org_id`;

/**
 * Loads a user who may hold a session: active, not a queue principal, and (for partner users) in an
 * active org. Anyone else — disabled, removed, queue, org switched off — gets undefined (SECURITY.md case 11).
 */
export async function findSignInUser(
  db: Db,
  where: { id: number } | { upn: string },
): Promise<SessionUser | undefined> {
  // Prepared statements, not the query builder (decision 115).
  const row = await ('id' in where
    ? readRow<UserRow>(db, `${USERS} WHERE u.id = ?`, [where.id])
    : readRow<UserRow>(db, `${USERS} WHERE u.upn = ?`, [where.upn.trim().toLowerCase()]));
  return sessionUserOf(db, row);
}

/**
 * The user a row read with SIGN_IN_USER_COLUMNS may act as, or undefined when they may not hold a
 * session (the rule of findSignInUser, for a row the session store read with the session: decision 131).
 */
export async function sessionUserOf(db: Db, row: UserRow | undefined): Promise<SessionUser | undefined> {
  if (!row || row.status === 'disabled' || row.kind === 'queue') return undefined;
  if (row.kind === 'partner' && !row.org_active) return undefined;
  const managedOrgIds =
    row.kind === 'internal'
      ? (await readRows<{ org_id: number }>(db, MANAGED_ORGS, [row.id])).map((r) => Number(r.org_id))
      : [];
  return {
    id: Number(row.id),
    upn: row.upn,
    displayName: row.display_name,
    kind: row.kind,
    internalRole: row.internal_role,
    orgId: row.org_id,
    orgName: row.org_name,
    isPartnerAdmin: Boolean(row.is_partner_admin),
    managedOrgIds,
  };
}

const MANAGED_ORGS = 'SELECT org_id FROM user_managed_orgs WHERE user_id = ?';

/** Users offered on the dev sign-in page, grouped by org. */
export async function listSignInUsers(
  db: Db,
): Promise<{ upn: string; displayName: string; kind: string; orgName: string | null; isPartnerAdmin: boolean }[]> {
  const rows = await readRows<UserRow>(
    db,
    `${USERS} WHERE u.kind <> 'queue' AND u.status <> 'disabled'
      ORDER BY coalesce(o.name, 'zzz'), u.kind, u.display_name LIMIT 200`,
  );
  return rows.map((r) => ({
    upn: r.upn,
    displayName: r.display_name,
    kind: r.kind,
    orgName: r.org_name,
    isPartnerAdmin: Boolean(r.is_partner_admin),
  }));
}

export async function recordSignIn(db: Db, userId: number, at: string): Promise<void> {
  await db('users').where('id', userId).update({ last_sign_in_at: at, status: 'active' });
}
