import type { Knex } from 'knex';
import type { Db } from '../../db/db';
import type { ScopeFlag } from '../../domain/rules/assignment.rules';

/**
 * Assignments data access (DOMAIN.md §2.11). Every query takes the id of a tenant the param loader has
 * already resolved inside the user's scope; an assignment id of another tenant is simply not found.
 */
export interface StoredAssignment {
  id: number;
  type: string;
  version: number;
  userId: number;
  upn: string;
  name: string;
  kind: 'partner' | 'internal' | 'admin' | 'queue';
  status: string;
  orgId: number | null;
  orgName: string | null;
  /** TENANT first, then the services in catalogue order. */
  scopes: ScopeFlag[];
}

export interface CatalogueService {
  code: string;
  name: string;
  /** The tenant has entitlements for it (effective total > 0). */
  entitled: boolean;
}

type Conn = Db | Knex.Transaction;

/** Every assignment of the tenant (partner and internal types) with its scopes and assignee. */
export async function listAssignments(db: Conn, tenantId: number): Promise<StoredAssignment[]> {
  const rows = await db('assignments as a')
    .join('users as u', 'u.id', 'a.assignee_user_id')
    .leftJoin('partner_orgs as o', 'o.id', 'a.org_id')
    .where('a.tenant_id', tenantId)
    .orderBy([{ column: 'a.type' }, { column: 'u.display_name' }, { column: 'a.id' }])
    .select('a.id', 'a.type', 'a.version', 'u.id as user_id', 'u.upn', 'u.display_name', 'u.kind', 'u.status')
    .select('a.org_id', 'o.name as org_name');
  if (rows.length === 0) return [];
  const scopes = await db('assignment_scopes as s')
    .leftJoin('services as v', 'v.code', 's.scope')
    .whereIn(
      's.assignment_id',
      rows.map((r) => r.id),
    )
    .orderByRaw("s.scope <> 'TENANT', v.sort_order, s.scope")
    .select('s.assignment_id', 's.scope', 's.is_primary');
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    version: r.version,
    userId: r.user_id,
    upn: r.upn,
    name: r.display_name,
    kind: r.kind,
    status: r.status,
    orgId: r.org_id,
    orgName: r.org_name,
    scopes: scopes
      .filter((s) => s.assignment_id === r.id)
      .map((s) => ({ scope: s.scope as string, primary: Boolean(s.is_primary) })),
  }));
}

/** The whole service catalogue in its order, each marked entitled or not for this tenant. */
export async function catalogue(db: Conn, tenantId: number): Promise<CatalogueService[]> {
  const rows = await db('services as s')
    .leftJoin('tenant_services as ts', (j) => j.on('ts.service_code', 's.code').andOnVal('ts.tenant_id', tenantId))
    .orderBy('s.sort_order')
    .select('s.code', 's.name', db.raw('coalesce(ts.entitlement_override, ts.total_entitlements, 0) as total'));
  return rows.map((r) => ({ code: r.code, name: r.name, entitled: Number(r.total) > 0 }));
}

export interface Stamp {
  at: string;
  actorId: number;
}

export async function insertAssignment(
  trx: Knex,
  a: { tenantId: number; userId: number; orgId: number | null; type: string },
  stamp: Stamp,
): Promise<number> {
  const [row] = await trx('assignments')
    .insert({
      tenant_id: a.tenantId,
      assignee_user_id: a.userId,
      org_id: a.orgId,
      type: a.type,
      is_partner_type: ['P-RM', 'P-FM', 'P-FE'].includes(a.type),
      version: 1,
      created_at: stamp.at,
      created_by: stamp.actorId,
      updated_at: stamp.at,
      updated_by: stamp.actorId,
    })
    .returning('id');
  return typeof row === 'object' ? row.id : row;
}

/**
 * Makes the assignment's scopes equal to `scopes`. Rows are replaced: the caller has already cleared every
 * primary flag this save moves away, so the V-64 index never sees two holders.
 */
export async function replaceScopes(
  trx: Knex,
  a: { id: number; tenantId: number; type: string },
  scopes: readonly ScopeFlag[],
): Promise<void> {
  await trx('assignment_scopes').where('assignment_id', a.id).delete();
  if (scopes.length > 0)
    await trx('assignment_scopes').insert(
      scopes.map((s) => ({
        assignment_id: a.id,
        tenant_id: a.tenantId,
        type: a.type,
        scope: s.scope,
        is_primary: s.primary,
      })),
    );
}

/** Every change of an assignment moves its version on, so a form opened before it is stale (409). */
export async function touch(trx: Knex, id: number, stamp: Stamp): Promise<void> {
  await trx('assignments')
    .where('id', id)
    .update({ version: trx.raw('version + 1'), updated_at: stamp.at, updated_by: stamp.actorId });
}

export async function deleteAssignment(trx: Knex, tenantId: number, id: number): Promise<void> {
  await trx('assignment_scopes').where('assignment_id', id).delete();
  await trx('assignments').where({ tenant_id: tenantId, id }).delete();
}
