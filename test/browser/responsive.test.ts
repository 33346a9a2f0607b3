import type { Page } from 'playwright-core';
import type { TestApp } from '../helpers/app';
import { BrowserApp, eventually, htmxResponse, signInThroughLoginPage, startBrowserApp } from '../helpers/browser';
import { addService, assign, createOrg, createTenant, createUser, TenantRef } from '../helpers/factories';

/**
 * Every width (STYLE.md › Look and feel; the screens issue, points 3 and 9): at 390, 768 and 1440 px the
 * FRP view (each tab), the Tenant Entitlements pane and the Edit Tenant dialog (Engagement, Contacts and a
 * service tab) never scroll the page sideways and give no element a vertical scroll box of its own (a wide
 * table scrolls sideways inside its frame; the page, or the dialog itself, scrolls vertically). On a phone
 * the dialog takes the whole screen; from 1280 px every button of the dialog lies inside it.
 *
 * Data: Northwind Partners; Ava is assigned to adatum (four services, contacts with long values) and to 11
 * more tenants; the org's queue holds P-RM on 30 tenants, so the Partner List fills a page of 25 rows.
 */
const now = () => new Date().toISOString();

async function addContact(
  t: TestApp,
  tenant: TenantRef,
  c: { type: 'Customer' | 'Partner' | 'Microsoft'; name: string; email?: string; role?: string; services?: string[] },
): Promise<void> {
  const [{ id }] = await t
    .db('contacts')
    .insert({
      tenant_id: tenant.id,
      contact_type: c.type,
      name: c.name,
      email: c.email ?? null,
      phone: c.email ? '+49 30 1234 5678' : null,
      role_title: c.role ?? null,
      country: c.email ? 'United Kingdom' : null,
      source: 'manual',
      created_at: now(),
      updated_at: now(),
    })
    .returning('id');
  for (const code of c.services ?? []) await t.db('contact_services').insert({ contact_id: id, service_code: code });
}

/** A tenant name as long as real ones get, with no space to break at. */
const LONG_NAME = 'margiestravelandleisuregroupemea.onmicrosoft.com';

