import { Policy, signedIn } from './policy';

/** The per-service tab of the Edit Tenant dialog and the Suggest feature (issue 3). */
export const policies: Record<string, Policy> = {
  'GET /tenants/:tenantId/services/:code/edit': {
    path: ({ tenant }) => `/tenants/${tenant.guid}/services/EXO/edit`,
    expect: signedIn(200, 200, 404, 200, 200),
  },
  'POST /tenants/:tenantId/services/:code': {
    path: ({ tenant }) => `/tenants/${tenant.guid}/services/EXO`,
    // Version 1 is current (nobody saves in the matrix), so the empty grid is a 422 for editors.
    form: { version: '1' },
    expect: signedIn(422, 403, 404, 403, 422),
  },
  'POST /suggest': {
    path: () => '/suggest',
    form: { text: 'We are migrating 300 mailboxes' },
    expect: signedIn(200, 200, 200, 200, 200),
  },
  'GET /suggest/options': {
    path: () => '/suggest/options?l1=Blocked',
    expect: signedIn(200, 200, 200, 200, 200),
  },
};
