import { Policy, signedIn } from './policy';

/** The tenant's notes history (issue 3: "Show history"). */
export const policies: Record<string, Policy> = {
  'GET /tenants/:tenantId/notes': {
    path: ({ tenant }) => `/tenants/${tenant.guid}/notes?range=all`,
    expect: signedIn(200, 200, 404, 200, 200),
  },
};
