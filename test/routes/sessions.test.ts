import request from 'supertest';
import { buildTestApp, csrfFrom, loginAs, TestApp } from '../helpers/app';
import { createOrg, createUser, OrgRef, UserRef } from '../helpers/factories';

/** The signed session cookie value the agent holds. */
function agentSid(agent: ReturnType<typeof request.agent>): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { CookieAccessInfo } = require('cookiejar');
  const cookie = agent.jar.getCookies(CookieAccessInfo.All).find((c: { name: string }) => c.name === 'ftop.sid');
  if (!cookie) throw new Error('agent has no session cookie');
  return cookie.value;
}
/** The store key (sid) inside a signed cookie value "s:<sid>.<signature>". */
const storeKey = (cookieValue: string) => decodeURIComponent(cookieValue).slice(2).split('.')[0];

const sidOf = (res: request.Response): string | undefined =>
  ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .find((c) => c.startsWith('ftop.sid='))
    ?.split(';')[0];

/** Sessions: SECURITY.md decision 2, cases 11–18. */
describe('sessions', () => {
  let t: TestApp;
  let org: OrgRef;
  let ava: UserRef;

  beforeAll(async () => {
    t = await buildTestApp();
    org = await createOrg(t.db);
    ava = await createUser(t.db, { org });
  });
  afterAll(() => t.close());

  it('offers on the dev sign-in page the users who may sign in: not a disabled user, not a queue principal', async () => {
    const gone = await createUser(t.db, { org, status: 'disabled' });
    const ops = await createUser(t.db, { kind: 'internal', name: 'Ops Person' });
    const page = await request(t.app).get('/login');
    expect(page.status).toBe(200);
    const offered = [...page.text.matchAll(/<option value="([^"]+)"/g)].map((m) => m[1]);
    expect(offered).toEqual(expect.arrayContaining([ava.upn, ops.upn]));
    expect(offered).not.toContain(gone.upn);
    const queueUpn = (await t.db('users').where({ id: org.queueUserId }).first('upn')).upn;
    expect(offered).not.toContain(queueUpn);
    // Partner users first, grouped by org; internal users (no org) after them.
    expect(offered.indexOf(ava.upn)).toBeLessThan(offered.indexOf(ops.upn));
  });

  const sessionRows = async () => Number((await t.db('sessions').count({ n: '*' }))[0].n);
  it('writes no session for an anonymous visitor; sign-in stores a new 192-bit session id (cases 13, 18, 49)', async () => {
    const rowsBefore = await sessionRows();
    const agent = request.agent(t.app);
    const login = await agent.get('/login');
    expect(login.status).toBe(200);
    expect(sidOf(login)).toBeUndefined();
    for (let i = 0; i < 20; i++) expect(sidOf(await request(t.app).get('/login'))).toBeUndefined();
    expect(await sessionRows()).toBe(rowsBefore);
    const res = await agent
      .post('/login/dev')
      .type('form')
      .send({ email: ava.upn, _csrf: csrfFrom(login.text) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/tenants');
    const after = sidOf(res)!;
    // uid-safe 24 bytes → 32 base64url characters, signed.
    expect(decodeURIComponent(after.split('=')[1]).slice(2).split('.')[0]).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(await sessionRows()).toBe(rowsBefore + 1);
  });

  it('gives a planted, validly signed session id a new id at sign-in (case 14)', async () => {
    // The only validly signed ids an attacker can get are their own: sign in, keep the cookie, sign out.
    const { agent: attacker, csrf } = await loginAs(t.app, ava.upn);
    const fixed = `ftop.sid=${agentSid(attacker)}`;
    expect((await attacker.post('/logout').type('form').send({ _csrf: csrf })).status).toBe(303);
    const victim = request.agent(t.app);
    victim.jar.setCookie(fixed, '127.0.0.1');
    const page = await victim.get('/login');
    const res = await victim
      .post('/login/dev')
      .type('form')
      .send({ email: ava.upn, _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(303);
    expect(sidOf(res)).toBeDefined();
    expect(sidOf(res)).not.toBe(fixed);
    expect((await request(t.app).get('/tenants').set('Cookie', fixed)).status).toBe(302);
    expect((await victim.get('/tenants')).status).toBe(200);
  });

  it('signs out with POST + CSRF, deletes the store row and refuses the old cookie (case 15)', async () => {
    const { agent, csrf } = await loginAs(t.app, ava.upn);
    const cookie = agentSid(agent);
    const sid = storeKey(cookie);
    expect(await t.db('sessions').where('sid', sid).first()).toBeDefined();
    const res = await agent.post('/logout').type('form').send({ _csrf: csrf });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(await t.db('sessions').where('sid', sid).first()).toBeUndefined();
    expect((await request(t.app).get('/tenants').set('Cookie', `ftop.sid=${cookie}`)).status).toBe(302);
  });

  it('ends the session of a user who is disabled, at the next request (case 11)', async () => {
    const carl = await createUser(t.db, { org });
    const { agent } = await loginAs(t.app, carl.upn);
    expect((await agent.get('/tenants')).status).toBe(200);
    const sid = storeKey(agentSid(agent));
    await t.db('users').where('id', carl.id).update({ status: 'disabled' });
    const res = await agent.get('/tenants');
    expect(res.status).toBe(302);
    expect(res.headers.location).toMatch(/^\/login/);
    expect(await t.db('sessions').where('sid', sid).first()).toBeUndefined();
  });

  it('ends the sessions of an org that is switched off', async () => {
    const org2 = await createOrg(t.db);
    const dora = await createUser(t.db, { org: org2 });
    const { agent } = await loginAs(t.app, dora.upn);
    await t.db('partner_orgs').where('id', org2.id).update({ is_active: false });
    expect((await agent.get('/tenants')).status).toBe(302);
  });

  it('treats tampered, garbage and oversized cookies as anonymous, never 500 (case 17)', async () => {
    const { agent } = await loginAs(t.app, ava.upn);
    const good = agentSid(agent);
    const tampered = good.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    for (const value of [tampered, 'garbage', '%E0%A4%A', 's%3A' + 'x'.repeat(5000)]) {
      const res = await request(t.app).get('/tenants').set('Cookie', `ftop.sid=${value}`);
      expect(res.status).toBe(302);
    }
  });

  it('refuses an unknown user on dev sign-in with 401 and logs no email (case 39)', async () => {
    const agent = request.agent(t.app);
    const login = await agent.get('/login');
    const res = await agent
      .post('/login/dev')
      .type('form')
      .send({ email: 'nobody@nowhere.example', _csrf: csrfFrom(login.text) });
    expect(res.status).toBe(401);
    expect(res.text).toContain('No active user with that email can sign in.');
    const failed = t.logs.filter((l) => l.event === 'login.failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(JSON.stringify(t.logs)).not.toContain('nobody@nowhere.example');
    expect(JSON.stringify(t.logs)).not.toMatch(/ftop\.sid=/);
  });

  it('does not sign in queue principals or disabled users', async () => {
    const agent = request.agent(t.app);
    const login = await agent.get('/login');
    const queue = await t.db('users').where('id', org.queueUserId).first();
    expect(login.text).not.toContain(queue.upn);
    const res = await agent
      .post('/login/dev')
      .type('form')
      .send({ email: queue.upn, _csrf: csrfFrom(login.text) });
    expect(res.status).toBe(401);
  });
});

describe('session lifetimes (case 16)', () => {
  it('expires an idle session after the idle window', async () => {
    const t = await buildTestApp({ SESSION_IDLE_MINUTES: '0.01' }); // 0.6 s
    try {
      const org = await createOrg(t.db);
      const u = await createUser(t.db, { org });
      const { agent } = await loginAs(t.app, u.upn);
      await new Promise((r) => setTimeout(r, 900));
      expect((await agent.get('/tenants')).status).toBe(302);
    } finally {
      await t.close();
    }
  });

  it('expires a session after the absolute lifetime despite activity', async () => {
    const t = await buildTestApp({ SESSION_ABSOLUTE_HOURS: '0.001' }); // 3.6 s
    try {
      const org = await createOrg(t.db);
      const u = await createUser(t.db, { org });
      const { agent } = await loginAs(t.app, u.upn);
      for (let i = 0; i < 3; i++) {
        await new Promise((r) => setTimeout(r, 800));
        expect((await agent.get('/tenants')).status).toBe(200);
      }
      await new Promise((r) => setTimeout(r, 1500));
      expect((await agent.get('/tenants')).status).toBe(302);
    } finally {
      await t.close();
    }
  });
});
