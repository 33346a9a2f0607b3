import express from 'express';
import request from 'supertest';
import { buildTestApp, html, loginAs, SignedIn, TestApp } from '../helpers/app';
import { assign, createOrg, createTenant, createUser, TenantRef } from '../helpers/factories';
import { sendHtml } from '../../src/http/render';

// Latin-1 (ü), above it (an em dash, curly quotes, CJK) and beyond the BMP (an emoji: a surrogate pair).
const WIDE = 'Zürich — “東京” 😀';
const ABOVE_ASCII = /[^\0-\x7f]/u;

/**
 * src/http/one-byte.ts: every page leaves as ASCII (its characters above U+007F as numeric character
 * references), and the browser reads back exactly the text that was stored.
 */
describe('pages carry characters above ASCII as references', () => {
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
    expect(res.text).not.toMatch(ABOVE_ASCII);
    expect(res.text).toContain('&#8212;'); // the em dash of a template (an empty cell) or of the name
    const cell = html(res.text).querySelector('#tenant-table td[data-label="Customer"]');
    expect(cell?.text).toBe(WIDE);
    expect(cell?.getAttribute('title')).toBe(WIDE);
  });

  it('the tenant page with its notes history (a note’s stored HTML)', async () => {
    const res = await as.agent.get(`/tenants/${tenant.guid}/notes`);
    expect(res.status).toBe(200);
    expect(res.text).not.toMatch(ABOVE_ASCII);
    expect(html(res.text).querySelector('.note .note-body')?.text).toBe(`Kick-off in ${WIDE}`);
  });

  it('a notes search snippet', async () => {
    const res = await as.agent.get('/notes/search?q=kick');
    expect(res.status).toBe(200);
    expect(res.text).not.toMatch(ABOVE_ASCII);
    // Each database cuts its snippet at its own word boundaries (PostgreSQL's ends before the emoji).
    expect(html(res.text).querySelector('.search-snippet')?.text).toContain('Zürich — “東京');
  });
});

describe('sendHtml (src/http/render.ts)', () => {
  const app = express();
  app.get('/html', (req, res) => sendHtml(res, String(req.query.text)));

  it.each([
    ['ASCII, sent as its bytes', 'a &#8212; b'],
    ['not ASCII (HTML that did not come through a template), encoded as UTF-8', WIDE],
    ['Latin-1 letters only, encoded as UTF-8', 'Zürich café'],
    // Each would be cut to an ASCII byte in a Latin-1 copy: U+0141 to "A", U+2014 to 0x14, U+017A to "z".
    ['characters above Latin-1 whose low byte is ASCII, encoded as UTF-8', 'Ł — ź'],
  ])('%s', async (_name, text) => {
    const res = await request(app).get('/html').query({ text });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text).toBe(text);
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(text, 'utf8'));
  });
});
