import type { Page } from 'playwright-core';
import { BrowserApp, htmxResponse, richText, signInThroughLoginPage, startBrowserApp } from '../helpers/browser';
import { addService, assign, createOrg, createTenant, createUser, TenantRef } from '../helpers/factories';

/**
 * Page weight (issue 14 item 6, src/http/page-assets.ts): the FRP list links only the shell's stylesheet and
 * scripts; the Edit Tenant dialog loads forms.css/forms.js and the rest when it first opens, shows itself only
 * once they are in (never unstyled), and what they do works on the content already in the dialog: the
 * rich-text editor (rich-text.js) and the unsaved-edits question (forms.js). A second opening adds nothing.
 */
describe('stylesheets and scripts loaded with the dialog on the FRP list', () => {
  let b: BrowserApp;
  let tenant: TenantRef;
  let upn = '';

  beforeAll(async () => {
    b = await startBrowserApp(async (t) => {
      const org = await createOrg(t.db, { name: 'Northwind Partners' });
      const ava = await createUser(t.db, { org, upn: `ava@${org.domain}`, name: 'Ava Smith' });
      upn = ava.upn;
      tenant = await createTenant(t.db, { name: 'adatum.onmicrosoft.com', customer: 'Adatum Corporation' });
      await assign(t.db, { tenant, userId: org.queueUserId, type: 'P-RM', primary: ['TENANT'] });
      await assign(t.db, { tenant, userId: ava.id, type: 'P-FM', scopes: ['TENANT'], primary: ['TENANT'] });
      await addService(t.db, tenant, 'EXO', { total: 305 });
    });
  }, 60_000);
  afterAll(() => b?.close());
  afterEach(() => {
    expect(b.consoleErrors.splice(0)).toEqual([]);
    expect(b.cspViolations.splice(0)).toEqual([]);
  });

  const linked = (page: Page) =>
    page.evaluate(() => ({
      css: [...document.querySelectorAll('link[rel=stylesheet]')].map((l) => l.getAttribute('href')),
      js: [...document.querySelectorAll('script[src]')].map((s) => s.getAttribute('src')),
    }));

  /** Records the dialog's computed look at the moment it opens (a MutationObserver on its `open` attribute). */
  const watchOpening = (page: Page) =>
    page.evaluate(() => {
      const w = window as unknown as { openedWith?: { shadow: string; head: string } };
      new MutationObserver(() => {
        const dialog = document.querySelector('#dialog-root dialog[open]');
        if (!dialog || w.openedWith) return;
        w.openedWith = {
          shadow: getComputedStyle(dialog).boxShadow,
          head: getComputedStyle(dialog.querySelector('.dialog-head')!).position,
        };
      }).observe(document.getElementById('dialog-root')!, {
        subtree: true,
        attributes: true,
        attributeFilter: ['open'],
      });
    });

  const openEditTenant = (page: Page) =>
    htmxResponse(
      page,
      (u) => u.pathname === `/tenants/${tenant.guid}/edit`,
      () => page.locator(`a[title="Edit Tenant"][href*="${tenant.guid}"]`).click(),
    ).then(() => page.locator('dialog#edit-tenant[open]').waitFor());

  it('opens Edit Tenant styled, with its editor and its unsaved-edits question, from a list that linked neither', async () => {
    const page = await b.newPage();
    await page.goto('/login');
    await signInThroughLoginPage(page, upn);
    expect(await linked(page)).toEqual({
      css: ['/static/css/app.css'],
      js: ['/vendor/htmx.min.js', '/static/js/app.js'],
    });

    await watchOpening(page);
    await openEditTenant(page);
    // forms.css was applied before showModal: the dialog's shadow and sticky title bar, not the browser's defaults.
    const opened = await page.evaluate(() => (window as unknown as { openedWith: unknown }).openedWith);
    expect(opened).toEqual({ shadow: expect.not.stringMatching(/^none$/), head: 'sticky' });
    expect((await linked(page)).js).toEqual(
      expect.arrayContaining(['/static/js/forms.js', '/static/js/grid.js', '/static/js/rich-text.js']),
    );

    // rich-text.js, added after the dialog was swapped in, put the editor over the note that was already there.
    await richText(page, '#note').waitFor();
    // forms.js guards the edit: closing with a changed field asks first; declining keeps the dialog open.
    await page.locator('#status_date').fill('2026-01-02');
    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await page.locator('dialog#edit-tenant [data-close-dialog]').first().click();
    expect(asked).toEqual(['You have unsaved changes. Discard them?']);
    expect(await page.locator('dialog#edit-tenant[open]').count()).toBe(1);

    // Closing for real and opening again adds no second copy of anything.
    page.once('dialog', (d) => void d.accept());
    await page.locator('dialog#edit-tenant [data-close-dialog]').first().click();
    await page.locator('dialog#edit-tenant').waitFor({ state: 'detached' });
    await openEditTenant(page);
    const again = await linked(page);
    expect(again.js.filter((src) => src === '/static/js/forms.js')).toHaveLength(1);
    expect(again.css.filter((href) => href === '/static/css/forms.css')).toHaveLength(1);
  });
});
