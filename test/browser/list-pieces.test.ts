import type { Page } from 'playwright-core';
import { BrowserApp, eventually, htmxResponse, signInThroughLoginPage, startBrowserApp } from '../helpers/browser';
import { assign, createOrg, createTenant, createUser, UserRef } from '../helpers/factories';

const NAMES = Array.from({ length: 120 }, (_, i) => `pieces${String(i).padStart(3, '0')}.onmicrosoft.com`);
const URL_100 = '/tenants?tab=partner&sort=name&dir=asc&pageSize=100';

/**
 * A Partner List page of 100 rows (more than 64 KB) is sent in pieces (src/http/page-bytes.ts, decision
 * 147): Chromium, which asks for gzip, shows every row of the page loaded whole and of the list htmx swaps
 * in, with no console error.
 */
describe('a Partner List page sent in pieces, in the browser', () => {
  let b: BrowserApp;
  let page: Page;
  let ava: UserRef;

  beforeAll(async () => {
    b = await startBrowserApp(async (t) => {
      const org = await createOrg(t.db);
      ava = await createUser(t.db, { org });
      for (const name of NAMES) {
        const tenant = await createTenant(t.db, { name, customer: `Customer of ${name}` });
        await assign(t.db, { tenant, userId: org.queueUserId, type: 'P-RM', scopes: ['TENANT'], primary: ['TENANT'] });
      }
    });
    page = await b.newPage();
  });
  afterAll(async () => {
    await b?.close();
  });

  const rowNames = () =>
    page.$$eval('#tenant-table tbody tr .tenant-name', (links) => links.map((a) => a.getAttribute('title')));

  it('shows the 100 rows of a page loaded whole, then of the list swapped in by htmx', async () => {
    await page.goto(URL_100);
    await signInThroughLoginPage(page, ava.upn);
    const res = await page.goto(URL_100);
    expect(res?.status()).toBe(200);
    expect(Number((await res!.body()).length)).toBeGreaterThan(64 * 1024);
    expect(await rowNames()).toEqual(NAMES.slice(0, 100));
    // What follows the rows arrived too: the pagination after the table, the dialog root at the page's end.
    expect(await page.locator('.pagination .range').innerText()).toBe('1–100 of 120');
    expect(await page.locator('#dialog-root').count()).toBe(1);

    const header = page.locator('#tenant-table thead th', { hasText: 'Tenant Name' });
    await htmxResponse(
      page,
      (u) => u.searchParams.get('dir') === 'desc',
      () => header.getByRole('link').click(),
    );
    await eventually(rowNames, (names) => expect(names).toEqual([...NAMES].reverse().slice(0, 100)));
    expect(await page.locator('.pagination .range').innerText()).toBe('1–100 of 120');
    expect(b.consoleErrors).toEqual([]);
    expect(b.cspViolations).toEqual([]);
  });
});
