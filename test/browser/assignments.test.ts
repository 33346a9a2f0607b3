import type { Page } from 'playwright-core';
import {
  BrowserApp,
  eventually,
  htmxResponse,
  runAxe,
  seriousViolations,
  settled,
  signInThroughLoginPage,
  startBrowserApp,
} from '../helpers/browser';
import { addService, assign, createOrg, createTenant, createUser, TenantRef } from '../helpers/factories';

/**
 * Edit Assignments in headless Chromium (DOMAIN.md §5.5): a partner admin opens the dialog from the FRP row,
 * adds a user, meets the primary conflict, replaces the primary, removes the user after confirming, and the
 * added user's My Active tab follows each step; the list and the Tenant Entitlements pane behind the dialog
 * refresh themselves. axe finds no serious or critical violation on either tab, and the dialog fits 390,
 * 768 and 1440 px without sideways scrolling or an inner vertical scroll box.
 *
 * Data: Northwind Partners; Ava (partner admin, P-RM on Exchange), Ben (P-FM, tenant and Exchange primary),
 * Chloe (not assigned); the queue holds the tenant primary P-RM of adatum; Omar is its Onboarding RM.
 */
describe('Edit Assignments in the browser', () => {
  let b: BrowserApp;
  let adatum: TenantRef;
  const upn: Record<'ava' | 'chloe', string> = { ava: '', chloe: '' };

  beforeAll(async () => {
    b = await startBrowserApp(async (t) => {
      const org = await createOrg(t.db, { name: 'Northwind Partners' });
      const ava = await createUser(t.db, { org, upn: `ava@${org.domain}`, name: 'Ava Smith', partnerAdmin: true });
      const ben = await createUser(t.db, { org, upn: `ben@${org.domain}`, name: 'Ben Carter' });
      const chloe = await createUser(t.db, { org, upn: `chloe@${org.domain}`, name: 'Chloe Nguyen' });
      const omar = await createUser(t.db, { kind: 'internal', name: 'Omar Reyes', managedOrgs: [org] });
      upn.ava = ava.upn;
      upn.chloe = chloe.upn;
      adatum = await createTenant(t.db, { name: 'adatum.onmicrosoft.com', customer: 'Adatum Corporation' });
      await assign(t.db, { tenant: adatum, userId: org.queueUserId, type: 'P-RM', primary: ['TENANT'] });
      await assign(t.db, { tenant: adatum, userId: ava.id, type: 'P-RM', scopes: ['EXO'] });
      await assign(t.db, {
        tenant: adatum,
        userId: ben.id,
        type: 'P-FM',
        scopes: ['TENANT', 'EXO'],
        primary: ['TENANT', 'EXO'],
      });
      await assign(t.db, { tenant: adatum, userId: omar.id, type: 'Onboarding RM', primary: ['TENANT'] });
      await addService(t.db, adatum, 'EXO', { total: 400 });
      await addService(t.db, adatum, 'TEAMS', { total: 300 });
    });
  }, 60_000);
  afterAll(() => b?.close());
  afterEach(() => {
    // A refused (422) or stale (409) answer is logged by Chromium as a failed resource; nothing else may be.
    expect(b.consoleErrors.splice(0).filter((e) => !/status of (422|409)/.test(e))).toEqual([]);
    expect(b.cspViolations.splice(0)).toEqual([]);
  });

  async function signedIn(who: string, width = 1440): Promise<Page> {
    const page = await b.newPage({ width, height: 900 });
    await page.goto('/login');
    await signInThroughLoginPage(page, who);
    return page;
  }
  async function openFromRow(page: Page): Promise<void> {
    await htmxResponse(
      page,
      (u) => u.pathname === `/tenants/${adatum.guid}/assignments`,
      () => page.locator(`#tenant-table a[title="Edit Assignments"][href*="${adatum.guid}"]`).click(),
    );
    await page.locator('dialog#assignments-dialog[open] #assignments-panel').waitFor();
  }
  const post = (page: Page, action: () => Promise<unknown>) =>
    htmxResponse(page, (u) => u.pathname.startsWith(`/tenants/${adatum.guid}/assignments`), action);
  /** Waits until the locator's text contains `part`. */
  const contains = (locator: { textContent(): Promise<string | null> }, part: string) =>
    eventually(
      () => locator.textContent(),
      (text) => expect(text ?? '').toContain(part),
    );
  const myActive = async (page: Page) => {
    await page.goto('/tenants');
    return page.locator('[data-count="my-active"]').textContent();
  };

  it('adds a user, hits the primary conflict, replaces the primary and removes the user; that user’s My Active follows', async () => {
    const page = await signedIn(upn.ava);
    const chloe = await signedIn(upn.chloe);
    expect(await myActive(chloe)).toBe('0');

    // The entitlements pane of adatum behind the dialog: Ben is the primary P-FM of Exchange.
    const row = page.locator(`#tenant-table tr[data-pane-url*="${adatum.guid}"]`);
    await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/entitlements'),
      () => row.locator('td[data-label="Customer"]').click(),
    );
    const exoPrimaries = page.locator('#entitlements-table tr[data-service="EXO"] .people');
    expect(await exoPrimaries.textContent()).toContain('P-FM Ben Carter');

    await openFromRow(page);
    expect(await page.locator('#assignments-panel a.tab[aria-current="page"]').textContent()).toBe('Partner');

    // Add: the username, then the Services/Workloads pane.
    await page.locator('#asg-add-FM').fill(upn.chloe);
    await post(page, () => page.locator('[data-block="P-FM"] form.asg-add button').click());
    await page.locator('#asg-pane').waitFor();
    await contains(page.locator('#asg-pane h5'), 'Chloe Nguyen as P-FM');
    // Primary is offered only where Assignment is ticked; ticking Tenant ticks every service.
    const exoPrimary = page.locator('#asg-pane tr[data-scope="EXO"] input[name="primary"]');
    expect(await exoPrimary.isVisible()).toBe(false);
    await page.locator('#asg-s-TENANT').check();
    expect(await page.locator('#asg-pane .asg-scope:checked').count()).toBe(22);
    await page.locator('#asg-pane button[data-check="scopes"][data-to="off"]').click();
    expect(await page.locator('#asg-pane .asg-scope:checked').count()).toBe(0);
    await page.locator('#asg-s-EXO').check();
    expect(await exoPrimary.isVisible()).toBe(true);
    await exoPrimary.check();

    // V-64: Ben holds it; the message names him and offers Replace primary.
    const refused = await post(page, () => page.getByRole('button', { name: 'Apply Assignments' }).click());
    expect(refused.status()).toBe(422);
    expect(await page.locator('#asg-pane [data-field="primary"]').textContent()).toContain(
      'Exchange is already primary for Ben Carter',
    );
    expect(await exoPrimary.isChecked()).toBe(true);
    await page.locator('#asg-pane input[name="replace_primary"]').check();
    const saved = await post(page, () => page.getByRole('button', { name: 'Apply Assignments' }).click());
    expect(saved.status()).toBe(200);
    await contains(page.locator('#assignments-panel .notice.saved'), 'Chloe Nguyen was added as P-FM.');
    const fm = page.locator('[data-block="P-FM"]');
    expect(await fm.locator('.asg-item', { hasText: 'Chloe' }).locator('.asg-chip.is-primary').textContent()).toContain(
      'Exchange',
    );
    expect(await fm.locator('.asg-item', { hasText: 'Ben' }).locator('.asg-chip.is-faded').textContent()).toContain(
      'Exchange',
    );
    // Behind the dialog the pane has refreshed itself (tenant:changed).
    await eventually(
      () => exoPrimaries.textContent(),
      (text) => expect(text).toContain('P-FM Chloe Nguyen'),
    );
    expect(await myActive(chloe)).toBe('1');

    // Remove, after confirming (V-67).
    await post(page, () =>
      fm
        .locator('.asg-item', { hasText: 'Chloe' })
        .getByRole('link', { name: /Remove/ })
        .click(),
    );
    await page.locator('form.asg-delete').waitFor();
    expect(await page.locator('form.asg-delete h5').textContent()).toBe('Remove Chloe Nguyen as P-FM?');
    await post(page, () => page.getByRole('button', { name: 'Remove P-FM' }).click());
    await contains(page.locator('#assignments-panel .notice.saved'), 'has left their My Active and My Inactive tabs');
    expect(await fm.locator('.asg-item', { hasText: 'Chloe' }).count()).toBe(0);
    expect(await myActive(chloe)).toBe('0');

    // The history lists the three changes, newest first.
    const log = page.locator('.asg-log > li');
    expect(await log.count()).toBe(3);
    expect(await log.first().textContent()).toContain('removed Chloe Nguyen as P-FM');
  });

  it("refreshes the FRP list behind the dialog: the row's My Roles shows the role the user gives themselves", async () => {
    const page = await signedIn(upn.ava);
    await page.goto('/tenants?tab=partner');
    const before = Number(await page.locator('[data-count="my-active"]').textContent());
    await openFromRow(page);
    // Ava already holds a P-RM on adatum; adding herself as P-FE shows in the row's My Roles at once.
    await page.locator('#asg-add-FE').fill(upn.ava);
    await post(page, () => page.locator('[data-block="P-FE"] form.asg-add button').click());
    await page.locator('#asg-s-TEAMS').check();
    await post(page, () => page.getByRole('button', { name: 'Apply Assignments' }).click());
    await eventually(
      () => page.locator('#tenant-table tr', { hasText: 'adatum' }).locator('td[data-label="My Roles"]').textContent(),
      (roles) => expect(roles).toContain('P-FE'),
    );
    expect(Number(await page.locator('[data-count="my-active"]').textContent())).toBe(before);
  });

  it('opens over the Edit Tenant dialog from the Primary Assignments pen; the section shows the change when it closes', async () => {
    const page = await signedIn(upn.ava);
    await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/edit'),
      () => page.locator(`#tenant-table a[title="Edit Tenant"][href*="${adatum.guid}"]`).click(),
    );
    await htmxResponse(
      page,
      (u) => u.pathname.includes('/services/EXO'),
      () => page.locator('dialog a[data-service="EXO"]').click(),
    );
    const section = page.locator('#primaries-EXO');
    const before = await section.locator('[data-primary="P-FE"]').textContent();
    await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/assignments'),
      () => section.getByRole('link', { name: 'Edit Assignments' }).click(),
    );
    await page.locator('dialog#assignments-dialog[open]').waitFor();
    expect(await page.locator('dialog[open]').count()).toBe(2);
    const fe = page.locator('[data-block="P-FE"] .asg-item', { hasText: 'Ava' });
    await post(page, () => fe.getByRole('link', { name: /Edit/ }).click());
    await page.locator('#asg-s-EXO').check();
    await page.locator('#asg-pane tr[data-scope="EXO"] input[name="primary"]').check();
    await post(page, () => page.getByRole('button', { name: 'Apply Assignments' }).click());
    await contains(page.locator('#assignments-panel .notice.saved'), 'Ava Smith’s P-FE assignment was saved.');
    await page.locator('#assignments-dialog [data-close-dialog]').click();
    expect(await page.locator('dialog[open]').count()).toBe(1);
    expect(before).toBe('—');
    await contains(page.locator('#primaries-EXO [data-primary="P-FE"]'), 'Ava Smith');
    // The section may reload after the dialog closed; focus comes back to its (new) pen either way.
    await eventually(
      () => page.evaluate(() => document.activeElement?.getAttribute('title')),
      (title) => expect(title).toBe('Edit Assignments'),
    );
  });

  it('has no serious or critical axe violation on the Partner tab (with the pane open) and the Onboarding tab', async () => {
    const page = await signedIn(upn.ava);
    await openFromRow(page);
    const partner = seriousViolations(await runAxe(page));
    await post(page, () =>
      page.locator('[data-block="P-FM"] .asg-item', { hasText: 'Ben' }).getByRole('link', { name: /Edit/ }).click(),
    );
    await page.locator('#asg-pane').waitFor();
    const pane = seriousViolations(await runAxe(page));
    await post(page, () => page.locator('#assignments-panel a.tab', { hasText: 'Onboarding' }).click());
    await page.locator('#asg-onboarding-title').waitFor({ state: 'attached' });
    expect(await page.locator('#assignments-panel .asg-block h4').allTextContents()).toEqual(['Onboarding RM']);
    const onboarding = seriousViolations(await runAxe(page));
    expect({ partner, pane, onboarding }).toEqual({ partner: [], pane: [], onboarding: [] });
  });

  it.each([390, 768, 1440])(
    'fits %i px: no sideways page scroll, no inner vertical scroll box, the pane open',
    async (width) => {
      const page = await signedIn(upn.ava, width);
      await openFromRow(page);
      await post(page, () =>
        page.locator('[data-block="P-FM"] .asg-item', { hasText: 'Ben' }).getByRole('link', { name: /Edit/ }).click(),
      );
      await page.locator('#asg-pane').waitFor();
      await settled(page);
      const layout = await page.evaluate(() => {
        const dialog = document.querySelector('dialog[open]')!;
        const boxes: string[] = [];
        for (const el of Array.from(document.querySelectorAll('*'))) {
          if (el === document.documentElement || el === document.body || el === dialog) continue;
          const { overflowY } = getComputedStyle(el);
          if ((overflowY === 'auto' || overflowY === 'scroll') && el.scrollHeight > el.clientHeight + 1)
            boxes.push(el.className);
        }
        const root = document.documentElement;
        const wrap = dialog.querySelector('.asg-pane .table-wrap')!;
        return {
          page: root.scrollWidth - root.clientWidth,
          dialog: dialog.scrollWidth - dialog.clientWidth,
          pane: wrap.scrollWidth - wrap.clientWidth,
          boxes,
        };
      });
      expect(layout).toEqual({ page: 0, dialog: 0, pane: 0, boxes: [] });
    },
  );
});
