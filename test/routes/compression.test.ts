import express from 'express';
import request from 'supertest';
import { sendHtml } from '../../src/http/render';
import { buildTestApp, loginAs, TestApp } from '../helpers/app';
import { createOrg, createTenant, createUser, assign } from '../helpers/factories';

/** Responses are compressed when the client asks (issue 14, item 6), and never when it does not. */
describe('compression', () => {
  let t: TestApp;
  let upn: string;
  beforeAll(async () => {
    t = await buildTestApp();
    const org = await createOrg(t.db);
    const user = await createUser(t.db, { org });
    upn = user.upn;
    for (let i = 0; i < 30; i++) {
      const tenant = await createTenant(t.db);
      await assign(t.db, { tenant, userId: user.id, type: 'P-FM', scopes: ['TENANT'] });
    }
  });
  afterAll(() => t.close());

  it('gzips a signed-in page for a client that accepts gzip, and sends it plain to one that does not', async () => {
    const { agent } = await loginAs(t.app, upn);
    // superagent decodes the body; the headers say what travelled.
    const zipped = await agent.get('/tenants').set('Accept-Encoding', 'gzip');
    expect(zipped.status).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toMatch(/Accept-Encoding/i);
    expect(zipped.text).toContain('id="tenant-table"');

    const plain = await agent.get('/tenants').set('Accept-Encoding', 'identity');
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.text).toContain('id="tenant-table"');

    // No Accept-Encoding at all (superagent sends one unless told): the page as it is.
    const none = await agent.get('/tenants').set('Accept-Encoding', '');
    expect(none.status).toBe(200);
    expect(none.headers['content-encoding']).toBeUndefined();
    expect(none.text).toContain('id="tenant-table"');
  });

  it('compresses the stylesheets and scripts too', async () => {
    const css = await request(t.app).get('/static/css/app.css').set('Accept-Encoding', 'gzip');
    expect(css.status).toBe(200);
    expect(css.headers['content-encoding']).toBe('gzip');
  });
});

/**
 * A page in one piece is gzipped by sendHtml itself, at once (src/http/render.ts, decision 150): sent
 * with its length, like a plain page, instead of streamed through the compression middleware.
 */
describe('pages gzipped as they are sent', () => {
  const page = `<!doctype html><p>${'Contoso tenant row '.repeat(200)}</p>`;
  const app = express();
  app.get('/page', (_req, res) => sendHtml(res, page));
  app.get('/small', (_req, res) => sendHtml(res, '<p>small</p>'));
  // The body as bytes (superagent decodes a gzipped one before it reaches the parser).
  const raw = (path: string, encoding: string) =>
    request(app)
      .get(path)
      .set('Accept-Encoding', encoding)
      .buffer(true)
      .parse((res, done) => {
        const parts: Buffer[] = [];
        res.on('data', (part: Buffer) => parts.push(part));
        res.on('end', () => done(null, Buffer.concat(parts)));
      });

  it('gzips a page for a client that accepts gzip, with the length of what is sent', async () => {
    const res = await request(app).get('/page').set('Accept-Encoding', 'gzip, deflate, br');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers.vary).toMatch(/Accept-Encoding/i);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text).toBe(page);
    const length = Number(res.headers['content-length']);
    expect(length).toBeGreaterThan(0);
    expect(length).toBeLessThan(page.length / 4);
  });

  it('HEAD declares the gzipped length', async () => {
    const get = await request(app).get('/page').set('Accept-Encoding', 'gzip');
    const head = await request(app).head('/page').set('Accept-Encoding', 'gzip');
    expect(head.status).toBe(200);
    expect(head.headers['content-encoding']).toBe('gzip');
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
  });

  it.each([
    ['no Accept-Encoding', ''],
    ['identity', 'identity'],
    ['gzip refused', 'gzip;q=0, identity'],
    ['only an encoding it does not make', 'br'],
  ])('sends the page as it is for %s', async (_case, encoding) => {
    const res = await raw('/page', encoding);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers.vary).toMatch(/Accept-Encoding/i);
    expect((res.body as Buffer).toString('latin1')).toBe(page);
  });

  it('sends a page under 1 KB as it is', async () => {
    const res = await raw('/small', 'gzip');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect((res.body as Buffer).toString('latin1')).toBe('<p>small</p>');
  });
});
