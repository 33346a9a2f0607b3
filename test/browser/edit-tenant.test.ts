import { sqliteForm } from '../helpers/db';
import type { Page } from 'playwright-core';
import {
  BrowserApp,
  eventually,
  htmxResponse,
  signInThroughLoginPage,
  startBrowserApp,
  richText,
} from '../helpers/browser';
import { addService, assign, createOrg, createTenant, createUser, TenantRef } from '../helpers/factories';

/**
 * The Edit Tenant dialog in headless Chromium (issue 3): opened from the FRP list with htmx as a
 * native <dialog>, an invalid overall-status update shows its message next to the field, the fixed
 * one saves and the list row updates without a page reload; a second tab's stale save shows the conflict.
 */
describe('Edit Tenant dialog in the browser', () => {
  let b: BrowserApp;
  let tenant: TenantRef;
  const today = new Date().toISOString().slice(0, 10);
  const tomorrow = new Date(Date.now() + 86400000).toISOString().slice(0, 10);

  beforeAll(async () => {
    b = await startBrowserApp(async (t) => {
      const org = await createOrg(t.db, { name: 'Northwind Partners' });
      const ava = await createUser(t.db, { org, upn: `ava@${org.domain}`, name: 'Ava Smith' });
      tenant = await createTenant(t.db, {
        name: 'adatum.onmicrosoft.com',
        customer: 'Adatum Corporation',
        overallStatus: 'Active',
        statusDate: '2026-11-01',
      });
      await assign(t.db, { tenant, userId: org.queueUserId, type: 'P-RM', primary: ['TENANT'] });
      await assign(t.db, { tenant, userId: ava.id, type: 'P-FM', scopes: ['TENANT'], primary: ['TENANT'] });
      const exo = await addService(t.db, tenant, 'EXO', { total: 305 });
      await t.db('tenant_services').where('id', exo).update({ rfa_submitted_date: '2026-01-15' });
      await addService(t.db, tenant, 'TEAMS', { total: 50, scenario: 'FTC-FTP Led' });
    });
  }, 60_000);
  afterAll(() => b?.close());

  const avaUpn = async () => (await b.t.db('users').where('display_name', 'Ava Smith').first()).upn as string;
  /** A fresh browser context signed in as Ava through the real login page. */
  const signedInPage = async () => {
    const page = await b.newPage();
    await page.goto('/login');
    await signInThroughLoginPage(page, await avaUpn());
    return page;
  };
  const statusCell = (page: Page) => page.locator(`#tenant-table tr[data-pane-url*="${tenant.guid}"] td:nth-child(5)`);
  const openDialog = async (page: Page) => {
    await page.goto('/tenants');
    await page.evaluate(() => ((window as unknown as { __marker: number }).__marker = 1));
    await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/edit'),
      () => page.locator(`a[title="Edit Tenant"][href*="${tenant.guid}"]`).click(),
    );
    await page.locator('dialog#edit-tenant[open]').waitFor();
    // The dialog's scripts load with it (decision 114) and the note editor (Quill) after them: the dialog
    // is ready when the Engagement tab's editor is there.
    await richText(page, '#note').waitFor();
  };

  it('opens the dialog, shows a message for a future status date, saves the fixed form and updates the list row', async () => {
    const page = await signedInPage();
    await openDialog(page);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('overall_status');

    await page.locator('#overall_status').selectOption('Blocked');
    await page.locator('#status_date').fill(tomorrow);
    await richText(page, '#note').fill('Waiting for the works council.');
    const invalid = await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/overall-status'),
      () => page.getByRole('button', { name: 'Save Overall Status' }).click(),
    );
    expect(invalid.status()).toBe(422);
    await eventually(
      () => page.locator('[data-field="status_date"]').textContent(),
      (text) => expect(text).toContain('cannot be in the future'),
    );
    expect(await richText(page, '#note').innerText()).toBe('Waiting for the works council.');

    await page.locator('#status_date').fill(today);
    const saved = await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/overall-status'),
      () => page.getByRole('button', { name: 'Save Overall Status' }).click(),
    );
    expect(saved.status()).toBe(200);
    await eventually(
      () => statusCell(page).textContent(),
      (text) => expect(text).toContain('Blocked'),
    );
    expect(await page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(1);
    expect((await b.t.db('tenants').where('id', tenant.id).first()).overall_status).toBe('Blocked');

    await page.keyboard.press('Escape');
    await page.locator('dialog#edit-tenant').waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('title'))).toBe('Edit Tenant');
  });

  it('writes the Engagement Management note in the rich-text editor: bold text is saved and shown in the history (issue 11)', async () => {
    const page = await signedInPage();
    await openDialog(page);
    const editor = richText(page, '#note');
    // Quill loads on first use: wait for the editor, then the textarea it replaces is hidden.
    await editor.waitFor({ state: 'visible' });
    expect(await page.locator('#note').isHidden()).toBe(true);
    expect(await page.locator('#overall-status-form input[name="note_format"]').inputValue()).toBe('html');
    // Typing makes the dialog's form dirty: Esc asks before closing (the unsaved-edit guard of app.js).
    expect(
      await page.evaluate(() =>
        (window as unknown as { ftopHasUnsavedChanges: () => boolean }).ftopHasUnsavedChanges(),
      ),
    ).toBe(false);
    await page.locator('#overall_status').selectOption('Active');
    await editor.click();
    await page.keyboard.press('Control+b');
    await page.keyboard.type('Pilot live');
    await page.keyboard.press('Control+b');
    await page.keyboard.type(' for the finance team');
    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.message());
      return d.dismiss();
    });
    await page.keyboard.press('Escape');
    await page.waitForTimeout(200);
    expect(asked).toEqual(['You have unsaved changes. Discard them?']);
    expect(await page.locator('dialog#edit-tenant[open]').count()).toBe(1);

    const saved = await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/overall-status'),
      () => page.getByRole('button', { name: 'Save Overall Status' }).click(),
    );
    expect(saved.status()).toBe(200);
    const note = await b.t.db('notes').orderBy('id', 'desc').first();
    expect(note.body_html).toBe('<p><strong>Pilot live</strong> for the finance team</p>');
    expect(note.body_text).toBe('Pilot live for the finance team');
    // The fresh form has the editor again, empty.
    await eventually(
      () => richText(page, '#note').innerText(),
      (text) => expect(text.trim()).toBe(''),
    );

    await page.goto(`/tenants/${tenant.guid}/notes`);
    expect(await page.locator('.note .note-body').first().locator('strong').textContent()).toBe('Pilot live');
    // Quill was loaded on first use under the strict CSP, without a violation.
    expect(b.cspViolations.splice(0)).toEqual([]);
  });

  it('adding a survey-eligible contact without a language shows the message; with one it lands in the grid', async () => {
    const page = await signedInPage();
    await openDialog(page);
    await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/contacts'),
      () => page.locator('#edit-tenant [data-tab]', { hasText: 'Contacts' }).click(),
    );
    await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/contacts/new'),
      () => page.getByRole('link', { name: '+ Add Customer contact' }).click(),
    );
    const form = page.locator('#edit-tenant form.contact-form');
    await form.locator('#c-name').fill('Li Wei');
    await form.locator('#c-email').fill('li.wei@adatum.example');
    await form.locator('#c-country').fill('China');
    await form.locator('input[name=is_engaged]').check();
    await form.locator('input[name=survey_eligible]').check();
    await form.locator('input[name=services][value=EXO]').check();
    const invalid = await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/contacts'),
      () => form.getByRole('button', { name: 'Save' }).click(),
    );
    expect(invalid.status()).toBe(422);
    await eventually(
      () => page.locator('#edit-tenant [data-field="survey_language"]').textContent(),
      (text) => expect(text).toContain('Survey language is required'),
    );
    expect(await page.locator('#edit-tenant #c-name').inputValue()).toBe('Li Wei');
    expect(await b.t.db('contacts').where('tenant_id', tenant.id).count({ n: '*' })).toEqual([{ n: 0 }]);

    await page.locator('#edit-tenant #c-lang').selectOption('English');
    const saved = await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/contacts'),
      () => page.locator('#edit-tenant form.contact-form').getByRole('button', { name: 'Save' }).click(),
    );
    expect(saved.status()).toBe(200);
    await eventually(
      () => page.locator('#edit-tenant #contacts-grid').textContent(),
      (text) => expect(text).toContain('Li Wei'),
    );
    expect(sqliteForm(await b.t.db('contacts').where('tenant_id', tenant.id).first())).toMatchObject({
      name: 'Li Wei',
      survey_eligible: 1,
      survey_language: 'English',
    });
  });

  it('autosaves a complete forecast date on Enter and shows an invalid date’s message inline', async () => {
    const page = await signedInPage();
    await openDialog(page);
    await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/services/EXO/edit'),
      () => page.locator('#edit-tenant [data-tab][data-service="EXO"]').click(),
    );
    const first = page.locator('#forecast-EXO-target_first_au_date');
    const invalid = await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/forecast'),
      async () => {
        await first.fill('2026-01-01');
        await first.press('Enter'); // Enter (or leaving the field) saves a complete date
      },
    );
    expect(invalid.status()).toBe(422);
    await eventually(
      () => page.locator('#forecast-EXO [data-field="target_first_au_date"]').textContent(),
      (text) => expect(text?.length).toBeGreaterThan(0),
    );
    const inAMonth = new Date(Date.now() + 30 * 86400000).toISOString().slice(0, 10);
    const saved = await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/forecast'),
      async () => {
        await page.locator('#forecast-EXO-target_first_au_date').fill(inAMonth);
        await page.locator('#forecast-EXO-target_first_au_date').press('Enter');
      },
    );
    expect(saved.status()).toBe(200);
    await eventually(
      async () =>
        (await b.t.db('tenant_services').where({ tenant_id: tenant.id, service_code: 'EXO' }).first())
          .target_first_au_date,
      (value) => expect(value).toBe(inAMonth),
    );
    expect(await page.locator('#forecast-EXO [data-field="target_first_au_date"]').count()).toBe(0);
  });

  it('an unbalanced row Update shows the V-26 message at the row; fixed and updated, the entitlements pane updates', async () => {
    const page = await signedInPage();
    await page.goto('/tenants');
    await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/entitlements'),
      () => page.locator(`tr[data-pane-url*="${tenant.guid}"] td:nth-child(4)`).click(),
    );
    await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/edit'),
      () => page.locator(`a[title="Edit Tenant"][href*="${tenant.guid}"]`).click(),
    );
    await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/services/TEAMS/edit'),
      () => page.locator('#edit-tenant [data-tab][data-service="TEAMS"]').click(),
    );
    // The grid's rows are read-only until Edit opens one (DOMAIN.md §5.4 B1).
    await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/services/TEAMS'),
      () => page.locator('#edit-tenant button[value="edit:0"]').click(),
    );

    const l1 = page.locator('#edit-tenant select[name="statuses[0][l1]"]');
    await htmxResponse(
      page,
      (u) => u.pathname === '/suggest/options',
      () => l1.selectOption('In Progress'),
    );
    await page
      .locator('#edit-tenant select[name="statuses[0][l2]"]')
      .selectOption('Technical Onboarding and Deployment');
    await page
      .locator('#edit-tenant input[name="statuses[0][note]"], #edit-tenant textarea[name="statuses[0][note]"]')
      .fill('Deploying Teams to all 50 users this month');
    await page.locator('#edit-tenant input[name="statuses[0][entitlements]"]').fill('45');
    expect(await page.locator('#edit-tenant [data-total="statuses"]').textContent()).toBe('45 of 50');

    const save = () => page.locator('#edit-tenant').getByRole('button', { name: 'Update' }).click();
    const invalid = await htmxResponse(page, (u) => u.pathname.endsWith('/services/TEAMS'), save);
    expect(invalid.status()).toBe(422);
    await eventually(
      () => page.locator('#edit-tenant [data-field="statuses[0][entitlements]"]').textContent(),
      (text) => expect(text).toContain('Entitlement statuses must add up to 50 entitlements (currently 45).'),
    );

    await page.locator('#edit-tenant input[name="statuses[0][entitlements]"]').fill('50');
    const saved = await htmxResponse(page, (u) => u.pathname.endsWith('/services/TEAMS'), save);
    expect(saved.status()).toBe(200);
    await eventually(
      () => page.locator('#entitlements-table tr[data-service="TEAMS"] .l1-breakdown').textContent(),
      (text) => expect(text).toContain('50 In Progress'),
    );
    const rows = await b.t
      .db('entitlement_status_rows as r')
      .join('tenant_services as ts', 'ts.id', 'r.tenant_service_id')
      .where({ 'ts.tenant_id': tenant.id, 'ts.service_code': 'TEAMS' })
      .select('r.l1', 'r.entitlements');
    expect(rows).toEqual([{ l1: 'In Progress', entitlements: 50 }]);
  });

  it('shows the conflict when a second tab saves a stale form', async () => {
    const first = await signedInPage();
    const second = await first.context().newPage();
    await openDialog(first);
    await openDialog(second);

    await first.locator('#overall_status').selectOption('Paused');
    await richText(first, '#note').fill('Paused for the holidays.');
    await htmxResponse(
      first,
      (u) => u.pathname.endsWith('/overall-status'),
      () => first.getByRole('button', { name: 'Save Overall Status' }).click(),
    );

    await second.locator('#overall_status').selectOption('Active');
    await richText(second, '#note').fill('Back on track.');
    const stale = await htmxResponse(
      second,
      (u) => u.pathname.endsWith('/overall-status'),
      () => second.getByRole('button', { name: 'Save Overall Status' }).click(),
    );
    expect(stale.status()).toBe(409);
    await eventually(
      () => second.locator('.conflict').textContent(),
      (text) => expect(text).toContain('Someone else saved this record'),
    );
    expect(await richText(second, '#note').innerText()).toBe('Back on track.');
    expect((await b.t.db('tenants').where('id', tenant.id).first()).overall_status).toBe('Paused');
  });

  afterAll(() => {
    // 422 and 409 answers are logged by Chromium as failed resources; anything else is a real error.
    const real = b.consoleErrors.filter((e) => !/status of (422|409)/.test(e));
    expect(real).toEqual([]);
    expect(b.cspViolations).toEqual([]);
  });
});
