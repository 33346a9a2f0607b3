import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, Browser, BrowserContext, Page, Response } from 'playwright-core';
import { buildTestApp, TestApp } from './app';

/**
 * Browser tests (STYLE.md › Tests): the real app on 127.0.0.1, driven by Debian's Chromium through
 * playwright-core. Chromium is looked up as CONTRACT.md §1 says; when it is missing the suite fails
 * at once with an instruction, it is never skipped.
 */
export function chromiumPath(): string {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
    (p): p is string => Boolean(p),
  );
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) {
    throw new Error(
      `Chromium not found (looked at ${candidates.join(', ')}): apt-get install -y chromium, or set CHROME_PATH.`,
    );
  }
  return found;
}

/** STACK.md: these flags, and never --user-data-dir (playwright manages its own profile). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface CspViolation {
  url: string;
  violatedDirective: string;
  blockedURI: string;
  sample: string;
}

export interface BrowserApp {
  t: TestApp;
  browser: Browser;
  baseUrl: string;
  /** console.error messages and uncaught page errors, from every page opened with newPage(). */
  consoleErrors: string[];
  /** `securitypolicyviolation` events, from every page opened with newPage(). */
  cspViolations: CspViolation[];
  /** A page in a fresh context (own cookies), wired to consoleErrors and cspViolations. */
  newPage(opts?: { width?: number; height?: number }): Promise<Page>;
  url(pathname: string): string;
  close(): Promise<void>;
}

/**
 * Starts the app from buildTestApp on 127.0.0.1 with a free port, then launches Chromium.
 * `seed` runs against the fresh database before the server accepts requests.
 */
export async function startBrowserApp(
  seed: (t: TestApp) => Promise<void>,
  env: Record<string, string> = {},
): Promise<BrowserApp> {
  const executablePath = chromiumPath();
  const t = await buildTestApp(env);
  await seed(t);
  const server: Server = await new Promise((resolve, reject) => {
    const s = t.app.listen(0, '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  } catch (err) {
    server.close();
    await t.close();
    throw err;
  }

  const consoleErrors: string[] = [];
  const cspViolations: CspViolation[] = [];
  const contexts: BrowserContext[] = [];

  async function newPage(opts: { width?: number; height?: number } = {}): Promise<Page> {
    const context = await browser.newContext({
      baseURL: baseUrl,
      viewport: { width: opts.width ?? 1440, height: opts.height ?? 900 },
      locale: 'en-GB',
      timezoneId: 'Europe/Berlin',
    });
    contexts.push(context);
    // The binding and the init script come from the DevTools protocol, so the page's CSP does not
    // block them; the listener is installed before any page script runs.
    await context.exposeBinding('__reportCsp', (_source, v: CspViolation) => {
      cspViolations.push(v);
    });
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        const report = (window as unknown as { __reportCsp(v: unknown): void }).__reportCsp;
        void report({
          url: e.documentURI,
          violatedDirective: e.violatedDirective,
          blockedURI: e.blockedURI,
          sample: e.sample,
        });
      });
    });
    const page = await context.newPage();
    // Generous: on CI both projects run their browsers at once on 2 cores; a wait that succeeds costs no more.
    page.setDefaultTimeout(15_000);
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(`${msg.text()} (${msg.location().url})`);
    });
    page.on('pageerror', (err) => consoleErrors.push(`uncaught: ${err.message}`));
    return page;
  }

  return {
    t,
    browser,
    baseUrl,
    consoleErrors,
    cspViolations,
    newPage,
    url: (pathname) => new URL(pathname, baseUrl).toString(),
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
      // Keep-alive sockets from Chromium would hold server.close() open.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await t.close();
    },
  };
}

/**
 * Signs in through the real login page: choose the user in the select, press Sign in, land on
 * `expectPath` (the returnTo page, or /tenants).
 */
export async function signInThroughLoginPage(page: Page, upn: string, expectPath = '/tenants'): Promise<void> {
  if (!new URL(page.url()).pathname.startsWith('/login')) await page.goto('/login');
  await page.locator('select#email').selectOption(upn);
  // Sign-in renders the landing page too; on a CI machine running both projects' browsers at once that
  // has taken longer than the default 5 s.
  await Promise.all([
    page.waitForURL((u) => u.pathname === expectPath.split('?')[0], { timeout: 20_000 }),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
}

/** Waits for the response to an htmx request whose URL satisfies `match`, triggered by `action`. */
export async function htmxResponse(
  page: Page,
  match: (url: URL) => boolean,
  action: () => Promise<unknown>,
): Promise<Response> {
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().headers()['hx-request'] === 'true' && match(new URL(r.url()))),
    action(),
  ]);
  await settled(page);
  return res;
}

/**
 * Waits until htmx has swapped and settled the content of every request in flight. Without this a test
 * can type into an element that the swap is about to replace, and its change event is lost with it.
 */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added'),
    undefined,
    { polling: 25 },
  );
}

/**
 * Re-reads `read` until `check` stops throwing (the DOM settles a few ms after the response), then
 * returns the value; on timeout the last assertion error is thrown, so the failure says what differed.
 */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => void, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    try {
      check(value);
      return value;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string; html: string }[];
}

const AXE_PATH = require.resolve('axe-core/axe.min.js');
const AXE_URL_PATH = '/__test__/axe.min.js';

/**
 * Runs axe-core (WCAG 2.x A/AA rules) on the current page and returns the violations. The page's
 * CSP forbids inline scripts, so axe is not added as inline content (that would itself be a CSP
 * violation): the test serves node_modules/axe-core/axe.min.js at a same-origin URL through
 * page.route and adds it with a <script src>, which `script-src 'self'` allows.
 */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  await page.route(`**${AXE_URL_PATH}`, (route) =>
    route.fulfill({ path: AXE_PATH, contentType: 'text/javascript; charset=utf-8' }),
  );
  await page.addScriptTag({ url: AXE_URL_PATH });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: unknown[] }> } })
      .axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    return result.violations;
  });
  await page.unroute(`**${AXE_URL_PATH}`);
  return violations as AxeViolation[];
}

/** Serious and critical violations, formatted one node per line so a failure says what to fix. */
export function seriousViolations(violations: AxeViolation[]): string[] {
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) =>
      v.nodes.map(
        (n) =>
          `${v.impact} ${v.id} (${v.help}) at ${n.target.join(' ')}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ')}`,
      ),
    );
}

/** Every violation, for the log (moderate and minor ones are reported, not asserted). */
export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
    .join('\n');
}

export const SCREENSHOT_DIR = path.resolve(__dirname, '../../docs/screenshots');

/** Screenshots are written only with UPDATE_SCREENSHOTS=1, so a CI run never dirties the tree. */
export async function maybeScreenshot(page: Page, name: string): Promise<string | null> {
  if (process.env.UPDATE_SCREENSHOTS !== '1') return null;
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, name);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

/**
 * The rich-text editor public/js/rich-text.js puts over a textarea (the Notes Editor, the Engagement
 * Management note): `textarea` is the textarea's selector. Playwright's fill() replaces its text.
 */
export function richText(page: Page, textarea: string) {
  return page.locator(`${textarea} ~ .rich-text-host .ql-editor`);
}
