import type { Page } from 'playwright-core';
import {
  BrowserApp,
  eventually,
  htmxResponse,
  settled,
  signInThroughLoginPage,
  startBrowserApp,
} from '../helpers/browser';
import { addService, assign, createOrg, createTenant, createUser, OrgRef, TenantRef } from '../helpers/factories';

/**
 * The Entitlement Status grid in headless Chromium (DOMAIN.md §5.4 B1, §6; issue points 5 and 6): rows are
 * read-only with Edit; Edit → Suggest → Update commits one row; the fields an L1 cannot have are hidden and
 * disabled as the L1 changes; Add Entitlement Status takes N from a chosen row; Remove gives the row's
 * entitlements to a receiver; an Update stopped by unanswered sections says so at the row and links there.
 */
describe('Entitlement Status grid in the browser', () => {
  let b: BrowserApp;
  let org: OrgRef;
  let avaId = 0;
  let upn = '';
  const FUTURE = new Date(Date.now() + 40 * 86400000).toISOString().slice(0, 10);

  beforeAll(async () => {
    b = await startBrowserApp(async (t) => {
      org = await createOrg(t.db, { name: 'Northwind Partners' });
      const ava = await createUser(t.db, { org, name: 'Ava Smith' });
      avaId = ava.id;
      upn = ava.upn;
    });
  }, 60_000);
  afterAll(async () => {
    // 422 answers are logged by Chromium as failed resources; anything else is a real error.
    const real = b.consoleErrors.filter((e) => !/status of 422/.test(e));
    await b?.close();
    expect(real).toEqual([]);
    expect(b.cspViolations).toEqual([]);
  });

  /** A tenant of Ava's with EXO 100: Status Unknown 60 / In Progress 30 / Blocked 10; sections answered unless `open`. */
  async function tenantWithGrid(opts: { open?: boolean } = {}) {
    const db = b.t.db;
    const tenant = await createTenant(db);
    await assign(db, { tenant, userId: org.queueUserId, type: 'P-RM', primary: ['TENANT'] });
    await assign(db, { tenant, userId: avaId, type: 'P-FM', scopes: ['TENANT'], primary: ['TENANT'] });
    const exo = await addService(db, tenant, 'EXO', {
      total: 100,
      scenario: opts.open ? undefined : 'FTC-FTP Led',
      rows: [
        { l1: 'Status Unknown', l2: 'New Subscription or Workload', entitlements: 60 },
        { l1: 'In Progress', l2: 'Migration', entitlements: 30 },
        { l1: 'Blocked', l2: 'Legal/Regulatory', entitlements: 10 },
      ],
    });
    await db('entitlement_status_rows')
      .where({ tenant_service_id: exo, l1: 'In Progress' })
      .update({ target_date: FUTURE });
    if (!opts.open)
      await db('tenant_services').where('id', exo).update({
        ms_performing_migration: false,
        migration_rejection_reason: 'Customer will self-migrate',
        migration_rejection_note: 'Their IT team moves the mailboxes',
      });
    const ids = (await db('entitlement_status_rows').where('tenant_service_id', exo).orderBy('id')).map((r) =>
      String(r.id),
    );
    return { tenant, exo, ids };
  }
  const rowsOf = async (exo: number) =>
    b.t
      .db('entitlement_status_rows')
      .where('tenant_service_id', exo)
      .orderBy('id')
      .select('l1', 'l2', 'entitlements', 'status_note as note', 'target_date', 'owner');

  async function openExchange(tenant: TenantRef): Promise<Page> {
    const page = await b.newPage({ height: 1100 });
    await page.goto('/login');
    await signInThroughLoginPage(page, upn);
    await htmxResponse(
      page,
      (u) => u.pathname.endsWith(`/tenants/${tenant.guid}/edit`),
      () => page.locator(`a[title="Edit Tenant"][href*="${tenant.guid}"]`).click(),
    );
    await page.locator('dialog#edit-tenant[open]').waitFor();
    await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/services/EXO/edit'),
      () => page.locator('#edit-tenant a[data-service="EXO"]').click(),
    );
    await page.locator('#svc-EXO .status-grid').waitFor();
    return page;
  }
  /** Presses a button of the section form and waits for the section to come back. */
  const press = (page: Page, selector: string) =>
    htmxResponse(
      page,
      (u) => u.pathname.endsWith('/services/EXO'),
      () => page.locator(`#svc-EXO ${selector}`).click(),
    );
  /** Whether a field of the open row is shown and can be used (V-24 / V-25 help in the browser). */
  const usable = (page: Page, key: string) =>
    page
      .locator(`#svc-EXO tr.row-editor [name$="[${key}]"]`)
      .evaluate((el: HTMLInputElement) => !el.disabled && !el.closest('[hidden]'));

  it('Edit → Suggest → Update commits that row only, with the fields the suggested L1 cannot have left out', async () => {
    const { tenant, exo } = await tenantWithGrid();
    const before = await rowsOf(exo);
    const page = await openExchange(tenant);
    expect(await page.locator('#svc-EXO select[name="statuses[1][l1]"]').count()).toBe(0);

    await press(page, 'button[value="edit:1"]');
    const note = page.locator('#svc-EXO textarea[name="statuses[1][note]"]');
    // focus goes into the row that opened; the other rows cannot be opened meanwhile
    await eventually(
      () => page.evaluate(() => (document.activeElement as HTMLTextAreaElement | null)?.name ?? ''),
      (name) => expect(name).toBe('statuses[1][note]'),
    );
    expect(await page.locator('#svc-EXO button[value="edit:0"]').isDisabled()).toBe(true);
    expect(await usable(page, 'target_date')).toBe(true);

    await note.fill('They use Slack and will not switch to Teams');
    await htmxResponse(
      page,
      (u) => u.pathname === '/suggest',
      () => page.locator('#svc-EXO tr.row-editor').getByRole('button', { name: 'Suggest' }).click(),
    );
    const l1 = page.locator('#svc-EXO select[name="statuses[1][l1]"]');
    await eventually(
      () => l1.inputValue(),
      (v) => expect(v).toBe('No Intent'),
    );
    expect(await page.locator('#svc-EXO select[name="statuses[1][l2]"]').inputValue()).toBe(
      'Using Competitive Solution',
    );
    const chip = page.locator('#status-sel-1 [data-confidence]');
    expect(await chip.getAttribute('data-confidence')).toBe('high');
    expect(await chip.textContent()).toBe('High confidence');
    // The suggested values are not committed yet: a tab switch or Esc would ask first.
    expect(await page.locator('#svc-EXO tr.row-editor').getAttribute('data-unsaved')).toBe('');
    expect(
      await page.evaluate(() =>
        (window as unknown as { ftopHasUnsavedChanges(root: Element): boolean }).ftopHasUnsavedChanges(document.body),
      ),
    ).toBe(true);
    // V-24: No Intent has no target date — hidden and disabled, so the stored one is not posted
    await eventually(
      () => usable(page, 'target_date'),
      (v) => expect(v).toBe(false),
    );
    expect(await usable(page, 'owner')).toBe(true);

    const updated = await press(page, 'tr.row-editor button[value="update:1"]');
    expect(updated.status()).toBe(200);
    await page.locator('#svc-EXO tr.is-updated').waitFor();
    expect(await page.locator('#svc-EXO tr.is-updated .chip').textContent()).toBe('No Intent');
    expect(await page.locator('#svc-EXO tr.row-editor').count()).toBe(0);
    const after = await rowsOf(exo);
    expect(after[0]).toEqual(before[0]);
    expect(after[2]).toEqual(before[2]);
    expect(after[1]).toEqual({
      ...before[1],
      l1: 'No Intent',
      l2: 'Using Competitive Solution',
      note: 'They use Slack and will not switch to Teams',
      target_date: null,
    });
  });

  it('hides and disables the target date and the owner as the L1 changes (V-24, V-25); Cancel asks first and saves nothing', async () => {
    const { tenant, exo } = await tenantWithGrid();
    const before = await rowsOf(exo);
    const page = await openExchange(tenant);
    await press(page, 'button[value="edit:0"]');
    // Status Unknown: an owner, no target date
    expect(await usable(page, 'target_date')).toBe(false);
    expect(await usable(page, 'owner')).toBe(true);
    const l1 = page.locator('#svc-EXO select[name="statuses[0][l1]"]');
    const choose = async (value: string) => {
      await htmxResponse(
        page,
        (u) => u.pathname === '/suggest/options',
        () => page.locator('#svc-EXO select[name="statuses[0][l1]"]').selectOption(value),
      );
      await settled(page);
    };
    await choose('In Progress');
    expect(await usable(page, 'target_date')).toBe(true);
    expect(await usable(page, 'owner')).toBe(false);
    expect(await page.locator('#svc-EXO tr.row-editor [data-l1-field="owner"]').isVisible()).toBe(false);
    await choose('No Intent');
    expect(await usable(page, 'target_date')).toBe(false);
    expect(await usable(page, 'owner')).toBe(true);
    await choose('Blocked');
    expect(await usable(page, 'target_date')).toBe(true);
    expect(await usable(page, 'owner')).toBe(true);
    expect(await l1.inputValue()).toBe('Blocked');

    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.message());
      return d.accept();
    });
    await press(page, 'tr.row-editor button[data-grid-cancel]');
    expect(asked).toEqual(['Discard your changes to this row?']);
    expect(await page.locator('#svc-EXO tr.row-editor').count()).toBe(0);
    expect(await rowsOf(exo)).toEqual(before);
  });

  it('Add Entitlement Status takes N entitlements from the chosen row; a source that reaches 0 is removed', async () => {
    const { tenant, exo, ids } = await tenantWithGrid();
    const page = await openExchange(tenant);
    await press(page, 'button[value="add_status"]');
    const editor = page.locator('#svc-EXO tr[data-editor="add"]');
    await editor.waitFor();
    // Status Unknown is the default source
    expect(await editor.locator('select[name="move_from"]').inputValue()).toBe(ids[0]);
    await htmxResponse(
      page,
      (u) => u.pathname === '/suggest/options',
      () => editor.locator('select[name="statuses[3][l1]"]').selectOption('No Intent'),
    );
    await settled(page);
    await editor.locator('select[name="statuses[3][l2]"]').selectOption('Using Competitive Solution');
    await editor.locator('textarea[name="statuses[3][note]"]').fill('They use Slack and will not switch to Teams');
    await editor.locator('select[name="move_from"]').selectOption(ids[1]);
    await editor.locator('input[name="move_entitlements"]').fill('30');
    const added = await press(page, 'tr[data-editor="add"] button[value="add"]');
    expect(added.status()).toBe(200);
    await page.locator('#svc-EXO tr.is-updated').waitFor();
    expect(await page.locator('#svc-EXO [data-total="statuses"]').textContent()).toBe('100 of 100');
    expect((await rowsOf(exo)).map((r) => [r.l1, r.entitlements])).toEqual([
      ['Status Unknown', 60],
      ['Blocked', 10],
      ['No Intent', 30],
    ]);
  });

  it('Remove asks which row receives the entitlements (Status Unknown by default) and moves them there', async () => {
    const { tenant, exo, ids } = await tenantWithGrid();
    const page = await openExchange(tenant);
    await press(page, 'button[value="remove:2"]');
    const receiver = page.locator('#svc-EXO tr[data-remove="2"] select[name="receiver"]');
    await receiver.waitFor();
    expect(await receiver.inputValue()).toBe(ids[0]);
    await eventually(
      () => page.evaluate(() => (document.activeElement as HTMLSelectElement | null)?.name ?? ''),
      (name) => expect(name).toBe('receiver'),
    );
    await receiver.selectOption(ids[1]);
    const removed = await press(page, 'tr[data-remove="2"] button[value="remove:2"]');
    expect(removed.status()).toBe(200);
    await page.locator('#svc-EXO tr.is-updated').waitFor();
    expect(await page.locator('#svc-EXO tr[data-row]').count()).toBe(2);
    expect((await rowsOf(exo)).map((r) => [r.l1, r.entitlements])).toEqual([
      ['Status Unknown', 60],
      ['In Progress', 40],
    ]);
  });

  it('an Update stopped only by Data Migration and the scenario says so at the row, links there and keeps the edit for Save', async () => {
    const { tenant, exo } = await tenantWithGrid({ open: true });
    const page = await openExchange(tenant);
    await press(page, 'button[value="edit:2"]');
    await page
      .locator('#svc-EXO textarea[name="statuses[2][note]"]')
      .fill('Works council approval expected next month');
    const refused = await press(page, 'tr.row-editor button[value="update:2"]');
    expect(refused.status()).toBe(422);
    const notice = page.locator('#svc-EXO [data-row-blocked]');
    await notice.waitFor();
    expect(await notice.textContent()).toContain(
      'needs Data Migration and the Engagement Scenario answered before a status row can be saved',
    );
    expect(await page.locator('#svc-EXO textarea[name="statuses[2][note]"]').inputValue()).toBe(
      'Works council approval expected next month',
    );
    // the link takes the user to the section's first field
    await notice.getByRole('link', { name: 'Data Migration' }).click();
    await eventually(
      () => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name ?? ''),
      (name) => expect(name).toBe('ms_performing_migration'),
    );
    await notice.getByRole('link', { name: 'Engagement Scenario' }).click();
    await eventually(
      () => page.evaluate(() => document.activeElement?.id ?? ''),
      (id) => expect(id).toBe('sc-EXO'),
    );
    await page.locator('#sc-EXO').selectOption('FTC-FTP Led');
    await press(page, 'input[name="ms_performing_migration"][value="no"]');
    await page.locator('#svc-EXO select[name="migration_rejection_reason"]').selectOption('Customer will self-migrate');
    await page.locator('#svc-EXO textarea[name="migration_rejection_note"]').fill('Their IT team moves the mailboxes');
    // the row's edit survived the re-render of the migration answer
    expect(await page.locator('#svc-EXO textarea[name="statuses[2][note]"]').inputValue()).toBe(
      'Works council approval expected next month',
    );
    const saved = await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/services/EXO'),
      () => page.getByRole('button', { name: 'Save Exchange' }).click(),
    );
    expect(saved.status()).toBe(200);
    expect((await rowsOf(exo))[2].note).toBe('Works council approval expected next month');
    expect((await b.t.db('tenant_services').where('id', exo).first()).engagement_scenario).toBe('FTC-FTP Led');
  });
});
