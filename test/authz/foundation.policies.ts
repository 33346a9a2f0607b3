import { everyone, Policy, signedIn } from './policy';

const skip: Policy['expect'] = {
  anon: 'skip',
  assigned: 'skip',
  guest: 'skip',
  other: 'skip',
  internal: 'skip',
  admin: 'skip',
};

/** Sign-in, the FRP view, the tenant page and the guidance page (issue 2). */
export const policies: Record<string, Policy> = {
  'GET /healthz': { path: () => '/healthz', expect: everyone(200) },
  'GET /readyz': { path: () => '/readyz', expect: everyone(200) },
  'GET /login': { path: () => '/login', expect: { ...everyone(303), anon: 200 } },
  'POST /login/dev': { path: () => '/login/dev', expect: skip, note: 'test/routes/sessions.test.ts, security.test.ts' },
  'POST /logout': { path: () => '/logout', expect: skip, note: 'test/routes/sessions.test.ts, security.test.ts' },
  'GET /vendor/htmx.min.js': { path: () => '/vendor/htmx.min.js', expect: everyone(200) },
  'GET /': { path: () => '/', expect: signedIn(302, 302, 302, 302, 302) },
  'GET /tenants': { path: () => '/tenants', expect: signedIn(200, 200, 200, 200, 200) },
  'GET /tenants.csv': { path: () => '/tenants.csv', expect: signedIn(200, 200, 200, 200, 200) },
  'GET /tenants/:tenantId': {
    path: ({ tenant }) => `/tenants/${tenant.guid}`,
    expect: signedIn(200, 200, 404, 200, 200),
  },
  'GET /tenants/:tenantId/entitlements': {
    path: ({ tenant }) => `/tenants/${tenant.guid}/entitlements`,
    expect: signedIn(200, 200, 404, 200, 200),
  },
  'GET /guidance/status-taxonomy': {
    path: () => '/guidance/status-taxonomy',
    expect: signedIn(200, 200, 200, 200, 200),
  },
};
