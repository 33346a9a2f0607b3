import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { buildTestApp, html, loginAs, TestApp } from '../helpers/app';
import { createOrg, createUser } from '../helpers/factories';

const PUBLIC = path.join(__dirname, '..', '..', 'public');

/** Stylesheets and scripts as browsers get them (src/http/assets.ts) and which pages load which (views/layouts/main.ejs). */
describe('static assets', () => {
  let t: TestApp;
  let upn: string;

  beforeAll(async () => {
    t = await buildTestApp();
    upn = (await createUser(t.db, { org: await createOrg(t.db) })).upn;
  });
  afterAll(() => t.close());

  it.each(['css/app.css', 'js/app.js'])('serves %s minified, with its type and an ETag', async (file) => {
    const res = await request(t.app).get(`/static/${file}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(
      file.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8',
    );
    expect(res.headers.etag).toMatch(/^"[\w-]{22}"$/);
    const source = fs.readFileSync(path.join(PUBLIC, file), 'utf8');
    expect(res.text.length).toBeLessThan(source.length * 0.8);
    expect(res.text).not.toContain('/*');
    expect(res.text).not.toMatch(/\n\s+/);
  });

  it('answers 304 to a browser that has the same file, and keeps serving other files from public/', async () => {
    const first = await request(t.app).get('/static/css/app.css');
    const again = await request(t.app).get('/static/css/app.css').set('If-None-Match', first.headers.etag);
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect((await request(t.app).get('/static/favicon.svg')).status).toBe(200);
  });

  it('loads the Notes Library scripts on its pages only', async () => {
    const { agent } = await loginAs(t.app, upn);
    const scripts = async (url: string) =>
      html((await agent.get(url)).text)
        .querySelectorAll('script[src]')
        .map((s) => s.getAttribute('src'));
    const notesOnly = ['/static/js/combobox.js', '/static/js/notes.js', '/static/js/notes-leave.js'];
    expect(await scripts('/tenants')).not.toEqual(expect.arrayContaining([notesOnly[0]]));
    expect(await scripts('/tenants')).toEqual(expect.arrayContaining(['/vendor/htmx.min.js', '/static/js/app.js']));
    expect(await scripts('/notes/search')).toEqual(expect.arrayContaining(notesOnly));
  });
});
