import type { Page } from 'playwright-core';
import {
  BrowserApp,
  eventually,
  htmxResponse,
  settled,
  signInThroughLoginPage,
  startBrowserApp,
  richText,
} from '../helpers/browser';
import { addService, assign, createOrg, createTenant, createUser, TenantRef } from '../helpers/factories';

/**
 * The Edit Tenant dialog the way a partner works (issue 8 points 1, 2, 4, 7): forecast dates typed with
 * the keyboard, the outcome of a save in view and focused, unsaved edits guarded, migration lines never
 * dropped without asking.
 */
describe('Edit Tenant dialog: no lost input, visible results', () => {
  let b: BrowserApp;
  let tenant: TenantRef;
  let exoId: number;
  let spoId: number;
  const at = '2026-11-01T10:00:00.000Z';

  beforeAll(async () => {
    b = await startBrowserApp(async (t) => {
      const org = await createOrg(t.db, { name: 'Northwind Partners' });
      const ava = await createUser(t.db, { org, upn: `ava@${org.domain}`, name: 'Ava Smith' });
      tenant = await createTenant(t.db, { name: 'contoso.onmicrosoft.com', customer: 'Contoso' });
      await assign(t.db, { tenant, userId: org.queueUserId, type: 'P-RM', primary: ['TENANT'] });
      await assign(t.db, { tenant, userId: ava.id, type: 'P-FM', scopes: ['TENANT'], primary: ['TENANT'] });
      exoId = await addService(t.db, tenant, 'EXO', { total: 300, scenario: 'FTC-FTP Led' });
      await t.db('tenant_services').where('id', exoId).update({
        rfa_submitted_date: '2026-01-15',
        target_first_au_date: '2027-01-10',
        target_max_au_date: '2027-06-30',
        ms_performing_migration: true,
        migration_start_date: '2027-01-01',
        migration_end_date: '2027-03-01',
      });
      await t.db('migration_type_lines').insert({
        tenant_service_id: exoId,
        migration_type: 'Mig-ExHybrid',
        entitlements: 300,
        estimated_migration_date: '2027-02-01',
        created_at: at,
        updated_at: at,
      });
      spoId = await addService(t.db, tenant, 'SPO', { total: 100 });
      await createUser(t.db, { upn: 'omar@onboarding.example', name: 'Omar Reyes', kind: 'internal' });
    });
  }, 60_000);
  afterAll(() => b?.close());

  const signedInDialog = async (): Promise<Page> => {
    const page = await b.newPage();
    await page.goto('/login');
    await signInThroughLoginPage(page, (await b.t.db('users').where('display_name', 'Ava Smith').first()).upn);
    await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/edit'),
      () => page.locator(`a[title="Edit Tenant"][href*="${tenant.guid}"]`).click(),
    );
    await page.locator('dialog#edit-tenant[open]').waitFor();
    return page;
  };
  const openService = (page: Page, code: string) =>
    htmxResponse(
      page,
      (u) => u.pathname.endsWith(`/services/${code}/edit`),
      () => page.locator(`#edit-tenant [data-tab][data-service="${code}"]`).click(),
    );
  const stored = async (id: number, column: string) =>
    (await b.t.db('tenant_services').where('id', id).first())[column] as string | null;
  /** True when the element's box lies inside the viewport. */
  const inViewport = (page: Page, selector: string) =>
    page.locator(selector).evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
    });

  it('typing a forecast date digit by digit keeps the stored date until the new one is complete and the field is left (point 1)', async () => {
    const page = await signedInDialog();
    await openService(page, 'EXO');
    const posts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/forecast')) posts.push(r.postData() ?? '');
    });
    const field = page.locator('#forecast-EXO-target_first_au_date');
    // A mark on the neighbouring field shows whether it is redrawn by the autosave.
    await page.locator('#forecast-EXO-target_max_au_date-field').evaluate((el) => el.setAttribute('data-mark', 'x'));

    await field.click();
    await page.keyboard.press('Home');
    for (const key of '0215202') await page.keyboard.type(key);
    // Half-typed (year "202"): the browser holds 0202-02-15 or nothing; no request, the stored date stays.
    expect(posts).toEqual([]);
    expect(await stored(exoId, 'target_first_au_date')).toBe('2027-01-10');
    const saved = await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/forecast'),
      async () => {
        await page.keyboard.type('7');
        expect(posts).toEqual([]);
        // Leaving the field (here by clicking the section's heading) saves the complete date.
        await page.locator('#forecast-EXO-title').click();
      },
    );
    expect(saved.status()).toBe(200);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toContain('target_first_au_date=2027-02-15');
    expect(await stored(exoId, 'target_first_au_date')).toBe('2027-02-15');
    expect(await page.locator('#forecast-EXO-target_first_au_date-field [data-saved]').textContent()).toBe('Saved');
    expect(await page.locator('#forecast-EXO-target_max_au_date-field').getAttribute('data-mark')).toBe('x');
    // The history below the fields was brought up to date by the same response.
    expect(await page.locator('#forecast-EXO-history').textContent()).toContain('2027-02-15');

    // Emptying only the year leaves a half-typed date: leaving the field posts nothing.
    await field.click();
    await page.keyboard.press('End');
    await page.keyboard.press('Backspace');
    expect(await field.evaluate((el: HTMLInputElement) => el.validity.badInput)).toBe(true);
    await page.locator('#forecast-EXO-title').click();
    await page.waitForTimeout(300);
    expect(posts).toHaveLength(1);
    expect(await stored(exoId, 'target_first_au_date')).toBe('2027-02-15');

    // Enter saves a complete date without leaving the field; focus stays in it.
    await field.fill('2027-03-01');
    const entered = await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/forecast'),
      () => field.press('Enter'),
    );
    expect(entered.status()).toBe(200);
    expect(await stored(exoId, 'target_first_au_date')).toBe('2027-03-01');
  });

  it('shows the outcome of a save in view and moves focus to it: 422 summary with field links, then success (point 2)', async () => {
    const page = await signedInDialog();
    await openService(page, 'EXO');
    const entitlements = page.locator('#edit-tenant input[name="statuses[0][entitlements]"]');
    if (await entitlements.isVisible()) await entitlements.fill('299');
    else {
      // The grid edits one row at a time: a refused save still needs an error, so the scenario is cleared.
      await page.locator('#edit-tenant select[name="engagement_scenario"]').selectOption('');
    }
    const refused = await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/services/EXO'),
      () => page.getByRole('button', { name: 'Save Exchange' }).click(),
    );
    expect(refused.status()).toBe(422);
    await settled(page);
    const summary = '#edit-tenant .error-summary[data-outcome]';
    await eventually(
      () => page.evaluate(() => document.activeElement?.classList.contains('error-summary') ?? false),
      (focused) => expect(focused).toBe(true),
    );
    expect(await inViewport(page, summary)).toBe(true);
    expect(await page.locator(`${summary} a[data-field-link]`).count()).toBeGreaterThan(0);
    expect(await page.locator(summary).getAttribute('role')).toBe('alert');

    // Engagement tab: a successful save's message is focused and in view. The service form still holds
    // the refused values, so switching tabs asks first (point 4): accept.
    page.once('dialog', (d) => d.accept());
    await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/overall-status'),
      () => page.locator('#edit-tenant [data-tab]', { hasText: 'Engagement' }).click(),
    );
    await page.locator('#overall_status').selectOption('Active');
    await richText(page, '#note').fill('Kick-off held; pilot next week.');
    await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/overall-status'),
      () => page.getByRole('button', { name: 'Save Overall Status' }).click(),
    );
    await eventually(
      () => page.evaluate(() => document.activeElement?.textContent ?? ''),
      (text) => expect(text).toBe('Overall status saved.'),
    );
    expect(await inViewport(page, '#overall-status-form [data-outcome]')).toBe(true);
  });

  it('asks before a tab switch or Esc discards unsaved edits, and keeps them when the user says no (point 4)', async () => {
    const page = await signedInDialog();
    await richText(page, '#note').fill('An unsaved thought about the customer.');
    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.message());
      return d.dismiss();
    });
    await page.locator('#edit-tenant [data-tab]', { hasText: 'Contacts' }).click();
    await page.waitForTimeout(300);
    expect(asked).toEqual(['You have unsaved changes. Discard them?']);
    expect(await richText(page, '#note').innerText()).toBe('An unsaved thought about the customer.');

    page.once('dialog', (d) => {
      asked.push(d.message());
      return d.dismiss();
    });
    await page.keyboard.press('Escape');
    await page.waitForTimeout(300);
    expect(asked).toHaveLength(2);
    expect(await page.locator('dialog#edit-tenant[open]').count()).toBe(1);

    page.once('dialog', (d) => d.accept());
    await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/contacts'),
      () => page.locator('#edit-tenant [data-tab]', { hasText: 'Contacts' }).click(),
    );
    expect(await page.locator('#note').count()).toBe(0);
  });

  it('asks before "No" drops saved migration lines; declining keeps Yes; Yes and No fields never show together (point 7)', async () => {
    const page = await signedInDialog();
    await openService(page, 'EXO');
    const mig = '#svc-EXO-migration';
    expect(await page.locator(`${mig} .migration-yes`).count()).toBe(1);
    expect(await page.locator(`${mig} .migration-no`).count()).toBe(0);
    const requests: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().includes('/services/EXO')) requests.push(r.url());
    });
    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.message());
      return d.dismiss();
    });
    await page.locator(`${mig} input[name="ms_performing_migration"][value="no"]`).click();
    await page.waitForTimeout(300);
    expect(asked).toEqual(['Choosing No removes the migration line of this service when you save. Continue?']);
    expect(requests).toEqual([]);
    expect(await page.locator(`${mig} input[value="yes"]`).isChecked()).toBe(true);
    expect(await page.locator(`${mig} tr[data-line]`).count()).toBe(1);

    page.once('dialog', (d) => d.accept());
    await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/services/EXO'),
      () => page.locator(`${mig} input[name="ms_performing_migration"][value="no"]`).check(),
    );
    expect(await page.locator(`${mig} .migration-no`).count()).toBe(1);
    expect(await page.locator(`${mig} .migration-yes`).count()).toBe(0);
    // Nothing is dropped until the service is saved.
    expect(await b.t.db('migration_type_lines').where('tenant_service_id', exoId).count({ n: '*' })).toEqual([
      { n: 1 },
    ]);

    // A service whose answer is undecided shows the question only.
    await openServiceAccepting(page, 'SPO');
    expect(await page.locator('#svc-SPO-migration .migration-yes, #svc-SPO-migration .migration-no').count()).toBe(0);
    expect(await stored(spoId, 'ms_performing_migration')).toBeNull();
  });

  it('keeps words in angle brackets and the paragraphs typed in the note editor to the notes history (point 8)', async () => {
    const page = await signedInDialog();
    await page.locator('#overall_status').selectOption('Active');
    await richText(page, '#note').click();
    await page.keyboard.type('Mail for <domain> moves first.');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('Then the archives.');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Risks: none so far.');
    await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/overall-status'),
      () => page.getByRole('button', { name: 'Save Overall Status' }).click(),
    );
    await page.goto(`/tenants/${tenant.guid}/notes`);
    const body = page.locator('.note-body').first();
    expect(await body.locator('p').count()).toBeGreaterThanOrEqual(2);
    expect(await body.innerText()).toContain('Mail for <domain> moves first.');
    expect(await body.innerText()).toContain('Risks: none so far.');
  });

  it('lands an internal user on the Partner List (point 11)', async () => {
    const page = await b.newPage();
    await page.goto('/login');
    await signInThroughLoginPage(page, 'omar@onboarding.example');
    expect(await page.locator('nav.tabs a[aria-current="page"]').textContent()).toContain('Partner List');
  });

  it('shows an error answered inside the dialog in the dialog, not under it (point 2)', async () => {
    const page = await signedInDialog();
    const ava = await b.t.db('users').where('display_name', 'Ava Smith').first();
    const assignment = await b.t.db('assignments').where({ assignee_user_id: ava.id, tenant_id: tenant.id }).first();
    // Ava loses her assignment while the dialog is open: her save is refused with 403.
    await b.t.db('assignment_scopes').where('assignment_id', assignment.id).delete();
    await b.t.db('assignments').where('id', assignment.id).delete();
    try {
      await page.locator('#overall_status').selectOption('Paused');
      await richText(page, '#note').fill('Customer asked for a pause until January.');
      const refused = await htmxResponse(
        page,
        (u) => u.pathname.endsWith('/overall-status'),
        () => page.getByRole('button', { name: 'Save Overall Status' }).click(),
      );
      expect(refused.status()).toBe(403);
      const inDialog = page.locator('dialog#edit-tenant [data-dialog-flash] [role="alert"]');
      expect(await inDialog.textContent()).toContain('you are not assigned to it');
      expect(await page.locator('#flash').textContent()).toBe('');
    } finally {
      await assign(b.t.db, { tenant, userId: ava.id, type: 'P-FM', scopes: ['TENANT'], primary: ['TENANT'] });
    }
  });

  /** Switches service tab, accepting the discard prompt the changed tab raises. */
  async function openServiceAccepting(page: Page, code: string) {
    page.once('dialog', (d) => d.accept());
    await openService(page, code);
  }
});
