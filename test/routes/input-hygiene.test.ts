import { buildTestApp, hx, html, loginAs, SignedIn, TestApp } from '../helpers/app';
import { addService, assign, createOrg, createTenant, createUser, TenantRef } from '../helpers/factories';
import { bidiInName, showBidi, withoutControls } from '../../src/domain/values';

const day = (offset: number) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
const RLO = '\u202E';

/**
 * Text input and security events (issue 7, SECURITY.md catalogue cases 50–51): control characters are
 * stripped at the door, text-direction controls are refused in names and shown escaped in notes, and
 * every security event says who the user was.
 */
describe('text input hygiene and security events', () => {
  let t: TestApp;
  let tenant: TenantRef;
  let other: TenantRef;
  let ava: SignedIn;
  let avaId: number;
  let orgId: number;

  beforeAll(async () => {
    t = await buildTestApp();
    const org = await createOrg(t.db);
    orgId = org.id;
    const user = await createUser(t.db, { org, name: 'Ava Smith' });
    avaId = user.id;
    tenant = await createTenant(t.db, { name: 'hygiene.onmicrosoft.com' });
    other = await createTenant(t.db, { name: 'elsewhere.onmicrosoft.com' });
    await assign(t.db, { tenant, userId: org.queueUserId, type: 'P-RM', primary: ['TENANT'] });
    await assign(t.db, { tenant, userId: user.id, type: 'P-FM' });
    await addService(t.db, tenant, 'EXO', { total: 10 });
    ava = await loginAs(t.app, user.upn);
  });
  afterAll(() => t.close());

  const version = async () => String((await t.db('tenants').where('id', tenant.id).first()).version);
  const saveStatus = async (note: string) =>
    ava.agent
      .post(`/tenants/${tenant.guid}/overall-status`)
      .type('form')
      .send({ _csrf: ava.csrf, overall_status: 'Active', status_date: day(0), note, version: await version() });
  const events = (name: string) => t.logs.filter((l) => l.event === name);

  describe('the rule functions (src/domain/values.ts)', () => {
    it('strips NUL, C0 and C1 controls but keeps tab and line breaks', () => {
      expect(withoutControls('a\u0000b\u0007c\u001Fd\u007Fe\u0085f\u009Fg')).toBe('abcdefg');
      expect(withoutControls('line 1\nline 2\tend\r\n')).toBe('line 1\nline 2\tend\r\n');
    });
    it('finds text-direction controls in names and writes them out in notes', () => {
      expect(bidiInName(`Ev${RLO}il`)).toBeDefined();
      expect(bidiInName('Jörg Müller')).toBeUndefined();
      expect(showBidi(`txt${RLO}exe.\u2066x`)).toBe('txt[U+202E]exe.[U+2066]x');
    });
  });

  it('reads a search holding control characters without them, from memory and through SQL alike (case 51)', async () => {
    for (const refresh of [false, true]) {
      const req = ava.agent.get('/tenants').query({ tab: 'partner', q: 'hyg\u0000iene\u0007' });
      const res = await (refresh ? req.set('Cache-Control', 'no-cache') : req);
      expect(res.status).toBe(200);
      const names = html(res.text)
        .querySelectorAll('#tenant-table a.tenant-name')
        .map((a) => a.getAttribute('title'));
      expect(names).toEqual(['hygiene.onmicrosoft.com']);
      expect(html(res.text).querySelector('input[name=q]')?.getAttribute('value')).toBe('hygiene');
    }
  });

  it('stores a note without the control characters that were posted (case 51)', async () => {
    const res = await saveStatus('Kick-off\u0000 held\u0085 with the customer.\u001B Next: pilot.');
    expect(res.status).toBe(303);
    const note = await t.db('notes').orderBy('id', 'desc').first();
    expect(note.body_text).toBe('Kick-off held with the customer. Next: pilot.');
  });

  it('refuses a contact name with a text-direction override: 422 next to the field, nothing stored (case 51)', async () => {
    const before = await t.db('contacts').where('tenant_id', tenant.id).count({ n: '*' });
    const res = await hx(ava.agent.post(`/tenants/${tenant.guid}/contacts`).type('form')).send({
      _csrf: ava.csrf,
      contact_type: 'Customer',
      name: `Li ${RLO}ieW`,
    });
    expect(res.status).toBe(422);
    expect(html(res.text).querySelector('[data-field="name"]')?.text).toContain('text-direction');
    expect(html(res.text).querySelector('input[name="name"]')?.getAttribute('value')).toBe(`Li ${RLO}ieW`);
    expect(await t.db('contacts').where('tenant_id', tenant.id).count({ n: '*' })).toEqual(before);
  });

  it('keeps a text-direction override in a note as written and shows it escaped in the history (case 51)', async () => {
    const res = await saveStatus(`Invoice file ${RLO}fdp.exe received`);
    expect(res.status).toBe(303);
    const stored = await t.db('notes').orderBy('id', 'desc').first();
    expect(stored.body_text).toBe(`Invoice file ${RLO}fdp.exe received`);
    const history = await hx(ava.agent.get(`/tenants/${tenant.guid}/notes?range=all`));
    expect(history.status).toBe(200);
    const body = html(history.text).querySelector(`li[data-note="${stored.id}"] .note-body`)?.text;
    expect(body).toContain('Invoice file [U+202E]fdp.exe received');
    expect(history.text).not.toContain(RLO);
  });

  describe('security events carry the user and org (case 50)', () => {
    it('csrf.failed', async () => {
      const res = await ava.agent
        .post(`/tenants/${tenant.guid}/overall-status`)
        .type('form')
        .send({ overall_status: 'Active' });
      expect(res.status).toBe(403);
      expect(events('csrf.failed').at(-1)).toMatchObject({ userId: avaId, orgId });
    });

    it('authz.denied', async () => {
      expect((await ava.agent.get(`/tenants/${other.guid}`)).status).toBe(404);
      expect(events('authz.denied').at(-1)).toMatchObject({ userId: avaId, orgId });
    });

    it('request.rejected (415 for a text/plain body)', async () => {
      const res = await ava.agent
        .post(`/tenants/${tenant.guid}/overall-status`)
        .set('X-CSRF-Token', ava.csrf)
        .set('Content-Type', 'text/plain')
        .send('overall_status=Active');
      expect(res.status).toBe(415);
      expect(events('request.rejected').at(-1)).toMatchObject({ status: 415, userId: avaId, orgId });
    });

    it('validation.failed: one event per 422 with the field names, never the values', async () => {
      const before = events('validation.failed').length;
      const res = await ava.agent
        .post(`/tenants/${tenant.guid}/overall-status`)
        .type('form')
        .send({
          _csrf: ava.csrf,
          overall_status: 'Active',
          status_date: '2026-02-30',
          note: 'SECRET-NOTE-4471 about the customer',
          version: await version(),
        });
      expect(res.status).toBe(422);
      const added = events('validation.failed').slice(before);
      expect(added).toHaveLength(1);
      expect(added[0]).toMatchObject({ userId: avaId, orgId, route: `/tenants/${tenant.guid}/overall-status` });
      expect(added[0].fields).toEqual(['status_date']);
      expect(JSON.stringify(t.logs)).not.toContain('SECRET-NOTE-4471');
    });
  });
});
