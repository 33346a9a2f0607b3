import { BrowserApp, eventually, htmxResponse, signInThroughLoginPage, startBrowserApp } from '../helpers/browser';
import { addService, assign, createOrg, createTenant, createUser, TenantRef } from '../helpers/factories';

/**
 * A service tab of the Edit Tenant dialog in headless Chromium: the migration answer re-renders without
 * saving and Save commits the sections; a row's Edit → Suggest pre-fills its selects and Update commits it;
 * Add Entitlement Status (changing L1 reloads the valid L2s) moves entitlements into a new row; and no CSP
 * violation or console error happens on the way.
 */
describe('service tab of the Edit Tenant dialog in the browser', () => {
  let b: BrowserApp;
  let tenant: TenantRef;
  let upn = '';

  beforeAll(async () => {
    b = await startBrowserApp(async (t) => {
      const org = await createOrg(t.db, { name: 'Northwind Partners' });
      const ava = await createUser(t.db, { org, name: 'Ava Smith' });
      upn = ava.upn;
      tenant = await createTenant(t.db, { name: 'adatum.onmicrosoft.com' });
      await assign(t.db, { tenant, userId: org.queueUserId, type: 'P-RM', primary: ['TENANT'] });
      await assign(t.db, { tenant, userId: ava.id, type: 'P-FM', scopes: ['TENANT'], primary: ['TENANT'] });
      await addService(t.db, tenant, 'EXO', { total: 305 });
    });
  }, 60_000);
  afterAll(() => b?.close());

  it('answers the migration question and saves, then suggests and updates a row and adds a Blocked row', async () => {
    const page = await b.newPage({ height: 1200 });
    await page.goto('/login');
    await signInThroughLoginPage(page, upn);
    await page.locator(`a[title="Edit Tenant"][href*="${tenant.guid}"]`).click();
    await page.locator('dialog#edit-tenant[open]').waitFor();
    await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/services/EXO/edit'),
      () => page.locator('a[data-service="EXO"]').click(),
    );
    await page.locator('#svc-EXO').waitFor();
    const section = (u: URL) => u.pathname.endsWith('/services/EXO');

    // Data Migration and the scenario first: a service update needs them (DOMAIN.md §5.4 B "Saving").
    await htmxResponse(page, section, () => page.locator('input[name="ms_performing_migration"][value="no"]').check());
    await page.locator('select[name="migration_rejection_reason"]').selectOption('Customer will self-migrate');
    await page.locator('textarea[name="migration_rejection_note"]').fill('Their own IT team moves the mailboxes');
    await page.locator('select[name="engagement_scenario"]').selectOption('FTC-FTP Led');
    const saved = await htmxResponse(page, section, () => page.getByRole('button', { name: 'Save Exchange' }).click());
    expect(saved.status()).toBe(200);

    // Edit → Suggest → Update the Status Unknown row
    await htmxResponse(page, section, () => page.locator('#svc-EXO button[value="edit:0"]').click());
    const row0 = (key: string) => page.locator(`[name="statuses[0][${key}]"]`);
    await row0('note').fill('We are migrating 305 mailboxes in weekly batches');
    await htmxResponse(
      page,
      (u) => u.pathname === '/suggest',
      () => page.getByRole('button', { name: 'Suggest' }).click(),
    );
    await eventually(
      () => row0('l1').inputValue(),
      (v) => expect(v).toBe('In Progress'),
    );
    expect(await row0('l2').inputValue()).toBe('Migration');
    expect(await page.locator('#status-sel-0 [data-confidence]').getAttribute('data-confidence')).toBe('high');
    await row0('target_date').fill(new Date(Date.now() + 60 * 86400000).toISOString().slice(0, 10));
    const updated = await htmxResponse(page, section, () => page.getByRole('button', { name: 'Update' }).click());
    expect(updated.status()).toBe(200);

    // Add Entitlement Status: 5 of the In Progress row become Blocked / Legal/Regulatory
    await htmxResponse(page, section, () => page.getByRole('button', { name: '+ Add Entitlement Status' }).click());
    const row1 = (key: string) => page.locator(`[name="statuses[1][${key}]"]`);
    await htmxResponse(
      page,
      (u) => u.pathname === '/suggest/options',
      () => row1('l1').selectOption('Blocked'),
    );
    await eventually(
      () => row1('l2').locator('option').allTextContents(),
      (opts) => expect(opts).toContain('Legal/Regulatory'),
    );
    expect(await row1('l2').locator('option').allTextContents()).not.toContain('Migration');
    await row1('l2').selectOption('Legal/Regulatory');
    await row1('note').fill('Works council approval is pending');
    await page.locator('input[name="move_entitlements"]').fill('5');
    const added = await htmxResponse(page, section, () =>
      page.getByRole('button', { name: 'Add', exact: true }).click(),
    );
    expect(added.status()).toBe(200);
    await eventually(
      () => page.locator('#svc-EXO [data-total="statuses"]').textContent(),
      (v) => expect(v).toBe('305 of 305'),
    );
    const rows = await b.t.db('entitlement_status_rows').orderBy('id').select('l1', 'l2', 'entitlements');
    expect(rows).toEqual([
      { l1: 'In Progress', l2: 'Migration', entitlements: 300 },
      { l1: 'Blocked', l2: 'Legal/Regulatory', entitlements: 5 },
    ]);
    expect(b.consoleErrors).toEqual([]);
    expect(b.cspViolations).toEqual([]);
  });
});
