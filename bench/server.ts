/**
 * The benchmark's server: src/server.ts plus GET /bench/baseline, a static 25-row table page rendered
 * in the layout through exactly the same middleware as the tenant list (helmet, logging, session,
 * passport user load, CSRF token, no-store), without any query of its own.
 */
import path from 'node:path';
import { start } from '../src/server';
import { renderPage } from '../src/http/render';
import { ROOT } from '../src/root';

const ROWS = Array.from({ length: 25 }, (_, i) => ({
  name: `tenant${String(i + 1).padStart(2, '0')}.onmicrosoft.com`,
  customer: `Customer ${i + 1}`,
  country: ['Germany', 'France', 'United States', 'Japan', 'Brazil'][i % 5],
  status: ['Active', 'Blocked', 'Paused'][i % 3],
  entitlements: 100 * (i + 1),
}));
// From the project's folder: the bench runs this file compiled under bench/out/server/ (scripts/build.js).
const VIEW = path.join(ROOT, 'bench', 'baseline.ejs');

start({
  extraRoutes: (router) =>
    router.get('/bench/baseline', async (_req, res) => {
      renderPage(res, VIEW, { title: 'Baseline', rows: ROWS });
    }),
}).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
