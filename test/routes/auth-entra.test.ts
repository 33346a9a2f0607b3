import request from 'supertest';
import { sqliteForm } from '../helpers/db';
import { loadConfig } from '../../src/config';
import { buildTestApp, csrfFrom, html, TestApp } from '../helpers/app';
import { createOrg, createUser, OrgRef } from '../helpers/factories';
import { ProviderClaims, startStubProvider, StubProvider, Tamper } from '../helpers/oidc-provider';
import { SESSION_STARTS_PER_WINDOW } from '../../src/http/security';

/**
 * AUTH_MODE=entra: GET /auth/entra and GET /auth/entra/callback against a local OpenID provider
 * (SECURITY.md decision 6, cases 13, 14, 24; DOMAIN.md §2.1–2.2, A-22).
 * Northwind is registered with its Entra tenant id; Fabrikam only by domain; Contoso has a tenant id
 * and a domain, so a token from another tenant must not get in through Contoso's domain.
 */
const TID_NORTHWIND = '6d3c0c9e-7a51-4c57-9d0e-1f7b5b2f4a10';
const TID_CONTOSO = '0b9d3d43-1c55-4d76-9f4e-8a1f2e7c5b21';
const TID_OTHER = '11111111-2222-4333-8444-555555555555';
const DENIED =
  'Your organisation is not registered for the FTOP Partner Portal. Ask your partner administrator to have your Entra tenant and domain whitelisted.';
const SID = 'ftop.sid';

type Agent = ReturnType<typeof request.agent>;

