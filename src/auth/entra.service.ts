import type { Db } from '../db/db';
import { constraintViolation } from '../db/constraint-error';
import {
  bindIdentity,
  createPartnerUser,
  findOrgByDomain,
  findOrgByTenantId,
  findUserByIdentity,
  findUserByUpn,
  findUserStanding,
  isDomainWhitelisted,
  OrgRow,
} from './entra.repo';
import { findSignInUser, SessionUser } from './users.repo';

/**
 * Who a verified OpenID Connect identity is in the portal (SECURITY.md decision 6, DOMAIN.md §2.1–2.2, A-22).
 * No express here: entra.ts verifies the ID token and hands over its claims.
 */

/** The claims this module reads from a verified ID token (Microsoft Entra ID v2.0 names). */
export interface IdentityClaims {
  iss: string;
  sub: string;
  tid?: unknown;
  oid?: unknown;
  preferred_username?: unknown;
  upn?: unknown;
  email?: unknown;
  email_verified?: unknown;
  name?: unknown;
}

export type DenyReason =
  | 'unknown_org'
  | 'org_inactive'
  | 'no_username'
  | 'domain_not_whitelisted'
  | 'user_in_other_org'
  | 'subject_mismatch'
  | 'user_disabled';

export type Resolution =
  | { ok: true; user: SessionUser; outcome: 'existing' | 'bound' | 'provisioned' }
  | { ok: false; reason: DenyReason; message: string; orgId: number | null };

export const UNKNOWN_ORG_MESSAGE =
  'Your organisation is not registered for the FTOP Partner Portal. Ask your partner administrator to have your Entra tenant and domain whitelisted.';

const MESSAGES: Record<DenyReason, string> = {
  unknown_org: UNKNOWN_ORG_MESSAGE,
  no_username: UNKNOWN_ORG_MESSAGE,
  org_inactive:
    'Your organisation’s access to the FTOP Partner Portal is switched off. Ask your partner administrator.',
  domain_not_whitelisted:
    'User must belong to a partner tenant whitelisted for FTOP access. Ask your partner administrator to have your sign-in domain whitelisted.',
  user_in_other_org:
    'Your username is registered for a different organisation in the FTOP Partner Portal. Ask your partner administrator for help.',
  subject_mismatch:
    'Your username is already linked to a different Microsoft account in the FTOP Partner Portal. Ask your partner administrator for help.',
  user_disabled: 'Your FTOP Partner Portal account is disabled. Ask your partner administrator to re-enable it.',
};

const deny = (reason: DenyReason, orgId: number | null = null): Resolution => ({
  ok: false,
  reason,
  message: MESSAGES[reason],
  orgId,
});

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/**
 * The sign-in name: `preferred_username` (Entra's UPN), else `upn`, else `email` — the last only when
 * not explicitly unverified, since Entra's `email` claim is user-editable and unverified (nOAuth).
 * Lower-cased; undefined unless it looks like local@domain.
 */
export function usernameOf(claims: IdentityClaims): { upn: string; domain: string } | undefined {
  const raw =
    str(claims.preferred_username) ??
    str(claims.upn) ??
    (claims.email_verified === false ? undefined : str(claims.email));
  const upn = raw?.toLowerCase();
  const m = upn ? /^[^@\s]+@([^@\s]+\.[^@\s]+)$/.exec(upn) : null;
  return m && upn ? { upn, domain: m[1] } : undefined;
}

/**
 * The org of a new identity: the org registered with the token's tenant id; otherwise the org that
 * whitelisted the username's domain, but only if that org has no tenant id or the same one — an org
 * bound to tenant A is never entered with a token from tenant B.
 */
async function resolveOrg(db: Db, tid: string | undefined, domain: string | undefined): Promise<OrgRow | undefined> {
  if (tid) {
    const byTid = await findOrgByTenantId(db, tid);
    if (byTid) return byTid;
  }
  if (!domain) return undefined;
  const byDomain = await findOrgByDomain(db, domain);
  if (!byDomain) return undefined;
  if (byDomain.entraTenantId && byDomain.entraTenantId.toLowerCase() !== tid?.toLowerCase()) return undefined;
  return byDomain;
}

/** The session user for a resolved row, or the reason it may not sign in (disabled user, org switched off). */
async function finish(db: Db, userId: number, outcome: 'existing' | 'bound' | 'provisioned'): Promise<Resolution> {
  const user = await findSignInUser(db, { id: userId });
  if (user) return { ok: true, user, outcome };
  const row = await findUserStanding(db, userId);
  if (row && row.status !== 'disabled' && row.orgId !== null && row.orgActive === false)
    return deny('org_inactive', row.orgId);
  return deny('user_disabled', row?.orgId ?? null);
}

function isUniqueViolation(err: unknown): boolean {
  return constraintViolation(err)?.kind === 'unique';
}

/**
 * Resolves verified ID-token claims to a portal user. Identity is keyed on issuer + subject, never on
 * email (SECURITY.md decision 6):
 * (a) a user bound to iss+sub is that user (still subject to status and org checks);
 * (b) otherwise the org comes from `tid`, or from the whitelisted domain of the username (see resolveOrg);
 * (c) a user of that org with the same UPN and no identity yet is bound and activated; a new UPN whose
 *     domain the org whitelisted is provisioned as an active partner user.
 * Never throws for a refused identity: the caller renders the 403 from `message`. Database errors propagate.
 */
export async function resolveIdentity(db: Db, claims: IdentityClaims, attempt = 0): Promise<Resolution> {
  const known = await findUserByIdentity(db, claims.iss, claims.sub);
  if (known) return finish(db, known.id, 'existing');

  const tid = str(claims.tid);
  const username = usernameOf(claims);
  const org = await resolveOrg(db, tid, username?.domain);
  if (!org) return deny('unknown_org');
  if (!org.isActive) return deny('org_inactive', org.id);
  if (!username) return deny('no_username', org.id);

  const existing = await findUserByUpn(db, username.upn);
  try {
    if (existing) {
      if (existing.kind !== 'partner' || existing.orgId !== org.id) return deny('user_in_other_org', org.id);
      if (existing.status === 'disabled') return deny('user_disabled', org.id);
      if (existing.idpIssuer !== null || existing.idpSubject !== null) return deny('subject_mismatch', org.id);
      if (await bindIdentity(db, existing.id, claims.iss, claims.sub)) return finish(db, existing.id, 'bound');
      // Bound by a concurrent sign-in in the meantime: look again.
      if (attempt === 0) return resolveIdentity(db, claims, 1);
      return deny('subject_mismatch', org.id);
    }
    if (!(await isDomainWhitelisted(db, org.id, username.domain))) return deny('domain_not_whitelisted', org.id);
    const id = await createPartnerUser(db, {
      orgId: org.id,
      upn: username.upn,
      displayName: str(claims.name)?.slice(0, 200) ?? username.upn,
      issuer: claims.iss,
      subject: claims.sub,
    });
    return finish(db, id, 'provisioned');
  } catch (err) {
    // Two first sign-ins racing for the same UPN or identity: the loser resolves again and finds the winner's row.
    if (attempt === 0 && isUniqueViolation(err)) return resolveIdentity(db, claims, 1);
    throw err;
  }
}
