import request from 'supertest';
import { buildTestApp, hx, loginAs, SignedIn, TestApp } from '../helpers/app';
import { listRoutes } from '../helpers/routes';
import { addService, assign, createOrg, createUser, createTenant, TenantRef } from '../helpers/factories';

/**
 * Authorization matrix (SECURITY.md decision 3, case 7): every route the app answers has a policy
 * here, and each policy is checked for every kind of caller. Deny by default: a route with no entry
 * fails the first test.
 *
 * Callers: anon; assigned (P- assignment on tenant A); guest (same org, not assigned); other (another org);
 * internal (manages org A, read-only); admin.
 */
type Caller = 'anon' | 'assigned' | 'guest' | 'other' | 'internal' | 'admin';
type Expect = number | 'skip';
interface Policy {
  path: (ids: { tenant: string }) => string;
  /** Expected status per caller for a plain (non-htmx) request. */
  expect: Record<Caller, Expect>;
  /** State-changing routes are checked in their own suites (with CSRF and DB assertions). */
  note?: string;
}

const T = (ids: { tenant: string }) => ids.tenant;
const page = (
  assigned: number,
  guest: number,
  other: number,
  internal: number,
  admin: number,
): Record<Caller, Expect> => ({
  anon: 302,
  assigned,
  guest,
  other,
  internal,
  admin,
});

const MATRIX: Record<string, Policy> = {
  'GET /healthz': {
    path: () => '/healthz',
    expect: { anon: 200, assigned: 200, guest: 200, other: 200, internal: 200, admin: 200 },
  },
  'GET /login': {
    path: () => '/login',
    expect: { anon: 200, assigned: 303, guest: 303, other: 303, internal: 303, admin: 303 },
  },
  'POST /login/dev': {
    path: () => '/login/dev',
    expect: { anon: 'skip', assigned: 'skip', guest: 'skip', other: 'skip', internal: 'skip', admin: 'skip' },
    note: 'test/routes/sessions.test.ts',
  },
  'POST /logout': {
    path: () => '/logout',
    expect: { anon: 'skip', assigned: 'skip', guest: 'skip', other: 'skip', internal: 'skip', admin: 'skip' },
    note: 'test/routes/sessions.test.ts, security.test.ts',
  },
  'GET /vendor/htmx.min.js': {
    path: () => '/vendor/htmx.min.js',
    expect: { anon: 200, assigned: 200, guest: 200, other: 200, internal: 200, admin: 200 },
  },
  'GET /': { path: () => '/', expect: page(302, 302, 302, 302, 302) },
  'GET /tenants': { path: () => '/tenants', expect: page(200, 200, 200, 200, 200) },
  'GET /tenants.csv': { path: () => '/tenants.csv', expect: page(200, 200, 200, 200, 200) },
  'GET /tenants/:tenantId': { path: (ids) => `/tenants/${T(ids)}`, expect: page(200, 200, 404, 200, 200) },
  'GET /tenants/:tenantId/entitlements': {
    path: (ids) => `/tenants/${T(ids)}/entitlements`,
    expect: page(200, 200, 404, 200, 200),
  },
  'GET /tenants/:tenantId/edit': { path: (ids) => `/tenants/${T(ids)}/edit`, expect: page(200, 200, 404, 200, 200) },
  'GET /tenants/:tenantId/assignments': {
    path: (ids) => `/tenants/${T(ids)}/assignments`,
    expect: page(200, 200, 404, 200, 200),
  },
  'GET /guidance/status-taxonomy': { path: () => '/guidance/status-taxonomy', expect: page(200, 200, 200, 200, 200) },
};

describe('authorization matrix', () => {
  let t: TestApp;
  let tenant: TenantRef;
  const callers: Partial<Record<Caller, SignedIn>> = {};

  beforeAll(async () => {
    t = await buildTestApp();
    const orgA = await createOrg(t.db);
    const orgB = await createOrg(t.db);
    const assigned = await createUser(t.db, { org: orgA });
    const guest = await createUser(t.db, { org: orgA });
    const other = await createUser(t.db, { org: orgB });
    const internal = await createUser(t.db, { kind: 'internal', managedOrgs: [orgA] });
    const admin = await createUser(t.db, { kind: 'admin' });
    tenant = await createTenant(t.db);
    await assign(t.db, { tenant, userId: orgA.queueUserId, type: 'P-RM', primary: ['TENANT'] });
    await assign(t.db, { tenant, userId: assigned.id, type: 'P-FE', scopes: ['EXO'] });
    await addService(t.db, tenant, 'EXO', { total: 20 });
    const otherTenant = await createTenant(t.db);
    await assign(t.db, { tenant: otherTenant, userId: other.id, type: 'P-RM', primary: ['TENANT'] });
    callers.assigned = await loginAs(t.app, assigned.upn);
    callers.guest = await loginAs(t.app, guest.upn);
    callers.other = await loginAs(t.app, other.upn);
    callers.internal = await loginAs(t.app, internal.upn);
    callers.admin = await loginAs(t.app, admin.upn);
  });
  afterAll(() => t.close());

  it('has a policy for every route the app answers, and no policy for a route that is gone', () => {
    const routes = listRoutes(t.app);
    const missing = routes.filter((r) => !MATRIX[r]);
    expect(missing).toEqual([]);
    expect(Object.keys(MATRIX).filter((r) => !routes.includes(r))).toEqual([]);
  });

  const cases: [string, Caller][] = [];
  for (const route of Object.keys(MATRIX)) {
    for (const caller of ['anon', 'assigned', 'guest', 'other', 'internal', 'admin'] as Caller[]) {
      if (MATRIX[route].expect[caller] !== 'skip') cases.push([route, caller]);
    }
  }

  it.each(cases)('%s as %s', async (route, caller) => {
    const policy = MATRIX[route];
    const [method, ,] = route.split(' ');
    const path = policy.path({ tenant: tenant.guid });
    const agent = caller === 'anon' ? request(t.app) : callers[caller]!.agent;
    const res = await (method === 'GET' ? agent.get(path) : agent.post(path));
    expect(res.status).toBe(policy.expect[caller]);
    if (res.status === 404) expect(res.text).not.toContain(tenant.name);
    if (caller === 'anon' && res.status === 302) expect(res.headers.location).toMatch(/^\/login/);
  });

  it('answers htmx requests of anonymous callers with 401 and HX-Redirect on every protected GET', async () => {
    for (const [route, policy] of Object.entries(MATRIX)) {
      if (!route.startsWith('GET ') || policy.expect.anon !== 302) continue;
      const res = await hx(request(t.app).get(policy.path({ tenant: tenant.guid })));
      expect([route, res.status, res.headers['hx-redirect']]).toEqual([route, 401, '/login']);
    }
  });

  it('changes nothing in the database on any GET (case 23)', async () => {
    const snapshot = async () => {
      const tables = [
        'tenants',
        'tenant_services',
        'assignments',
        'assignment_scopes',
        'notes',
        'contacts',
        'users',
        'entitlement_status_rows',
      ];
      return Promise.all(tables.map((name) => t.db(name).select('*')));
    };
    const before = await snapshot();
    for (const [route, policy] of Object.entries(MATRIX)) {
      if (!route.startsWith('GET ')) continue;
      for (const caller of ['assigned', 'guest', 'other', 'admin'] as Caller[]) {
        await callers[caller]!.agent.get(policy.path({ tenant: tenant.guid }));
      }
    }
    expect(await snapshot()).toEqual(before);
  });
});
