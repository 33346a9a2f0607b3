import { buildTestApp, hx, html, loginAs, SignedIn, TestApp } from '../helpers/app';
import { assign, createOrg, createTenant, createUser, TenantRef } from '../helpers/factories';

const today = new Date().toISOString().slice(0, 10);
const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

/** The Status tab's Enterprise Status sub-tab (DOMAIN.md §2.15, §5.7.3, V-80). */
describe('/tenants/:tenantId/enterprise-status', () => {
  let t: TestApp;
  let big: TenantRef, small: TenantRef;
  let ava: SignedIn, bob: SignedIn, omar: SignedIn, bea: SignedIn;

  beforeAll(async () => {
    t = await buildTestApp();
    const orgA = await createOrg(t.db);
    const orgB = await createOrg(t.db);
    const avaUser = await createUser(t.db, { org: orgA, name: 'Ava Smith' });
    const bobUser = await createUser(t.db, { org: orgA });
    const beaUser = await createUser(t.db, { org: orgB });
    const omarUser = await createUser(t.db, { kind: 'internal', managedOrgs: [orgA] });
    big = await createTenant(t.db, { name: 'big.onmicrosoft.com' });
    small = await createTenant(t.db, { name: 'small.onmicrosoft.com' });
    await t.db('tenants').where('id', big.id).update({ is_enterprise: true });
    for (const tenant of [big, small]) {
      await assign(t.db, { tenant, userId: orgA.queueUserId, type: 'P-RM', primary: ['TENANT'] });
      await assign(t.db, { tenant, userId: avaUser.id, type: 'P-FM' });
    }
    ava = await loginAs(t.app, avaUser.upn);
    bob = await loginAs(t.app, bobUser.upn);
    bea = await loginAs(t.app, beaUser.upn);
    omar = await loginAs(t.app, omarUser.upn);
  });
  afterAll(() => t.close());

  const url = (tenant = big) => `/tenants/${tenant.guid}/enterprise-status`;
  const post = (who: SignedIn, tenant: TenantRef, form: Record<string, string>) =>
    who.agent
      .post(url(tenant))
      .type('form')
      .send({ ...form, _csrf: who.csrf });
  const entries = (tenant = big) => t.db('enterprise_status_entries').where('tenant_id', tenant.id).orderBy('id');
  const notes = (tenant = big) => t.db('notes').where({ tenant_id: tenant.id, category: 'Enterprise Status' });

  it('GET shows the form with today’s date, the status lookup and an empty log', async () => {
    const doc = html((await ava.agent.get(url())).text);
    expect(doc.querySelector('#es-date')?.getAttribute('value')).toBe(today);
    expect(doc.querySelectorAll('#es-status option').map((o) => o.text)).toEqual([
      'Choose…',
      'Active',
      'Blocked',
      'Paused',
    ]);
    expect(doc.querySelector('#enterprise-form fieldset')?.getAttribute('disabled')).toBeUndefined();
    expect(doc.querySelector('#enterprise-status .empty-hint')?.text).toContain('No enterprise status entries');
    expect(doc.querySelector('input[name="version"]')?.getAttribute('value')).toBe('0');
  });

  it('V-80 appends an entry and its Enterprise Status note in one save; the log shows it newest first', async () => {
    let res = await post(ava, big, {
      status: 'Active',
      status_date: '2026-11-02',
      note: 'Kick-off held.',
      version: '0',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(url());
    res = await hx(
      post(ava, big, { status: 'Blocked', status_date: '', note: 'Merger freeze.\n\nBack in Q1.', version: '1' }),
    );
    expect(res.status).toBe(200);
    expect(JSON.parse(res.headers['hx-trigger'])).toEqual({ 'tenant:changed': { tenantId: big.guid } });
    const rows = await entries();
    expect(rows.map((e) => [e.status, e.status_date, e.note])).toEqual([
      ['Active', '2026-11-02', 'Kick-off held.'],
      ['Blocked', today, 'Merger freeze.\n\nBack in Q1.'],
    ]);
    const linked = await t.db('notes').whereIn(
      'id',
      rows.map((e) => e.note_id),
    );
    expect(linked.map((n) => [n.category, n.source_context, n.author_user_id])).toEqual([
      ['Enterprise Status', 'enterprise_status', rows[0].by],
      ['Enterprise Status', 'enterprise_status', rows[0].by],
    ]);
    const doc = html(res.text);
    expect(doc.querySelector('[data-outcome]')?.text).toContain('Enterprise status entry added');
    const log = doc
      .querySelectorAll('#enterprise-log tbody tr')
      .map((r) => r.querySelectorAll('td').map((c) => c.text.trim()));
    expect(log.map((r) => [r[0], r[1], r[3]])).toEqual([
      ['Blocked', today, 'Ava Smith'],
      ['Active', '2026-11-02', 'Ava Smith'],
    ]);
    expect(doc.querySelector('input[name="version"]')?.getAttribute('value')).toBe('2');
    // The note is in the tenant's notes history, under the Enterprise Status category.
    const history = html(
      (await ava.agent.get(`/tenants/${big.guid}/notes?range=all&category=Enterprise%20Status`)).text,
    );
    expect(history.querySelectorAll('.note .note-body').map((b) => b.querySelectorAll('p').length)).toEqual([2, 1]);
  });

  it('V-80 refuses a missing status, an unknown one, a future date or no note: 422 per field, values kept, nothing saved', async () => {
    const before = (await entries()).length;
    const cases: [Record<string, string>, string][] = [
      [{ status: '', status_date: today, note: 'x' }, 'status'],
      [{ status: 'Gone', status_date: today, note: 'x' }, 'status'],
      [{ status: 'Active', status_date: tomorrow, note: 'x' }, 'status_date'],
      [{ status: 'Active', status_date: '2026-02-30', note: 'x' }, 'status_date'],
      [{ status: 'Active', status_date: today, note: '   ' }, 'note'],
    ];
    for (const [form, field] of cases) {
      const res = await hx(post(ava, big, form));
      expect([field, res.status]).toEqual([field, 422]);
      const doc = html(res.text);
      expect(doc.querySelector(`[data-field="${field}"]`)).not.toBeNull();
      if (form.status_date) expect(doc.querySelector('#es-date')?.getAttribute('value')).toBe(form.status_date);
    }
    const kept = html((await hx(post(ava, big, { status: 'Paused', status_date: tomorrow, note: 'Keep me' }))).text);
    expect(kept.querySelector('#es-status option[selected]')?.text).toBe('Paused');
    expect(kept.querySelector('#es-note')?.text).toBe('Keep me');
    expect(await entries()).toHaveLength(before);
  });

  it('V-80 answers 409 "Not an enterprise customer" for a tenant that is not one, and shows the form greyed out', async () => {
    const res = await post(ava, small, { status: 'Active', status_date: today, note: 'Review held.' });
    expect(res.status).toBe(409);
    expect(html(res.text).querySelector('.conflict')?.text).toContain('Not an enterprise customer');
    expect(await entries(small)).toHaveLength(0);
    expect(await notes(small)).toHaveLength(0);
    const doc = html((await ava.agent.get(url(small))).text);
    expect(doc.querySelector('[data-rule="V-80"]')?.text).toContain('Not an enterprise customer');
    expect(doc.querySelector('#enterprise-form fieldset')?.getAttribute('disabled')).not.toBeUndefined();
    expect(doc.querySelector('#enterprise-form button')).toBeNull();
  });

  it('answers 409 when the log grew after the form was opened, showing the newer entry; the entry is kept to save again', async () => {
    const count = (await entries()).length;
    const res = await hx(post(ava, big, { status: 'Paused', status_date: today, note: 'Stale form', version: '0' }));
    expect(res.status).toBe(409);
    const doc = html(res.text);
    expect(doc.querySelector('.conflict')?.text).toContain('Newest entry: Blocked');
    expect(doc.querySelector('#es-note')?.text).toBe('Stale form');
    expect(doc.querySelector('input[name="version"]')?.getAttribute('value')).toBe(String(count));
    expect(await entries()).toHaveLength(count);
  });

  it('is 403 for guests and internal users, 404 for another org; entries can never be changed', async () => {
    const form = { status: 'Active', status_date: today, note: 'Not allowed' };
    const count = (await entries()).length;
    expect((await post(bob, big, form)).status).toBe(403);
    expect((await post(omar, big, form)).status).toBe(403);
    expect((await post(bea, big, form)).status).toBe(404);
    expect((await bea.agent.get(url())).status).toBe(404);
    expect(await entries()).toHaveLength(count);
    const guest = html((await bob.agent.get(url())).text);
    expect(guest.querySelector('#enterprise-form fieldset')?.getAttribute('disabled')).not.toBeUndefined();
    expect(guest.querySelectorAll('#enterprise-log tbody tr')).toHaveLength(count);
    let error = '';
    try {
      await t.db('enterprise_status_entries').where('tenant_id', big.id).update({ note: 'rewritten' });
    } catch (e) {
      error = String((e as Error).message);
    }
    expect(error).toMatch(/append-only/);
  });
});
