import type { Page, Response } from 'playwright-core';
import { BrowserApp, htmxResponse, signInThroughLoginPage, startBrowserApp } from '../helpers/browser';
import { addService, assign, createOrg, createTenant, createUser, TenantRef, UserRef } from '../helpers/factories';

/**
 * SECURITY.md case 27 (CSP on every response; an injected inline script is refused and reported),
 * case 28 (frame-ancestors + X-Frame-Options) and stored XSS through tenant fields, in Chromium.
 */
const XSS_CUSTOMER = '<img src=x onerror="window.__xss=1">';
const XSS_NAME = 'evil<script>window.__xss=2</script>.onmicrosoft.com';

type Win = { __ran?: number; __ranAttr?: number; __xss?: number };

describe('Content Security Policy and XSS in the browser', () => {
  let b: BrowserApp;
  let ava: UserRef;
  let plain: TenantRef;
  let evil: TenantRef;

  beforeAll(async () => {
    b = await startBrowserApp(async (t) => {
      const org = await createOrg(t.db, { name: 'Fabrikam Consulting' });
      ava = await createUser(t.db, { org, name: 'Ava Smith' });
      plain = await createTenant(t.db, {
        name: 'contoso.onmicrosoft.com',
        customer: 'Contoso Ltd',
        overallStatus: 'Active',
        statusDate: '2026-11-02',
      });
      evil = await createTenant(t.db, { name: XSS_NAME, customer: XSS_CUSTOMER, country: '<b>Nowhere</b>' });
      for (const tenant of [plain, evil]) {
        await assign(t.db, { tenant, userId: org.queueUserId, type: 'P-RM', scopes: ['TENANT'], primary: ['TENANT'] });
        await assign(t.db, { tenant, userId: ava.id, type: 'P-FM', scopes: ['TENANT'], primary: ['TENANT'] });
        await addService(t.db, tenant, 'EXO', { total: 120 });
      }
    });
  });
  afterAll(async () => {
    await b?.close();
  });
  afterEach(() => {
    b.consoleErrors.splice(0);
    b.cspViolations.splice(0);
  });

  async function signedInPage(): Promise<Page> {
    const page = await b.newPage();
    await page.goto('/login');
    await signInThroughLoginPage(page, ava.upn);
    return page;
  }

  it('puts the CSP (and frame protection) on every response: redirects, pages, fragments, static files and errors', async () => {
    const page = await b.newPage();
    const seen: Response[] = [];
    page.on('response', (r) => {
      if (r.url().startsWith(b.baseUrl)) seen.push(r);
    });
    await page.goto('/tenants'); // 302 → /login
    await signInThroughLoginPage(page, ava.upn); // 303 → /tenants
    await htmxResponse(
      page,
      (u) => u.searchParams.get('tab') === 'partner',
      () => page.getByRole('link', { name: /^Partner List/ }).click(),
    );
    await htmxResponse(
      page,
      (u) => u.pathname.endsWith('/entitlements'),
      () => page.locator('#tenant-table tbody tr td', { hasText: 'Contoso Ltd' }).click(),
    );
    await page.goto('/no-such-page'); // 404 page
    await page.evaluate(() =>
      fetch('/tenants/00000000-0000-4000-8000-000000000000/entitlements', { headers: { 'HX-Request': 'true' } }),
    ); // 404 fragment

    const statuses = new Set(seen.map((r) => r.status()));
    for (const s of [200, 302, 303, 404]) expect(statuses).toContain(s);
    expect(seen.some((r) => r.url().includes('/vendor/htmx.min.js'))).toBe(true);
    expect(seen.some((r) => r.url().includes('/static/css/app.css'))).toBe(true);
    expect(seen.some((r) => r.request().headers()['hx-request'] === 'true')).toBe(true);

    const problems: string[] = [];
    for (const r of seen) {
      const headers = await r.allHeaders();
      const csp = headers['content-security-policy'] ?? '';
      const directives = new Map(
        csp
          .split(';')
          .map((d) => d.trim().split(/\s+/))
          .map(([k, ...v]) => [k, v.join(' ')]),
      );
      const where = `${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`;
      if (directives.get('script-src') !== "'self'")
        problems.push(`${where}: script-src is "${directives.get('script-src')}"`);
      if (/unsafe-inline|unsafe-eval/.test(csp)) problems.push(`${where}: CSP allows unsafe-*`);
      for (const [k, v] of [
        ['object-src', "'none'"],
        ['base-uri', "'none'"],
        ['frame-ancestors', "'none'"],
      ]) {
        if (directives.get(k) !== v) problems.push(`${where}: ${k} is "${directives.get(k)}"`);
      }
      if (headers['x-frame-options'] !== 'DENY')
        problems.push(`${where}: X-Frame-Options is "${headers['x-frame-options']}"`);
    }
    expect(problems).toEqual([]);
  });

  it('refuses an inline script injected into a served page, fires securitypolicyviolation, and the script does not run', async () => {
    const page = await signedInPage();
    expect(new URL(page.url()).pathname).toBe('/tenants');

    const violation = await page.evaluate(
      () =>
        new Promise<{ directive: string; disposition: string; blocked: string }>((resolve) => {
          document.addEventListener(
            'securitypolicyviolation',
            (e) => resolve({ directive: e.violatedDirective, disposition: e.disposition, blocked: e.blockedURI }),
            { once: true },
          );
          const script = document.createElement('script');
          script.text = 'window.__ran = 1';
          document.body.appendChild(script);
        }),
    );
    expect(violation).toEqual({ directive: 'script-src-elem', disposition: 'enforce', blocked: 'inline' });
    expect(await page.evaluate(() => (window as unknown as Win).__ran)).toBeUndefined();

    // An inline event handler (the usual XSS shape) is refused too: script-src covers attributes.
    const attr = await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), { once: true });
          const box = document.createElement('div');
          box.innerHTML = '<img src="data:," onerror="window.__ranAttr = 1" alt="">';
          document.body.appendChild(box);
        }),
    );
    expect(attr).toBe('script-src-attr');
    expect(await page.evaluate(() => (window as unknown as Win).__ranAttr)).toBeUndefined();

    // The harness saw both through its own listener, so a CSP violation anywhere in a journey is caught.
    expect(b.cspViolations.map((v) => v.violatedDirective)).toEqual(['script-src-elem', 'script-src-attr']);
  });

  it('renders stored XSS payloads in tenant fields as text in the list, the pane and the tenant page', async () => {
    const page = await signedInPage();
    const row = page.locator('#tenant-table tbody tr', { hasText: 'evil<script>' });
    expect(await row.count()).toBe(1);
    expect(await row.locator('a:not(.btn)').first().innerText()).toBe(XSS_NAME);
    const customerCell = row.locator('td', { hasText: XSS_CUSTOMER });
    expect(await customerCell.innerText()).toBe(XSS_CUSTOMER);
    expect(await customerCell.getAttribute('title')).toBe(XSS_CUSTOMER);
    expect(await row.locator('td', { hasText: 'Nowhere' }).innerText()).toBe('<b>Nowhere</b>');
    expect(await page.locator('#tenant-table img, #tenant-table script, #tenant-table b').count()).toBe(0);

    await htmxResponse(
      page,
      (u) => u.pathname === `/tenants/${evil.guid}/entitlements`,
      () => customerCell.click(),
    );
    await page.locator('#entitlements-table').waitFor();
    expect(await page.locator('#entitlements-pane h2').innerText()).toBe(`Tenant Entitlements — ${XSS_NAME}`);
    expect(await page.locator('#entitlements-pane .pane-head p').innerText()).toContain(XSS_CUSTOMER);
    expect(await page.locator('#entitlements-pane img, #entitlements-pane script').count()).toBe(0);
    expect(await row.getAttribute('aria-selected')).toBe('true');

    await page.goto(`/tenants/${evil.guid}`);
    expect(await page.locator('.tenant-header h1').innerText()).toContain(XSS_NAME);
    expect(await page.locator('main img, main script').count()).toBe(0);

    expect(await page.evaluate(() => (window as unknown as Win).__xss)).toBeUndefined();
    // Escaped, not merely blocked: the CSP had nothing to refuse and nothing failed to load.
    expect(b.cspViolations).toEqual([]);
    expect(b.consoleErrors).toEqual([]);
  });
});