describe('Entra ID sign-in (AUTH_MODE=entra)', () => {
  let idp: StubProvider;
  let t: TestApp;
  let northwind: OrgRef, fabrikam: OrgRef;

  beforeAll(async () => {
    idp = await startStubProvider();
    t = await buildTestApp({
      AUTH_MODE: 'entra',
      ENTRA_ISSUER: idp.issuer,
      ENTRA_CLIENT_ID: idp.clientId,
      ENTRA_CLIENT_SECRET: idp.clientSecret,
      ENTRA_REDIRECT_URL: 'http://127.0.0.1/auth/entra/callback',
    });
    northwind = await createOrg(t.db, {
      name: 'Northwind Partners',
      domain: 'northwind.example',
      entraTenantId: TID_NORTHWIND,
    });
    fabrikam = await createOrg(t.db, { name: 'Fabrikam Consulting', domain: 'fabrikam.example' });
    await createOrg(t.db, { name: 'Contoso Partners', domain: 'contoso.example', entraTenantId: TID_CONTOSO });
  });
  afterAll(async () => {
    await t.close();
    await idp.close();
  });
  beforeEach(() => {
    idp.tamper = {};
  });

  const sidOf = (res: request.Response): string | undefined => {
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    return cookies.find((c) => c.startsWith(`${SID}=`))?.split(';')[0];
  };

  /** Drives the whole flow: /auth/entra → provider /authorize → /auth/entra/callback. */
  async function signInWith(
    claims: ProviderClaims,
    opts: { tamper?: Tamper; returnTo?: string; agent?: Agent; editCallback?: (params: URLSearchParams) => void } = {},
  ) {
    const agent = opts.agent ?? request.agent(t.app);
    const start = await agent.get(
      `/auth/entra${opts.returnTo ? `?returnTo=${encodeURIComponent(opts.returnTo)}` : ''}`,
    );
    expect(start.status).toBe(302);
    idp.claims = claims;
    idp.tamper = opts.tamper ?? {};
    const back = await idp.authorize(start.headers.location);
    expect(`${back.origin}${back.pathname}`).toBe('http://127.0.0.1/auth/entra/callback');
    opts.editCallback?.(back.searchParams);
    const callback = await agent.get(`${back.pathname}${back.search}`);
    return { agent, start, back, callback };
  }

  const userByUpn = async (upn: string) => sqliteForm(await t.db('users').where('upn', upn).first());
  const expectNoSession = async (agent: Agent) => {
    const res = await agent.get('/tenants');
    expect(res.status).toBe(302);
    expect(res.headers.location).toMatch(/^\/login/);
  };
  const logsWith = (event: string) => t.logs.filter((l) => l.event === event);

  describe('GET /auth/entra', () => {
    it('redirects to the provider with PKCE (S256), state, nonce and the openid profile email scope', async () => {
      const res = await request(t.app).get('/auth/entra');
      expect(res.status).toBe(302);
      const url = new URL(res.headers.location);
      expect(`${url.origin}${url.pathname}`).toBe(`${idp.issuer}/authorize`);
      const q = url.searchParams;
      expect(q.get('response_type')).toBe('code');
      expect(q.get('client_id')).toBe(idp.clientId);
      expect(q.get('redirect_uri')).toBe('http://127.0.0.1/auth/entra/callback');
      expect(q.get('scope')).toBe('openid profile email');
      expect(q.get('code_challenge_method')).toBe('S256');
      expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(q.get('state')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
      expect(q.get('nonce')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
      expect(q.get('state')).not.toBe(q.get('nonce'));
    });

    it('is linked from the sign-in page, which offers no dev sign-in', async () => {
      const res = await request(t.app).get('/login?returnTo=%2Ftenants%3Ftab%3Dpartner');
      expect(res.status).toBe(200);
      const link = html(res.text).querySelector('a[href^="/auth/entra"]');
      expect(link?.getAttribute('href')).toBe('/auth/entra?returnTo=%2Ftenants%3Ftab%3Dpartner');
      expect(html(res.text).querySelector('form[action="/login/dev"]')).toBeNull();
    });

    it('POST /login/dev is 404 in entra mode', async () => {
      const agent = request.agent(t.app);
      const login = await agent.get('/login');
      await createUser(t.db, { org: northwind, upn: 'dev-only@northwind.example' });
      const res = await agent
        .post('/login/dev')
        .type('form')
        .send({ email: 'dev-only@northwind.example', _csrf: csrfFrom(login.text) });
      expect(res.status).toBe(404);
      await expectNoSession(agent);
    });
  });

  describe('GET /auth/entra/callback: provisioning and identity (SECURITY.md decision 6, A-22)', () => {
    it('provisions a new partner user of the org found by tid at first sign-in and shows their tenants page', async () => {
      const { agent, callback } = await signInWith({
        sub: 'sub-ava',
        tid: TID_NORTHWIND,
        oid: 'oid-ava',
        preferred_username: 'Ava.Smith@Northwind.example',
        name: 'Ava Smith',
      });
      expect([302, 303]).toContain(callback.status);
      expect(callback.headers.location).toBe('/tenants');
      const page = await agent.get('/tenants');
      expect(page.status).toBe(200);
      expect(html(page.text).querySelector('.user-name')?.text).toBe('Ava Smith');
      expect(html(page.text).querySelector('.user-org')?.text).toBe('Northwind Partners');
      const row = await userByUpn('ava.smith@northwind.example');
      expect(row).toMatchObject({
        org_id: northwind.id,
        kind: 'partner',
        status: 'active',
        display_name: 'Ava Smith',
        idp_issuer: idp.issuer,
        idp_subject: 'sub-ava',
        is_partner_admin: 0,
      });
      expect(row.last_sign_in_at).toBeTruthy();
      const ok = logsWith('login.succeeded').at(-1);
      expect(ok).toMatchObject({ mode: 'entra', outcome: 'provisioned', userId: row.id, orgId: northwind.id });
    });

    it('finds the same user by issuer + subject on the next sign-in even when the username and email changed', async () => {
      const before = await userByUpn('ava.smith@northwind.example');
      const count = (await t.db('users').count({ n: '*' }))[0].n;
      const { agent, callback } = await signInWith({
        sub: 'sub-ava',
        tid: TID_NORTHWIND,
        preferred_username: 'ava.jones@northwind.example',
        email: 'ava.jones@northwind.example',
        name: 'Ava Jones',
      });
      expect(callback.status).toBe(303);
      expect((await t.db('users').count({ n: '*' }))[0].n).toBe(count);
      expect(await userByUpn('ava.jones@northwind.example')).toBeUndefined();
      const page = await agent.get('/tenants');
      expect(html(page.text).querySelector('.user-name')?.text).toBe('Ava Smith');
      expect(logsWith('login.succeeded').at(-1)).toMatchObject({ outcome: 'existing', userId: before.id });
    });

    it('never matches on email: a new subject with a known user’s email is refused, not signed in as them', async () => {
      const { agent, callback } = await signInWith({
        sub: 'sub-impostor',
        tid: TID_NORTHWIND,
        preferred_username: 'ava.smith@northwind.example',
      });
      expect(callback.status).toBe(403);
      await expectNoSession(agent);
      expect((await userByUpn('ava.smith@northwind.example')).idp_subject).toBe('sub-ava');
      expect(logsWith('authz.denied').at(-1)).toMatchObject({ reason: 'subject_mismatch', orgId: northwind.id });
    });

    it('binds a provisioned user (created by an assignment) to the identity and activates it', async () => {
      const bob = await createUser(t.db, {
        org: northwind,
        upn: 'bob@northwind.example',
        name: 'Bob Jones',
        status: 'provisioned',
      });
      const { agent, callback } = await signInWith({
        sub: 'sub-bob',
        tid: TID_NORTHWIND,
        preferred_username: 'BOB@northwind.example',
        name: 'Robert',
      });
      expect(callback.status).toBe(303);
      const row = await userByUpn('bob@northwind.example');
      expect(row).toMatchObject({
        id: bob.id,
        status: 'active',
        idp_issuer: idp.issuer,
        idp_subject: 'sub-bob',
        display_name: 'Bob Jones',
      });
      expect((await agent.get('/tenants')).status).toBe(200);
    });

    it('resolves an org without a tenant id by its whitelisted domain', async () => {
      const { agent, callback } = await signInWith({
        sub: 'sub-fay',
        tid: TID_OTHER,
        preferred_username: 'fay@fabrikam.example',
        name: 'Fay',
      });
      expect(callback.status).toBe(303);
      expect(await userByUpn('fay@fabrikam.example')).toMatchObject({
        org_id: fabrikam.id,
        status: 'active',
        idp_subject: 'sub-fay',
      });
      expect((await agent.get('/tenants')).status).toBe(200);
    });

    it('does not let a token from another tenant in through the domain of an org registered with a tenant id', async () => {
      const { agent, callback } = await signInWith({
        sub: 'sub-mallory',
        tid: TID_OTHER,
        preferred_username: 'mallory@contoso.example',
      });
      expect(callback.status).toBe(403);
      expect(html(callback.text).querySelector('[role="alert"]')?.text.trim()).toBe(DENIED);
      await expectNoSession(agent);
      expect(await userByUpn('mallory@contoso.example')).toBeUndefined();
    });

    it('refuses an unknown org with the clear 403 page, no user row and no session', async () => {
      const users = (await t.db('users').count({ n: '*' }))[0].n;
      const { agent, callback } = await signInWith({
        sub: 'sub-zed',
        tid: TID_OTHER,
        preferred_username: 'zed@unknown.example',
        name: 'Zed',
      });
      expect(callback.status).toBe(403);
      expect(callback.headers['content-type']).toMatch(/text\/html/);
      expect(html(callback.text).querySelector('h1')?.text).toBe('Access denied');
      expect(html(callback.text).querySelector('[role="alert"]')?.text.trim()).toBe(DENIED);
      expect((await t.db('users').count({ n: '*' }))[0].n).toBe(users);
      await expectNoSession(agent);
      const denied = logsWith('authz.denied').at(-1);
      expect(denied).toMatchObject({ reason: 'unknown_org', mode: 'entra' });
      expect(JSON.stringify(t.logs)).not.toContain('zed@unknown.example');
    });

    it('refuses a username whose domain the org (found by tid) has not whitelisted', async () => {
      const { agent, callback } = await signInWith({
        sub: 'sub-eve',
        tid: TID_NORTHWIND,
        preferred_username: 'eve@elsewhere.example',
      });
      expect(callback.status).toBe(403);
      expect(callback.text).toContain('User must belong to a partner tenant whitelisted for FTOP access');
      expect(await userByUpn('eve@elsewhere.example')).toBeUndefined();
      await expectNoSession(agent);
    });

    it('refuses a disabled user with 403', async () => {
      const dan = await createUser(t.db, { org: northwind, upn: 'dan@northwind.example', status: 'disabled' });
      await t.db('users').where('id', dan.id).update({ idp_issuer: idp.issuer, idp_subject: 'sub-dan' });
      const { agent, callback } = await signInWith({
        sub: 'sub-dan',
        tid: TID_NORTHWIND,
        preferred_username: 'dan@northwind.example',
      });
      expect(callback.status).toBe(403);
      expect(callback.text).toContain('disabled');
      await expectNoSession(agent);
      expect(logsWith('authz.denied').at(-1)).toMatchObject({ reason: 'user_disabled', orgId: northwind.id });
      expect((await t.db('users').where('id', dan.id).first()).status).toBe('disabled');
    });

    it('refuses a disabled user who was never bound, without binding them', async () => {
      const dee = await createUser(t.db, { org: northwind, upn: 'dee@northwind.example', status: 'disabled' });
      const { callback } = await signInWith({
        sub: 'sub-dee',
        tid: TID_NORTHWIND,
        preferred_username: 'dee@northwind.example',
      });
      expect(callback.status).toBe(403);
      expect(await t.db('users').where('id', dee.id).first()).toMatchObject({ status: 'disabled', idp_subject: null });
    });

    it('returns to the stored same-site returnTo, and ignores an off-site one', async () => {
      const first = await signInWith({ sub: 'sub-ava', tid: TID_NORTHWIND }, { returnTo: '/tenants?tab=partner' });
      expect(first.callback.headers.location).toBe('/tenants?tab=partner');
      const second = await signInWith({ sub: 'sub-ava', tid: TID_NORTHWIND }, { returnTo: '//evil.example/x' });
      expect(second.callback.headers.location).toBe('/tenants');
    });
  });

  describe('sessions (SECURITY.md cases 13, 14)', () => {
    it('rotates the session id at sign-in; the pre-login id stays anonymous', async () => {
      const agent = request.agent(t.app);
      const start = await agent.get('/auth/entra');
      const preLogin = sidOf(start);
      expect(preLogin).toBeTruthy();
      idp.claims = { sub: 'sub-ava', tid: TID_NORTHWIND };
      const back = await idp.authorize(start.headers.location);
      const callback = await agent.get(`${back.pathname}${back.search}`);
      expect(callback.status).toBe(303);
      const postLogin = sidOf(callback);
      expect(postLogin).toBeTruthy();
      expect(postLogin).not.toBe(preLogin);
      expect((await agent.get('/tenants')).status).toBe(200);
      const replay = await request(t.app).get('/tenants').set('Cookie', preLogin!);
      expect(replay.status).toBe(302);
      expect(replay.headers.location).toMatch(/^\/login/);
    });

    it('replaces an attacker-chosen session (fixation) with a new one', async () => {
      const attacker = request.agent(t.app);
      // A visitor gets no session from /login; starting a sign-in stores one (its state and nonce).
      const planted = sidOf(await attacker.get('/auth/entra'));
      expect(planted).toBeTruthy();
      const victim = request.agent(t.app);
      const start = await victim.get('/auth/entra').set('Cookie', planted!);
      idp.claims = { sub: 'sub-ava', tid: TID_NORTHWIND };
      const back = await idp.authorize(start.headers.location);
      const callback = await victim.get(`${back.pathname}${back.search}`).set('Cookie', sidOf(start) ?? planted!);
      expect(callback.status).toBe(303);
      expect(sidOf(callback)).not.toBe(planted);
      expect((await attacker.get('/tenants')).status).toBe(302);
    });
  });

  describe('a tampered or replayed callback gets 401 and no session (SECURITY.md case 24)', () => {
    const ava = { sub: 'sub-ava', tid: TID_NORTHWIND, preferred_username: 'ava.smith@northwind.example' };

    /** `check` matches the logged detail, so each case proves the intended check refused it. */
    async function expectRefused(run: Promise<{ agent: Agent; callback: request.Response }>, check: RegExp) {
      const failuresBefore = logsWith('login.failed').length;
      const { agent, callback } = await run;
      expect(callback.status).toBe(401);
      expect(html(callback.text).querySelector('[role="alert"]')?.text).toContain(
        'Sign-in with Microsoft did not complete',
      );
      expect(html(callback.text).querySelector('a[href^="/auth/entra"]')).not.toBeNull();
      await expectNoSession(agent);
      const failures = logsWith('login.failed');
      expect(failures.length).toBe(failuresBefore + 1);
      expect(failures.at(-1)).toMatchObject({ mode: 'entra', level: 40, reason: 'callback_rejected' });
      expect(failures.at(-1)!.detail).toMatch(check);
      const logText = JSON.stringify(t.logs);
      expect(logText).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./); // no JWTs
      expect(logText).not.toContain('ava.smith@northwind.example');
      return failures.at(-1)!;
    }

    it('wrong state', async () => {
      await expectRefused(signInWith(ava, { editCallback: (p) => p.set('state', 'forged-state-value') }), /"state"/);
    });

    it('missing state', async () => {
      await expectRefused(signInWith(ava, { editCallback: (p) => p.delete('state') }), /"state" missing/);
    });

    it('no authorization request in this session (callback without a prior /auth/entra)', async () => {
      const agent = request.agent(t.app);
      const res = await agent.get('/auth/entra/callback?code=abc&state=def');
      expect(res.status).toBe(401);
      await expectNoSession(agent);
    });

    it('a callback without a code does not start a new flow', async () => {
      const res = await request(t.app).get('/auth/entra/callback');
      expect(res.status).toBe(401);
    });

    it('wrong nonce in the ID token', async () => {
      const issued = idp.tokensIssued;
      await expectRefused(signInWith(ava, { tamper: { nonce: 'not-the-nonce-we-sent' } }), /"nonce"/);
      expect(idp.tokensIssued).toBe(issued + 1);
    });

    it('aud ≠ client id', async () => {
      const issued = idp.tokensIssued;
      await expectRefused(signInWith(ava, { tamper: { aud: 'some-other-client' } }), /"aud"/);
      expect(idp.tokensIssued).toBe(issued + 1);
    });

    it('ID token signed with a key not in the provider’s JWKS', async () => {
      const issued = idp.tokensIssued;
      await expectRefused(signInWith(ava, { tamper: { signature: 'foreign' } }), /signature verification failed/);
      expect(idp.tokensIssued).toBe(issued + 1);
    });

    it('unsigned ID token (alg none)', async () => {
      await expectRefused(signInWith(ava, { tamper: { signature: 'none' } }), /"alg"/);
    });

    it('wrong issuer in the ID token', async () => {
      await expectRefused(signInWith(ava, { tamper: { iss: 'http://127.0.0.1:1/evil' } }), /"iss"/);
    });

    it('expired ID token', async () => {
      await expectRefused(signInWith(ava, { tamper: { expOffset: -3600 } }), /"exp"/);
    });

    it('replaying a completed callback', async () => {
      const { back } = await signInWith(ava);
      const res = await request(t.app).get(`${back.pathname}${back.search}`);
      expect(res.status).toBe(401);
    });

    it('the provider reports an error (user cancelled)', async () => {
      const agent = request.agent(t.app);
      const start = await agent.get('/auth/entra');
      const state = new URL(start.headers.location).searchParams.get('state');
      const res = await agent.get(
        `/auth/entra/callback?error=access_denied&error_description=cancelled&state=${state}`,
      );
      expect(res.status).toBe(401);
      await expectNoSession(agent);
    });
  });
});

describe('Entra ID sign-in when the provider is down', () => {
  const envFor = (issuer: string) => ({
    AUTH_MODE: 'entra',
    ENTRA_ISSUER: issuer,
    ENTRA_CLIENT_ID: 'ftop-test-client',
    ENTRA_CLIENT_SECRET: 'ftop-test-secret',
    ENTRA_REDIRECT_URL: 'http://127.0.0.1/auth/entra/callback',
  });
  const UNREACHABLE = 'The identity provider is not reachable; try again later.';
  const alertOf = (res: request.Response) => html(res.text).querySelector('[role="alert"]')?.text;

  describe('at the first sign-in (discovery fails)', () => {
    let t: TestApp;
    beforeAll(async () => {
      // A provider that was started and stopped: nothing listens on its port any more.
      const gone = await startStubProvider();
      await gone.close();
      t = await buildTestApp(envFor(gone.issuer));
    });
    afterAll(() => t.close());

    it('shows the generic 503 message on the sign-in page, and tries again next time', async () => {
      for (let i = 0; i < 2; i++) {
        const res = await request(t.app).get('/auth/entra');
        expect(res.status).toBe(503);
        expect(alertOf(res)).toBe(UNREACHABLE);
        expect(html(res.text).querySelector('a[href^="/auth/entra"]')).not.toBeNull();
      }
      expect(t.logs.filter((l) => l.event === 'login.failed' && l.reason === 'discovery_failed')).toHaveLength(2);
    });

    it('leaves the rest of the app working', async () => {
      expect((await request(t.app).get('/healthz')).status).toBe(200);
      expect((await request(t.app).get('/login')).status).toBe(200);
      expect((await request(t.app).get('/tenants')).status).toBe(302);
    });
  });

  describe('an outage that ends, and one after sign-in', () => {
    let idp: StubProvider;
    let t: TestApp;
    beforeAll(async () => {
      idp = await startStubProvider();
      t = await buildTestApp(envFor(idp.issuer));
      await createOrg(t.db, { name: 'Northwind Partners', domain: 'northwind.example', entraTenantId: TID_NORTHWIND });
    });
    afterAll(async () => {
      await t.close();
      await idp.close();
    });

    it('does not cache a failed discovery: sign-in works once the provider is back', async () => {
      idp.discoveryDown = true;
      const down = await request(t.app).get('/auth/entra');
      expect(down.status).toBe(503);
      expect(alertOf(down)).toBe(UNREACHABLE);
      idp.discoveryDown = false;
      const up = await request(t.app).get('/auth/entra');
      expect(up.status).toBe(302);
      expect(up.headers.location).toContain(`${idp.issuer}/authorize`);
    });

    it('keeps existing sessions working, and answers 503 to a callback it cannot complete', async () => {
      idp.claims = {
        sub: 'sub-ava',
        tid: TID_NORTHWIND,
        preferred_username: 'ava@northwind.example',
        name: 'Ava Smith',
      };
      const signedIn = request.agent(t.app);
      const back1 = await idp.authorize((await signedIn.get('/auth/entra')).headers.location);
      expect((await signedIn.get(`${back1.pathname}${back1.search}`)).status).toBe(303);

      const pending = request.agent(t.app);
      const back2 = await idp.authorize((await pending.get('/auth/entra')).headers.location);
      await idp.close(); // the provider goes away between the redirect and the callback

      expect((await signedIn.get('/tenants')).status).toBe(200);
      const callback = await pending.get(`${back2.pathname}${back2.search}`);
      expect(callback.status).toBe(503);
      expect(alertOf(callback)).toBe(UNREACHABLE);
      expect((await pending.get('/tenants')).status).toBe(302);
      expect(t.logs.filter((l) => l.event === 'login.failed').at(-1)).toMatchObject({ reason: 'provider_unreachable' });
    });
  });
});

describe('configuration for sign-in (CONTRACT.md §2, SECURITY.md case 10)', () => {
  it('refuses AUTH_MODE=dev in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', AUTH_MODE: 'dev', SESSION_SECRET: 'x'.repeat(40) })).toThrow(
      /AUTH_MODE/,
    );
  });

  it('refuses AUTH_MODE=entra without ENTRA_ISSUER, naming the variable', () => {
    expect(() =>
      loadConfig({
        AUTH_MODE: 'entra',
        ENTRA_CLIENT_ID: 'c',
        ENTRA_CLIENT_SECRET: 's',
        ENTRA_REDIRECT_URL: 'http://127.0.0.1/auth/entra/callback',
      }),
    ).toThrow(/ENTRA_ISSUER/);
  });

  it('accepts a complete entra configuration', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      SESSION_SECRET: 'x'.repeat(40),
      AUTH_MODE: 'entra',
      ENTRA_ISSUER: 'https://login.microsoftonline.com/6d3c0c9e-7a51-4c57-9d0e-1f7b5b2f4a10/v2.0',
      ENTRA_CLIENT_ID: 'c',
      ENTRA_CLIENT_SECRET: 's',
      ENTRA_REDIRECT_URL: 'https://ftop.example/auth/entra/callback',
    });
    expect(config.entra?.issuer).toBe('https://login.microsoftonline.com/6d3c0c9e-7a51-4c57-9d0e-1f7b5b2f4a10/v2.0');
  });
});