async function seed(t: TestApp, refs: { adatum?: TenantRef; long?: TenantRef; upn?: string }): Promise<void> {
  const org = await createOrg(t.db, { name: 'Northwind Partners' });
  const ava = await createUser(t.db, { org, name: 'Ava Smith' });
  refs.upn = ava.upn;

  const adatum = await createTenant(t.db, {
    name: 'adatum.onmicrosoft.com',
    customer: 'Adatum Corporation',
    overallStatus: 'Active',
    statusDate: '2026-11-03',
    priority: 'High',
  });
  refs.adatum = adatum;
  await assign(t.db, { tenant: adatum, userId: org.queueUserId, type: 'P-RM', primary: ['TENANT'] });
  await assign(t.db, { tenant: adatum, userId: ava.id, type: 'P-FM', primary: ['TENANT'] });
  const exo = await addService(t.db, adatum, 'EXO', {
    total: 1700,
    activeUsers: 820,
    scenario: 'FTC-FTP Led',
    rows: [
      { l1: 'In Progress', l2: 'Migration', entitlements: 900 },
      { l1: 'Blocked', l2: 'Legal/Regulatory', entitlements: 500 },
      { l1: 'Status Unknown', l2: 'Customer Unresponsive', entitlements: 300 },
    ],
  });
  await t.db('tenant_services').where('id', exo).update({
    ms_performing_migration: true,
    migration_start_date: '2026-12-01',
    migration_end_date: '2027-03-31',
  });
  for (const [type, entitlements] of [
    ['Mig-ExHybrid', 1200],
    ['Mig-IMAP', 500],
  ] as const) {
    await t.db('migration_type_lines').insert({
      tenant_service_id: exo,
      migration_type: type,
      entitlements,
      estimated_migration_date: '2027-02-01',
      notes: 'First wave of mailboxes',
      data_size_gb: 228,
      created_at: now(),
      updated_at: now(),
    });
  }
  await addService(t.db, adatum, 'TEAMS', { total: 1700, activeUsers: 1200, scenario: 'Customer Led' });
  await addService(t.db, adatum, 'SPO', { total: 1700, activeUsers: 300 });
  await addService(t.db, adatum, 'INTUNE', { total: 900 });
  await addContact(t, adatum, {
    type: 'Customer',
    name: 'Chen Lin',
    email: 'chen.lin.security-architecture@adatum-corporation.example',
    role: 'Principal Security Architect',
    services: ['EXO', 'TEAMS', 'INTUNE'],
  });
  await addContact(t, adatum, {
    type: 'Partner',
    name: 'Priya Raman',
    email: 'priya.raman@northwind-partners.example',
  });
  await addContact(t, adatum, { type: 'Microsoft', name: 'Maria Lin' });

  // Long names as the demo data has them, some inactive; the first 11 are Ava's too.
  const slugs = [
    'consolidatedmessenger',
    'graphicdesigninstitute',
    'bestforyouorganics',
    'humongousinsurance',
    'blueyonderairlines',
    'lucernepublishing',
    'margiestravel',
    'southridgevideo',
    'wideworldimporters',
    'woodgrovebank',
    'alpineskihouse',
    'bellowscollege',
    'citypowerlight',
    'cohowinery',
    'contosopharma',
    'firstupconsultants',
    'fourthcoffee',
    'lamnahealthcare',
    'litware',
    'munsonspickles',
    'nodpublishers',
    'proseware',
    'relecloud',
    'treyresearch',
    'tailspintoys',
    'wingtiptoys',
    'fabrikam',
    'northwindtraders',
    'baldwinmuseum',
  ];
  for (const [i, slug] of slugs.entries()) {
    const tenant = await createTenant(t.db, {
      name: `${slug}.onmicrosoft.com`,
      customer: `${slug[0].toUpperCase()}${slug.slice(1)} Holdings International`,
      country: ['United Kingdom', 'Netherlands', 'Switzerland', 'United States'][i % 4],
      active: i % 5 !== 4,
      overallStatus: (['Active', 'Blocked', 'Paused', null] as const)[i % 4],
      statusDate: i % 4 === 3 ? null : '2026-11-12',
      priority: (['High', 'Medium', 'Low', null] as const)[i % 4],
    });
    await assign(t.db, { tenant, userId: org.queueUserId, type: 'P-RM', primary: ['TENANT'] });
    if (i < 11) await assign(t.db, { tenant, userId: ava.id, type: i % 2 ? 'P-FE' : 'P-FM' });
    await addService(t.db, tenant, 'EXO', { total: 250 + i * 10 });
  }
  refs.long = await createTenant(t.db, { name: LONG_NAME, customer: "Margie's Travel" });
  await assign(t.db, { tenant: refs.long, userId: org.queueUserId, type: 'P-RM', primary: ['TENANT'] });
  await assign(t.db, { tenant: refs.long, userId: ava.id, type: 'P-FM', primary: ['TENANT'] });
  await addService(t.db, refs.long, 'EXO', { total: 300 });
}

interface Layout {
  /** document scrollWidth − clientWidth: how far the page itself scrolls sideways. */
  pageOverflow: number;
  /** Elements with a vertical scroll box of their own (overflow-y auto/scroll and more content than room). */
  scrollBoxes: string[];
}

