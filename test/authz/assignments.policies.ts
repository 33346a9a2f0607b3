import type { Db } from '../../src/db/db';
import type { TenantRef } from '../helpers/factories';
import { Policy, signedIn } from './policy';

/**
 * A fresh P-FE of org A on the tenant (org A holds the tenant's P-RM through its queue), for the edit and
 * delete routes: each caller gets their own, so one caller's save never changes another's answer.
 */
async function orgAssignment(db: Db, tenant: TenantRef): Promise<number> {
  const prm = await db('assignments').where({ tenant_id: tenant.id, type: 'P-RM' }).first();
  const domain = await db('partner_domains').where('org_id', prm.org_id).first();
  const now = new Date().toISOString();
  const upn = `policy-${Math.random().toString(36).slice(2)}@${domain.domain}`;
  const [{ id: userId }] = await db('users')
    .insert({
      org_id: prm.org_id,
      upn,
      display_name: 'Policy Person',
      kind: 'partner',
      status: 'active',
      created_at: now,
      updated_at: now,
    })
    .returning('id');
  const [{ id }] = await db('assignments')
    .insert({
      tenant_id: tenant.id,
      assignee_user_id: userId,
      org_id: prm.org_id,
      type: 'P-FE',
      is_partner_type: true,
      created_at: now,
      updated_at: now,
    })
    .returning('id');
  await db('assignment_scopes').insert({
    assignment_id: id,
    tenant_id: tenant.id,
    type: 'P-FE',
    scope: 'EXO',
    is_primary: false,
  });
  return id;
}

/**
 * Edit Assignments (DOMAIN.md §5.5): anyone who sees the tenant reads both tabs; assigned users, partner
 * admins and system admins change partner assignments; guests and internal users get 403 on every POST;
 * other orgs 404. Empty forms answer 422 to those who may change them (no type; no scope left, so the
 * removal asks first, V-62/V-67; the delete's missing confirmation, V-67).
 */
export const policies: Record<string, Policy> = {
  'GET /tenants/:tenantId/assignments': {
    path: ({ tenant }) => `/tenants/${tenant.guid}/assignments`,
    expect: signedIn(200, 200, 404, 200, 200),
  },
  'GET /tenants/:tenantId/assignments/primaries/:code': {
    path: ({ tenant }) => `/tenants/${tenant.guid}/assignments/primaries/EXO`,
    expect: signedIn(200, 200, 404, 200, 200),
  },
  'POST /tenants/:tenantId/assignments': {
    path: ({ tenant }) => `/tenants/${tenant.guid}/assignments`,
    form: {},
    expect: signedIn(422, 403, 404, 403, 422),
  },
  'POST /tenants/:tenantId/assignments/:assignmentId': {
    path: async ({ db, tenant }) => `/tenants/${tenant.guid}/assignments/${await orgAssignment(db, tenant)}`,
    form: { version: '1' },
    expect: signedIn(422, 403, 404, 403, 422),
  },
  'POST /tenants/:tenantId/assignments/:assignmentId/delete': {
    path: async ({ db, tenant }) => `/tenants/${tenant.guid}/assignments/${await orgAssignment(db, tenant)}/delete`,
    form: {},
    expect: signedIn(422, 403, 404, 403, 422),
  },
};
