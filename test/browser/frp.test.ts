import type { Page } from 'playwright-core';
import type { TestApp } from '../helpers/app';
import {
  BrowserApp,
  describeViolations,
  eventually,
  htmxResponse,
  maybeScreenshot,
  runAxe,
  seriousViolations,
  signInThroughLoginPage,
  startBrowserApp,
} from '../helpers/browser';
import { addService, assign, createOrg, createTenant, createUser, OrgRef, UserRef } from '../helpers/factories';

/**
 * The FRP view in headless Chromium (DOMAIN.md §5): sign in through the login page, then tabs,
 * search, sort, page size, the Tenant Entitlements pane, Maximize and browser history — all through
 * htmx, with no console error and no CSP violation.
 *
 * Data: Northwind Partners; Ava Smith (P-FM) has 7 active and 2 inactive tenants; the org's queue
 * holds P-RM on those plus 20 more, so the Partner List (29) spans two pages of 25.
 */
type Svc = {
  code: string;
  total: number;
  au: number;
  scenario?: string;
  rows: { l1: string; l2?: string; entitlements: number }[];
};
type Seed = {
  name: string;
  customer: string;
  country: string;
  status?: 'Active' | 'Blocked' | 'Paused';
  date?: string;
  priority?: 'High' | 'Medium' | 'Low';
  active?: boolean;
  services: Svc[];
};

const svc = (
  code: string,
  total: number,
  au: number,
  scenario: string | undefined,
  ...rows: [string, string | undefined, number][]
): Svc => ({
  code,
  total,
  au,
  scenario,
  rows: rows.map(([l1, l2, entitlements]) => ({ l1, l2, entitlements })),
});