/** Measures the page; the open dialog (it scrolls its own content) and the page itself are exempt. */
function layout(page: Page): Promise<Layout> {
  return page.evaluate(() => {
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${[...el.classList].map((c) => `.${c}`).join('')}`;
    const root = document.documentElement;
    const dialog = document.querySelector('dialog[open]');
    const scrollBoxes: string[] = [];
    for (const el of Array.from(document.querySelectorAll('*'))) {
      if (el === root || el === document.body || el === dialog) continue;
      const { overflowY } = getComputedStyle(el);
      if ((overflowY === 'auto' || overflowY === 'scroll') && el.scrollHeight > el.clientHeight + 1)
        scrollBoxes.push(`${name(el)} (${el.scrollHeight} px of content in ${el.clientHeight} px)`);
    }
    return { pageOverflow: root.scrollWidth - root.clientWidth, scrollBoxes };
  });
}

const fits: Layout = { pageOverflow: 0, scrollBoxes: [] };

/** Every visible button of the open dialog that sticks out of its left or right edge. */
function buttonsOutsideDialog(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const dialog = document.querySelector('dialog[open]')!;
    const box = dialog.getBoundingClientRect();
    return Array.from(dialog.querySelectorAll('button, a.btn, input[type="submit"]'))
      .map((el) => ({ el, r: el.getBoundingClientRect() }))
      .filter(({ r }) => r.width > 0 && r.height > 0)
      .filter(({ r }) => r.left < box.left - 0.5 || r.right > box.right + 0.5)
      .map(({ el, r }) => `"${(el.textContent ?? '').trim()}" at ${Math.round(r.left)}–${Math.round(r.right)} px`);
  });
}

describe('every width in the browser', () => {
  let b: BrowserApp;
  const refs: { adatum?: TenantRef; long?: TenantRef; upn?: string } = {};

  beforeAll(async () => {
    b = await startBrowserApp((t) => seed(t, refs));
  }, 60_000);
  afterAll(() => b?.close());
  afterEach(() => {
    const errors = b.consoleErrors.splice(0);
    const violations = b.cspViolations.splice(0);
    expect(errors).toEqual([]);
    expect(violations).toEqual([]);
  });

  async function signedIn(width: number): Promise<Page> {
    const page = await b.newPage({ width, height: 900 });
    await page.goto('/login');
    await signInThroughLoginPage(page, refs.upn!);
    return page;
  }

  /** Opens the Edit Tenant dialog of adatum from its row's pencil button. */
  async function openDialog(page: Page): Promise<void> {
    await page.goto('/tenants');
    await htmxResponse(
      page,
      (u) => u.pathname === `/tenants/${refs.adatum!.guid}/edit`,
      () => page.locator(`#tenant-table a[title="Edit Tenant"][href*="${refs.adatum!.guid}"]`).click(),
    );
    await page.locator('dialog#edit-tenant[open] #overall-status-form').waitFor();
  }
  async function dialogTab(page: Page, tab: 'contacts' | 'EXO'): Promise<void> {
    const link =
      tab === 'contacts'
        ? page.locator('dialog a[data-tab]', { hasText: 'Contacts' })
        : page.locator(`dialog a[data-service="${tab}"]`);
    await htmxResponse(
      page,
      (u) => u.pathname.includes(tab === 'contacts' ? '/contacts' : `/services/${tab}`),
      () => link.click(),
    );
    await page.locator(tab === 'contacts' ? 'dialog #contacts-grid' : `dialog #svc-${tab}`).waitFor();
  }

  describe.each([390, 768, 1440])('at %i px', (width) => {
    let page: Page;
    beforeAll(async () => {
      page = await signedIn(width);
    });

    it('draws nothing above the top bar on the sign-in page, the list and the Notes Library (the icon sprite takes no room)', async () => {
      const anon = await b.newPage({ width, height: 900 });
      await anon.goto('/login');
      const topOf = (p: Page) => p.locator('header.topbar').evaluate((e) => e.getBoundingClientRect().top);
      expect(await topOf(anon)).toBe(0);
      await anon.close();
      for (const path of ['/tenants', '/notes']) {
        await page.goto(path);
        expect({ path, top: await topOf(page) }).toEqual({ path, top: 0 });
      }
    });

    it('shows the Services tab with no table scrolling sideways in its own box', async () => {
      await page.goto(`/tenants/${refs.adatum!.guid}/services`);
      expect(await page.locator('.service-group').count()).toBeGreaterThan(0);
      const scrolling = await page.evaluate(() =>
        Array.from(document.querySelectorAll('.service-group .table-wrap'))
          .filter((el) => el.scrollWidth > el.clientWidth + 1)
          .map((el) => `${el.getAttribute('aria-label')}: ${el.scrollWidth} px in ${el.clientWidth} px`),
      );
      expect(scrolling).toEqual([]);
    });

    it('breaks a long tenant name in the headings of its pages instead of scrolling sideways', async () => {
      const g = refs.long!.guid;
      for (const path of [
        `/tenants/${g}`,
        `/tenants/${g}/edit`,
        `/tenants/${g}/assignments`,
        `/tenants/${g}/services`,
        `/tenants/${g}/contacts`,
        `/tenants/${g}/services/EXO/edit`,
      ]) {
        await page.goto(path);
        expect(await page.locator('h1', { hasText: 'margiestravel' }).count()).toBe(1);
        expect({ path, ...(await layout(page)) }).toEqual({ path, ...fits });
      }
    });

    it('shows each tab of /tenants without sideways page scroll or an inner vertical scroll box', async () => {
      for (const tab of ['my-active', 'my-inactive', 'partner']) {
        await page.goto(`/tenants?tab=${tab}`);
        expect({ tab, ...(await layout(page)) }).toEqual({ tab, ...fits });
      }
      // The Partner List shows all 25 rows of its page in the page's own flow.
      expect(await page.locator('#tenant-table tbody tr').count()).toBe(25);
    });

    it('shows the Tenant Entitlements pane without sideways page scroll or an inner vertical scroll box', async () => {
      await page.goto('/tenants');
      const row = page.locator(`#tenant-table tr[data-pane-url*="${refs.adatum!.guid}"]`);
      await htmxResponse(
        page,
        (u) => u.pathname.endsWith('/entitlements'),
        () => row.locator('td', { hasText: 'Adatum Corporation' }).click(),
      );
      await page.locator('#entitlements-table').waitFor();
      expect(await page.locator('#entitlements-table tbody tr').count()).toBe(4);
      expect(await layout(page)).toEqual(fits);
    });

    it('shows the Edit Tenant dialog (Engagement, Contacts, a service tab) without sideways page scroll or an inner vertical scroll box', async () => {
      await openDialog(page);
      expect({ tab: 'engagement', ...(await layout(page)) }).toEqual({ tab: 'engagement', ...fits });
      await dialogTab(page, 'contacts');
      expect({ tab: 'contacts', ...(await layout(page)) }).toEqual({ tab: 'contacts', ...fits });
      await dialogTab(page, 'EXO');
      expect({ tab: 'EXO', ...(await layout(page)) }).toEqual({ tab: 'EXO', ...fits });
      // The dialog itself never scrolls sideways either: wide tables scroll inside their own frames.
      const dialog = await page.evaluate(() => {
        const d = document.querySelector('dialog[open]')!;
        return d.scrollWidth - d.clientWidth;
      });
      expect(dialog).toBe(0);
    });
  });

  it('brings the Tenant Entitlements pane into view when a card is chosen on a phone (390 px)', async () => {
    const page = await signedIn(390);
    await page.goto('/tenants');
    const row = page.locator(`#tenant-table tr[data-pane-url*="${refs.adatum!.guid}"]`);
    const paneTop = () =>
      page.locator('#entitlements-pane').evaluate((el) => Math.round(el.getBoundingClientRect().top));
    expect(await paneTop()).toBeGreaterThan(900); // below the cards, out of view
    await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/entitlements'),
      () => row.locator('td', { hasText: 'Adatum Corporation' }).click(),
    );
    await page.locator('#entitlements-table').waitFor();
    await eventually(paneTop, (top) => expect(top).toBeLessThan(900));
  });

  it('makes the Edit Tenant dialog full-screen on a phone (390 px)', async () => {
    const page = await signedIn(390);
    await openDialog(page);
    const box = await page.locator('dialog#edit-tenant').boundingBox();
    expect(box).not.toBeNull();
    expect(box!.x).toBeLessThanOrEqual(0);
    expect(box!.x + box!.width).toBeGreaterThanOrEqual(390);
    expect(box!.y).toBeLessThanOrEqual(0);
    expect(box!.y + box!.height).toBeGreaterThanOrEqual(900);
    // The title and the close button stay reachable after scrolling the long service tab.
    await dialogTab(page, 'EXO');
    await page.evaluate(() => document.querySelector('dialog[open]')!.scrollTo(0, 800));
    const close = await page.locator('dialog#edit-tenant [data-close-dialog][title="Close"]').boundingBox();
    expect(close!.y).toBeGreaterThanOrEqual(0);
    expect(close!.y + close!.height).toBeLessThanOrEqual(900);
  });

  it.each([1280, 1440])('keeps every button of the Edit Tenant dialog inside it at %i px', async (width) => {
    const page = await signedIn(width);
    await openDialog(page);
    expect({ tab: 'engagement', outside: await buttonsOutsideDialog(page) }).toEqual({
      tab: 'engagement',
      outside: [],
    });
    await dialogTab(page, 'contacts');
    expect(await page.locator('dialog [data-action="delete"]').count()).toBe(3);
    expect({ tab: 'contacts', outside: await buttonsOutsideDialog(page) }).toEqual({ tab: 'contacts', outside: [] });
    await dialogTab(page, 'EXO');
    expect({ tab: 'EXO', outside: await buttonsOutsideDialog(page) }).toEqual({ tab: 'EXO', outside: [] });
  });
});
