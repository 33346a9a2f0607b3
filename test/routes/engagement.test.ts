import { buildTestApp, hx, html, loginAs, TestApp } from '../helpers/app';
import {
  addService,
  assign,
  createOrg,
  createTenant,
  createUser,
  OrgRef,
  TenantRef,
  UserRef,
} from '../helpers/factories';

const day = (offset: number) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);

/** Edit Tenant dialog and Engagement Management Note Updates: DOMAIN.md §5.4 A1, V-01…V-03. */
describe('Edit Tenant: engagement', () => {
  let t: TestApp;
  let org: OrgRef;
  let ava: UserRef, guest: UserRef, outsider: UserRef;
  let tenant: TenantRef;

  beforeAll(async () => {
    t = await buildTestApp();
    org = await createOrg(t.db);
    const other = await createOrg(t.db);
    ava = await createUser(t.db, { org, name: 'Ava Smith' });
    guest = await createUser(t.db, { org });
    outsider = await createUser(t.db, { org: other });
    tenant = await createTenant(t.db, { name: 'contoso.onmicrosoft.com' });
    await assign(t.db, { tenant, userId: org.queueUserId, type: 'P-RM', primary: ['TENANT'] });
    await assign(t.db, { tenant, userId: ava.id, type: 'P-FM', scopes: ['EXO'] });
    await addService(t.db, tenant, 'EXO', { total: 305 });
    await addService(t.db, tenant, 'TEAMS', { total: 0 });
  });
  afterAll(() => t.close());

  const counts = async () => ({
    notes: Number((await t.db('notes').count({ n: '*' }))[0].n),
    history: Number((await t.db('overall_status_history').count({ n: '*' }))[0].n),
  });
  const version = async () => (await t.db('tenants').where('id', tenant.id).first()).version as number;
  const post = async (agent: Awaited<ReturnType<typeof loginAs>>, form: Record<string, string>, htmx = false) => {
    const req = agent.agent.post(`/tenants/${tenant.guid}/overall-status`).type('form');
    return (htmx ? hx(req) : req).send({ _csrf: agent.csrf, ...form });
  };

  describe('GET /tenants/:tenantId/edit', () => {
    it('opens as a <dialog> for htmx with a tab per eligible service (V-20) and required markers', async () => {
      const a = await loginAs(t.app, ava.upn);
      const res = await hx(a.agent.get(`/tenants/${tenant.guid}/edit`));
      expect(res.status).toBe(200);
      const doc = html(res.text);
      expect(doc.querySelector('dialog#edit-tenant[data-open]')).not.toBeNull();
      expect(doc.querySelectorAll('[data-tab][data-service]').map((e) => e.getAttribute('data-service'))).toEqual([
        'EXO',
      ]);
      expect(doc.querySelectorAll('label.required').map((l) => l.text.trim())).toEqual([
        'Overall Status',
        'Status Date',
        'Note',
      ]);
      expect(
        (doc.querySelector('#status_date') as unknown as { getAttribute(n: string): string }).getAttribute('value'),
      ).toBe(day(0));
      expect(res.text).not.toContain('<html');
    });

    it('renders a full page without JavaScript, and read-only for an org member who is not assigned', async () => {
      const g = await loginAs(t.app, guest.upn);
      const res = await g.agent.get(`/tenants/${tenant.guid}/edit`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('<html');
      expect(res.text).toContain('Guest (read-only)');
      expect(html(res.text).querySelector('#overall-status-form button[type=submit]')).toBeNull();
      expect(html(res.text).querySelector('#overall_status')?.hasAttribute('disabled')).toBe(true);
      // A read-only viewer sees the stored status date, not the editor's default of today (issue 8 point 11).
      const stored = (await t.db('tenants').where('id', tenant.id).first()).overall_status_date;
      expect(html(res.text).querySelector('#status_date')?.getAttribute('value')).toBe(stored ?? '');
    });
  });

  describe('POST /tenants/:tenantId/overall-status', () => {
    it('saves a note, the tenant status and a history row in one go (plain: 303)', async () => {
      const a = await loginAs(t.app, ava.upn);
      const before = await counts();
      const v = await version();
      const res = await post(a, {
        overall_status: 'Blocked',
        status_date: day(-1),
        note: 'Waiting for the works council. #covid',
        version: String(v),
      });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/tenants/${tenant.guid}/edit`);
      const row = await t.db('tenants').where('id', tenant.id).first();
      expect([row.overall_status, row.overall_status_date, row.version]).toEqual(['Blocked', day(-1), v + 1]);
      expect(row.last_os_note_at).toBeTruthy();
      const note = await t.db('notes').orderBy('id', 'desc').first();
      expect(note).toMatchObject({
        category: 'Engagement Management',
        overall_status: 'Blocked',
        overall_status_date: day(-1),
        author_user_id: ava.id,
        source_context: 'edit_tenant_dialog',
      });
      expect(note.body_html).toBe('<p>Waiting for the works council. #covid</p>');
      const history = await t.db('overall_status_history').orderBy('id', 'desc').first();
      expect(history).toMatchObject({ overall_status: 'Blocked', status_date: day(-1), note_id: note.id, by: ava.id });
      expect(await counts()).toEqual({ notes: before.notes + 1, history: before.history + 1 });
    });

    it('keeps a typed note as text: its words in angle brackets, its paragraphs and line breaks (issue 8 point 8)', async () => {
      const a = await loginAs(t.app, ava.upn);
      const res = await post(a, {
        overall_status: 'Active',
        status_date: day(0),
        note: 'Mail for <domain> goes via EOP.\r\nNext: cut-over.\r\n\r\nRisks: none.',
        note_format: 'text',
        version: String(await version()),
      });
      expect(res.status).toBe(303);
      const note = await t.db('notes').orderBy('id', 'desc').first();
      expect(note.body_html).toBe(
        '<p>Mail for &lt;domain&gt; goes via EOP.<br />Next: cut-over.</p><p>Risks: none.</p>',
      );
      expect(note.body_text).toBe('Mail for <domain> goes via EOP.\nNext: cut-over.\n\nRisks: none.');
      const form = await hx(a.agent.get(`/tenants/${tenant.guid}/overall-status`));
      expect(html(form.text).querySelector('input[name="note_format"]')?.getAttribute('value')).toBe('text');
    });

    it('is the Notes Editor’s rich-text field: the same editor hook, format text until the editor runs (issue 11)', async () => {
      const a = await loginAs(t.app, ava.upn);
      const doc = html((await hx(a.agent.get(`/tenants/${tenant.guid}/edit`))).text);
      const area = doc.querySelector('#overall-status-form textarea#note');
      expect(area?.hasAttribute('data-rich-text')).toBe(true);
      expect(
        doc.querySelector('#overall-status-form input[name="note_format"]')?.hasAttribute('data-body-format'),
      ).toBe(true);
      expect(doc.querySelector('#note-hint')?.text).toMatch(/Bold, italic, underline, lists, links and quotes/);
    });

    it('sanitises the editor’s HTML with the notes allow-list: no script or handler stored, plain text for search and V-03', async () => {
      const a = await loginAs(t.app, ava.upn);
      const res = await post(a, {
        overall_status: 'Active',
        status_date: day(0),
        note:
          '<p onclick="alert(1)"><strong>Pilot</strong> done <a href="javascript:alert(2)">x</a></p>' +
          '<ul><li>next: cut-over</li></ul><script>alert(3)</script><img src=x onerror=alert(4)>',
        note_format: 'html',
        version: String(await version()),
      });
      expect(res.status).toBe(303);
      const note = await t.db('notes').orderBy('id', 'desc').first();
      expect(note.body_html).toBe(
        '<p><strong>Pilot</strong> done <a rel="noopener noreferrer">x</a></p><ul><li>next: cut-over</li></ul>',
      );
      expect(note.body_html).not.toMatch(/script|onclick|onerror|javascript:|<img/);
      expect(note.body_text).toBe('Pilot done x\n\nnext: cut-over');
    });

    it('V-03 counts the text, not the HTML: markup without words is 422 and shown again as text', async () => {
      const a = await loginAs(t.app, ava.upn);
      const before = await counts();
      const res = await post(
        a,
        {
          overall_status: 'Active',
          status_date: day(0),
          note: '<p><strong> </strong><br></p><script>alert(1)</script>',
          note_format: 'html',
          version: String(await version()),
        },
        true,
      );
      expect(res.status).toBe(422);
      expect(html(res.text).querySelector('[data-field="note"]')?.text).toContain('Write a short note');
      expect(await counts()).toEqual(before);
    });

    it('keeps the formatted note on a 422: readable text in the textarea, the sanitised HTML for the editor', async () => {
      const a = await loginAs(t.app, ava.upn);
      const res = await post(
        a,
        {
          overall_status: '',
          status_date: day(0),
          note: '<p><strong>Pilot</strong> done, see <a href="https://x.example/plan">the plan</a></p><script>x</script>',
          note_format: 'html',
          version: String(await version()),
        },
        true,
      );
      expect(res.status).toBe(422);
      const area = html(res.text).querySelector('textarea#note');
      expect(area?.text).toBe('Pilot done, see the plan (https://x.example/plan)');
      expect(area?.getAttribute('data-rich-html')).toBe(
        '<p><strong>Pilot</strong> done, see <a href="https://x.example/plan" rel="noopener noreferrer">the plan</a></p>',
      );
      expect(html(res.text).querySelector('input[name="note_format"]')?.getAttribute('value')).toBe('text');
    });

    it('answers htmx with the fresh form and announces tenant:changed', async () => {
      const a = await loginAs(t.app, ava.upn);
      const res = await post(
        a,
        { overall_status: 'Active', status_date: day(0), note: 'Back on track.', version: String(await version()) },
        true,
      );
      expect(res.status).toBe(200);
      expect(JSON.parse(res.headers['hx-trigger'])).toEqual({ 'tenant:changed': { tenantId: tenant.guid } });
      expect(html(res.text).querySelector('#overall-status-form [role=status]')?.text).toContain('saved');
      expect(html(res.text).querySelector('input[name=version]')?.getAttribute('value')).toBe(String(await version()));
    });

    it('V-01: returns 422 with a message next to the status when it is missing or unknown, and saves nothing', async () => {
      const a = await loginAs(t.app, ava.upn);
      const before = await counts();
      for (const overall_status of ['', 'Sleeping']) {
        const res = await post(
          a,
          { overall_status, status_date: day(0), note: 'Kick-off held.', version: String(await version()) },
          true,
        );
        expect(res.status).toBe(422);
        expect(html(res.text).querySelector('[data-field="overall_status"]')?.text).toMatch(/Choose/);
        expect(html(res.text).querySelector('#note')?.text).toBe('Kick-off held.');
      }
      expect(await counts()).toEqual(before);
    });

    it.each([
      ['', /Enter the status date/],
      ['2025-02-30', /real date as YYYY-MM-DD/],
      ['0050-01-01', /real date as YYYY-MM-DD/],
      ['abc', /YYYY-MM-DD/],
      ['99999-01-01', /YYYY-MM-DD/],
      [day(1), /cannot be in the future/],
    ])('V-02: returns 422 for status date %p', async (status_date, message) => {
      const a = await loginAs(t.app, ava.upn);
      const before = await counts();
      const res = await post(a, {
        overall_status: 'Paused',
        status_date,
        note: 'Paused until January.',
        version: String(await version()),
      });
      expect(res.status).toBe(422);
      expect(html(res.text).querySelector('[data-field="status_date"]')?.text).toMatch(message);
      expect(html(res.text).querySelector('#status_date')?.getAttribute('value')).toBe(status_date);
      expect(html(res.text).querySelector('#overall_status option[selected]')?.text).toBe('Paused');
      expect(await counts()).toEqual(before);
    });

    it('V-03: returns 422 when the note has no text once HTML is stripped', async () => {
      const a = await loginAs(t.app, ava.upn);
      const before = await counts();
      for (const note of ['', '   ', '<p><br></p>', '<script>alert(1)</script>']) {
        const res = await post(a, {
          overall_status: 'Active',
          status_date: day(0),
          note,
          version: String(await version()),
        });
        expect(res.status).toBe(422);
        expect(html(res.text).querySelector('[data-field="note"]')).not.toBeNull();
      }
      expect(await counts()).toEqual(before);
    });

    it('sanitises the note with the allow-list and keeps a plain-text copy', async () => {
      const a = await loginAs(t.app, ava.upn);
      const note =
        '<p onclick="x()">Plan <b>agreed</b> <a href="javascript:alert(1)">bad</a> <a href="https://contoso.example/plan">plan</a></p><img src=x onerror=alert(1)><script>alert(2)</script>';
      const res = await post(a, {
        overall_status: 'Active',
        status_date: day(0),
        note,
        version: String(await version()),
      });
      expect(res.status).toBe(303);
      const saved = await t.db('notes').orderBy('id', 'desc').first();
      expect(saved.body_html).toBe(
        '<p>Plan <b>agreed</b> <a rel="noopener noreferrer">bad</a> <a href="https://contoso.example/plan" rel="noopener noreferrer">plan</a></p>',
      );
      expect(saved.body_text).toBe('Plan agreed bad plan');
    });

    it('returns 409 for a stale version, shows what is saved now, and saves nothing', async () => {
      const a = await loginAs(t.app, ava.upn);
      const stale = String((await version()) - 1);
      const before = await counts();
      const res = await post(
        a,
        { overall_status: 'Paused', status_date: day(0), note: 'My <late> update', version: stale },
        true,
      );
      expect(res.status).toBe(409);
      const conflict = html(res.text).querySelector('.conflict');
      expect(conflict?.text).toContain('Someone else saved this record');
      expect(conflict?.text).toContain('by Ava Smith');
      expect(conflict?.querySelector('a')?.getAttribute('hx-get')).toBe(`/tenants/${tenant.guid}/overall-status`);
      expect(html(res.text).querySelector('#note')?.text).toBe('My <late> update');
      expect(res.text).toContain('My &lt;late&gt; update');
      expect(await counts()).toEqual(before);
    });

    it('refuses an org member who is not assigned with 403 and another org with 404; nothing changes', async () => {
      const before = await counts();
      const row = await t.db('tenants').where('id', tenant.id).first();
      const g = await loginAs(t.app, guest.upn);
      expect(
        (
          await post(g, {
            overall_status: 'Paused',
            status_date: day(0),
            note: 'Guest note',
            version: String(row.version),
          })
        ).status,
      ).toBe(403);
      const o = await loginAs(t.app, outsider.upn);
      const res = await post(o, {
        overall_status: 'Paused',
        status_date: day(0),
        note: 'Outsider note',
        version: String(row.version),
      });
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('contoso');
      expect(await counts()).toEqual(before);
      expect(await t.db('tenants').where('id', tenant.id).first()).toEqual(row);
    });
  });
});
