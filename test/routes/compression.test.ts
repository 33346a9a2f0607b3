import request from 'supertest';
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
