import request from 'supertest';
import { buildTestApp, csrfFrom, hx, loginAs, TestApp } from '../helpers/app';
import { createOrg, createUser, OrgRef, UserRef } from '../helpers/factories';
import { buildAppOver } from '../helpers/faults';

/** CSRF, headers, limits, redirects and error pages: SECURITY.md decisions 1 and 4, cases 19–22, 27–38. */
describe('HTTP security baseline', () => {
  let t: TestApp;
  let org: OrgRef;
  let ava: UserRef;
  let bob: UserRef;

  beforeAll(async () => {
    t = await buildTestApp({ LOGIN_RATE_LIMIT: '5', TRUST_PROXY: 'loopback' });
    org = await createOrg(t.db);
    ava = await createUser(t.db, { org });
    bob = await createUser(t.db, { org });
  });
  afterAll(() => t.close());

  describe('CSRF', () => {
    const sessionCount = async () => Number((await t.db('sessions').count({ n: '*' }))[0].n);

    it('refuses a POST without a token with 403 and changes nothing (case 19)', async () => {
      const { agent } = await loginAs(t.app, ava.upn);
      const before = await sessionCount();
      const res = await agent.post('/logout').type('form').send({});
      expect(res.status).toBe(403);
      expect(await sessionCount()).toBe(before);
      expect((await agent.get('/tenants')).status).toBe(200);
    });

    it('refuses another session’s token and a pre-login token after sign-in (case 20)', async () => {
      const a = await loginAs(t.app, ava.upn);
      const b = await loginAs(t.app, bob.upn);
      expect((await a.agent.post('/logout').type('form').send({ _csrf: b.csrf })).status).toBe(403);

      const agent = request.agent(t.app);
      const preLogin = csrfFrom((await agent.get('/login')).text);
      await agent.post('/login/dev').type('form').send({ email: ava.upn, _csrf: preLogin });
      expect((await agent.post('/logout').type('form').send({ _csrf: preLogin })).status).toBe(403);
    });

    it('gives a signed-in session a token of 32 random bytes, the same on every page of the session', async () => {
      const a = await loginAs(t.app, ava.upn);
      expect(a.csrf).toMatch(/^[0-9a-f]{64}$/);
      expect(csrfFrom((await a.agent.get('/tenants')).text)).toBe(a.csrf);
    });

    it('accepts the token in the _csrf field and in the X-CSRF-Token header (case 21)', async () => {
      const a = await loginAs(t.app, ava.upn);
      expect((await a.agent.post('/logout').type('form').send({ _csrf: a.csrf })).status).toBe(303);
      const b = await loginAs(t.app, ava.upn);
      expect((await hx(b.agent.post('/logout')).set('X-CSRF-Token', b.csrf)).status).toBe(303);
    });

    it('refuses cross-site Origin or Sec-Fetch-Site even with a valid token (case 22)', async () => {
      const a = await loginAs(t.app, ava.upn);
      expect(
        (await a.agent.post('/logout').set('Origin', 'https://evil.example').type('form').send({ _csrf: a.csrf }))
          .status,
      ).toBe(403);
      expect(
        (await a.agent.post('/logout').set('Sec-Fetch-Site', 'cross-site').type('form').send({ _csrf: a.csrf })).status,
      ).toBe(403);
      expect((await a.agent.get('/tenants')).status).toBe(200);
    });

    it('logs a CSRF failure as one warning line', async () => {
      const a = await loginAs(t.app, ava.upn);
      await a.agent.post('/logout').type('form').send({ _csrf: 'nope' });
      expect(t.logs.some((l) => l.event === 'csrf.failed')).toBe(true);
    });
  });

  describe('headers (cases 27–29)', () => {
    const cspOk = (csp: string) => {
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
    };

    it('sets a strict CSP and the other headers on pages, redirects, 404s, fragments and static files', async () => {
      const { agent } = await loginAs(t.app, ava.upn);
      const responses = [
        await agent.get('/tenants'),
        await hx(agent.get('/tenants')),
        await agent.get('/tenants/00000000-0000-4000-8000-000000000000'),
        await request(t.app).get('/tenants'),
        await request(t.app).get('/login'),
        await request(t.app).get('/static/css/app.css'),
        await agent.get('/tenants?sort=bogus'),
      ];
      expect(responses.map((r) => r.status)).toEqual([200, 200, 404, 302, 200, 200, 400]);
      for (const res of responses) {
        cspOk(res.headers['content-security-policy']);
        expect(res.headers['x-frame-options']).toBe('DENY');
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['referrer-policy']).toBe('same-origin');
        expect(res.headers['x-powered-by']).toBeUndefined();
      }
      expect(responses[0].headers['content-type']).toBe('text/html; charset=utf-8');
      expect(responses[0].headers['cache-control']).toBe('no-store');
    });

    it('has no inline script or style in the page and keeps htmx from eval (case 27)', async () => {
      const { agent } = await loginAs(t.app, ava.upn);
      const page = (await agent.get('/tenants')).text;
      expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(page).not.toMatch(/\sstyle=/);
      expect(page).not.toMatch(/\son[a-z]+=/);
      expect(page).toContain('"allowEval":false');
      expect(page).toContain('"historyCacheSize":0');
      expect(page).toContain('hx-history="false"');
    });

    it('serves htmx 2.0.x from a local copy', async () => {
      const res = await request(t.app).get('/vendor/htmx.min.js');
      expect(res.status).toBe(200);
      expect(res.text).toMatch(/version:\s*"2\.0\./);
    });
  });

  describe('input limits and methods', () => {
    it('answers 413 to an oversized body and to too many parameters, never 500 (case 31)', async () => {
      const big = await request(t.app)
        .post('/login/dev')
        .type('form')
        .send(`email=${'a'.repeat(200 * 1024)}`);
      expect(big.status).toBe(413);
      const many = Array.from({ length: 1100 }, (_, i) => `p${i}=1`).join('&');
      expect((await request(t.app).post('/login/dev').type('form').send(many)).status).toBe(413);
    });

    it('ignores prototype-pollution keys (case 34)', async () => {
      const agent = request.agent(t.app);
      const token = csrfFrom((await agent.get('/login')).text);
      await agent
        .post('/login/dev')
        .type('form')
        .send(
          `__proto__[isAdmin]=true&constructor[prototype][x]=1&_csrf=${encodeURIComponent(token)}&email=${ava.upn}`,
        );
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
      expect(({} as Record<string, unknown>).x).toBeUndefined();
    });

    it('answers TRACE and unknown methods with 404/405 and gives no CORS allowance (case 37)', async () => {
      expect([404, 405]).toContain((await request(t.app).trace('/tenants')).status);
      const options = await request(t.app).options('/tenants');
      expect(options.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('answers /healthz without a session', async () => {
      const res = await request(t.app).get('/healthz');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
      expect(res.headers['set-cookie']).toBeUndefined();
    });
  });

  describe('returnTo (case 35)', () => {
    const signInWith = async (returnTo: string) => {
      const agent = request.agent(t.app);
      const token = csrfFrom((await agent.get('/login')).text);
      return agent.post('/login/dev').type('form').send({ email: ava.upn, returnTo, _csrf: token });
    };

    it.each([
      '//evil.example',
      '/\\evil.example',
      'https://evil.example',
      'http:///evil.example',
      'javascript:alert(1)',
      '%2F%2Fevil.example',
      '/%2F/evil.example',
    ])('ignores %s and lands on /tenants', async (returnTo) => {
      const res = await signInWith(returnTo);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/tenants');
    });

    it('keeps a same-site path with its query', async () => {
      const res = await signInWith('/tenants/1?x=https://a');
      expect(res.headers.location).toBe('/tenants/1?x=https://a');
    });
  });

  describe('errors (case 36)', () => {
    it('shows a generic 500 page with the request id and logs the stack under the same id', async () => {
      const broken = await buildTestApp();
      const o = await createOrg(broken.db);
      const u = await createUser(broken.db, { org: o });
      const { agent } = await loginAs(broken.app, u.upn);
      await broken.db.schema.renameTable('tenants', 'tenants_gone');
      const res = await agent.get('/tenants');
      expect(res.status).toBe(500);
      const id = res.headers['x-request-id'];
      expect(res.text).toContain(id);
      expect(res.text).not.toMatch(/at \w+ \(|SqliteError|node_modules|\/src\/|select /i);
      const logged = broken.logs.find((l) => l.requestId === id && l.err);
      expect(JSON.stringify(logged)).toMatch(/no such table|relation \\"tenants\\" does not exist/);
      await broken.close();
    });
  });

  describe('sign-in rate limit (case 38)', () => {
    it('answers the N+1th failed attempt from one IP with 429 and RateLimit headers', async () => {
      const agent = request.agent(t.app);
      const token = csrfFrom((await agent.get('/login')).text);
      const attempt = (email: string, ip = '10.0.0.1') =>
        agent.post('/login/dev').set('X-Forwarded-For', ip).type('form').send({ email, _csrf: token });
      for (let i = 0; i < 5; i++) expect((await attempt(`nobody${i}@x.example`)).status).toBe(401);
      const blocked = await attempt('nobody-else@x.example');
      expect(blocked.status).toBe(429);
      expect(blocked.headers['ratelimit']).toBeDefined();
      expect(blocked.headers['retry-after']).toBeDefined();
      expect(t.logs.some((l) => l.event === 'login.rate_limited')).toBe(true);
    });

    it('limits per username across IPs, so spreading attempts over addresses does not help', async () => {
      const agent = request.agent(t.app);
      const token = csrfFrom((await agent.get('/login')).text);
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await agent
          .post('/login/dev')
          .set('X-Forwarded-For', `10.1.0.${i}`)
          .type('form')
          .send({ email: 'target@x.example', _csrf: token });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    });

    it('keeps the counters in the database, so a second instance on it refuses the 6th attempt too', async () => {
      const second = buildAppOver(t.config.databaseUrl, { LOGIN_RATE_LIMIT: '5', TRUST_PROXY: 'loopback' });
      try {
        const attempt = async (app: typeof t.app) => {
          const agent = request.agent(app);
          const token = csrfFrom((await agent.get('/login')).text);
          const res = await agent
            .post('/login/dev')
            .set('X-Forwarded-For', '10.2.0.1')
            .type('form')
            .send({ email: 'shared@x.example', _csrf: token });
          return res.status;
        };
        const statuses = [];
        for (const app of [t.app, second.app, t.app, second.app, t.app, second.app]) statuses.push(await attempt(app));
        expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
        const rows = await t.db('rate_limits').where('key', 'like', '%shared@x.example').select('key', 'hits');
        expect(rows).toEqual([{ key: 'login-user:user:shared@x.example', hits: 5 }]);
      } finally {
        await second.close();
      }
    });

    it('does not count a successful sign-in', async () => {
      const agent = request.agent(t.app);
      const token = csrfFrom((await agent.get('/login')).text);
      const res = await agent
        .post('/login/dev')
        .set('X-Forwarded-For', '10.3.0.1')
        .type('form')
        .send({ email: ava.upn, _csrf: token });
      expect(res.status).toBe(303);
      // The limiter takes the hit back when the response has finished, after the client has it.
      const hits = async () =>
        Number(
          (
            await t
              .db('rate_limits')
              .where({ key: `login-user:user:${ava.upn.toLowerCase()}` })
              .first('hits')
          )?.hits ?? 0,
        );
      for (let i = 0; i < 20 && (await hits()) > 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(await hits()).toBe(0);
    });
  });
});