// A table reads better than prettier's one-value-per-line layout.
// prettier-ignore
const AVAS: Seed[] = [
  { name: 'adatum.onmicrosoft.com', customer: 'Adatum Corporation', country: 'United States', status: 'Active', date: '2026-11-03', priority: 'High', services: [
    svc('EXO', 12500, 8200, 'FTC-FTP Led', ['In Progress', 'Migration', 9000], ['Blocked', 'Legal/Regulatory', 1500], ['Status Unknown', 'Customer Unresponsive', 2000]),
    svc('TEAMS', 12500, 10400, 'Customer-Led with FTP Assist', ['In Progress', 'Solution or User Adoption', 11000], ['No Intent', 'Using Competitive Solution', 1500]),
    svc('SPO', 12500, 5100, 'FTC-FTP Led', ['In Progress', 'Technical Onboarding and Deployment', 7500], ['Blocked', 'Adoption Readiness', 3000], ['Status Unknown', 'New Subscription or Workload', 2000]),
    svc('INTUNE', 8000, 1900, 'Customer Led', ['Blocked', 'Customer IT Infrastructure and Remediation', 5000], ['In Progress', undefined, 3000]),
  ] },
  { name: 'contoso.onmicrosoft.com', customer: 'Contoso Ltd', country: 'United Kingdom', status: 'Active', date: '2026-10-21', priority: 'Medium', services: [
    svc('EXO', 4200, 3900, 'FTC-FTP Led', ['In Progress', 'Migration', 4200]),
    svc('TEAMS', 4200, 2600, 'FTC-FTP Led', ['In Progress', 'Solution or User Adoption', 3000], ['Blocked', 'IT Change Management and Resourcing', 1200]),
  ] },
  { name: 'fabrikam.onmicrosoft.com', customer: 'Fabrikam, Inc.', country: 'Germany', status: 'Blocked', date: '2026-09-30', priority: 'High', services: [
    svc('EXO', 2300, 400, 'Customer-Led with FTP Assist', ['Blocked', 'Security/Privacy (Non-Product/Feature)', 1800], ['Status Unknown', 'Customer Unresponsive', 500]),
    svc('SPO', 2300, 150, undefined, ['Blocked', 'Legal/Regulatory', 2300]),
    svc('INTUNE', 1500, 0, undefined, ['Status Unknown', 'New Subscription or Workload', 1500]),
  ] },
  { name: 'litwareinc.onmicrosoft.com', customer: 'Litware, Inc.', country: 'Australia', services: [
    svc('TEAMS', 650, 80, undefined, ['Status Unknown', 'New Subscription or Workload', 650]),
  ] },
  { name: 'tailspintoys.onmicrosoft.com', customer: 'Tailspin Toys', country: 'Canada', status: 'Paused', date: '2026-08-14', priority: 'Low', services: [
    svc('EXO', 900, 610, 'Customer Led', ['In Progress', 'Migration', 600], ['No Intent', 'Using Microsoft On-Premises Solution', 300]),
    svc('SPO', 900, 220, 'Customer Led', ['In Progress', undefined, 900]),
  ] },
  { name: 'wingtiptoys.onmicrosoft.com', customer: 'Wingtip Toys', country: 'France', status: 'Active', date: '2026-11-12', services: [
    svc('EXO', 1800, 1500, 'FTC-FTP Led', ['In Progress', 'Migration', 1800]),
    svc('TEAMS', 1800, 1650, 'FTC-FTP Led', ['In Progress', 'Solution or User Adoption', 1800]),
    svc('INTUNE', 1200, 300, 'FTC-FTP Led', ['In Progress', 'Technical Onboarding and Deployment', 700], ['Blocked', 'App Compatibility', 500]),
  ] },
  { name: 'woodgrovebank.onmicrosoft.com', customer: 'Woodgrove Bank', country: 'Netherlands', status: 'Active', date: '2026-10-02', priority: 'Medium', services: [
    svc('EXO', 25000, 14000, 'FTC-FTP Led', ['In Progress', 'Migration', 18000], ['Blocked', 'Legal/Regulatory', 7000]),
    svc('SPO', 25000, 9000, 'FTC-FTP Led', ['In Progress', 'Technical Onboarding and Deployment', 20000], ['Status Unknown', 'Customer Unresponsive', 5000]),
    svc('INTUNE', 25000, 4000, 'Customer-Led with FTP Assist', ['Blocked', 'Product Feature/Capability', 15000], ['In Progress', undefined, 10000]),
  ] },
  { name: 'northwindtraders.onmicrosoft.com', customer: 'Northwind Traders', country: 'Spain', active: false, services: [
    svc('EXO', 300, 280, undefined, ['In Progress', 'Migration', 300]),
  ] },
  { name: 'alpineskihouse.onmicrosoft.com', customer: 'Alpine Ski House', country: 'Switzerland', active: false, services: [] },
];

const ORG_ONLY = [
  'Adventure Works',
  'Bellows College',
  'Best For You Organics',
  'Blue Yonder Airlines',
  'City Power & Light',
  'Coho Winery',
  'Consolidated Messenger',
  'First Up Consultants',
  'Fourth Coffee',
  'Graphic Design Institute',
  'Humongous Insurance',
  'Lamna Healthcare',
  'Lucerne Publishing',
  "Margie's Travel",
  'Munson\u2019s Pickles',
  'Nod Publishers',
  'Proseware',
  'Relecloud',
  'Southridge Video',
  'Trey Research',
];

const MY_ACTIVE_BY_NAME = AVAS.filter((s) => s.active !== false)
  .map((s) => s.name)
  .sort();
const MY_INACTIVE_BY_NAME = AVAS.filter((s) => s.active === false)
  .map((s) => s.name)
  .sort();

