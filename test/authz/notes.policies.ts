import { everyone, Policy, signedIn } from './policy';

/** The tenant's notes history (issue 3: "Show history") and the Notes Library (DOMAIN.md §5.12). */
export const policies: Record<string, Policy> = {
  'GET /tenants/:tenantId/notes': {
    path: ({ tenant }) => `/tenants/${tenant.guid}/notes?range=all`,
    expect: signedIn(200, 200, 404, 200, 200),
  },
  // Latest Notes lists the caller's own tenants: a caller with none gets an empty list, never another org's.
  'GET /notes': {
    path: () => '/notes?range=all&escalated=1',
    expect: signedIn(200, 200, 200, 200, 200),
  },
  // The editor: assigned users and admins write; org members who are not assigned and internal users read
  // only (403); another org's tenant is not found (404). An empty form is refused per field (422).
  'GET /notes/new': {
    path: ({ tenant }) => `/notes/new?tenant=${tenant.guid}&category=Engagement%20Management`,
    expect: signedIn(200, 403, 404, 403, 200),
  },
  'POST /notes': {
    path: () => '/notes',
    form: {},
    // Without a tenant every caller is refused per field; with one, per caller in test/routes/notes-editor.test.ts.
    expect: signedIn(422, 422, 422, 422, 422),
  },
  // Drafts are the caller's own: every signed-in user has a (possibly empty) list; a draft of someone
  // else is 404 (test/routes/notes-drafts.test.ts). Saving without a tenant is allowed (a draft keeps
  // what was typed); deleting a draft that is not the caller's is 404.
  'GET /notes/drafts': { path: () => '/notes/drafts', expect: signedIn(200, 200, 200, 200, 200) },
  'POST /notes/drafts': {
    path: () => '/notes/drafts',
    form: { category: 'Nonsense' },
    expect: signedIn(422, 422, 422, 422, 422),
  },
  'POST /notes/drafts/:draftId/delete': {
    path: () => '/notes/drafts/999999/delete',
    expect: signedIn(404, 404, 404, 404, 404),
  },
  // The type-aheads answer every signed-in user from their own scope: another org's tenants and services
  // are simply not offered (test/routes/notes-typeahead.test.ts). Sent plain, the tenant picker redirects to
  // the editor's own picker page.
  'GET /notes/tenants': { path: () => '/notes/tenants?term=a', expect: signedIn(303, 303, 303, 303, 303) },
  'GET /notes/search/options': {
    path: () => '/notes/search/options?find=exchange',
    expect: signedIn(200, 200, 200, 200, 200),
  },
  // The rich-text library, a static file like htmx.
  'GET /vendor/quill.js': { path: () => '/vendor/quill.js', expect: everyone(200) },
  'GET /vendor/quill.snow.css': { path: () => '/vendor/quill.snow.css', expect: everyone(200) },
  // Search answers every signed-in user over their own scope (another org's notes are simply absent,
  // test/routes/notes-search.test.ts); a tenant filter outside the scope finds nothing rather than 404.
  'GET /notes/search': {
    path: ({ tenant }) => `/notes/search?q=x&tenant=${tenant.guid}`,
    expect: signedIn(200, 200, 200, 200, 200),
  },
};
