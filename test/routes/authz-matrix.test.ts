import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { buildTestApp, csrfFrom, hx, loginAs, SignedIn, TestApp } from '../helpers/app';
import { listRoutes } from '../helpers/routes';
import { addService, assign, createOrg, createUser, createTenant, TenantRef } from '../helpers/factories';
import type { Caller, Policy } from '../authz/policy';

/**
 * Authorization matrix (SECURITY.md decision 3, case 7): every route the app answers has a policy in
 * test/authz/*.policies.ts, and each policy is checked for every kind of caller. Deny by default: a
 * route with no entry fails the first test.
 */
const MATRIX: Record<string, Policy> = {};
const dir = path.join(__dirname, '..', 'authz');
for (const file of fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.policies.ts'))
  .sort()) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { policies } = require(path.join(dir, file)) as { policies: Record<string, Policy> };
  for (const [route, policy] of Object.entries(policies)) {
    if (MATRIX[route]) throw new Error(`${route} has two policies (${file})`);
    MATRIX[route] = policy;
  }
}
const CALLERS: Caller[] = ['anon', 'assigned', 'guest', 'other', 'internal', 'admin'];

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
    await addService(t.db, tenant, 'TEAMS', { total: 10 });
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
    expect(routes.filter((r) => !MATRIX[r])).toEqual([]);
    expect(Object.keys(MATRIX).filter((r) => !routes.includes(r))).toEqual([]);
  });

  const cases: [string, Caller][] = [];
  for (const route of Object.keys(MATRIX)) {
    for (const caller of CALLERS) if (MATRIX[route].expect[caller] !== 'skip') cases.push([route, caller]);
  }

  it.each(cases)('%s as %s', async (route, caller) => {
    const policy = MATRIX[route];
    const method = route.split(' ')[0];
    const url = await policy.path({ db: t.db, tenant });
    let res: request.Response;
    if (method === 'GET') {
      res = await (caller === 'anon' ? request(t.app) : callers[caller]!.agent).get(url);
    } else {
      // State changes carry a valid token for the caller's own session, so the answer is about authorization.
      const agent = caller === 'anon' ? request.agent(t.app) : callers[caller]!.agent;
      const csrf = caller === 'anon' ? csrfFrom((await agent.get('/login')).text) : callers[caller]!.csrf;
      res = await agent
        .post(url)
        .type('form')
        .send({ ...policy.form, _csrf: csrf });
    }
    expect(res.status).toBe(policy.expect[caller]);
    if (res.status === 404) expect(res.text).not.toContain(tenant.name);
    if (caller === 'anon' && res.status === 302) expect(res.headers.location).toMatch(/^\/login/);
  });

  it('answers htmx requests of anonymous callers with 401 and HX-Redirect on every protected GET', async () => {
    for (const [route, policy] of Object.entries(MATRIX)) {
      if (!route.startsWith('GET ') || policy.expect.anon !== 302) continue;
      const res = await hx(request(t.app).get(await policy.path({ db: t.db, tenant })));
      expect([route, res.status, res.headers['hx-redirect']]).toEqual([route, 401, '/login']);
    }
  });

  it('changes nothing in the database on any GET (case 23)', async () => {
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
    const snapshot = () => Promise.all(tables.map((name) => t.db(name).select('*')));
    const urls: string[] = [];
    for (const [route, policy] of Object.entries(MATRIX)) {
      if (route.startsWith('GET ')) urls.push(await policy.path({ db: t.db, tenant }));
    }
    const before = await snapshot();
    for (const url of urls) {
      for (const caller of ['assigned', 'guest', 'other', 'admin'] as Caller[]) await callers[caller]!.agent.get(url);
    }
    expect(await snapshot()).toEqual(before);
  });
});
