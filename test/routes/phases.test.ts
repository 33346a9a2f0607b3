import { buildTestApp, hx, html, loginAs, SignedIn, TestApp } from '../helpers/app';
import { addService, assign, createOrg, createTenant, createUser, TenantRef } from '../helpers/factories';

/** The Status tab's Service Status sub-tab: phases (DOMAIN.md §5.7.2, V-85) and their history. */
describe('POST /tenants/:tenantId/services/:code/phase', () => {
  let t: TestApp;
  let alpha: TenantRef, secret: TenantRef;
  let ava: SignedIn, bob: SignedIn, omar: SignedIn, bea: SignedIn;
  let exoId: number;

  beforeAll(async () => {
    t = await buildTestApp();
    const orgA = await createOrg(t.db);
    const orgB = await createOrg(t.db);
    const avaUser = await createUser(t.db, { org: orgA, name: 'Ava Smith' });
    const bobUser = await createUser(t.db, { org: orgA, name: 'Bob Jones' });
    const beaUser = await createUser(t.db, { org: orgB });
    const omarUser = await createUser(t.db, { kind: 'internal', managedOrgs: [orgA] });
    alpha = await createTenant(t.db, { name: 'alpha.onmicrosoft.com' });
    secret = await createTenant(t.db, { name: 'secret.onmicrosoft.com' });
    await assign(t.db, { tenant: alpha, userId: orgA.queueUserId, type: 'P-RM', primary: ['TENANT'] });
    await assign(t.db, { tenant: alpha, userId: avaUser.id, type: 'P-FM' });
    await assign(t.db, { tenant: secret, userId: orgB.queueUserId, type: 'P-RM', primary: ['TENANT'] });
    await assign(t.db, { tenant: secret, userId: beaUser.id, type: 'P-FM' });
    exoId = await addService(t.db, alpha, 'EXO', { total: 1000, activeUsers: 150 });
    await addService(t.db, alpha, 'TEAMS', { total: 1000, activeUsers: 50, scenario: 'FTC-CSS Led' });
    await addService(t.db, alpha, 'SPO', { total: 1000, activeUsers: 5 });
    await addService(t.db, secret, 'EXO', { total: 10 });
    ava = await loginAs(t.app, avaUser.upn);
    bob = await loginAs(t.app, bobUser.upn);
    bea = await loginAs(t.app, beaUser.upn);
    omar = await loginAs(t.app, omarUser.upn);
  });
  afterAll(() => t.close());

  const url = (code = 'EXO', tenant = alpha) => `/tenants/${tenant.guid}/services/${code}/phase`;
  const post = (who: SignedIn, path: string, form: Record<string, string>) =>
    who.agent
      .post(path)
      .type('form')
      .send({ ...form, _csrf: who.csrf });
  const stored = async () =>
    (await t.db('tenant_services').where('id', exoId).first()) as { phase: string | null; version: number };
  const history = () => t.db('service_phase_history').where('tenant_service_id', exoId).orderBy('id');

  it('GET /service-status lists every entitled service with its phase, AU% and the phase AU% suggests, and the guide', async () => {
    const res = await ava.agent.get(`/tenants/${alpha.guid}/service-status`);
    const doc = html(res.text);
    const hint = (code: string) => doc.querySelector(`#phase-row-${code} [data-hint]`)?.getAttribute('data-hint');
    expect(doc.querySelectorAll('.phases-table tbody tr').map((r) => r.getAttribute('data-service'))).toEqual([
      'EXO',
      'TEAMS',
      'SPO',
    ]);
    expect(doc.querySelector('#phase-row-EXO')?.text).toContain('15.0%');
    expect([hint('EXO'), hint('TEAMS'), hint('SPO')]).toEqual(['Operation', 'Adoption', '']);
    expect(doc.querySelectorAll('#phase-EXO option').map((o) => o.text)).toEqual([
      'Not set',
      'Initiate',
      'Assess',
      'Remediate',
      'Enable',
      'Migrate',
      'Adoption',
      'Operation',
    ]);
    expect(doc.querySelector('.phase-guide')?.text).toContain('More than 10% of the entitlements are active');
    expect(doc.querySelector('a[href="/guidance/status-taxonomy"]')).not.toBeNull();
    // Read-only callers see the phases without a way to change them.
    const guest = html((await bob.agent.get(`/tenants/${alpha.guid}/service-status`)).text);
    expect(guest.querySelector('#phase-EXO')?.getAttribute('disabled')).not.toBeUndefined();
    expect(guest.querySelector('.phase-form button')).toBeNull();
  });

  it('V-85 saves a phase (plain: 303 to the sub-tab), bumps the version and records who and when', async () => {
    const before = await stored();
    const res = await post(ava, url(), { phase: 'Adoption', version: String(before.version) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/tenants/${alpha.guid}/service-status`);
    expect(await stored()).toMatchObject({ phase: 'Adoption', version: before.version + 1 });
    const [h] = await history();
    expect(h).toMatchObject({ old_phase: null, new_phase: 'Adoption' });
    expect(h.changed_by).toBe((await t.db('users').where('display_name', 'Ava Smith').first()).id);
    const page = html((await ava.agent.get(res.headers.location)).text);
    expect(page.querySelector('#flash')?.text).toContain('Phase of Exchange saved: Adoption.');
    expect(page.querySelector('#phase-history tbody tr')?.text).toContain('Ava Smith');
  });

  it('V-85 over htmx answers the panel with the saved mark and announces tenant:changed', async () => {
    const { version } = await stored();
    const res = await hx(post(ava, url(), { phase: 'Operation', version: String(version) }));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.headers['hx-trigger'])).toEqual({ 'tenant:changed': { tenantId: alpha.guid } });
    expect(res.text).not.toContain('<html');
    const doc = html(res.text);
    expect(doc.querySelector('#phase-row-EXO [data-saved]')).not.toBeNull();
    expect(doc.querySelector('#phase-EXO option[selected]')?.text).toBe('Operation');
    expect(doc.querySelectorAll('#phase-history tbody tr')).toHaveLength(2);
    expect((await stored()).phase).toBe('Operation');
  });

  it('V-85 refuses a value outside the seven phases or none: 422, message next to the field, value kept, nothing saved', async () => {
    const before = await stored();
    const count = (await history()).length;
    for (const phase of ['Celebrate', '']) {
      const res = await hx(post(ava, url(), { phase, version: String(before.version) }));
      expect(res.status).toBe(422);
      const doc = html(res.text);
      expect(doc.querySelector('#phase-row-EXO [data-field="phase"]')?.text).toContain('phase');
      expect(doc.querySelector('#phase-EXO option[selected]')?.getAttribute('value')).toBe(phase);
    }
    expect(await stored()).toEqual(before);
    expect(await history()).toHaveLength(count);
    // Without htmx the page comes back with the same message.
    const plain = await post(ava, url(), { phase: 'Celebrate' });
    expect(plain.status).toBe(422);
    expect(plain.text).toContain('<html');
  });

  it('answers 409 for a stale version, shows what is stored and keeps the choice; nothing saved', async () => {
    const before = await stored();
    const res = await hx(post(ava, url(), { phase: 'Assess', version: String(before.version - 1) }));
    expect(res.status).toBe(409);
    const doc = html(res.text);
    expect(doc.querySelector('#phase-row-EXO .conflict')?.text).toContain('Stored now: Operation');
    expect(doc.querySelector('#phase-EXO option[selected]')?.text).toBe('Assess');
    expect(doc.querySelector('#phase-row-EXO input[name="version"]')?.getAttribute('value')).toBe(
      String(before.version),
    );
    expect(await stored()).toEqual(before);
  });

  it('accepts the contract’s body without a version, and saving the same phase again writes nothing', async () => {
    const before = await stored();
    const res = await post(ava, url(), { phase: 'Operation' });
    expect(res.status).toBe(303);
    expect(await stored()).toEqual(before);
  });

  it('is 403 for a guest and an internal user, 404 for another org and for a service the tenant is not entitled to', async () => {
    const before = await stored();
    expect((await post(bob, url(), { phase: 'Enable' })).status).toBe(403);
    expect((await post(omar, url(), { phase: 'Enable' })).status).toBe(403);
    expect((await post(bea, url(), { phase: 'Enable' })).status).toBe(404);
    expect((await post(bea, url('EXO', secret), { phase: 'Enable' })).status).toBe(303);
    expect((await post(ava, url('INTUNE'), { phase: 'Enable' })).status).toBe(404);
    expect((await post(ava, url('exo'), { phase: 'Enable' })).status).toBe(404);
    expect(await stored()).toEqual(before);
  });

  it('A-16: with ENFORCE_SCENARIO_OWNERSHIP a partner cannot change the phase of an FTC-led service', async () => {
    const strict = await buildTestApp({ ENFORCE_SCENARIO_OWNERSHIP: 'true' });
    try {
      const org = await createOrg(strict.db);
      const user = await createUser(strict.db, { org });
      const tenant = await createTenant(strict.db);
      await assign(strict.db, { tenant, userId: org.queueUserId, type: 'P-RM', primary: ['TENANT'] });
      await assign(strict.db, { tenant, userId: user.id, type: 'P-FM' });
      await addService(strict.db, tenant, 'TEAMS', { total: 10, scenario: 'FTC-CSS Led' });
      await addService(strict.db, tenant, 'EXO', { total: 10, scenario: 'FTC-FTP Led' });
      const who = await loginAs(strict.app, user.upn);
      const send = (code: string) => post(who, `/tenants/${tenant.guid}/services/${code}/phase`, { phase: 'Enable' });
      expect((await send('TEAMS')).status).toBe(403);
      expect((await send('EXO')).status).toBe(303);
      const doc = html((await who.agent.get(`/tenants/${tenant.guid}/service-status`)).text);
      expect(doc.querySelector('#phase-TEAMS')?.getAttribute('disabled')).not.toBeUndefined();
      expect(doc.querySelector('#phase-EXO')?.getAttribute('disabled')).toBeUndefined();
    } finally {
      await strict.close();
    }
  });
});
