import type { Knex } from 'knex';
import type { UserKind } from '../../domain/enums';

/** Data access for users and queue principals (DOMAIN.md §2.2). */

export interface UserRow {
  id: number;
  org_id: number | null;
  upn: string;
  display_name: string;
  kind: UserKind;
  internal_role: string | null;
  is_partner_admin: number;
  status: string;
}

export interface NewUser {
  orgId: number | null;
  upn: string;
  displayName: string;
  kind: UserKind;
  internalRole: string | null;
  isPartnerAdmin: boolean;
  status: 'active' | 'provisioned' | 'disabled';
}

export async function findUserByUpn(db: Knex, upn: string): Promise<UserRow | undefined> {
  return db<UserRow>('users').where({ upn: upn.toLowerCase() }).first();
}

export async function insertUser(db: Knex, user: NewUser, at: string, actorId: number | null): Promise<number> {
  const [row] = await db('users')
    .insert({
      org_id: user.orgId,
      upn: user.upn,
      display_name: user.displayName,
      kind: user.kind,
      internal_role: user.internalRole,
      is_partner_admin: user.isPartnerAdmin,
      status: user.status,
      created_at: at,
      created_by: actorId,
      updated_at: at,
      updated_by: actorId,
    })
    .returning('id');
  return typeof row === 'object' ? row.id : row;
}

/** Adds the (user, org) pairs that are missing; existing ones are left as they are. */
export async function addManagedOrgs(db: Knex, userId: number, orgIds: number[]): Promise<number> {
  if (orgIds.length === 0) return 0;
  const existing = new Set(
    (await db('user_managed_orgs').where({ user_id: userId }).select('org_id')).map(
      (r: { org_id: number }) => r.org_id,
    ),
  );
  const missing = orgIds.filter((id) => !existing.has(id));
  if (missing.length) await db('user_managed_orgs').insert(missing.map((org_id) => ({ user_id: userId, org_id })));
  return missing.length;
}
