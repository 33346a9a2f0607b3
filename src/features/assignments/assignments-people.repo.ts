import type { Knex } from 'knex';
import type { Db } from '../../db/db';
import type { StoredAssignment } from './assignments.repo';

/** The people side of assignments: assignees by username, orgs with their whitelisted domains (V-60). */
type Conn = Db | Knex.Transaction;

export interface UserRecord {
  id: number;
  upn: string;
  name: string;
  kind: StoredAssignment['kind'];
  status: string;
  orgId: number | null;
  orgName: string | null;
}

export async function findUser(db: Conn, upn: string): Promise<UserRecord | undefined> {
  const r = await db('users as u')
    .leftJoin('partner_orgs as o', 'o.id', 'u.org_id')
    .where('u.upn', upn.toLowerCase())
    .first('u.id', 'u.upn', 'u.display_name', 'u.kind', 'u.status', 'u.org_id', 'o.name as org_name');
  return r
    ? {
        id: r.id,
        upn: r.upn,
        name: r.display_name,
        kind: r.kind,
        status: r.status,
        orgId: r.org_id,
        orgName: r.org_name,
      }
    : undefined;
}

/** An org with its whitelisted domains: by id (a partner's own org) or by one of its domains (a system admin). */
export async function findOrg(
  db: Conn,
  by: { id: number } | { domain: string },
): Promise<{ id: number; name: string; domains: Set<string> } | undefined> {
  const q = db('partner_orgs as o');
  if ('id' in by) q.where('o.id', by.id);
  else q.whereIn('o.id', db('partner_domains').where('domain', by.domain.toLowerCase()).select('org_id'));
  const org = await q.first('o.id', 'o.name');
  if (!org) return undefined;
  const domains = await db('partner_domains').where('org_id', org.id).orderBy('domain').pluck('domain');
  return { id: org.id, name: org.name, domains: new Set(domains) };
}

/** V-60 [interp] A-22: a whitelisted username nobody has used yet becomes a provisioned partner user. */
export async function insertProvisionedUser(
  trx: Knex,
  user: { upn: string; name: string; orgId: number },
  at: string,
  actorId: number,
): Promise<number> {
  const [row] = await trx('users')
    .insert({
      org_id: user.orgId,
      upn: user.upn,
      display_name: user.name,
      kind: 'partner',
      is_partner_admin: false,
      status: 'provisioned',
      created_at: at,
      created_by: actorId,
      updated_at: at,
      updated_by: actorId,
    })
    .returning('id');
  return typeof row === 'object' ? row.id : row;
}
