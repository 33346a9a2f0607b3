import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { buildTestApp, html, loginAs, TestApp } from '../helpers/app';
import { assign, createOrg, createTenant, createUser } from '../helpers/factories';

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

  it('links only the shell on the FRP list; the Edit Tenant dialog names the rest, and the tenant page links it', async () => {
    const org = await createOrg(t.db);
    const user = await createUser(t.db, { org });
    const tenant = await createTenant(t.db);
    await assign(t.db, { tenant, userId: user.id, type: 'P-RM' });
    const { agent } = await loginAs(t.app, user.upn);
    const linked = async (url: string) => {
      const doc = html((await agent.get(url)).text);
      return {
        css: doc.querySelectorAll('link[rel=stylesheet]').map((l) => l.getAttribute('href')),
        js: doc.querySelectorAll('script[src]').map((s) => s.getAttribute('src')),
      };
    };
    expect(await linked('/tenants')).toEqual({
      css: ['/static/css/app.css'],
      js: ['/vendor/htmx.min.js', '/static/js/app.js'],
    });

    const dialog = html((await agent.get(`/tenants/${tenant.guid}/edit`).set('HX-Request', 'true')).text).querySelector(
      'dialog[data-open]',
    )!;
    const css = dialog.getAttribute('data-css')!.split(' ');
    const js = dialog.getAttribute('data-js')!.split(' ');
    expect(css).toEqual(expect.arrayContaining(['/static/css/forms.css', '/static/css/grid.css']));
    expect(js).toEqual(
      expect.arrayContaining(['/static/js/forms.js', '/static/js/grid.js', '/static/js/rich-text.js']),
    );
    for (const file of [...css, ...js]) expect((await request(t.app).get(file)).status).toBe(200);

    // A page that shows the same content without the dialog links the same files in its head.
    const page = await linked(`/tenants/${tenant.guid}`);
    expect(page.css).toEqual(['/static/css/app.css', ...css]);
    expect(page.js).toEqual(['/vendor/htmx.min.js', '/static/js/app.js', ...js]);
  });
});
