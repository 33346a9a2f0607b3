import { buildTestApp, hx, html, loginAs, SignedIn, TestApp } from '../helpers/app';
import { assign, createOrg, createTenant, createUser } from '../helpers/factories';

const TENANTS = 120;
const names = Array.from({ length: TENANTS }, (_, i) => `bytes${String(i).padStart(3, '0')}.onmicrosoft.com`);

/**
 * The Partner List's rows are held apart from the page string and sent in buffers under 64 KB each
 * (src/http/page-bytes.ts, decision 147): the page a browser gets is the whole page, rows in order,
 * under one Content-Length, for a GET, a HEAD, an htmx swap and a compressed response.
 */
describe('Partner List pages sent in pieces', () => {
  let t: TestApp;
  let as: SignedIn;
  const url = '/tenants?tab=partner&sort=name&pageSize=100';

  beforeAll(async () => {
    t = await buildTestApp();
    const org = await createOrg(t.db);
    const ava = await createUser(t.db, { org });
    for (const name of names) {
      const tenant = await createTenant(t.db, { name, customer: `Customer of ${name}` });
      await assign(t.db, { tenant, userId: org.queueUserId, type: 'P-RM', scopes: ['TENANT'], primary: ['TENANT'] });
    }
    as = await loginAs(t.app, ava.upn);
  });
  afterAll(() => t.close());

  // superagent asks for gzip unless told otherwise.
  const get = (path: string) => as.agent.get(path).set('Accept-Encoding', 'identity');
  const rowNames = (text: string) =>
    html(text)
      .querySelectorAll('#tenant-table tbody tr .tenant-name')
      .map((a) => a.getAttribute('title'));

  it('a page of 100 rows: every row in order between the table’s own markup, the length declared', async () => {
    const res = await get(url);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text.length).toBeGreaterThan(128 * 1024); // more than one piece
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
    expect(rowNames(res.text)).toEqual(names.slice(0, 100));
    expect(res.text).not.toContain('<ftop-held');
    expect(res.text.trimEnd()).toMatch(/<\/html>$/);
    const next = await get(`${url}&page=2`);
    expect(rowNames(next.text)).toEqual(names.slice(100));
  });

  it('the htmx swap of the list carries the same rows', async () => {
    const res = await hx(get(url));
    expect(res.status).toBe(200);
    expect(res.text).not.toMatch(/<html/);
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
    expect(rowNames(res.text)).toEqual(names.slice(0, 100));
  });

  // Node drops any body written to a HEAD response, so only the declared length can be checked here.
  it('HEAD declares the page’s length', async () => {
    const page = await get(url);
    const res = await as.agent.head(url);
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe(page.headers['content-length']);
  });

  it('compressed when the browser asks: the same page, without a stale length', async () => {
    const plain = await get(url);
    const res = await as.agent.get(url).set('Accept-Encoding', 'gzip');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['content-length']).toBeUndefined();
    expect(rowNames(res.text)).toEqual(names.slice(0, 100));
    expect(res.text.length).toBe(plain.text.length);
  });
});