async function seed(t: TestApp, refs: { org?: OrgRef; ava?: UserRef }): Promise<void> {
  const org = await createOrg(t.db, { name: 'Northwind Partners', domain: 'northwindpartners.example' });
  const ava = await createUser(t.db, { org, name: 'Ava Smith', upn: 'ava.smith@northwindpartners.example' });
  await createUser(t.db, { org, name: 'Ben Carter', upn: 'ben.carter@northwindpartners.example' });
  for (const [i, s] of AVAS.entries()) {
    const tenant = await createTenant(t.db, {
      name: s.name,
      customer: s.customer,
      country: s.country,
      active: s.active ?? true,
      overallStatus: s.status ?? null,
      statusDate: s.date ?? null,
      priority: s.priority ?? null,
    });
    await assign(t.db, { tenant, userId: org.queueUserId, type: 'P-RM', scopes: ['TENANT'], primary: ['TENANT'] });
    // Mostly tenant-wide P-FM; two tenants only through a service scope (P-FE on EXO).
    if (i % 3 === 2) await assign(t.db, { tenant, userId: ava.id, type: 'P-FE', scopes: ['EXO'] });
    else await assign(t.db, { tenant, userId: ava.id, type: 'P-FM', scopes: ['TENANT'], primary: ['TENANT'] });
    for (const x of s.services)
      await addService(t.db, tenant, x.code, { total: x.total, activeUsers: x.au, scenario: x.scenario, rows: x.rows });
  }
  for (const [i, customer] of ORG_ONLY.entries()) {
    const slug = customer.toLowerCase().replace(/[^a-z]/g, '');
    const tenant = await createTenant(t.db, {
      name: `${slug}.onmicrosoft.com`,
      customer,
      country: ['Ireland', 'Sweden', 'Japan', 'Brazil'][i % 4],
    });
    await assign(t.db, { tenant, userId: org.queueUserId, type: 'P-RM', scopes: ['TENANT'], primary: ['TENANT'] });
    await addService(t.db, tenant, 'EXO', { total: 250 + i * 10 });
  }
  refs.org = org;
  refs.ava = ava;
}

/** The tenant name of each row: the row's first link that is not an action button. */
const rowNames = (page: Page) =>
  page.$$eval('#tenant-table tbody tr', (trs) =>
    trs.map((tr) => (tr.querySelector('a:not(.btn)')?.textContent ?? '').trim()),
  );
const currentTab = (page: Page) => page.locator('.tabs a[aria-current="page"]').innerText();
const isList = (url: URL) => url.pathname === '/tenants';

