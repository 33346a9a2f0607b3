import { buildTestApp, html, loginAs, SignedIn, TestApp } from '../helpers/app';
import { assign, createOrg, createTenant, createUser, TenantRef } from '../helpers/factories';

// Latin-1 (ü), above it (an em dash, curly quotes, CJK) and beyond the BMP (an emoji: a surrogate pair).
const WIDE = 'Zürich — “東京” 😀';
const ABOVE_LATIN1 = /[^\0-\xff]/u;

/**
 * src/http/one-byte.ts: every page leaves as a one-byte string (its characters above U+00FF as numeric
 * character references), and the browser reads back exactly the text that was stored.
 */
describe('pages carry characters above Latin-1 as references', () => {
  let t: TestApp;
  let as: SignedIn;
  let tenant: TenantRef;

  beforeAll(async () => {
    t = await buildTestApp();
    const org = await createOrg(t.db);
    const ava = await createUser(t.db, { org });
    tenant = await createTenant(t.db, { name: 'wide.onmicrosoft.com', customer: WIDE });
    await assign(t.db, { tenant, userId: ava.id, type: 'P-RM', primary: ['TENANT'] });
    await t.db('notes').insert({
      tenant_id: tenant.id,
      category: 'Engagement Management',
      body_html: `<p>Kick-off in ${WIDE}</p>`,
      body_text: `Kick-off in ${WIDE}`,
      source_context: 'notes_editor',
      created_at: new Date().toISOString(),
      search_tenant: tenant.name,
    });
    as = await loginAs(t.app, ava.upn);
  });
  afterAll(() => t.close());

  it('the Partner List: the customer name as text, the template’s own dashes too', async () => {
    const res = await as.agent.get('/tenants?tab=partner');
    expect(res.status).toBe(200);
    expect(res.text).not.toMatch(ABOVE_LATIN1);
    expect(res.text).toContain('&#8212;'); // the em dash of a template (an empty cell) or of the name
    const cell = html(res.text).querySelector('#tenant-table td[data-label="Customer"]');
    expect(cell?.text).toBe(WIDE);
    expect(cell?.getAttribute('title')).toBe(WIDE);
  });

  it('the tenant page with its notes history (a note’s stored HTML)', async () => {
    const res = await as.agent.get(`/tenants/${tenant.guid}/notes`);
    expect(res.status).toBe(200);
    expect(res.text).not.toMatch(ABOVE_LATIN1);
    expect(html(res.text).querySelector('.note .note-body')?.text).toBe(`Kick-off in ${WIDE}`);
  });

  it('a notes search snippet', async () => {
    const res = await as.agent.get('/notes/search?q=kick');
    expect(res.status).toBe(200);
    expect(res.text).not.toMatch(ABOVE_LATIN1);
    // Each database cuts its snippet at its own word boundaries (PostgreSQL's ends before the emoji).
    expect(html(res.text).querySelector('.search-snippet')?.text).toContain('Zürich — “東京');
  });
});
