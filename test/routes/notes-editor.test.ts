import { buildTestApp, html, loginAs, SignedIn, TestApp } from '../helpers/app';
import { addService, assign, createOrg, createTenant, createUser, TenantRef, UserRef } from '../helpers/factories';

const day = (offset: number) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);

/** GET /notes/new and POST /notes — the Notes Editor (DOMAIN.md §5.12.1, V-70…V-76, SECURITY.md 8, 25, 41). */
describe('Notes Editor', () => {
  let t: TestApp;
  let ava: UserRef;
  let guest: UserRef;
  let tenant: TenantRef;
  let foreign: TenantRef;
  let as: SignedIn;

  beforeAll(async () => {
    t = await buildTestApp();
    const org = await createOrg(t.db);
    ava = await createUser(t.db, { org, name: 'Ava Smith' });
    guest = await createUser(t.db, { org, name: 'Gus Guest' });
    const other = await createUser(t.db, { org: await createOrg(t.db) });
    tenant = await createTenant(t.db, { name: 'contoso.onmicrosoft.com' });
    foreign = await createTenant(t.db, { name: 'foreign.onmicrosoft.com' });
    await assign(t.db, { tenant, userId: org.queueUserId, type: 'P-RM', primary: ['TENANT'] });
    await assign(t.db, { tenant, userId: ava.id, type: 'P-FM' });
    await assign(t.db, { tenant: foreign, userId: other.id, type: 'P-RM', primary: ['TENANT'] });
    await addService(t.db, tenant, 'EXO');
    await addService(t.db, tenant, 'TEAMS');
    as = await loginAs(t.app, ava.upn);
  });
  afterAll(() => t.close());

  const valid = (extra: Record<string, string | string[]> = {}) => ({
    tenant_id: tenant.guid,
    category: 'Engagement Management',
    body: 'Kick-off held with the customer.',
    ...extra,
  });
  const post = (form: Record<string, string | string[]>, who: SignedIn = as) =>
    who.agent
      .post('/notes')
      .type('form')
      .send({ ...form, _csrf: who.csrf });
  const fieldError = (text: string, field: string) => html(text).querySelector(`[data-field="${field}"]`)?.text.trim();
  const count = async () => Number((await t.db('notes').count({ n: '*' }))[0].n);

  describe('GET /notes/new', () => {
    it('opens with the category and tenant from context, the tenant’s services and owners, and a fresh key', async () => {
      const res = await as.agent.get(`/notes/new?tenant=${tenant.guid}&category=Technical%20Enablement&service=EXO`);
      expect(res.status).toBe(200);
      const doc = html(res.text);
      expect(doc.querySelector('#note-category option[selected]')?.text).toBe('Technical Enablement');
      expect(doc.querySelector('input[name="tenant_id"]')?.getAttribute('value')).toBe(tenant.guid);
      expect(doc.querySelectorAll('input[name="services"]').map((i) => i.getAttribute('value'))).toEqual([
        'EXO',
        'TEAMS',
      ]);
      expect(doc.querySelector('#svc-EXO')?.hasAttribute('checked')).toBe(true);
      expect(doc.querySelectorAll('#note-next-owner option').map((o) => o.text)).toContain('Ava Smith');
      expect(doc.querySelector('input[name="idempotency_key"]')?.getAttribute('value')).toMatch(/^[0-9a-f-]{36}$/);
      expect(doc.querySelectorAll('template[data-template]')).toHaveLength(2);
    });

    it('offers a picker of the tenants the user can edit when no tenant is given: a combobox, and links without JavaScript', async () => {
      const doc = html((await as.agent.get('/notes/new?category=Environment')).text);
      const input = doc.querySelector('form.note-tenant-picker input#tenant-picker');
      expect(input?.getAttribute('role')).toBe('combobox');
      expect(input?.getAttribute('aria-controls')).toBe('tenant-options');
      expect(input?.getAttribute('hx-get')).toBe('/notes/tenants');
      expect(doc.querySelector('form.note-tenant-picker')?.getAttribute('method')).toBe('get');
      expect(doc.querySelectorAll('.tenant-matches a').map((a) => [a.text, a.getAttribute('href')])).toEqual([
        ['contoso.onmicrosoft.com', `/notes/new?tenant=${tenant.guid}&category=Environment`],
      ]);
    });

    it('lists the tenants matching a term typed without JavaScript, never another org’s', async () => {
      const none = html((await as.agent.get('/notes/new?term=foreign')).text);
      expect(none.querySelectorAll('.tenant-matches a')).toHaveLength(0);
      expect(none.querySelector('.tenant-matches .empty-hint')?.text).toContain('No tenant you can write notes on');
      expect(none.querySelector('#tenant-picker')?.getAttribute('value')).toBe('foreign');
      const some = html((await as.agent.get('/notes/new?term=CONTOSO')).text);
      expect(some.querySelectorAll('.tenant-matches a').map((a) => a.text)).toEqual(['contoso.onmicrosoft.com']);
    });

    it('is 403 on a tenant the user only reads and 404 on another org’s tenant', async () => {
      const g = await loginAs(t.app, guest.upn);
      expect((await g.agent.get(`/notes/new?tenant=${tenant.guid}`)).status).toBe(403);
      const res = await as.agent.get(`/notes/new?tenant=${foreign.guid}`);
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('foreign.onmicrosoft.com');
    });
  });

  describe('POST /notes', () => {
    it('saves the note with its services and search entry, shows it in the history, Latest Notes and search', async () => {
      const key = crypto.randomUUID();
      const res = await post(
        valid({
          category: 'Technical Enablement',
          services: ['EXO'],
          body: 'Hybrid zebracorn configured',
          escalated: 'on',
          next_action: 'Check the mail flow',
          next_action_date: day(3),
          next_action_owner: 'Ava Smith',
          idempotency_key: key,
        }),
      );
      expect(res.status).toBe(303);
      const note = await t.db('notes').where('idempotency_key', key).first();
      expect(res.headers.location).toBe(`/tenants/${tenant.guid}/notes?range=all#note-${note.id}`);
      expect(note).toMatchObject({
        category: 'Technical Enablement',
        source_context: 'notes_editor',
        author_user_id: ava.id,
      });
      expect(Boolean(note.is_escalated)).toBe(true);
      expect(await t.db('note_services').where('note_id', note.id).pluck('service_code')).toEqual(['EXO']);
      expect(
        html((await as.agent.get(`/tenants/${tenant.guid}/notes?range=all`)).text).querySelector(`#note-${note.id}`),
      ).not.toBeNull();
      expect((await as.agent.get('/notes')).text).toContain('Hybrid zebracorn configured');
      expect(
        html((await as.agent.get('/notes/search?q=zebracorn')).text).querySelectorAll('.search-hits .note'),
      ).toHaveLength(1);
    });

    it('is idempotent: the same key twice (also at once) makes one note and answers 303 to it (case 41)', async () => {
      const key = crypto.randomUUID();
      const before = await count();
      const [a, b] = await Promise.all([post(valid({ idempotency_key: key })), post(valid({ idempotency_key: key }))]);
      const c = await post(valid({ idempotency_key: key }));
      expect([a.status, b.status, c.status]).toEqual([303, 303, 303]);
      expect(await count()).toBe(before + 1);
      expect(new Set([a.headers.location, b.headers.location, c.headers.location]).size).toBe(1);
    });

    it.each([
      ['V-70', { category: 'Enterprise Status' }, 'category'],
      ['V-70', { category: '' }, 'category'],
      ['V-70', { body: '   ' }, 'body'],
      ['V-71', { category: 'Service Intent' }, 'services'],
      ['V-71', { category: 'Technical Enablement', services: ['SPO'] }, 'services'],
      ['V-72', { next_action: 'x'.repeat(501) }, 'next_action'],
      ['V-73', { next_action_date: day(-1) }, 'next_action_date'],
      ['V-73', { next_action_date: '2026-02-30' }, 'next_action_date'],
      ['V-73', { next_action_owner: 'Someone Else' }, 'next_action_owner'],
    ])('%s: answers 422 with the message under the field and keeps the values (%j)', async (_rule, change, field) => {
      const before = await count();
      const res = await post(valid({ ...change, body: (change as { body?: string }).body ?? 'Kept <b>text</b> here' }));
      expect(res.status).toBe(422);
      expect(fieldError(res.text, field)).toBeTruthy();
      expect(await count()).toBe(before);
      if (field !== 'body') expect(html(res.text).querySelector('#note-body')?.text).toBe('Kept <b>text</b> here');
    });

    it('V-70: a missing tenant is 422 per field', async () => {
      const res = await post({ category: 'Environment', body: 'x y z' });
      expect(res.status).toBe(422);
      expect(fieldError(res.text, 'tenant')).toBeTruthy();
    });

    it('accepts a next action of exactly 500 characters and today as its date', async () => {
      const res = await post(valid({ next_action: 'y'.repeat(500), next_action_date: day(0) }));
      expect(res.status).toBe(303);
    });

    it('is 403 for a read-only user and 404 on another org’s tenant; nothing is written', async () => {
      const before = await count();
      const g = await loginAs(t.app, guest.upn);
      expect((await post(valid(), g)).status).toBe(403);
      expect((await post(valid({ tenant_id: foreign.guid }))).status).toBe(404);
      expect(await count()).toBe(before);
    });

    it('keeps the rich-text editor’s formatting through the §4.8 allow-list, with a plain-text copy for search', async () => {
      const key = crypto.randomUUID();
      const body =
        '<p><strong>Bold</strong> <em>it</em> <u>u</u> <a href="javascript:alert(1)">bad</a> <a href="https://x.example/">ok</a></p>' +
        '<ul><li>one</li></ul><blockquote>quoted</blockquote><script>alert(1)</script><img src=x onerror=alert(2)>';
      expect((await post(valid({ body, body_format: 'html', idempotency_key: key }))).status).toBe(303);
      const note = await t.db('notes').where('idempotency_key', key).first();
      expect(note.body_html).toContain('<strong>Bold</strong>');
      expect(note.body_html).toContain('<ul><li>one</li></ul><blockquote>quoted</blockquote>');
      expect(note.body_html).toContain('<a href="https://x.example/" rel="noopener noreferrer">ok</a>');
      expect(note.body_html).not.toMatch(/javascript:|<script|<img|onerror/);
      expect(note.body_text).toContain('Bold it u bad ok');
    });

    it('is a plain form post carrying its CSRF token, and serves the editor library locally', async () => {
      const doc = html((await as.agent.get(`/notes/new?tenant=${tenant.guid}`)).text);
      expect(doc.querySelector('#note-editor input[name="_csrf"]')?.getAttribute('value')).toBe(as.csrf);
      expect(doc.querySelector('script[src="/vendor/quill.js"]')).not.toBeNull();
      const lib = await as.agent.get('/vendor/quill.js');
      expect(lib.status).toBe(200);
      expect(lib.headers['content-type']).toMatch(/javascript/);
    });

    it('stores the body as escaped text, never as markup (case 25)', async () => {
      const key = crypto.randomUUID();
      await post(valid({ body: '<script>alert(1)</script><img src=x onerror=alert(2)>', idempotency_key: key }));
      const note = await t.db('notes').where('idempotency_key', key).first();
      expect(note.body_html).not.toMatch(/<script|<img/);
      const page = (await as.agent.get(`/tenants/${tenant.guid}/notes?range=all`)).text;
      expect(page).not.toContain('<script>alert(1)');
      expect(page).not.toMatch(/<img/);
      expect(page).toContain('&lt;img src=x onerror=alert(2)&gt;');
    });
  });

  describe('V-76: saved notes are immutable', () => {
    it('has no edit or delete route', async () => {
      const id = (await t.db('notes').first('id')).id;
      for (const path of [`/notes/${id}/delete`, `/notes/${id}`, `/notes/${id}/edit`]) {
        expect([404, 405]).toContain((await as.agent.post(path).type('form').send({ _csrf: as.csrf })).status);
      }
      expect((await as.agent.delete(`/notes/${id}`).set('X-CSRF-Token', as.csrf)).status).toBe(405);
      expect(await t.db('notes').where('id', id).first()).toBeDefined();
    });

    it('is refused by the database (update and delete)', async () => {
      const key = crypto.randomUUID();
      await post(valid({ services: ['EXO'], idempotency_key: key }));
      const { id } = await t.db('notes').where('idempotency_key', key).first('id');
      const refused = async (run: () => Promise<unknown>) => {
        let error: unknown = null;
        try {
          await run();
        } catch (err) {
          error = err;
        }
        expect(String(error)).toMatch(/notes are immutable/);
      };
      await refused(async () => t.db('notes').where('id', id).update({ body_text: 'changed' }));
      await refused(async () => t.db('notes').where('id', id).delete());
      await refused(async () => t.db('note_services').where('note_id', id).delete());
      expect((await t.db('notes').where('id', id).first()).body_text).toBe('Kick-off held with the customer.');
    });
  });
});