describe('FRP view in the browser', () => {
  let b: BrowserApp;
  let page: Page;
  const refs: { org?: OrgRef; ava?: UserRef } = {};

  beforeAll(async () => {
    b = await startBrowserApp((t) => seed(t, refs));
    page = await b.newPage();
  });
  afterAll(async () => {
    await b?.close();
  });
  afterEach(() => {
    // Every step of the journey: no console error and no CSP violation (emptied so each test reports its own).
    const errors = b.consoleErrors.splice(0);
    const violations = b.cspViolations.splice(0);
    expect(errors).toEqual([]);
    expect(violations).toEqual([]);
  });

  /** Opens /tenants signed in as Ava (the first test signs in through the login page; the cookie stays). */
  async function openList(query = ''): Promise<void> {
    await page.goto(`/tenants${query}`);
    if (new URL(page.url()).pathname === '/login') await signInThroughLoginPage(page, refs.ava!.upn);
    if (query) await page.goto(`/tenants${query}`);
  }
  /** Sets a window marker that only survives if no full page load happens. */
  const markWindow = () =>
    page.evaluate(() => ((window as unknown as { __noReload: string }).__noReload = 'still here'));
  const marker = () => page.evaluate(() => (window as unknown as { __noReload?: string }).__noReload);

  it('redirects to /login when signed out, then signs in through the login page onto My Active with the tab counts', async () => {
    await page.goto('/tenants');
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).searchParams.get('returnTo')).toBe('/tenants');
    await signInThroughLoginPage(page, refs.ava!.upn);

    expect(new URL(page.url()).pathname).toBe('/tenants');
    expect(await currentTab(page)).toMatch(/^My Active\s+7$/);
    expect(await page.locator('[data-count="my-active"]').innerText()).toBe('7');
    expect(await page.locator('[data-count="my-inactive"]').innerText()).toBe('2');
    expect(await page.locator('[data-count="partner"]').innerText()).toBe('29');
    expect(await rowNames(page)).toEqual(MY_ACTIVE_BY_NAME);
    expect(await page.locator('.topbar .user-name').innerText()).toBe('Ava Smith');
  });

  it('switches to My Inactive and the Partner List with htmx, pushing the URL without a page load', async () => {
    await openList();
    await markWindow();

    await htmxResponse(
      page,
      (u) => isList(u) && u.searchParams.get('tab') === 'my-inactive',
      () => page.getByRole('link', { name: /^My Inactive/ }).click(),
    );
    await eventually(
      () => rowNames(page),
      (names) => expect(names).toEqual(MY_INACTIVE_BY_NAME),
    );
    expect(page.url()).toContain('tab=my-inactive');
    expect(await currentTab(page)).toMatch(/^My Inactive/);

    await htmxResponse(
      page,
      (u) => isList(u) && u.searchParams.get('tab') === 'partner',
      () => page.getByRole('link', { name: /^Partner List/ }).click(),
    );
    const partner = await eventually(
      () => rowNames(page),
      (names) => expect(names).toHaveLength(25),
    );
    // Partner List sorts by priority first (DOMAIN.md §5.3): the two High tenants lead.
    expect(partner.slice(0, 2)).toEqual(['adatum.onmicrosoft.com', 'fabrikam.onmicrosoft.com']);
    expect(page.url()).toContain('tab=partner');
    expect(await currentTab(page)).toMatch(/^Partner List\s+29$/);
    expect(await page.locator('.pagination .range').innerText()).toBe('1–25 of 29');
    expect(await marker()).toBe('still here');
  });

  it('restores the previous tab’s list on browser back (htmx re-fetches the full page)', async () => {
    await openList('?tab=my-inactive');
    await markWindow();
    await htmxResponse(
      page,
      (u) => u.searchParams.get('tab') === 'partner',
      () => page.getByRole('link', { name: /^Partner List/ }).click(),
    );
    await eventually(
      () => rowNames(page),
      (names) => expect(names).toHaveLength(25),
    );

    const [restore] = await Promise.all([
      page.waitForResponse((r) => r.request().headers()['hx-history-restore-request'] === 'true'),
      page.goBack(),
    ]);
    expect(new URL(restore.url()).searchParams.get('tab')).toBe('my-inactive');
    expect(await restore.text()).toContain('<html');
    await eventually(
      () => rowNames(page),
      (names) => expect(names).toEqual(MY_INACTIVE_BY_NAME),
    );
    expect(page.url()).toContain('tab=my-inactive');
    expect(await currentTab(page)).toMatch(/^My Inactive/);
    expect(await marker()).toBe('still here');
  });

  it('changes the page size with the select', async () => {
    await openList('?tab=partner');
    expect(await rowNames(page)).toHaveLength(25);
    await htmxResponse(
      page,
      (u) => u.searchParams.get('pageSize') === '50',
      () => page.locator('select#pageSize').selectOption('50'),
    );
    await eventually(
      () => rowNames(page),
      (names) => expect(names).toHaveLength(29),
    );
    expect(page.url()).toContain('pageSize=50');
    expect(await page.locator('.pagination .range').innerText()).toBe('1–29 of 29');
    expect(await page.locator('select#pageSize').inputValue()).toBe('50');
  });

  it('searches as you type after the debounce, then clears the search', async () => {
    await openList();
    await markWindow();
    const search = page.locator('#q');
    await htmxResponse(
      page,
      (u) => u.searchParams.get('q') === 'wood',
      () => search.pressSequentially('wood', { delay: 40 }),
    );
    await eventually(
      () => rowNames(page),
      (names) => expect(names).toEqual(['woodgrovebank.onmicrosoft.com']),
    );
    expect(page.url()).toContain('q=wood');
    expect(await currentTab(page)).toMatch(/^My Active/);

    await htmxResponse(
      page,
      (u) => isList(u) && u.searchParams.get('q') === '',
      () => search.fill(''),
    );
    await eventually(
      () => rowNames(page),
      (names) => expect(names).toEqual(MY_ACTIVE_BY_NAME),
    );
    expect(page.url()).not.toContain('q=wood');
    expect(await marker()).toBe('still here');
  });

  it('sorts by a header in both directions and shows it with aria-sort', async () => {
    await openList();
    expect(await page.locator('#tenant-table th[aria-sort="ascending"]').innerText()).toMatch(/Tenant Name/);
    const countryHeader = page.locator('#tenant-table thead th', { hasText: 'Country' });

    await htmxResponse(
      page,
      (u) => u.searchParams.get('sort') === 'country',
      () => countryHeader.getByRole('link').click(),
    );
    const byCountry = [
      'litwareinc',
      'tailspintoys',
      'wingtiptoys',
      'fabrikam',
      'woodgrovebank',
      'contoso',
      'adatum',
    ].map((n) => `${n}.onmicrosoft.com`);
    await eventually(
      () => rowNames(page),
      (names) => expect(names).toEqual(byCountry),
    );
    expect(await countryHeader.getAttribute('aria-sort')).toBe('ascending');
    expect(page.url()).toContain('sort=country');

    await htmxResponse(
      page,
      (u) => u.searchParams.get('dir') === 'desc',
      () => countryHeader.getByRole('link').click(),
    );
    await eventually(
      () => rowNames(page),
      (names) => expect(names).toEqual([...byCountry].reverse()),
    );
    expect(await countryHeader.getAttribute('aria-sort')).toBe('descending');
    expect(await page.locator('#tenant-table th[aria-sort]').count()).toBe(1);
  });

  it('loads the Tenant Entitlements pane when a row is clicked outside its links, and highlights the row', async () => {
    await openList();
    const row = page.locator('#tenant-table tbody tr', { hasText: 'adatum.onmicrosoft.com' });
    expect(await page.locator('#entitlements-pane').innerText()).toContain('Select a tenant row');

    await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/entitlements'),
      () => row.locator('td', { hasText: 'Adatum Corporation' }).click(),
    );
    await page.locator('#entitlements-table').waitFor();
    expect(await page.locator('#entitlements-pane h2').innerText()).toContain('adatum.onmicrosoft.com');
    expect(
      await page.$$eval('#entitlements-table tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-service'))),
    ).toEqual(['EXO', 'TEAMS', 'SPO', 'INTUNE']);
    // One chip per L1, in taxonomy order, each carrying its text (status is never colour alone).
    expect(
      await page.locator('#entitlements-table tbody tr[data-service="EXO"] .l1-breakdown .chip').allInnerTexts(),
    ).toEqual(['2,000 Status Unknown', '9,000 In Progress', '1,500 Blocked']);
    expect(await row.getAttribute('aria-selected')).toBe('true');
    expect(await page.locator('#tenant-table tbody tr[aria-selected="true"]').count()).toBe(1);
    expect(new URL(page.url()).pathname).toBe('/tenants'); // the pane is not a navigation

    await maybeScreenshot(page, 'frp-view.png');
  });

  it('loads the pane from the keyboard: focus a row and press Enter', async () => {
    await openList();
    const row = page.locator('#tenant-table tbody tr', { hasText: 'woodgrovebank.onmicrosoft.com' });
    await row.focus();
    await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/entitlements'),
      () => page.keyboard.press('Enter'),
    );
    await eventually(
      () =>
        page
          .locator('#entitlements-pane h2')
          .innerText()
          .catch(() => ''),
      (h) => expect(h).toContain('woodgrovebank.onmicrosoft.com'),
    );
    expect(await page.locator('#entitlements-table tbody tr').count()).toBe(3);
    expect(await row.getAttribute('aria-selected')).toBe('true');

    // Arrow keys move between rows; Enter on the next row moves the selection.
    await page.keyboard.press('ArrowUp');
    await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/entitlements'),
      () => page.keyboard.press('Enter'),
    );
    await eventually(
      () => page.locator('#entitlements-pane h2').innerText(),
      (h) => expect(h).toContain('wingtiptoys.onmicrosoft.com'),
    );
    expect(await row.getAttribute('aria-selected')).toBe('false');
  });

  it('Maximize toggles aria-pressed and hides the pane, and Restore brings it back', async () => {
    await openList();
    const button = page.locator('#maximize');
    const pane = page.locator('#entitlements-pane');
    expect(await button.getAttribute('aria-pressed')).toBe('false');
    expect(await pane.isVisible()).toBe(true);

    await button.click();
    expect(await button.getAttribute('aria-pressed')).toBe('true');
    await pane.waitFor({ state: 'hidden' });
    expect(await button.innerText()).toBe('Restore');

    await button.click();
    expect(await button.getAttribute('aria-pressed')).toBe('false');
    await pane.waitFor({ state: 'visible' });
  });

  it('shows every tenant name and Primary P-RM whole at 1440 px, and the Tenant ID leads to the tenant page', async () => {
    await openList('?tab=partner');
    const cut = await page.evaluate(() => {
      const headers = Array.from(document.querySelectorAll('#tenant-table thead th'));
      const prmColumn = headers.findIndex((th) => th.textContent?.includes('Primary P-RM'));
      const clipped = (el: Element, cell: Element) =>
        el.scrollWidth > el.clientWidth + 1 ||
        el.getBoundingClientRect().right > cell.getBoundingClientRect().right + 1;
      const out: string[] = [];
      for (const tr of Array.from(document.querySelectorAll('#tenant-table tbody tr'))) {
        const cell = tr.querySelector('td.tenant-cell')!;
        const name = cell.querySelector('a:not(.btn)')!;
        if (clipped(cell, cell) || clipped(name, cell) || name.getBoundingClientRect().height > 24)
          out.push(`name ${name.textContent}`);
        const prm = tr.children[prmColumn];
        if (clipped(prm, prm)) out.push(`Primary P-RM ${prm.textContent}`);
      }
      return out;
    });
    expect(cut).toEqual([]);
    expect(await rowNames(page)).toContain('consolidatedmessenger.onmicrosoft.com');

    const row = page.locator('#tenant-table tbody tr', { hasText: 'adatum.onmicrosoft.com' });
    const guid = (await row.getAttribute('data-pane-url'))!.split('/')[2];
    await Promise.all([page.waitForURL((u) => u.pathname === `/tenants/${guid}`), row.locator('a.tenant-id').click()]);
    expect(await page.locator('.tenant-header h1').innerText()).toContain('adatum.onmicrosoft.com');
  });

  it('has no serious or critical axe-core violation on /tenants (pane open) and /login', async () => {
    await openList();
    await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/entitlements'),
      () => page.locator('#tenant-table tbody tr td', { hasText: 'Adatum Corporation' }).click(),
    );
    await page.locator('#entitlements-table').waitFor();
    const tenants = await runAxe(page);

    const loginPage = await b.newPage();
    await loginPage.goto('/login');
    const login = await runAxe(loginPage);

    const all = [...tenants.map((v) => ({ ...v, page: '/tenants' })), ...login.map((v) => ({ ...v, page: '/login' }))];
    if (all.length) console.log(`axe-core findings:\n${describeViolations(all)}`);
    expect({ '/tenants': seriousViolations(tenants), '/login': seriousViolations(login) }).toEqual({
      '/tenants': [],
      '/login': [],
    });
  });
});
