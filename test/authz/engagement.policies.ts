import { Policy, signedIn } from './policy';

const today = new Date().toISOString().slice(0, 10);

/** The Edit Tenant dialog and its Engagement Management part (issue 3). */
export const policies: Record<string, Policy> = {
  'GET /tenants/:tenantId/edit': {
    path: ({ tenant }) => `/tenants/${tenant.guid}/edit`,
    expect: signedIn(200, 200, 404, 200, 200),
  },
  'GET /tenants/:tenantId/overall-status': {
    path: ({ tenant }) => `/tenants/${tenant.guid}/overall-status`,
    expect: signedIn(200, 200, 404, 200, 200),
  },
  'POST /tenants/:tenantId/overall-status': {
    path: ({ tenant }) => `/tenants/${tenant.guid}/overall-status`,
    // An invalid form: 422 for those allowed to edit, refused before validation for everyone else.
    form: { overall_status: '', status_date: today, note: '', version: '1' },
    expect: signedIn(422, 403, 404, 403, 422),
  },
};
