import request from 'supertest';
import { kindOf } from '../../src/db/db';
import { buildTestApp, hx, html, loginAs, TestApp } from '../helpers/app';
import {
  addService,
  assign,
  createOrg,
  createTenant,
  createUser,
  OrgRef,
  TenantRef,
  UserRef,
} from '../helpers/factories';

/**
 * FRP view: GET /tenants, /tenants.csv, /tenants/:tenantId/entitlements, /tenants/:tenantId.
 * Org A: ava (assigned P-FM on 2 active + 1 inactive tenant), bob (org member, not assigned).
 * Org B: one tenant only B can see.
 */
describe('FRP view', () => {
  let t: TestApp;
  let orgA: OrgRef, orgB: OrgRef;
  let ava: UserRef, bob: UserRef, bea: UserRef;
  let alpha: TenantRef, beta: TenantRef, gamma: TenantRef, delta: TenantRef, secretB: TenantRef;

  beforeAll(async () => {
    t = await buildTestApp();
    orgA = await createOrg(t.db, { name: 'Northwind Partners' });
    orgB = await createOrg(t.db, { name: 'Fabrikam Consulting' });
    ava = await createUser(t.db, { org: orgA, name: 'Ava Smith' });
    bob = await createUser(t.db, { org: orgA, name: 'Bob Jones' });
    bea = await createUser(t.db, { org: orgB, name: 'Bea Brown' });
    alpha = await createTenant(t.db, {
      name: 'alpha.onmicrosoft.com',
      customer: 'Alpha Inc',
      country: 'France',
      overallStatus: 'Active',
      statusDate: '2026-11-01',
    });
    beta = await createTenant(t.db, {
      name: 'beta.onmicrosoft.com',
      customer: 'Beta GmbH',
      country: 'Austria',
      overallStatus: 'Blocked',
      statusDate: '2026-10-01',
    });
    gamma = await createTenant(t.db, { name: 'gamma.onmicrosoft.com', customer: 'Gamma Ltd', active: false });
    delta = await createTenant(t.db, { name: 'delta.onmicrosoft.com', customer: 'Delta SA', priority: 'High' });
    secretB = await createTenant(t.db, { name: 'secret-b.onmicrosoft.com', customer: 'Secret Customer of B' });
    for (const tenant of [alpha, beta, gamma, delta]) {
      await assign(t.db, { tenant, userId: orgA.queueUserId, type: 'P-RM', scopes: ['TENANT'], primary: ['TENANT'] });
    }
    await assign(t.db, {
      tenant: secretB,
      userId: orgB.queueUserId,
      type: 'P-RM',
      scopes: ['TENANT'],
      primary: ['TENANT'],
    });
    await assign(t.db, { tenant: secretB, userId: bea.id, type: 'P-FE', scopes: ['EXO'] });
    await assign(t.db, { tenant: alpha, userId: ava.id, type: 'P-FM', scopes: ['TENANT'], primary: ['TENANT'] });
    await assign(t.db, { tenant: beta, userId: ava.id, type: 'P-FE', scopes: ['EXO'] }); // service scope only (§1.4 item 4)
    await assign(t.db, { tenant: gamma, userId: ava.id, type: 'P-FM', scopes: ['TENANT'] });
    await addService(t.db, alpha, 'EXO', {
      total: 305,
      activeUsers: 61,
      scenario: 'FTC-FTP Led',
      rows: [
        { l1: 'In Progress', l2: 'Migration', entitlements: 300 },
        { l1: 'Blocked', l2: 'Legal/Regulatory', entitlements: 5 },
      ],
    });
    await addService(t.db, alpha, 'TEAMS', { total: 50 });
    await addService(t.db, secretB, 'EXO', { total: 10 });
  });
  afterAll(() => t.close());

  const names = (text: string) =>
    html(text)
      .querySelectorAll('#tenant-table tbody tr td.tenant-cell a.tenant-name')
      .map((a) => a.text.trim());
  const count = (text: string, tab: string) => html(text).querySelector(`[data-count="${tab}"]`)?.text.trim();

  describe('GET /tenants', () => {
    it('shows My Active by default with the tab counts', async () => {
      const { agent } = await loginAs(t.app, ava.upn);
      const res = await agent.get('/tenants');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html; charset=utf-8/);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(names(res.text)).toEqual(['alpha.onmicrosoft.com', 'beta.onmicrosoft.com']);
      expect(count(res.text, 'my-active')).toBe('2');
      expect(count(res.text, 'my-inactive')).toBe('1');
      expect(count(res.text, 'partner')).toBe('4');
      expect(html(res.text).querySelector('meta[name="csrf-token"]')).not.toBeNull();
    });

    it('draws the row actions from icons defined once, and sends no template indentation', async () => {
      const { agent } = await loginAs(t.app, ava.upn);
      const res = await agent.get('/tenants');
      const doc = html(res.text);
      expect(doc.querySelectorAll('symbol#i-edit, symbol#i-people, symbol#i-view')).toHaveLength(3);
      const actions = doc.querySelectorAll('#tenant-table tbody .actions a');
      expect(actions.length).toBeGreaterThan(0);
      for (const a of actions) expect(a.querySelector('svg use')?.getAttribute('href')).toMatch(/^#i-(edit|people)$/);
      // The actions open their dialog in #dialog-root, inherited from the table body.
      expect(doc.querySelector('#tenant-table tbody')?.getAttribute('hx-target')).toBe('#dialog-root');
      expect(res.text).not.toMatch(/\n[ \t]+</);
    });

    it('shows My Inactive and the Partner List tabs', async () => {
      const { agent } = await loginAs(t.app, ava.upn);
      expect(names((await agent.get('/tenants?tab=my-inactive')).text)).toEqual(['gamma.onmicrosoft.com']);
      const partner = await agent.get('/tenants?tab=partner');
      // Partner List sorts by priority first (DOMAIN.md §5.3), then name.
      expect(names(partner.text)).toEqual([
        'delta.onmicrosoft.com',
        'alpha.onmicrosoft.com',
        'beta.onmicrosoft.com',
        'gamma.onmicrosoft.com',
      ]);
      expect(names((await agent.get('/tenants?tab=partner&activity=inactive')).text)).toEqual([
        'gamma.onmicrosoft.com',
      ]);
    });

    it('gives an org member who is not assigned an empty My Active with guidance, and the Partner List read-only', async () => {
      const { agent } = await loginAs(t.app, bob.upn);
      const res = await agent.get('/tenants');
      expect(res.status).toBe(200);
      expect(html(res.text).querySelector('.empty-state')?.text).toContain('No active tenants are assigned to you');
      const partner = await agent.get('/tenants?tab=partner');
      expect(names(partner.text)).toHaveLength(4);
      expect(html(partner.text).querySelectorAll('#tenant-table a[href$="/edit"]')).toHaveLength(0);
      expect(html(partner.text).querySelector('#tenant-table td[data-label="My Roles"]')?.text).toBe(
        'Guest (read-only)',
      );
    });

    it('searches by tenant name or Tenant ID, case-insensitive, within the tab', async () => {
      const { agent } = await loginAs(t.app, ava.upn);
      expect(names((await agent.get('/tenants?q=ALPHA')).text)).toEqual(['alpha.onmicrosoft.com']);
      const byId = await agent.get(`/tenants?q=${beta.guid.slice(4, 20).toUpperCase()}`);
      expect(names(byId.text)).toEqual(['beta.onmicrosoft.com']);
      const none = await agent.get('/tenants?q=zzz-nothing');
      expect(html(none.text).querySelector('.empty-state')?.text).toContain('No tenants in this tab match');
    });

    it('matches a name stored with capitals by a search in any case (decision 121)', async () => {
      const { agent } = await loginAs(t.app, ava.upn);
      await t.db('tenants').where('id', alpha.id).update({ tenant_name: 'AlphaMixed.onmicrosoft.com' });
      try {
        for (const q of ['alphamixed', 'ALPHAMIXED', 'aMiXeD.On'])
          expect(names((await agent.get('/tenants').query({ q })).text)).toEqual(['AlphaMixed.onmicrosoft.com']);
      } finally {
        await t.db('tenants').where('id', alpha.id).update({ tenant_name: 'alpha.onmicrosoft.com' });
      }
    });

    it('treats SQL and LIKE metacharacters in q literally (SECURITY.md case 32)', async () => {
      const { agent } = await loginAs(t.app, ava.upn);
      for (const q of ["' OR 1=1--", '%', '_', "%' UNION SELECT tenant_name FROM tenants--"]) {
        const res = await agent.get('/tenants').query({ q, tab: 'partner' });
        expect(res.status).toBe(200);
        expect(names(res.text)).toEqual([]);
      }
      expect(Number((await t.db('tenants').count({ n: '*' }))[0].n)).toBe(5);
    });

    it('sorts by a column in both directions and refuses an unknown sort with 400', async () => {
      const { agent } = await loginAs(t.app, ava.upn);
      const asc = await agent.get('/tenants?tab=partner&sort=customer');
      expect(names(asc.text)[0]).toBe('alpha.onmicrosoft.com');
      expect(html(asc.text).querySelector('th[aria-sort="ascending"]')?.text).toContain('Customer');
      const desc = await agent.get('/tenants?tab=partner&sort=customer&dir=desc');
      expect(names(desc.text)[0]).toBe('gamma.onmicrosoft.com');
      expect((await agent.get('/tenants?sort=name;--')).status).toBe(400);
      expect((await agent.get('/tenants?sort=password')).status).toBe(400);
      expect((await agent.get('/tenants?pageSize=7')).status).toBe(400);
    });

    it('takes the first value of a repeated parameter and never fails on type confusion (case 33)', async () => {
      const { agent } = await loginAs(t.app, ava.upn);
      const res = await agent.get('/tenants?tab=my-inactive&tab=partner');
      expect(res.status).toBe(200);
      expect(names(res.text)).toEqual(['gamma.onmicrosoft.com']);
      expect([200, 400]).toContain((await agent.get('/tenants?q[$gt]=&sort[]=x')).status);
    });

    it('pages with 25/50/100 rows and shows the range', async () => {
      const extra = await createUser(t.db, { org: orgA });
      for (let i = 0; i < 30; i++) {
        const tenant = await createTenant(t.db, { name: `page${String(i).padStart(2, '0')}.onmicrosoft.com` });
        await assign(t.db, { tenant, userId: extra.id, type: 'P-FE' });
      }
      const { agent } = await loginAs(t.app, extra.upn);
      const first = await agent.get('/tenants');
      expect(names(first.text)).toHaveLength(25);
      expect(html(first.text).querySelector('.pagination .range')?.text).toBe('1–25 of 30');
      const second = await agent.get('/tenants?page=2');
      expect(names(second.text)).toEqual([
        'page25.onmicrosoft.com',
        'page26.onmicrosoft.com',
        'page27.onmicrosoft.com',
        'page28.onmicrosoft.com',
        'page29.onmicrosoft.com',
      ]);
      expect(names((await agent.get('/tenants?pageSize=50')).text)).toHaveLength(30);
      expect(names((await agent.get('/tenants?page=99')).text)).toHaveLength(5); // past the end → last page
    });

    it('shows a change made after the list was read, on the very next request', async () => {
      const { agent } = await loginAs(t.app, ava.upn);
      expect(names((await agent.get('/tenants?q=alpha')).text)).toEqual(['alpha.onmicrosoft.com']);
      await t.db('tenants').where('id', alpha.id).update({ customer_name: 'Alpha Renamed Inc' });
      expect((await agent.get('/tenants?q=alpha')).text).toContain('Alpha Renamed Inc');
      await t.db('tenants').where('id', alpha.id).update({ customer_name: 'Alpha Inc' });
    });

    // SQLite serves the list from memory, read again after any write (decision 126); PostgreSQL reads SQL
    // every time (several instances share the database: decision 76).
    it('serves another sort of the same list from memory, and reads afresh for Cache-Control: no-cache (Refresh)', async () => {
      const { agent } = await loginAs(t.app, ava.upn);
      const queries: string[] = [];
      const record = (q: { sql: string }) => queries.push(q.sql);
      const listQueries = () => queries.filter((sql) => /from [`"]tenants[`"] as [`"]t[`"]/.test(sql)).length;
      const page = await agent.get('/tenants?tab=partner');
      expect(html(page.text).querySelector('a.btn[hx-headers*="no-cache"]')?.text).toBe('Refresh');
      t.db.on('query', record);
      try {
        const other = await agent.get('/tenants?tab=partner&sort=customer&dir=desc');
        if (kindOf(t.db) === 'postgres') expect(listQueries()).toBeGreaterThanOrEqual(2);
        else expect(listQueries()).toBe(0);
        const fresh = await agent.get('/tenants?tab=partner&sort=customer&dir=desc').set('Cache-Control', 'no-cache');
        expect(listQueries()).toBeGreaterThanOrEqual(2);
        expect(names(fresh.text)).toEqual(names(other.text));
      } finally {
        t.db.off('query', record);
      }
    });

    it('counts the tabs again after a write', async () => {
      const { agent } = await loginAs(t.app, ava.upn);
      const queries: string[] = [];
      const record = (q: { sql: string }) => queries.push(q.sql);
      const listQueries = () => queries.filter((sql) => /from [`"]tenants[`"] as [`"]t[`"]/.test(sql)).length;
      const counts = (text: string) =>
        ['my-active', 'my-inactive', 'partner'].map((k) =>
          Number(html(text).querySelector(`span.count[data-count="${k}"]`)?.text.replace(/\D/g, '')),
        );
      const first = counts((await agent.get('/tenants?tab=partner&sort=country')).text);
      t.db.on('query', record);
      try {
        await t.db('tenants').where('id', alpha.id).update({ is_active: false });
        const after = counts((await agent.get('/tenants?tab=partner&sort=customer&dir=desc')).text);
        expect(listQueries()).toBeGreaterThan(0);
        expect(after).toEqual([first[0] - 1, first[1] + 1, first[2]]);
      } finally {
        t.db.off('query', record);
        await t.db('tenants').where('id', alpha.id).update({ is_active: true });
      }
    });

    it('answers htmx with the list fragment only, varying on HX-Request', async () => {
      const { agent } = await loginAs(t.app, ava.upn);
      const res = await hx(agent.get('/tenants?tab=partner&q=a'));
      expect(res.status).toBe(200);
      expect(res.headers.vary).toMatch(/HX-Request/);
      expect(res.text).not.toContain('<html');
      expect(html(res.text).querySelector('#tenant-table')).not.toBeNull();
      expect(html(res.text).querySelector('#list-state[hx-swap-oob]')).not.toBeNull();
      expect(count(res.text, 'partner')).toBe('4');
    });

    it('links the Tenant ID to the tenant page and carries the whole names in title attributes', async () => {
      const { agent } = await loginAs(t.app, ava.upn);
      const doc = html((await agent.get('/tenants')).text);
      const row = doc.querySelector(`#tenant-table tr[data-pane-url="/tenants/${alpha.guid}/entitlements"]`)!;
      const id = row.querySelector('td.tenant-cell a.tenant-id');
      expect(id?.getAttribute('href')).toBe(`/tenants/${alpha.guid}`);
      expect(id?.text).toContain(alpha.guid);
      const name = row.querySelector('td.tenant-cell a.tenant-name');
      expect(name?.getAttribute('href')).toBe(`/tenants/${alpha.guid}`);
      expect(name?.getAttribute('title')).toBe('alpha.onmicrosoft.com');
      expect(name?.text).toBe('alpha.onmicrosoft.com');
      // A long name may wrap after a dot, never between its last two labels.
      expect(name?.innerHTML).toBe('alpha.<wbr>onmicrosoft.com');
      const prm = row.querySelector('td[data-label="Primary P-RM"]');
      expect(prm?.text).toBe('FTP Northwind Partners');
      expect(prm?.getAttribute('title')).toBe('FTP Northwind Partners');
      expect(row.querySelector('td[data-label="Customer"]')?.getAttribute('title')).toBe('Alpha Inc');
    });

    it('lands an internal user on the Partner List from / and /tenants (a partner user on My Active)', async () => {
      const omar = await createUser(t.db, { kind: 'internal', name: 'Omar Reyes', managedOrgs: [orgA] });
      const { agent } = await loginAs(t.app, omar.upn);
      const root = await agent.get('/');
      expect(root.status).toBe(302);
      expect(root.headers.location).toBe('/tenants');
      const res = await agent.get(root.headers.location);
      expect(res.status).toBe(200);
      const doc = html(res.text);
      expect(doc.querySelector('.tabs a[aria-current="page"]')?.text).toMatch(/^Partner List/);
      expect(names(res.text)).toEqual([
        'delta.onmicrosoft.com',
        'alpha.onmicrosoft.com',
        'beta.onmicrosoft.com',
        'gamma.onmicrosoft.com',
      ]);
      expect(doc.querySelector('#list-state input[name="tab"]')?.getAttribute('value')).toBe('partner');
      // The landing tab needs no parameter; the My tabs name theirs.
      expect(doc.querySelectorAll('.tabs a.tab').map((a) => a.getAttribute('href'))).toEqual([
        '/tenants?tab=my-active',
        '/tenants?tab=my-inactive',
        '/tenants',
      ]);
      expect(doc.querySelector('#tenant-table td[data-label="My Roles"]')?.text).toBe('Internal (read-only)');
      const myActive = await agent.get('/tenants?tab=my-active');
      expect(html(myActive.text).querySelector('.empty-state')?.text).toContain(
        'Internal users are not assigned to partner tenants',
      );
      const csv = await agent.get('/tenants.csv');
      expect(csv.headers['content-disposition']).toMatch(/tenants-partner-/);

      // A partner user still lands on My Active, whose link needs no parameter.
      const partner = html((await (await loginAs(t.app, ava.upn)).agent.get('/tenants')).text);
      expect(partner.querySelector('.tabs a[aria-current="page"]')?.text).toMatch(/^My Active/);
      expect(partner.querySelectorAll('.tabs a.tab').map((a) => a.getAttribute('href'))).toEqual([
        '/tenants',
        '/tenants?tab=my-inactive',
        '/tenants?tab=partner',
      ]);
    });

    it('never lists another org’s tenants, whatever the query says (SECURITY.md case 4)', async () => {
      const { agent } = await loginAs(t.app, ava.upn);
      const res = await agent.get(`/tenants?tab=partner&partnerOrgId=${orgB.id}&tenantId=${secretB.guid}`);
      expect(res.text).not.toContain('secret-b');
      expect(count(res.text, 'partner')).toBe('4');
      expect(names((await agent.get(`/tenants?tab=partner&q=${secretB.guid}`)).text)).toEqual([]);
    });
  });

  describe('GET /tenants.csv', () => {
    it('exports every row of the tab with a header row', async () => {
      const { agent } = await loginAs(t.app, ava.upn);
      const res = await agent.get('/tenants.csv?tab=partner&pageSize=25');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/csv; charset=utf-8/);
      expect(res.headers['content-disposition']).toMatch(/attachment; filename="?tenants-partner-/);
      const lines = res.text
        .replace(/^\ufeff/, '')
        .trim()
        .split('\n');
      expect(lines[0]).toMatch(/^Tenant Name,Tenant ID,Customer/);
      expect(lines).toHaveLength(5);
      expect(res.text).toContain(`alpha.onmicrosoft.com,${alpha.guid},Alpha Inc,France,Active,Active,2026-11-01`);
      expect(res.text).not.toContain('secret-b');
    });

    it('neutralises cells that a spreadsheet would run as a formula', async () => {
      const evil = await createTenant(t.db, { name: 'formula.onmicrosoft.com', customer: '=HYPERLINK("http://evil")' });
      await assign(t.db, { tenant: evil, userId: orgA.queueUserId, type: 'P-RM' });
      const { agent } = await loginAs(t.app, ava.upn);
      const res = await agent.get('/tenants.csv?tab=partner&q=formula');
      expect(res.text).toContain(`"'=HYPERLINK(""http://evil"")"`);
    });
  });

  describe('GET /tenants/:tenantId/entitlements', () => {
    it('lists one row per entitled service with AU%, L1 breakdown and scenario', async () => {
      const { agent } = await loginAs(t.app, ava.upn);
      const res = await hx(agent.get(`/tenants/${alpha.guid}/entitlements`));
      expect(res.status).toBe(200);
      const rows = html(res.text).querySelectorAll('#entitlements-table tbody tr');
      expect(rows.map((r) => r.getAttribute('data-service'))).toEqual(['EXO', 'TEAMS']);
      const exo = rows[0].text.replace(/\s+/g, ' ');
      expect(exo).toContain('305');
      expect(exo).toContain('20.0%');
      expect(exo).toContain('300 In Progress');
      expect(exo).toContain('5 Blocked');
      expect(exo).toContain('FTC-FTP Led');
      // No service-level primaries: the tenant-level primaries show, marked as such.
      expect(exo).toContain('P-RM FTP Northwind Partners (tenant)');
      expect(exo).toContain('P-FM Ava Smith (tenant)');
      expect(exo).toContain('P-FE —');
      expect(res.text).not.toContain('<html');
    });

    it('links each service with entitlements to its edit page, and names one without entitlements without a link', async () => {
      const orgC = await createOrg(t.db, { name: 'Contoso Partners' });
      const cara = await createUser(t.db, { org: orgC, name: 'Cara Lee' });
      const zeta = await createTenant(t.db, { name: 'zeta.onmicrosoft.com' });
      await assign(t.db, { tenant: zeta, userId: orgC.queueUserId, type: 'P-RM', primary: ['TENANT'] });
      await assign(t.db, { tenant: zeta, userId: cara.id, type: 'P-FM' });
      await addService(t.db, zeta, 'EXO', { total: 40 });
      await addService(t.db, zeta, 'INTUNE', { total: 0 });
      const { agent } = await loginAs(t.app, cara.upn);
      const doc = html((await hx(agent.get(`/tenants/${zeta.guid}/entitlements`))).text);
      const exo = doc.querySelector('#entitlements-table tr[data-service="EXO"] th a');
      expect(exo?.getAttribute('href')).toBe(`/tenants/${zeta.guid}/services/EXO/edit`);
      expect(exo?.text).toBe('Exchange');
      const intune = doc.querySelector('#entitlements-table tr[data-service="INTUNE"] th');
      expect(intune?.text).toContain('Intune');
      expect(intune?.querySelector('a')).toBeNull();
      // The link leads to a page that answers.
      expect((await agent.get(exo!.getAttribute('href')!)).status).toBe(200);
    });

    it('renders a full page without htmx', async () => {
      const { agent } = await loginAs(t.app, bob.upn);
      const res = await agent.get(`/tenants/${alpha.guid}/entitlements`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('<html');
      expect(res.text).toContain('Guest (read-only)');
    });

    it('answers 404 with the same body for another org’s tenant and a missing one (case 1)', async () => {
      const { agent } = await loginAs(t.app, ava.upn);
      const other = await agent.get(`/tenants/${secretB.guid}/entitlements`);
      const missing = await agent.get('/tenants/00000000-0000-4000-8000-000000000000/entitlements');
      const malformed = await agent.get('/tenants/not-a-guid/entitlements');
      expect(other.status).toBe(404);
      expect(missing.status).toBe(404);
      expect(malformed.status).toBe(404);
      const strip = (s: string) =>
        s
          .replace(/<meta name="csrf-token"[^>]*>/, '')
          .replace(/"X-CSRF-Token": "[^"]*"/, '')
          .replace(/<code>[0-9a-f-]{36}<\/code>/g, '')
          .replace(/value="[^"]*"/g, '');
      expect(strip(other.text)).toBe(strip(missing.text));
      expect(other.text).not.toContain('secret-b');
      expect(other.text).not.toContain('Secret Customer');
      expect(t.logs.some((l) => l.event === 'authz.denied')).toBe(true);
    });
  });

  describe('GET /tenants/:tenantId', () => {
    it('shows the tenant header with the user’s access level', async () => {
      const { agent } = await loginAs(t.app, ava.upn);
      const res = await agent.get(`/tenants/${alpha.guid}`);
      expect(res.status).toBe(200);
      expect(html(res.text).querySelector('.tenant-header h1')?.text).toContain('alpha.onmicrosoft.com');
      expect(res.text).toContain('P-FM');
      expect(html(res.text).querySelector(`a[href="/tenants/${alpha.guid}/edit"]`)).not.toBeNull();
    });

    it('is 404 for another org', async () => {
      const { agent } = await loginAs(t.app, bea.upn);
      expect((await agent.get(`/tenants/${alpha.guid}`)).status).toBe(404);
      expect((await agent.get(`/tenants/${secretB.guid}`)).status).toBe(200);
    });
  });

  describe('unauthenticated', () => {
    it('redirects pages to /login with returnTo and answers htmx with 401 + HX-Redirect', async () => {
      const page = await request(t.app).get('/tenants?tab=partner');
      expect(page.status).toBe(302);
      expect(page.headers.location).toBe('/login?returnTo=%2Ftenants%3Ftab%3Dpartner');
      const frag = await hx(request(t.app).get('/tenants'));
      expect(frag.status).toBe(401);
      expect(frag.headers['hx-redirect']).toBe('/login');
      expect(frag.text).toBe('');
    });
  });
});
