import type { Db } from '../db/db';
import { nowIso } from '../db/db';
import type { UserKind } from '../domain/enums';

/** Data access for the OpenID Connect sign-in (identity → user resolution in entra.service.ts). */

export interface IdentityUserRow {
  id: number;
  orgId: number | null;
  upn: string;
  kind: UserKind;
  status: 'active' | 'provisioned' | 'disabled';
  idpIssuer: string | null;
  idpSubject: string | null;
}

export interface OrgRow {
  id: number;
  entraTenantId: string | null;
  isActive: boolean;
}

interface RawUser {
  id: number;
  org_id: number | null;
  upn: string;
  kind: UserKind;
  status: IdentityUserRow['status'];
  idp_issuer: string | null;
  idp_subject: string | null;
}

const userCols = ['id', 'org_id', 'upn', 'kind', 'status', 'idp_issuer', 'idp_subject'];
const orgCols = ['o.id', 'o.entra_tenant_id', 'o.is_active'];

const toUser = (r: RawUser | undefined): IdentityUserRow | undefined =>
  r && {
    id: r.id,
    orgId: r.org_id,
    upn: r.upn,
    kind: r.kind,
    status: r.status,
    idpIssuer: r.idp_issuer,
    idpSubject: r.idp_subject,
  };

const toOrg = (
  r: { id: number; entra_tenant_id: string | null; is_active: number | boolean } | undefined,
): OrgRow | undefined => r && { id: r.id, entraTenantId: r.entra_tenant_id, isActive: Boolean(r.is_active) };

export async function findUserByIdentity(
  db: Db,
  issuer: string,
  subject: string,
): Promise<IdentityUserRow | undefined> {
  return toUser(await db('users').select(userCols).where({ idp_issuer: issuer, idp_subject: subject }).first());
}

export async function findUserByUpn(db: Db, upn: string): Promise<IdentityUserRow | undefined> {
  return toUser(await db('users').select(userCols).where('upn', upn.toLowerCase()).first());
}

export async function findOrgByTenantId(db: Db, tid: string): Promise<OrgRow | undefined> {
  return toOrg(
    await db('partner_orgs as o').select(orgCols).whereRaw('lower(o.entra_tenant_id) = ?', [tid.toLowerCase()]).first(),
  );
}

/** The org that whitelisted this domain (domains are unique across the system, DOMAIN.md §2.1). */
export async function findOrgByDomain(db: Db, domain: string): Promise<OrgRow | undefined> {
  return toOrg(
    await db('partner_orgs as o')
      .join('partner_domains as d', 'd.org_id', 'o.id')
      .select(orgCols)
      .where('d.domain', domain.toLowerCase())
      .first(),
  );
}

export async function isDomainWhitelisted(db: Db, orgId: number, domain: string): Promise<boolean> {
  const row = await db('partner_domains').where({ org_id: orgId, domain: domain.toLowerCase() }).first('id');
  return Boolean(row);
}

/**
 * Binds an OIDC identity to an existing user that has none yet and activates it. The `whereNull`
 * guard makes a concurrent second binding a no-op; returns whether this call bound it.
 */
export async function bindIdentity(db: Db, userId: number, issuer: string, subject: string): Promise<boolean> {
  const count = await db('users')
    .where('id', userId)
    .whereNull('idp_issuer')
    .whereNull('idp_subject')
    .whereNot('status', 'disabled')
    .update({
      idp_issuer: issuer,
      idp_subject: subject,
      status: 'active',
      updated_at: nowIso(),
      updated_by: userId,
      version: db.raw('version + 1'),
    });
  return count === 1;
}

/** A partner user created at first sign-in (DOMAIN.md A-22: the domain is whitelisted for the org). */
export async function createPartnerUser(
  db: Db,
  u: { orgId: number; upn: string; displayName: string; issuer: string; subject: string },
): Promise<number> {
  const at = nowIso();
  const [{ id }] = await db('users')
    .insert({
      org_id: u.orgId,
      upn: u.upn.toLowerCase(),
      display_name: u.displayName,
      kind: 'partner',
      status: 'active',
      idp_issuer: u.issuer,
      idp_subject: u.subject,
      created_at: at,
      updated_at: at,
    })
    .returning('id');
  return Number(id);
}

/** Why a user could not be loaded for a session: its status and whether its org is active. */
export async function findUserStanding(
  db: Db,
  userId: number,
): Promise<{ status: string; orgId: number | null; orgActive: boolean | null } | undefined> {
  const row = await db('users as u')
    .leftJoin('partner_orgs as o', 'o.id', 'u.org_id')
    .where('u.id', userId)
    .first('u.status', 'u.org_id', 'o.is_active');
  return (
    row && { status: row.status, orgId: row.org_id, orgActive: row.is_active === null ? null : Boolean(row.is_active) }
  );
}
