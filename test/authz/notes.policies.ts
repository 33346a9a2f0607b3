import { Policy, signedIn } from './policy';

/** The tenant's notes history (issue 3: "Show history") and the Notes Library (DOMAIN.md §5.12). */
export const policies: Record<string, Policy> = {
  'GET /tenants/:tenantId/notes': {
    path: ({ tenant }) => `/tenants/${tenant.guid}/notes?range=all`,
    expect: signedIn(200, 200, 404, 200, 200),
  },
  // Search answers every signed-in user over their own scope (another org's notes are simply absent,
  // test/routes/notes-search.test.ts); a tenant filter outside the scope finds nothing rather than 404.
  'GET /notes/search': {
    path: ({ tenant }) => `/notes/search?q=x&tenant=${tenant.guid}`,
    expect: signedIn(200, 200, 200, 200, 200),
  },
};
