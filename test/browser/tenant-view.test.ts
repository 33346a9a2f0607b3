import type { Page } from 'playwright-core';
import {
  BrowserApp,
  htmxResponse,
  runAxe,
  seriousViolations,
  settled,
  signInThroughLoginPage,
  startBrowserApp,
  richText,
} from '../helpers/browser';
import { addService, assign, createOrg, createTenant, createUser, TenantRef } from '../helpers/factories';

/**
 * The detailed tenant view in Chromium (issue: Status, Services, Contacts and Eligibility tabs): tabs by
 * keyboard and Back, a phase change, an enterprise status entry in the log and in the notes history; axe-core
 * on every tab; every tab at 390, 768 and 1440 px without sideways page scroll or inner vertical scroll boxes.
 */
describe('detailed tenant view in the browser', () => {
  let b: BrowserApp;
  let tenant: TenantRef;
  let upn: string;

  beforeAll(async () => {
    b = await startBrowserApp(async (t) => {
      const org = await createOrg(t.db, { name: 'Northwind Partners' });
      const ava = await createUser(t.db, { org, name: 'Ava Smith' });
      upn = ava.upn;
      tenant = await createTenant(t.db, {
        name: 'fabrikam-manufacturing-international.onmicrosoft.com',
        customer: 'Fabrikam Manufacturing International Holdings',
        overallStatus: 'Active',
        statusDate: '2026-11-03',
      });
      await t.db('tenants').where('id', tenant.id).update({ is_enterprise: true, segment: 'S1500', total_seats: 2400 });
      await assign(t.db, { tenant, userId: org.queueUserId, type: 'P-RM', primary: ['TENANT'] });
      await assign(t.db, { tenant, userId: ava.id, type: 'P-FM', primary: ['TENANT'] });
      await addService(t.db, tenant, 'EXO', {
        total: 1700,
        activeUsers: 90,
        rows: [
          { l1: 'In Progress', l2: 'Migration', entitlements: 1200 },
          { l1: 'Blocked', l2: 'Legal/Regulatory', entitlements: 500 },
        ],
      });
      await addService(t.db, tenant, 'TEAMS', { total: 1700, activeUsers: 1200 });
      await addService(t.db, tenant, 'INTUNE', { total: 900, activeUsers: 20 });
      const now = new Date().toISOString();
      await t.db('contacts').insert({
        tenant_id: tenant.id,
        contact_type: 'Customer',
        name: 'Chen Lin',
        email: 'chen.lin.security-architecture@fabrikam-manufacturing.example',
        phone: '+49 30 1234 5678',
        role_title: 'Principal Security Architect',
        country: 'Germany',
        source: 'sync',
        created_at: now,
        updated_at: now,
      });
      await t.db('eligibility').insert({
        tenant_id: tenant.id,
        is_eligible: true,
        customer_type: 'Commercial',
        eligible_seats: 2400,
        eligible_plans: JSON.stringify(['Microsoft 365 E3', 'Enterprise Mobility + Security E3']),
        evaluated_at: '2026-10-01',
      });
      await t.db('notes').insert({
        tenant_id: tenant.id,
        category: 'Engagement Management',
        body_html: '<p>Kick-off held with the customer.</p>',
        body_text: 'Kick-off held with the customer.',
        source_context: 'status_tab',
        author_user_id: ava.id,
        created_at: now,
        search_tenant: tenant.name,
      });
    });
  }, 60_000);
  afterAll(() => b?.close());
  afterEach(() => {
    expect(b.consoleErrors.splice(0)).toEqual([]);
    expect(b.cspViolations.splice(0)).toEqual([]);
  });

  async function signedIn(width = 1440): Promise<Page> {
    const page = await b.newPage({ width, height: 900 });
    await page.goto('/login');
    await signInThroughLoginPage(page, upn);
    return page;
  }
  const base = () => `/tenants/${tenant.guid}`;
  const selectedTab = (page: Page, list = 'Tenant sections') =>
    page.locator(`[role="tablist"][aria-label="${list}"] [role="tab"][aria-selected="true"]`).textContent();
  const focused = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

  it('switches tabs with the keyboard and with Back, keeps the tab on reload, saves a phase and an enterprise entry', async () => {
    const page = await signedIn();
    await page.goto(base());
    expect(await selectedTab(page)).toBe('Status');
    // Only the selected tab is in the Tab order; the arrow keys move along the row, Enter opens.
    expect(await page.locator('#tab-services').getAttribute('tabindex')).toBe('-1');
    await page.locator('#tab-status').focus();
    await page.keyboard.press('ArrowRight');
    expect(await focused(page)).toBe('tab-services');
    await htmxResponse(
      page,
      (u) => u.pathname === `${base()}/services`,
      () => page.keyboard.press('Enter'),
    );
    expect(new URL(page.url()).pathname).toBe(`${base()}/services`);
    expect(await selectedTab(page)).toBe('Services');
    expect(await focused(page)).toBe('tab-services');
    await page.keyboard.press('End');
    expect(await focused(page)).toBe('tab-eligibility');
    await page.keyboard.press('ArrowLeft');
    await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/contacts'),
      () => page.keyboard.press('Enter'),
    );
    expect(await selectedTab(page)).toBe('Contacts');
    expect(await page.locator('a[href^="mailto:chen.lin"]').count()).toBe(1);

    await page.goBack();
    await page.waitForURL((u) => u.pathname === `${base()}/services`);
    await page.locator('#tab-services[aria-selected="true"]').waitFor();
    await page.goBack();
    await page.waitForURL((u) => u.pathname === base());
    await page.locator('#tab-status[aria-selected="true"]').waitFor();
    await page.goForward();
    await page.waitForURL((u) => u.pathname === `${base()}/services`);
    await page.locator('#tab-services[aria-selected="true"]').waitFor();
    await page.reload();
    expect(await selectedTab(page)).toBe('Services');

    // A service row opens to its L1 breakdown.
    const expander = page.locator('tr[data-service="EXO"] a[data-expand]');
    await expander.click();
    expect(await expander.getAttribute('aria-expanded')).toBe('true');
    expect(await page.locator('#l1-EXO').isVisible()).toBe(true);
    expect(await page.locator('#l1-EXO').textContent()).toContain('Legal/Regulatory');

    // Service Status: change a phase.
    await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/status'),
      () => page.locator('#tab-status').click(),
    );
    await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/service-status'),
      () => page.locator('#subtab-phases').click(),
    );
    expect(await page.locator('#phase-row-EXO [data-hint]').textContent()).toContain('Adoption');
    await page.locator('#phase-EXO').selectOption('Adoption');
    await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/services/EXO/phase'),
      () => page.locator('#phase-row-EXO button', { hasText: 'Save' }).click(),
    );
    await page.locator('#phase-row-EXO [data-saved]').waitFor();
    expect(await page.locator('#phase-EXO').inputValue()).toBe('Adoption');
    expect(await page.locator('#phase-history tbody tr').first().textContent()).toContain('Ava Smith');
    expect(await b.t.db('tenant_services').where({ tenant_id: tenant.id, service_code: 'EXO' }).first()).toMatchObject({
      phase: 'Adoption',
    });

    // Enterprise Status: an entry in the log and in the notes history.
    await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/enterprise-status'),
      () => page.locator('#subtab-enterprise').click(),
    );
    await page.locator('#es-status').selectOption('Blocked');
    await page.locator('#es-note').fill('Works council review pending.');
    await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/enterprise-status'),
      () => page.getByRole('button', { name: 'Add entry' }).click(),
    );
    await page.locator('#enterprise-status [data-outcome]').waitFor();
    const entry = page.locator('#enterprise-log tbody tr').first();
    expect(await entry.textContent()).toContain('Works council review pending.');
    expect(await entry.textContent()).toContain('Blocked');
    await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/status'),
      () => page.locator('#subtab-overall').click(),
    );
    const note = page.locator('#notes-history .note').first();
    expect(await note.locator('.chip').first().textContent()).toBe('Enterprise Status');
    expect(await note.locator('.note-body').textContent()).toContain('Works council review pending.');
    // Filter the history to Enterprise Status: the URL follows, and reload keeps the filter.
    await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/notes'),
      () => page.locator('#cat-enterprise-status').check(),
    );
    expect(new URL(page.url()).searchParams.getAll('category')).toEqual(['Enterprise Status']);
    await page.reload();
    expect(await page.locator('#cat-enterprise-status').isChecked()).toBe(true);
    expect(await page.locator('#notes-history .note').count()).toBe(1);
  });

  it('saves the overall status on the Status tab; the header and the notes history follow; Edit Tenant is a page', async () => {
    const page = await signedIn();
    await page.goto(base());
    await page.locator('#overall_status').selectOption('Paused');
    await richText(page, '#note').fill('Budget freeze until January.');
    await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/overall-status'),
      () => page.getByRole('button', { name: 'Save Overall Status' }).click(),
    );
    await page.locator('#overall-status-form [data-outcome]').waitFor();
    await page.locator('#tenant-head [data-overall-status]', { hasText: 'Paused' }).waitFor();
    await page.locator('#notes-history .note-body', { hasText: 'Budget freeze until January.' }).waitFor();
    await Promise.all([
      page.waitForURL((u) => u.pathname === `${base()}/edit`),
      page.locator('#tenant-head a', { hasText: 'Edit Tenant' }).click(),
    ]);
    await page.locator('#edit-panel #overall-status-form').waitFor();
  });

  it('asks before a tab switch throws away an unsaved edit', async () => {
    const page = await signedIn();
    await page.goto(`${base()}/enterprise-status`);
    await page.locator('#es-note').fill('Half written');
    let asked = '';
    page.once('dialog', (d) => {
      asked = d.message();
      void d.dismiss();
    });
    await page.locator('#tab-services').click();
    await settled(page);
    expect(asked).toContain('unsaved changes');
    expect(await selectedTab(page)).toBe('Status');
    expect(await page.locator('#es-note').inputValue()).toBe('Half written');
  });

  const PAGES = [
    '',
    '/service-status',
    '/enterprise-status',
    '/services?expand=EXO',
    '/contacts',
    '/eligibility',
    '/services/EXO/edit',
    '/services/EXO',
  ];

  it('has no serious or critical axe-core violation on any tab or service page', async () => {
    const page = await signedIn();
    const findings: Record<string, string[]> = {};
    for (const path of PAGES) {
      await page.goto(`${base()}${path}`);
      findings[path || '/'] = seriousViolations(await runAxe(page));
    }
    expect(Object.fromEntries(Object.entries(findings).filter(([, v]) => v.length))).toEqual({});
    // axe over every page takes about 10 s alone; a loaded 2-core machine took over 30.
  }, 90_000);

  describe.each([390, 768, 1440])('at %i px', (width) => {
    it('shows every tab without sideways page scroll or an inner vertical scroll box', async () => {
      const page = await signedIn(width);
      for (const path of PAGES) {
        await page.goto(`${base()}${path}`);
        const layout = await page.evaluate(() => {
          const root = document.documentElement;
          const boxes: string[] = [];
          for (const el of Array.from(document.querySelectorAll('*'))) {
            if (el === root || el === document.body) continue;
            const { overflowY } = getComputedStyle(el);
            if ((overflowY === 'auto' || overflowY === 'scroll') && el.scrollHeight > el.clientHeight + 1)
              boxes.push(`${el.tagName.toLowerCase()}#${el.id}.${[...el.classList].join('.')}`);
          }
          return { pageOverflow: root.scrollWidth - root.clientWidth, boxes };
        });
        expect({ path, ...layout }).toEqual({ path, pageOverflow: 0, boxes: [] });
      }
    });
  });
});
