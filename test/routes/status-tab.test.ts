import { buildTestApp, hx, html, loginAs, SignedIn, TestApp } from '../helpers/app';
import { addService, assign, createOrg, createTenant, createUser, TenantRef } from '../helpers/factories';

const MIN = 60_000;
const DAY = 86_400_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const today = new Date().toISOString().slice(0, 10);

/**
 * The Status tab's Overall Status sub-tab (DOMAIN.md §5.7.1): the Edit Tenant dialog's overall status form
 * and the consolidated notes history — the component of GET /tenants/:tenantId/notes, not a second one.
 */
describe('Status tab › Overall Status', () => {
  let t: TestApp;
  let tenant: TenantRef;
  let ava: SignedIn, bob: SignedIn;

  beforeAll(async () => {
    t = await buildTestApp();
    const org = await createOrg(t.db);
    const avaUser = await createUser(t.db, { org, name: 'Ava Smith' });
    const bobUser = await createUser(t.db, { org });
    tenant = await createTenant(t.db, { name: 'tailspin.onmicrosoft.com' });
    await assign(t.db, { tenant, userId: org.queueUserId, type: 'P-RM', primary: ['TENANT'] });
    await assign(t.db, { tenant, userId: avaUser.id, type: 'P-FM' });
    await addService(t.db, tenant, 'EXO');
    await addService(t.db, tenant, 'TEAMS');
    const note = async (age: number, category: string, body: string, services: string[] = [], extra = {}) => {
      const [{ id }] = await t
        .db('notes')
        .insert({
          tenant_id: tenant.id,
          category,
          body_html: `<p>${body}</p>`,
          body_text: body,
          source_context: 'notes_editor',
          author_user_id: avaUser.id,
          created_at: ago(age),
          search_tenant: tenant.name,
          ...extra,
        })
        .returning('id');
      for (const s of services) await t.db('note_services').insert({ note_id: id, service_code: s });
    };
    await note(2 * DAY, 'Engagement Management', 'Two days', [], {
      is_escalated: true,
      next_action: 'Call the CIO',
      next_action_date: '2027-01-10',
      next_action_owner: 'Ava Smith',
    });
    await note(8 * DAY, 'Enterprise Status', 'Eight days');
    await note(30 * DAY - 5 * MIN, 'Technical Enablement', 'Just inside 30', ['EXO']);
    await note(30 * DAY + 5 * MIN, 'Service Intent', 'Just past 30', ['TEAMS']);
    await note(60 * DAY - 5 * MIN, 'Environment', 'Just inside 60');
    await note(60 * DAY + 5 * MIN, 'Environment', 'Just past 60');
    await note(90 * DAY - 5 * MIN, 'Technical Enablement', 'Just inside 90', ['EXO', 'TEAMS']);
    await note(90 * DAY + 5 * MIN, 'Engagement Management', 'Older than 90');
    ava = await loginAs(t.app, avaUser.upn);
    bob = await loginAs(t.app, bobUser.upn);
  });
  afterAll(() => t.close());

  const bodies = (text: string) =>
    html(text)
      .querySelectorAll('#notes-history .note .note-body')
      .map((b) => b.text.trim());
  const history = (query = '') => ava.agent.get(`/tenants/${tenant.guid}/notes${query}`);

  it('shows the last 30 days by default, newest first, on the tab and on /notes alike', async () => {
    const expected = ['Two days', 'Eight days', 'Just inside 30'];
    expect(bodies((await ava.agent.get(`/tenants/${tenant.guid}`)).text)).toEqual(expected);
    expect(bodies((await ava.agent.get(`/tenants/${tenant.guid}/status`)).text)).toEqual(expected);
    const page = await history();
    expect(bodies(page.text)).toEqual(expected);
    expect(html(page.text).querySelector('#range option[selected]')?.text).toBe('0-30 Days');
    // The same component: the tab's history is /notes, whose htmx answer is the component alone.
    const frag = await hx(history());
    expect(frag.text).not.toContain('<html');
    expect(html(frag.text).querySelector('#notes-history')?.getAttribute('hx-get')).toBe(
      `/tenants/${tenant.guid}/notes`,
    );
  });

  it('puts each range boundary where it belongs: 0-30, 30-60, 60-90 and All', async () => {
    expect(bodies((await history('?range=60')).text)).toEqual(['Just past 30', 'Just inside 60']);
    expect(bodies((await history('?range=90')).text)).toEqual(['Just past 60', 'Just inside 90']);
    expect(bodies((await history('?range=all')).text)).toHaveLength(8);
    expect(bodies((await history('?range=all')).text).at(-1)).toBe('Older than 90');
  });

  it('filters by several categories, Enterprise Status included, and by service', async () => {
    const cats = '?range=all&category=Enterprise%20Status&category=Technical%20Enablement';
    expect(bodies((await history(cats)).text)).toEqual(['Eight days', 'Just inside 30', 'Just inside 90']);
    expect(bodies((await history('?range=all&service=TEAMS')).text)).toEqual(['Just past 30', 'Just inside 90']);
    const both = await history('?range=90&category=Technical%20Enablement&service=EXO');
    expect(bodies(both.text)).toEqual(['Just inside 90']);
    const doc = html(both.text);
    expect(doc.querySelector('#cat-technical-enablement')?.getAttribute('checked')).not.toBeUndefined();
    expect(doc.querySelector('#svc-EXO')?.getAttribute('checked')).not.toBeUndefined();
    expect(doc.querySelector('#notes-history')?.getAttribute('hx-get')).toBe(
      `/tenants/${tenant.guid}/notes?range=90&category=Technical+Enablement&service=EXO`,
    );
    expect(doc.querySelectorAll('.filters legend').map((l) => l.text)).toEqual(['Note Category', 'Service']);
    expect(doc.querySelectorAll('.filters input[name="category"]').map((i) => i.getAttribute('value'))).toEqual([
      'Engagement Management',
      'Technical Enablement',
      'Service Intent',
      'Environment',
      'Enterprise Status',
    ]);
    expect((await history('?category=Gossip')).status).toBe(400);
  });

  it('marks recent (under 7 days) and escalated notes and shows category, services, author, time and next action', async () => {
    const notes = html((await history('?range=all')).text).querySelectorAll('.note');
    const [first, second] = notes;
    expect(first.text).toContain('Recent');
    expect(first.text).toContain('Escalated');
    expect(first.querySelector('.note-next')?.text).toContain('Call the CIO (by 2027-01-10) · owner Ava Smith');
    expect(first.text).toContain('Ava Smith');
    expect(second.text).not.toContain('Recent');
    expect(second.querySelector('.chip')?.text).toBe('Enterprise Status');
    const withServices = notes.find((n) => n.text.includes('Just inside 90'))!;
    expect(withServices.querySelectorAll('.note-head .chip-enterprise').map((c) => c.text)).toEqual([
      'Exchange',
      'Teams',
    ]);
  });

  it('holds the Edit Tenant dialog’s overall status form; saving it here returns to the tab and the note shows up', async () => {
    const doc = html((await ava.agent.get(`/tenants/${tenant.guid}`)).text);
    const form = doc.querySelector('#overall-status-form')!;
    expect(form.getAttribute('action')).toBe(`/tenants/${tenant.guid}/overall-status`);
    expect(form.querySelector('input[name="context"]')?.getAttribute('value')).toBe('status_tab');
    expect(doc.querySelector('a[data-create-notes]')?.getAttribute('href')).toBe(
      `/notes/new?tenant=${tenant.guid}&category=Engagement+Management`,
    );
    const version = form.querySelector('input[name="version"]')!.getAttribute('value')!;
    const res = await ava.agent.post(`/tenants/${tenant.guid}/overall-status`).type('form').send({
      overall_status: 'Paused',
      status_date: today,
      note: 'Budget freeze.',
      note_format: 'text',
      context: 'status_tab',
      version,
      _csrf: ava.csrf,
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/tenants/${tenant.guid}/status`);
    const after = await ava.agent.get(res.headers.location);
    expect(bodies(after.text)[0]).toBe('Budget freeze.');
    expect(html(after.text).querySelector('.tenant-header [data-overall-status]')?.text).toContain('Paused');
    const saved = await t.db('notes').where({ tenant_id: tenant.id, body_text: 'Budget freeze.' }).first();
    expect(saved).toMatchObject({
      category: 'Engagement Management',
      source_context: 'status_tab',
      overall_status: 'Paused',
    });
  });

  it('V-01/V-03 on the tab: 422 with the tab’s form kept (htmx), 403 for a guest', async () => {
    const version = String((await t.db('tenants').where('id', tenant.id).first()).version);
    const res = await hx(
      ava.agent.post(`/tenants/${tenant.guid}/overall-status`).type('form').send({
        overall_status: 'Active',
        status_date: today,
        note: '',
        context: 'status_tab',
        version,
        _csrf: ava.csrf,
      }),
    );
    expect(res.status).toBe(422);
    const doc = html(res.text);
    expect(doc.querySelector('[data-field="note"]')).not.toBeNull();
    expect(doc.querySelector('input[name="context"]')?.getAttribute('value')).toBe('status_tab');
    expect(doc.querySelector('[data-close-dialog]')).toBeNull();
    const guest = await bob.agent
      .post(`/tenants/${tenant.guid}/overall-status`)
      .type('form')
      .send({ overall_status: 'Active', status_date: today, note: 'x', version, _csrf: bob.csrf });
    expect(guest.status).toBe(403);
  });
});
