import { buildTestApp, hx, html, loginAs, SignedIn, TestApp } from '../helpers/app';
import { addService, assign, createOrg, createTenant, createUser, TenantRef } from '../helpers/factories';

/** A service's page on the Services tab (DOMAIN.md §5.8): Edit and the read-only View. */
describe('GET /tenants/:tenantId/services/:code(/edit)', () => {
  let t: TestApp;
  let alpha: TenantRef;
  let ava: SignedIn, bob: SignedIn, omar: SignedIn;

  beforeAll(async () => {
    t = await buildTestApp();
    const org = await createOrg(t.db);
    const avaUser = await createUser(t.db, { org, name: 'Ava Smith' });
    const bobUser = await createUser(t.db, { org });
    const omarUser = await createUser(t.db, { kind: 'internal', managedOrgs: [org] });
    alpha = await createTenant(t.db, { name: 'alpha.onmicrosoft.com' });
    await assign(t.db, { tenant: alpha, userId: org.queueUserId, type: 'P-RM', primary: ['TENANT'] });
    await assign(t.db, { tenant: alpha, userId: avaUser.id, type: 'P-FM' });
    await assign(t.db, { tenant: alpha, userId: avaUser.id, type: 'P-FE', scopes: ['EXO'] });
    await addService(t.db, alpha, 'EXO', { total: 305 });
    await addService(t.db, alpha, 'INTUNE', { total: 80 });
    await addService(t.db, alpha, 'MDATP', { total: 0 });
    ava = await loginAs(t.app, avaUser.upn);
    bob = await loginAs(t.app, bobUser.upn);
    omar = await loginAs(t.app, omarUser.upn);
  });
  afterAll(() => t.close());

  const get = (who: SignedIn, path: string) => who.agent.get(`/tenants/${alpha.guid}${path}`);
  const selected = (text: string) =>
    html(text)
      .querySelector('[role="tablist"][aria-label="Tenant sections"] [role="tab"][aria-selected="true"]')
      ?.text.trim();

  beforeAll(async () => {
    const exo = await t.db('tenant_services').where({ tenant_id: alpha.id, service_code: 'EXO' }).first();
    const note = async (category: string, body: string, created: string, services: string[]) => {
      const [{ id }] = await t
        .db('notes')
        .insert({
          tenant_id: alpha.id,
          category,
          body_html: `<p>${body}</p>`,
          body_text: body,
          source_context: 'notes_editor',
          created_at: created,
          search_tenant: alpha.name,
        })
        .returning('id');
      for (const s of services) await t.db('note_services').insert({ note_id: id, service_code: s });
    };
    await note('Technical Enablement', 'Hybrid configured', '2025-01-01T10:00:00.000Z', ['EXO']);
    await note('Service Intent', 'Pilot of 300 mailboxes', '2026-11-01T10:00:00.000Z', ['EXO']);
    await note('Engagement Management', 'Not a service note', '2026-11-02T10:00:00.000Z', ['EXO']);
    await note('Technical Enablement', 'Intune only', '2026-11-03T10:00:00.000Z', ['INTUNE']);
    await t.db('forecast_history').insert({
      tenant_service_id: exo.id,
      field: 'max',
      old_value: null,
      new_value: '2027-06-30',
      changed_at: '2026-11-01T10:00:00.000Z',
    });
  });

  it('Edit shows the dialog’s service section, the forecast history and the service’s notes (newest first, all time)', async () => {
    const res = await get(ava, '/services/EXO/edit');
    expect(res.status).toBe(200);
    const doc = html(res.text);
    expect(selected(res.text)).toBe('Services');
    expect(doc.querySelector('#svc-form-EXO')).not.toBeNull();
    expect(doc.querySelector('#forecast-EXO-history table')?.text).toContain('2027-06-30');
    expect(doc.querySelectorAll('.service-notes .note .note-body').map((n) => n.text.trim())).toEqual([
      'Pilot of 300 mailboxes',
      'Hybrid configured',
    ]);
    expect(doc.querySelector('[data-mode]')?.getAttribute('data-mode')).toBe('edit');
    // The dialog's tab still gets the section alone.
    const frag = await hx(get(ava, '/services/EXO/edit'));
    expect(frag.text).not.toContain('<html');
    expect(html(frag.text).querySelector('.service-notes')).toBeNull();
  });

  it('View shows the same read-only, for the assigned user too; Edit for a guest or an internal user is the View', async () => {
    for (const [who, path] of [
      [ava, '/services/EXO'],
      [bob, '/services/EXO/edit'],
      [omar, '/services/EXO'],
    ] as const) {
      const doc = html((await get(who, path)).text);
      expect([path, doc.querySelector('[data-mode]')?.getAttribute('data-mode')]).toEqual([path, 'view']);
      expect(doc.querySelector('[data-readonly]')).not.toBeNull();
      expect(doc.querySelector('button[value="save"]')).toBeNull();
      expect(doc.querySelectorAll('.service-notes .note')).toHaveLength(2);
    }
    expect(html((await get(ava, '/services/EXO')).text).querySelector('.tenant-header [data-access]')?.text).toBe(
      'P-FE, P-FM',
    );
  });

  it('is 404 for a service without entitlements or not entitled (V-20)', async () => {
    expect((await get(ava, '/services/MDATP')).status).toBe(404);
    expect((await get(ava, '/services/SPO')).status).toBe(404);
  });
});
