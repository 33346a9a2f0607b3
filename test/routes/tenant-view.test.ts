import { buildTestApp, html, loginAs, SignedIn, TestApp } from '../helpers/app';
import { addService, assign, createOrg, createTenant, createUser, TenantRef } from '../helpers/factories';

/** The detailed tenant view (DOMAIN.md §5.6, §5.8, §5.9, §5.11): tabs with their own URLs, header, summary. */
describe('detailed tenant view', () => {
  let t: TestApp;
  let alpha: TenantRef, secret: TenantRef;
  let ava: SignedIn, bob: SignedIn, omar: SignedIn, bea: SignedIn;
  const TABS = ['status', 'services', 'contacts', 'eligibility', 'service-status', 'enterprise-status', 'notes'];

  beforeAll(async () => {
    t = await buildTestApp();
    const orgA = await createOrg(t.db, { name: 'Northwind Partners' });
    const orgB = await createOrg(t.db, { name: 'Fabrikam Consulting' });
    const avaUser = await createUser(t.db, { org: orgA, name: 'Ava Smith' });
    const bobUser = await createUser(t.db, { org: orgA, name: 'Bob Jones' });
    const beaUser = await createUser(t.db, { org: orgB, name: 'Bea Brown' });
    const omarUser = await createUser(t.db, {
      kind: 'internal',
      internalRole: 'FPM',
      name: 'Omar Reyes',
      managedOrgs: [orgA],
    });
    alpha = await createTenant(t.db, {
      name: 'alpha.onmicrosoft.com',
      customer: 'Alpha Corp',
      overallStatus: 'Blocked',
      statusDate: '2026-11-03',
    });
    secret = await createTenant(t.db, { name: 'secret-b.onmicrosoft.com', customer: 'Secret Customer' });
    await t.db('tenants').where('id', alpha.id).update({ segment: 'S1500', is_enterprise: true, total_seats: 1800 });
    await assign(t.db, { tenant: alpha, userId: orgA.queueUserId, type: 'P-RM', primary: ['TENANT'] });
    await assign(t.db, { tenant: alpha, userId: avaUser.id, type: 'P-FM', primary: ['TENANT'] });
    await assign(t.db, { tenant: alpha, userId: avaUser.id, type: 'P-FE', scopes: ['EXO'] });
    await assign(t.db, { tenant: alpha, userId: omarUser.id, type: 'FPM', primary: ['TENANT'] });
    await assign(t.db, { tenant: alpha, userId: omarUser.id, type: 'MVM' });
    await assign(t.db, { tenant: secret, userId: orgB.queueUserId, type: 'P-RM', primary: ['TENANT'] });
    await assign(t.db, { tenant: secret, userId: beaUser.id, type: 'P-FM' });
    await addService(t.db, alpha, 'EXO', {
      total: 305,
      activeUsers: 40,
      rows: [
        { l1: 'In Progress', l2: 'Migration', entitlements: 300 },
        { l1: 'Blocked', l2: 'Legal/Regulatory', entitlements: 5 },
      ],
    });
    await addService(t.db, alpha, 'INTUNE', { total: 80, activeUsers: 2 });
    await addService(t.db, alpha, 'MDATP', { total: 0 });
    await t.db('eligibility').insert({
      tenant_id: alpha.id,
      is_eligible: true,
      customer_type: 'Commercial',
      eligible_seats: 1800,
      eligible_plans: JSON.stringify(['Microsoft 365 E3']),
      evaluated_at: '2026-10-01',
    });
    ava = await loginAs(t.app, avaUser.upn);
    bob = await loginAs(t.app, bobUser.upn);
    bea = await loginAs(t.app, beaUser.upn);
    omar = await loginAs(t.app, omarUser.upn);
  });
  afterAll(() => t.close());

  const get = (who: SignedIn, path: string) => who.agent.get(`/tenants/${alpha.guid}${path}`);
  const selected = (text: string, list = 'Tenant sections') =>
    html(text).querySelector(`[role="tablist"][aria-label="${list}"] [role="tab"][aria-selected="true"]`)?.text.trim();

  describe('GET /tenants/:tenantId and each tab', () => {
    it('opens on the Status tab, Overall Status sub-tab, and names each tab by its own URL', async () => {
      const res = await get(ava, '');
      expect(res.status).toBe(200);
      const doc = html(res.text);
      expect(selected(res.text)).toBe('Status');
      expect(selected(res.text, 'Status sections')).toBe('Overall Status');
      const hrefs = doc
        .querySelectorAll('[role="tablist"][aria-label="Tenant sections"] [role="tab"]')
        .map((a) => a.getAttribute('href'));
      expect(hrefs).toEqual(
        ['status', 'services', 'contacts', 'eligibility'].map((k) => `/tenants/${alpha.guid}/${k}`),
      );
      // The tab links are boosted: htmx swaps #tenant-view only and pushes the URL (Back and reload keep the tab).
      const nav = doc.querySelector('nav.view-tabs');
      expect(nav?.getAttribute('hx-boost')).toBe('true');
      expect(nav?.getAttribute('hx-select')).toBe('#tenant-view');
      expect(nav?.getAttribute('hx-push-url')).toBe('true');
      expect(doc.querySelector('#tenant-view #overall-status-form')).not.toBeNull();
      expect(doc.querySelector('#tenant-view #notes-history')).not.toBeNull();
    });

    it.each([
      ['/status', 'Status', 'Overall Status'],
      ['/service-status', 'Status', 'Service Status'],
      ['/enterprise-status', 'Status', 'Enterprise Status'],
      ['/notes', 'Status', 'Overall Status'],
      ['/services', 'Services', undefined],
      ['/contacts', 'Contacts', undefined],
      ['/eligibility', 'Eligibility', undefined],
    ])('GET %s selects the %s tab (%s) in a full page, also for a boosted htmx request', async (path, tab, sub) => {
      for (const req of [get(ava, path), get(ava, path).set('HX-Request', 'true').set('HX-Boosted', 'true')]) {
        const res = await req;
        expect(res.status).toBe(200);
        expect(res.text).toContain('<html');
        expect(selected(res.text)).toBe(tab);
        expect(selected(res.text, 'Status sections')).toBe(sub);
        expect(html(res.text).querySelector('.tenant-header h1')?.text).toContain('alpha.onmicrosoft.com');
      }
    });

    it('answers 404 with no trace of the tenant on every tab for another org', async () => {
      for (const path of ['', ...TABS.map((k) => `/${k}`), '/services/EXO', '/services/EXO/edit']) {
        const res = await get(bea, path);
        expect([path, res.status]).toEqual([path, 404]);
        expect(res.text).not.toContain('alpha.onmicrosoft.com');
      }
    });
  });

  describe('header and summary', () => {
    it('shows name, customer, Tenant ID, country, segment, the enterprise badge linking to its status, overall status and date', async () => {
      const doc = html((await get(ava, '/services')).text);
      const header = doc.querySelector('.tenant-header')!;
      for (const text of ['Alpha Corp', alpha.guid, 'Germany', 'S1500', 'Blocked', '2026-11-03'])
        expect(header.text).toContain(text);
      expect(header.querySelector('a.badge-link')?.getAttribute('href')).toBe(
        `/tenants/${alpha.guid}/enterprise-status`,
      );
      expect(header.querySelector('a.badge-link')?.text).toContain('Enterprise');
    });

    it('shows the access level: the roles, Guest (read-only), or the internal role', async () => {
      const access = async (who: SignedIn) => html((await get(who, '')).text).querySelector('[data-access]')?.text;
      expect(await access(ava)).toBe('P-FE, P-FM');
      expect(await access(bob)).toBe('Guest (read-only)');
      expect(await access(omar)).toBe('FPM (read-only)');
    });

    it('lists the primary of P-RM, P-FM, P-FE, Onboarding RM, FPM and other internal types present, with the assignments link', async () => {
      const doc = html((await get(ava, '')).text);
      const roles = doc
        .querySelectorAll('.summary-roles [data-role]')
        .map((r) => [r.getAttribute('data-role'), r.querySelector('dd')!.text.trim()]);
      expect(roles).toEqual([
        ['P-RM', 'FTP Northwind Partners'],
        ['P-FM', 'Ava Smith'],
        ['P-FE', 'No primary · 1 assigned'],
        ['Onboarding RM', '—'],
        ['FPM', 'Omar Reyes'],
        ['MVM', 'No primary · 1 assigned'],
      ]);
      const link = doc.querySelector('.tenant-summary a[data-assignments-link]');
      expect(link?.getAttribute('href')).toBe(`/tenants/${alpha.guid}/assignments`);
      expect(link?.text).toBe('Edit assignments');
      expect(html((await get(bob, '')).text).querySelector('a[data-assignments-link]')?.text).toBe('View assignments');
    });
  });

  describe('GET /tenants/:tenantId/services', () => {
    it('groups the services (Office 365, EMS, Windows) with entitlements, active users, AU%, phase and L1 chips', async () => {
      const doc = html((await get(ava, '/services')).text);
      expect(doc.querySelectorAll('.service-group h3').map((h) => h.text.replace(/\d+$/, '').trim())).toEqual([
        'Office 365',
        'EMS',
        'Windows',
      ]);
      const exo = doc.querySelector('tr[data-service="EXO"]')!;
      expect(exo.text).toContain('305');
      expect(exo.text).toContain('13.1%');
      expect(exo.querySelector('.l1-breakdown')?.text).toContain('300 In Progress');
      const detail = doc.querySelector('#l1-EXO')!;
      expect(detail.getAttribute('hidden')).not.toBeNull();
      expect(detail.text).toContain('Legal/Regulatory');
      expect(exo.querySelector('a[data-expand]')?.getAttribute('aria-expanded')).toBe('false');
    });

    it('opens a row without JavaScript with ?expand=CODE', async () => {
      const doc = html((await get(ava, '/services?expand=EXO')).text);
      expect(doc.querySelector('#l1-EXO')?.getAttribute('hidden')).toBeUndefined();
      expect(doc.querySelector('#l1-INTUNE')?.getAttribute('hidden')).not.toBeNull();
      expect(doc.querySelector('tr[data-service="EXO"] a[data-expand]')?.getAttribute('aria-expanded')).toBe('true');
    });

    it('offers View to everyone and Edit to assigned users, neither for a service without entitlements (V-20)', async () => {
      const actions = async (who: SignedIn, code: string) =>
        html((await get(who, '/services')).text)
          .querySelectorAll(`tr[data-service="${code}"] [data-action]`)
          .map((a) => [a.getAttribute('data-action'), a.getAttribute('href')]);
      const base = `/tenants/${alpha.guid}/services/EXO`;
      expect(await actions(ava, 'EXO')).toEqual([
        ['view', base],
        ['edit', `${base}/edit`],
      ]);
      expect(await actions(bob, 'EXO')).toEqual([['view', base]]);
      expect(await actions(omar, 'EXO')).toEqual([['view', base]]);
      expect(await actions(ava, 'MDATP')).toEqual([]);
    });
  });

  describe('GET /tenants/:tenantId/contacts and /eligibility', () => {
    it('the Contacts tab has the Customer, Partner and Microsoft sections with Source and Modified, tel: and mailto:', async () => {
      const now = new Date().toISOString();
      await t.db('contacts').insert({
        tenant_id: alpha.id,
        contact_type: 'Customer',
        name: 'Li Wei',
        email: 'li.wei@alpha.example',
        phone: '+49 30 1234',
        source: 'sync',
        created_at: now,
        updated_at: now,
      });
      const doc = html((await get(ava, '/contacts')).text);
      expect(doc.querySelectorAll('.contacts-section').map((s) => s.getAttribute('data-type'))).toEqual([
        'Customer',
        'Partner',
        'Microsoft',
      ]);
      const head = doc.querySelectorAll('#contacts-customer thead th').map((th) => th.text);
      expect(head).toEqual(expect.arrayContaining(['Source', 'Modified']));
      expect(doc.querySelector('a[href="mailto:li.wei@alpha.example"]')).not.toBeNull();
      expect(doc.querySelector('a[href="tel:+49301234"]')).not.toBeNull();
      expect(doc.querySelector('tr[data-contact-id]')?.text).toContain('Sync');
    });

    it('the Eligibility tab shows the read-only record and the program thresholds', async () => {
      const doc = html((await get(bob, '/eligibility')).text);
      expect(doc.querySelector('[data-eligible]')?.text).toContain('Eligible');
      expect(doc.querySelector('[data-meets]')?.text).toContain(
        '1,800 eligible seats meet the Commercial threshold of 150',
      );
      const rows = doc.querySelectorAll('#eligibility-thresholds tr[data-type]');
      expect(
        rows.map((r) =>
          r
            .querySelectorAll('th, td')
            .map((c) => c.text.trim())
            .join(' '),
        ),
      ).toEqual([
        'Commercial 150 licensed seats of eligible plans',
        'Education 1,000 licensed seats of eligible plans, counting faculty and staff only',
      ]);
      expect(doc.querySelector('#tenant-tabpanel input, #tenant-tabpanel button')).toBeNull();
      const none = html((await bea.agent.get(`/tenants/${secret.guid}/eligibility`)).text);
      expect(none.querySelector('[data-eligibility="none"]')).not.toBeNull();
    });
  });
});
