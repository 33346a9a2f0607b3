#!/usr/bin/env node
/* Finds Chromium for the browser tests (CONTRACT.md §1): CHROME_PATH, /usr/bin/chromium or /usr/bin/chromium-browser.
   When none is there and we are root on Debian/Ubuntu, installs Debian's chromium once, saying so;
   otherwise stops at once with a one-line instruction. Never skips the browser suite. */
const fs = require('node:fs');
const { execSync } = require('node:child_process');

const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
if (candidates.some((p) => fs.existsSync(p))) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = fs.existsSync('/usr/bin/apt-get');
if (!isRoot || !hasApt) {
  console.error('Chromium not found: install it (Debian/Ubuntu: sudo apt-get install -y chromium) or set CHROME_PATH.');
  process.exit(1);
}
console.log('Chromium not found: installing Debian package "chromium" (apt-get install -y chromium)...');
try {
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', {
    stdio: 'inherit',
  });
} catch {
  console.error('Installing chromium failed: run apt-get install -y chromium by hand, or set CHROME_PATH.');
  process.exit(1);
}
