import request from 'supertest';
import { buildTestApp, loginAs, type TestApp } from '../helpers/app';
import { buildAppOver, freePort } from '../helpers/faults';
import { asAdmin, describeOnPostgres } from '../helpers/pg';
import { createOrg, createTenant, createUser, assign } from '../helpers/factories';

/**
 * PostgreSQL faults (src/db/faults.ts): a server that is not there, and connections the server ends
 * (a restart, an administrator's pg_terminate_backend) answer 503 with Retry-After or recover, never
 * a 500 page or a crash; nothing names the database URL.
 */
describeOnPostgres('database faults', () => {
  it('answers 503 with Retry-After when the server is not there (a pool pointing at a closed port)', async () => {
    const port = await freePort();
    const url = `postgres://ftop:Hidden-Pass@127.0.0.1:${port}/ftop`;
    const t = buildAppOver(url);
    try {
      const res = await request(t.app).get('/login');
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('60');
      expect(res.text).toContain('The database is not available just now');
      expect(res.text).not.toMatch(/ECONNREFUSED|Hidden-Pass|at \w+ \(/);
      // A session that cannot be read is no session (never fail-open): the sign-in page, not a tenant list.
      expect((await request(t.app).get('/tenants').set('Cookie', 'ftop.sid=s%3Aabc.def')).status).toBe(302);
      expect((await request(t.app).get('/healthz')).status).toBe(503);
      expect((await request(t.app).get('/readyz')).body).toEqual({
        status: 'not ready',
        reason: 'database unavailable',
      });
      // The sign-in rate limiter counts in the database too: it fails closed, with the same 503.
      const signIn = await request(t.app).post('/login/dev').type('form').send({ email: 'x@y.example' });
      expect([403, 503]).toContain(signIn.status);
      expect(JSON.stringify(t.logs)).not.toContain('Hidden-Pass');
      expect(t.logs.filter((l) => l.event === 'db.fault').map((l) => l.kind)).toContain('unavailable');
    } finally {
      await t.close();
    }
  });

  describe('connections ended by the server', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await buildTestApp();
    });
    afterAll(() => t.close());

    it('recovers after the server ends every connection of the app (a restart): no 500, the next request works', async () => {
      const org = await createOrg(t.db);
      const user = await createUser(t.db, { org });
      const tenant = await createTenant(t.db);
      await assign(t.db, { tenant, userId: user.id, type: 'P-RM', primary: ['TENANT'] });
      const ava = await loginAs(t.app, user.upn);
      expect((await ava.agent.get('/tenants')).status).toBe(200);
      const database = new URL(t.config.databaseUrl).pathname.slice(1);
      await asAdmin((admin) =>
        admin.raw(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()',
          [database],
        ),
      );
      const first = await ava.agent.get('/tenants');
      expect([200, 503]).toContain(first.status);
      const second = await ava.agent.get('/tenants');
      expect(second.status).toBe(200);
      expect(second.text).toContain(tenant.name);
    });
  });
});
