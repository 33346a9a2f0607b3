/**
 * Page weights (issue 14 item 6): what a browser downloads for the first load of /tenants (the HTML and
 * every stylesheet and script it references, uncompressed and gzipped), and the size of each htmx fragment
 * of the Edit Tenant dialog (the dialog and every fragment its links and tabs load with hx-get).
 */
import zlib from 'node:zlib';
import { parse } from 'node-html-parser';
import { int, lpad, pad } from './format';

export interface Weight {
  name: string;
  bytes: number;
  gzip: number;
}

export interface PageWeights {
  firstLoad: Weight[];
  fragments: Weight[];
}

const FIRST_LOAD_LIMIT = 120 * 1024;
const FRAGMENT_LIMIT = 20 * 1024;

async function fetched(base: string, path: string, cookie: string, htmx: boolean): Promise<Weight & { text: string }> {
  const res = await fetch(base + path, {
    headers: { cookie, ...(htmx ? { 'HX-Request': 'true' } : {}) },
  });
  if (res.status !== 200) throw new Error(`page weight: GET ${path} answered ${res.status}`);
  const body = Buffer.from(await res.arrayBuffer());
  return { name: path, bytes: body.length, gzip: zlib.gzipSync(body).length, text: body.toString('utf8') };
}

/** The first load of /tenants, and the Edit Tenant dialog's fragments for `tenantGuid`. */
export async function pageWeights(base: string, cookie: string, tenantGuid: string): Promise<PageWeights> {
  const page = await fetched(base, '/tenants', cookie, false);
  const doc = parse(page.text);
  const assets = [
    ...doc.querySelectorAll('link[rel=stylesheet]').map((l) => l.getAttribute('href')),
    ...doc.querySelectorAll('script[src]').map((s) => s.getAttribute('src')),
  ].filter((href): href is string => Boolean(href));
  const firstLoad: Weight[] = [page];
  for (const href of assets) firstLoad.push(await fetched(base, href, cookie, false));

  const dialogPath = `/tenants/${tenantGuid}/edit`;
  const dialog = await fetched(base, dialogPath, cookie, true);
  const links = parse(dialog.text)
    .querySelectorAll('[hx-get]')
    .map((e) => e.getAttribute('hx-get'))
    .filter((href): href is string => Boolean(href) && href!.startsWith('/'));
  const fragments: Weight[] = [dialog];
  for (const href of [...new Set(links)]) fragments.push(await fetched(base, href, cookie, true));
  return {
    firstLoad: firstLoad.map(({ name, bytes, gzip }) => ({ name, bytes, gzip })),
    fragments: fragments.map(({ name, bytes, gzip }) => ({ name, bytes, gzip })),
  };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/** The report's lines, with the targets (informational, like every figure of the bench). */
export function pageWeightLines(w: PageWeights): string[] {
  const total = w.firstLoad.reduce((s, x) => s + x.bytes, 0);
  const gzip = w.firstLoad.reduce((s, x) => s + x.gzip, 0);
  const out = ['', 'page weights (uncompressed / gzip):'];
  for (const x of w.firstLoad) out.push(`  ${pad(x.name, 60)} ${lpad(kb(x.bytes), 10)} ${lpad(kb(x.gzip), 10)}`);
  out.push(
    `  ${pad(`first load of /tenants, ${w.firstLoad.length} responses`, 60)} ${lpad(kb(total), 10)} ${lpad(kb(gzip), 10)}` +
      `   < ${kb(FIRST_LOAD_LIMIT)}: ${total < FIRST_LOAD_LIMIT ? 'yes' : 'NO'}`,
  );
  const largest = Math.max(...w.fragments.map((x) => x.bytes));
  out.push(`  Edit Tenant dialog fragments (${int(w.fragments.length)}):`);
  for (const x of w.fragments) out.push(`    ${pad(x.name, 58)} ${lpad(kb(x.bytes), 10)} ${lpad(kb(x.gzip), 10)}`);
  out.push(`  largest fragment ${kb(largest)} < ${kb(FRAGMENT_LIMIT)}: ${largest < FRAGMENT_LIMIT ? 'yes' : 'NO'}`);
  return out;
}
