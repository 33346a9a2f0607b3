import type { Db } from '../../src/db/db';
import type { TenantRef } from '../helpers/factories';
import { Policy, signedIn } from './policy';

/** A manual Customer contact of the tenant, created fresh for each caller (delete and update need one). */
async function contactOf(db: Db, tenant: TenantRef): Promise<number> {
  const now = new Date().toISOString();
  const [{ id }] = await db('contacts')
    .insert({
      tenant_id: tenant.id,
      contact_type: 'Customer',
      name: 'Policy Contact',
      created_at: now,
      updated_at: now,
    })
    .returning('id');
  return id;
}

/**
 * Contacts (issue 3): the Contacts tab / dialog panel, the inline form, create, update and the two-step
 * delete. Empty POST bodies answer 422 for callers who may edit (V-10, or the missing delete confirmation).
 */
export const policies: Record<string, Policy> = {
  'GET /tenants/:tenantId/contacts': {
    path: ({ tenant }) => `/tenants/${tenant.guid}/contacts`,
    expect: signedIn(200, 200, 404, 200, 200),
  },
  'GET /tenants/:tenantId/contacts/new': {
    path: ({ tenant }) => `/tenants/${tenant.guid}/contacts/new?type=Partner`,
    expect: signedIn(200, 403, 404, 403, 200),
  },
  'GET /tenants/:tenantId/contacts/:contactId/edit': {
    path: async ({ db, tenant }) => `/tenants/${tenant.guid}/contacts/${await contactOf(db, tenant)}/edit`,
    expect: signedIn(200, 200, 404, 200, 200),
    note: 'read-only callers see the details with the inputs disabled',
  },
  'POST /tenants/:tenantId/contacts': {
    path: ({ tenant }) => `/tenants/${tenant.guid}/contacts`,
    form: {},
    expect: signedIn(422, 403, 404, 403, 422),
  },
  'POST /tenants/:tenantId/contacts/:contactId': {
    path: async ({ db, tenant }) => `/tenants/${tenant.guid}/contacts/${await contactOf(db, tenant)}`,
    form: {},
    expect: signedIn(422, 403, 404, 403, 422),
  },
  'POST /tenants/:tenantId/contacts/:contactId/delete': {
    path: async ({ db, tenant }) => `/tenants/${tenant.guid}/contacts/${await contactOf(db, tenant)}/delete`,
    form: {},
    expect: signedIn(422, 403, 404, 403, 422),
  },
};
