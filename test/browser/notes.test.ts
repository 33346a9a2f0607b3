import type { Page } from 'playwright-core';
import {
  BrowserApp,
  eventually,
  richText,
  runAxe,
  seriousViolations,
  signInThroughLoginPage,
  startBrowserApp,
} from '../helpers/browser';
import { addService, assign, createOrg, createTenant, createUser, TenantRef } from '../helpers/factories';

/**
 * The Notes Library in Chromium (DOMAIN.md §5.12): a formatted note written from the Status tab shows in
 * the history, Latest Notes and search; drafts up to the limit and its message; a closed tab leaves its
 * autosaved draft; axe-core and 390 / 768 / 1440 px on every page.
 */
describe('Notes Library in the browser', () => {
  let b: BrowserApp;
  let tenant: TenantRef;
  let ava: string;
  let ben: string;
  let benId: number;

  beforeAll(async () => {
    b = await startBrowserApp(async (t) => {
      const org = await createOrg(t.db, { name: 'Northwind Partners' });
      const a = await createUser(t.db, { org, name: 'Ava Smith' });
      const bn = await createUser(t.db, { org, name: 'Ben Jones' });
      ava = a.upn;
      ben = bn.upn;
      benId = bn.id;
      tenant = await createTenant(t.db, { name: 'fabrikam.onmicrosoft.com' });
      await assign(t.db, { tenant, userId: org.queueUserId, type: 'P-RM', primary: ['TENANT'] });
      await assign(t.db, { tenant, userId: a.id, type: 'P-FM', primary: ['TENANT'] });
      await assign(t.db, { tenant, userId: bn.id, type: 'P-FE' });
      await addService(t.db, tenant, 'EXO');
      await addService(t.db, tenant, 'TEAMS');
    });
  }, 60_000);
  afterAll(() => b?.close());
  afterEach(() => {
    expect(b.cspViolations.splice(0)).toEqual([]);
    expect(b.consoleErrors.splice(0).filter((e) => !/status of 422/.test(e))).toEqual([]);
  });

  /** Far past the note editor's autosave delay (public/js/notes.js), whatever it is set to. */
  const PAST_AUTOSAVE = '00:30';

  async function signedIn(upn: string, width = 1440): Promise<Page> {
    const page = await b.newPage({ width, height: 900 });
    await page.goto('/login');
    await signInThroughLoginPage(page, upn);
    return page;
  }

  it('writes a formatted note from the Status tab and finds it in the history, Latest Notes and search', async () => {
    const page = await signedIn(ava);
    await page.goto(`/tenants/${tenant.guid}`);
    await Promise.all([page.waitForURL(/\/notes\/new/), page.locator('a[data-create-notes]').click()]);
    expect(await page.locator('#note-category').inputValue()).toBe('Engagement Management');
    await page.locator('.ql-editor').click();
    await page.keyboard.press('Control+b');
    await page.keyboard.type('Cutover');
    await page.keyboard.press('Control+b');
    await page.keyboard.type(' of the quasarline mailboxes is planned');
    await page.locator('#note-next-action').fill('Confirm the window');
    expect(await page.locator('#next-action-count').textContent()).toBe('18 of 500 characters');
    await Promise.all([
      page.waitForURL(/\/tenants\/.+\/notes/),
      page.getByRole('button', { name: 'Save', exact: true }).click(),
    ]);
    const body = page.locator('.note .note-body').first();
    expect(await body.locator('strong').textContent()).toBe('Cutover');
    await page.goto('/notes');
    expect(await page.locator('#latest-notes .note-body', { hasText: 'quasarline' }).count()).toBe(1);
    await page.locator('#latest-q').fill('quasar');
    await Promise.all([page.waitForURL(/\/notes\/search/), page.locator('#latest-q').press('Enter')]);
    expect(await page.locator('.search-hits .note').count()).toBe(1);
    expect(await page.locator('.search-snippet mark').first().textContent()).toBe('quasarline');
  });

  it('saves drafts up to the limit and then shows the V-75 message', async () => {
    await b.t.db('note_drafts').insert(
      Array.from({ length: 9 }, (_, i) => ({
        owner_user_id: benId,
        body_html: `<p>draft ${i}</p>`,
        saved_at: new Date(Date.now() - 60_000 + i).toISOString(),
      })),
    );
    const page = await signedIn(ben);
    for (const expectLimit of [false, true]) {
      await page.goto(`/notes/new?tenant=${tenant.guid}&category=Environment`);
      await page.locator('.ql-editor').click();
      await page.keyboard.type(expectLimit ? 'The eleventh draft' : 'The tenth draft');
      await page.getByRole('button', { name: 'Save Draft' }).click();
      await page.waitForLoadState();
      if (!expectLimit) expect(await page.locator('.draft').count()).toBe(10);
    }
    expect(await page.locator('[data-field="draft"]').textContent()).toBe(
      'Draft limit reached (10); delete or restore a draft first.',
    );
    expect(await page.locator('.ql-editor').textContent()).toBe('The eleventh draft');
  });

  it('keeps an autosaved draft when the tab is closed mid-note', async () => {
    const page = await signedIn(ava);
    // The page's clock, so the test need not sit out the autosave delay (public/js/notes.js).
    await page.clock.install();
    await page.goto(`/notes/new?tenant=${tenant.guid}&category=Engagement%20Management`);
    await page.locator('.ql-editor').click();
    await page.keyboard.type('Half a thought about the nebulite rollout');
    await page.clock.fastForward(PAST_AUTOSAVE);
    await eventually(
      () => page.locator('[data-autosave-status]').textContent(),
      (text) => expect(text).toContain('Draft kept automatically'),
      8000,
    );
    await page.close();
    const again = await signedIn(ava);
    await again.goto('/notes/drafts');
    await again.locator('.draft summary').first().click();
    expect(await again.locator('.draft-body').first().textContent()).toContain('nebulite');
  });

  it('picks the tenant with the keyboard in the editor’s combobox and opens the editor for it (issue 11)', async () => {
    const page = await signedIn(ava);
    await page.goto('/notes/new?category=Environment');
    const input = page.locator('#tenant-picker');
    await input.click();
    await page.keyboard.type('FABRI');
    const option = page.locator('#tenant-options [role="option"]', { hasText: 'fabrikam.onmicrosoft.com' });
    await option.waitFor();
    expect(await input.getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('ArrowDown');
    expect(await option.getAttribute('aria-selected')).toBe('true');
    expect(await input.getAttribute('aria-activedescendant')).toBe(await option.getAttribute('id'));
    await page.keyboard.press('Escape');
    expect(await page.locator('#tenant-options').isHidden()).toBe(true);
    expect(await input.getAttribute('aria-expanded')).toBe('false');
    await page.keyboard.press('ArrowDown');
    expect(await option.getAttribute('aria-selected')).toBe('true');
    await Promise.all([page.waitForURL(/\/notes\/new\?tenant=/), page.keyboard.press('Enter')]);
    expect(new URL(page.url()).searchParams.get('tenant')).toBe(tenant.guid);
    expect(await page.locator('#note-category').inputValue()).toBe('Environment');
    expect(
      await page.locator('input[name="services"]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value)),
    ).toEqual(['EXO', 'TEAMS']);
  });

  it('adds a service or a tenant from "Search Services and Tenants" to the current search (issue 11)', async () => {
    const [{ id }] = await b.t
      .db('notes')
      .insert({
        tenant_id: tenant.id,
        category: 'Environment',
        body_html: '<p>The zephyrine connector is ready</p>',
        body_text: 'The zephyrine connector is ready',
        source_context: 'notes_editor',
        created_at: new Date().toISOString(),
        search_tenant: tenant.name,
        search_services: 'Exchange',
      })
      .returning('id');
    await b.t.db('note_services').insert({ note_id: id, service_code: 'EXO' });
    const page = await signedIn(ava);
    await page.goto('/notes/search?q=zephyrine');
    const find = page.locator('#facet-find');
    await find.click();
    await page.keyboard.type('exch');
    const option = page.locator('#facet-find-options [role="option"]', { hasText: 'Exchange - Service' });
    await option.waitFor();
    await Promise.all([page.waitForURL(/service=EXO/), option.click()]);
    const url = () => new URL(page.url()).searchParams;
    expect([url().get('q'), url().getAll('service'), url().has('find')]).toEqual(['zephyrine', ['EXO'], false]);
    await eventually(
      () => page.locator('.filter-chips .chip').allTextContents(),
      (chips) => expect(chips.join(' ')).toContain('Exchange'),
    );
    expect(await page.locator('.search-hits .note').count()).toBe(1);

    await page.locator('#facet-find').click();
    await page.keyboard.type('fabrik');
    await page
      .locator('#facet-find-options [role="option"]', { hasText: 'fabrikam.onmicrosoft.com - Tenant' })
      .waitFor();
    await page.keyboard.press('ArrowDown');
    await Promise.all([page.waitForURL(/tenant=/), page.keyboard.press('Enter')]);
    expect([url().get('q'), url().getAll('tenant'), url().getAll('service')]).toEqual([
      'zephyrine',
      [tenant.guid],
      ['EXO'],
    ]);
    expect(await page.locator('#facet-tenant input:checked').count()).toBe(1);
  });

  it('asks to keep a note as a draft when a link would leave the editor: Cancel stays, Keep saves, Discard leaves nothing (issue 11)', async () => {
    const drafts = async (text: string) =>
      Number((await b.t.db('note_drafts').where('body_html', 'like', `%${text}%`).count({ n: '*' }))[0].n);
    const page = await signedIn(ava);
    await page.clock.install();
    const open = async (words: string) => {
      await page.goto(`/notes/new?tenant=${tenant.guid}&category=Environment`);
      await richText(page, '#note-body').click();
      await page.keyboard.type(words);
    };
    const leave = page.locator('dialog#leave-note');

    await open('A thought about the gravitonic pilot');
    await page.locator('.breadcrumbs a', { hasText: 'Latest Notes' }).click();
    await leave.waitFor();
    expect(await leave.getAttribute('open')).not.toBeNull();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Keep as draft');
    await leave.getByRole('button', { name: 'Cancel' }).click();
    expect(await leave.getAttribute('open')).toBeNull();
    expect(new URL(page.url()).pathname).toBe('/notes/new');
    await richText(page, '#note-body').click();
    await page.keyboard.press('End');
    await page.keyboard.type(' and more');

    await page.locator('.breadcrumbs a', { hasText: 'Latest Notes' }).click();
    await Promise.all([page.waitForURL(/\/notes$/), leave.getByRole('button', { name: 'Keep as draft' }).click()]);
    expect(await drafts('gravitonic pilot and more')).toBe(1);

    // Discard after the autosave has kept it: the draft the autosave made is removed again.
    await open('An idea about the photonic rollout');
    await page.clock.fastForward(PAST_AUTOSAVE);
    await eventually(
      () => page.locator('[data-autosave-status]').textContent(),
      (text) => expect(text).toContain('Draft kept automatically'),
      8000,
    );
    expect(await drafts('photonic rollout')).toBe(1);
    await page.locator('.breadcrumbs a', { hasText: 'Draft Notes' }).click();
    await Promise.all([page.waitForURL(/\/notes\/drafts$/), leave.getByRole('button', { name: 'Discard' }).click()]);
    expect(await drafts('photonic rollout')).toBe(0);
    expect(await page.locator('.draft', { hasText: 'photonic' }).count()).toBe(0);

    // An editor nobody typed in leaves without a question.
    await page.goto(`/notes/new?tenant=${tenant.guid}&category=Environment`);
    await Promise.all([
      page.waitForURL(/\/notes$/),
      page.locator('.breadcrumbs a', { hasText: 'Latest Notes' }).click(),
    ]);
  });

  const pages = () => [
    '/notes',
    '/notes/search?q=mailbox',
    `/notes/new?tenant=${tenant.guid}`,
    '/notes/new',
    '/notes/drafts',
    '/notes/search/options?find=exchange',
  ];

  it('has no serious or critical axe-core violation on any Notes Library page', async () => {
    const page = await signedIn(ava);
    const findings: Record<string, string[]> = {};
    for (const path of pages()) {
      await page.goto(path);
      await page.waitForLoadState('load');
      findings[path] = seriousViolations(await runAxe(page));
    }
    expect(Object.fromEntries(Object.entries(findings).filter(([, v]) => v.length))).toEqual({});
  });

  it.each([390, 768, 1440])('shows every page at %i px without sideways page scroll', async (width) => {
    const page = await signedIn(ava, width);
    for (const path of pages()) {
      await page.goto(path);
      const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect([path, sideways]).toEqual([path, 0]);
    }
  });
});