describe('production cookies (SECURITY.md case 12)', () => {
  const flags = (cookie: string | undefined) => {
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).not.toMatch(/Domain=/i);
  };
  const named = (res: request.Response, name: string) =>
    ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${name}=`));

  it('the session and the sign-in CSRF cookie are __Host- prefixed, Secure, HttpOnly, SameSite=Lax, Path=/, no Domain', async () => {
    const idp = await startStubProvider();
    const t = await buildTestApp({
      NODE_ENV: 'production',
      AUTH_MODE: 'entra',
      ENTRA_ISSUER: idp.issuer,
      ENTRA_CLIENT_ID: idp.clientId,
      ENTRA_CLIENT_SECRET: idp.clientSecret,
      ENTRA_REDIRECT_URL: 'https://portal.example/auth/entra/callback',
      TRUST_PROXY: 'loopback',
    });
    try {
      const login = await request(t.app).get('/login').set('X-Forwarded-Proto', 'https');
      expect(named(login, '__Host-ftop.sid')).toBeUndefined(); // nothing stored for a visitor
      flags(named(login, '__Host-ftop.csrf'));
      expect(login.headers['strict-transport-security']).toMatch(/max-age=31536000; includeSubDomains/);
      // Starting a sign-in stores its state, nonce and PKCE verifier: the first session cookie.
      const start = await request(t.app).get('/auth/entra').set('X-Forwarded-Proto', 'https');
      expect(start.status).toBe(302);
      flags(named(start, '__Host-ftop.sid'));
      expect((await request(t.app).post('/login/dev').set('X-Forwarded-Proto', 'https')).status).not.toBe(303);
    } finally {
      await t.close();
      await idp.close();
    }
  });
});

describe('anonymous session writes are rate limited (issue 7, case 49)', () => {
  it(`lets a client IP start ${SESSION_STARTS_PER_WINDOW} sign-ins per window, then answers 429 and stores nothing more`, async () => {
    const idp = await startStubProvider();
    const t = await buildTestApp({
      AUTH_MODE: 'entra',
      ENTRA_ISSUER: idp.issuer,
      ENTRA_CLIENT_ID: idp.clientId,
      ENTRA_CLIENT_SECRET: idp.clientSecret,
      ENTRA_REDIRECT_URL: 'http://127.0.0.1/auth/entra/callback',
    });
    const rows = async () => Number((await t.db('sessions').count({ n: '*' }))[0].n);
    try {
      for (let i = 0; i < SESSION_STARTS_PER_WINDOW; i++)
        expect((await request(t.app).get('/auth/entra')).status).toBe(302);
      expect(await rows()).toBe(SESSION_STARTS_PER_WINDOW);
      const limited = await request(t.app).get('/auth/entra');
      expect(limited.status).toBe(429);
      expect(limited.headers['retry-after']).toBeDefined();
      expect(await rows()).toBe(SESSION_STARTS_PER_WINDOW);
      expect(t.logs.filter((l) => l.event === 'session.rate_limited')).toHaveLength(1);
    } finally {
      await t.close();
      await idp.close();
    }
  });
});
