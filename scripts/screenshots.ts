/**
 * Refreshes the README's screenshots (docs/screenshots/): `npx tsx scripts/screenshots.ts`.
 * Starts the portal on a fresh demo database in a temporary folder, signs in as the demo partner admin
 * through the login page, and photographs the FRP view with a tenant's entitlements pane (1440 px),
 * the Edit Tenant dialog on a service tab (1440 px), a tenant's Status tab on Service Status (1440 px), the Edit
 * Assignments dialog with a P-FM's Services/Workloads pane open (1440 px) and the FRP view on a phone (390 px).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'docs', 'screenshots');
const PORT = 3990;
const BASE = `http://127.0.0.1:${PORT}`;
const USER = 'ava@northwind-partners.example';

async function waitForServer(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${BASE}/healthz`)).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the server did not start');
}

async function signIn(page: Page): Promise<void> {
  await page.goto(`${BASE}/login`);
  await page.locator('select#email').selectOption(USER);
  await Promise.all([page.waitForURL(/\/tenants/), page.getByRole('button', { name: 'Sign in' }).click()]);
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ftop-shots-'));
  const server = spawn(process.execPath, ['--require', 'tsx/cjs', 'src/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: `sqlite:${path.join(dir, 'demo.sqlite3')}`,
      PORT: String(PORT),
      LOG_LEVEL: 'warn',
    },
    stdio: 'inherit',
  });
  const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium' });
  try {
    await waitForServer();
    const wide = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await signIn(wide);
    await wide.locator('#tenant-table tbody tr').first().locator('td').nth(2).click();
    await wide.locator('#entitlements-table').waitFor();
    await wide.screenshot({ path: path.join(OUT, 'frp-view.png') });

    await wide.locator('#tenant-table a[title="Edit Tenant"]').first().click();
    await wide.locator('dialog#edit-tenant[open]').waitFor();
    await wide.locator('#edit-tenant [data-tab][data-service]').first().click();
    await wide.locator('#edit-tenant .status-grid').waitFor();
    await wide.waitForTimeout(300);
    await wide.screenshot({ path: path.join(OUT, 'edit-tenant-service.png') });

    const tenant = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await signIn(tenant);
    const href = await tenant.locator('#tenant-table tbody tr').first().locator('a.tenant-id').getAttribute('href');
    await tenant.goto(`${BASE}${href}`);
    await tenant.locator('#tenant-view').waitFor();
    await tenant.locator('#subtab-phases').click();
    await tenant.locator('#service-status').waitFor();
    await tenant.waitForTimeout(300);
    await tenant.screenshot({ path: path.join(OUT, 'tenant-view.png') });

    const assignments = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await signIn(assignments);
    await assignments.locator('#tenant-table a[title="Edit Assignments"]').first().click();
    await assignments.locator('dialog#assignments-dialog[open]').waitFor();
    await assignments.locator('[data-block="P-FM"] .asg-item').first().getByRole('link', { name: /Edit/ }).click();
    await assignments.locator('#asg-pane').waitFor();
    await assignments.locator('[data-block="P-FM"]').evaluate((el) => {
      el.scrollIntoView({ block: 'start' });
      el.closest('dialog')!.scrollTop -= 80; // below the sticky title bar
    });
    await assignments.waitForTimeout(300);
    await assignments.screenshot({ path: path.join(OUT, 'edit-assignments.png') });

    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await signIn(phone);
    await phone.screenshot({ path: path.join(OUT, 'frp-phone.png') });
    console.log(`screenshots written to ${path.relative(ROOT, OUT)}`);
  } finally {
    await browser.close();
    server.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
