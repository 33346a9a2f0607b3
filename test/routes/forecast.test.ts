import { today as todayIn } from '../../src/config';
import { buildTestApp, hx, html, loginAs, SignedIn, TestApp } from '../helpers/app';
import { forecastSection } from '../../src/features/forecast/forecast.service';
import { loadTenant } from '../../src/features/tenants/tenants.service';
import { renderTemplate } from '../../src/http/views';
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

/**
 * POST /tenants/:tenantId/services/:code/forecast — Forecast Dates autosave (DOMAIN.md §4.4, §5.4 B2).
 * Dates are relative to the real "today" (APP_TZ), so the tests never go stale.
 */
describe('POST /tenants/:tenantId/services/:code/forecast', () => {
  let t: TestApp;
  let orgA: OrgRef, orgB: OrgRef;
  let ava: UserRef, bob: UserRef, bea: UserRef, root: UserRef;
  let asAva: SignedIn, asBob: SignedIn, asBea: SignedIn, asRoot: SignedIn;
  let today: string;

  const day = (offset: number) => {
    const d = new Date(`${today}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + offset);
    return d.toISOString().slice(0, 10);
  };

  type Dates = { rfa?: string | null; first?: string | null; forty?: string | null; max?: string | null };

  /** A tenant of org A (ava assigned P-FE on EXO, bob a guest) with EXO and the given forecast dates. */
  async function fixture(dates: Dates = {}, opts: { total?: number } = {}) {
    const tenant = await createTenant(t.db);
    await assign(t.db, { tenant, userId: orgA.queueUserId, type: 'P-RM', primary: ['TENANT'] });
    await assign(t.db, { tenant, userId: ava.id, type: 'P-FE', scopes: ['EXO'] });
    const tsId = await addService(t.db, tenant, 'EXO', { total: opts.total ?? 100 });
    await t
      .db('tenant_services')
      .where('id', tsId)
      .update({
        rfa_submitted_date: dates.rfa ?? null,
        target_first_au_date: dates.first ?? null,
        target_40_au_date: dates.forty ?? null,
        target_max_au_date: dates.max ?? null,
      });
    return { tenant, tsId };
  }

  const url = (tenant: TenantRef, code = 'EXO') => `/tenants/${tenant.guid}/services/${code}/forecast`;

  function post(
    who: SignedIn,
    tenant: TenantRef,
    form: Record<string, string>,
    opts: { htmx?: boolean; code?: string } = {},
  ) {
    const req = who.agent
      .post(url(tenant, opts.code))
      .type('form')
      .send({ version: '1', ...form, _csrf: who.csrf });
    return opts.htmx === false ? req : hx(req);
  }

  const stored = async (tsId: number) =>
    t
      .db('tenant_services')
      .where('id', tsId)
      .first('version', 'rfa_submitted_date', 'target_first_au_date', 'target_40_au_date', 'target_max_au_date');
  const history = (tsId: number) =>
    t
      .db('forecast_history')
      .where('tenant_service_id', tsId)
      .orderBy('id')
      .select('field', 'old_value', 'new_value', 'changed_by');
  const message = (text: string, name: string) => html(text).querySelector(`[data-field="${name}"]`)?.text.trim();

  /** 422 with the message on `name`, nothing saved (row and history unchanged). */
  async function expectRejected(res: { status: number; text: string }, tsId: number, name: string, before: unknown) {
    expect(res.status).toBe(422);
    expect(message(res.text, name)).toBeTruthy();
    expect(await stored(tsId)).toEqual(before);
    expect(await history(tsId)).toEqual([]);
  }

  beforeAll(async () => {
    t = await buildTestApp();
    today = todayIn(t.config);
    orgA = await createOrg(t.db);
    orgB = await createOrg(t.db);
    ava = await createUser(t.db, { org: orgA, name: 'Ava Smith' });
    bob = await createUser(t.db, { org: orgA, name: 'Bob Guest' });
    bea = await createUser(t.db, { org: orgB, name: 'Bea Other' });
    root = await createUser(t.db, { kind: 'admin', name: 'Root Admin' });
    asAva = await loginAs(t.app, ava.upn);
    asBob = await loginAs(t.app, bob.upn);
    asBea = await loginAs(t.app, bea.upn);
    asRoot = await loginAs(t.app, root.upn);
  });
  afterAll(() => t.close());

  it('V-30: refuses a target date while the RFA is empty, with the exact message, and pre-fills RFA with today', async () => {
    const { tenant, tsId } = await fixture();
    const before = await stored(tsId);
    const res = await post(asAva, tenant, { target_max_au_date: day(90) });
    await expectRejected(res, tsId, 'target_max_au_date', before);
    expect(message(res.text, 'target_max_au_date')).toBe(
      'Submitted Date (RFA) is required before forecast dates can be saved.',
    );
    const doc = html(res.text);
    expect(doc.querySelector('input[name="rfa_submitted_date"]')?.getAttribute('value')).toBe(today);
    expect(doc.querySelector('input[name="target_max_au_date"]')?.getAttribute('value')).toBe(day(90)); // kept
  });

  it('V-30: saves the RFA (today) for a partner, then makes it read-only for partners', async () => {
    const { tenant, tsId } = await fixture();
    const res = await post(asAva, tenant, { rfa_submitted_date: today });
    expect(res.status).toBe(200);
    expect((await stored(tsId)).rfa_submitted_date).toBe(today);
    expect(await history(tsId)).toEqual([{ field: 'rfa', old_value: null, new_value: today, changed_by: ava.id }]);
    expect(html(res.text).querySelector('input[name="rfa_submitted_date"]')?.hasAttribute('readonly')).toBe(true);

    const before = await stored(tsId);
    const change = await post(asAva, tenant, { rfa_submitted_date: day(-5), version: String(before.version) });
    expect(change.status).toBe(422);
    expect(message(change.text, 'rfa_submitted_date')).toMatch(/only an administrator can change it/);
    expect(await stored(tsId)).toEqual(before);
    expect(await history(tsId)).toHaveLength(1);
  });

  it('V-30: lets an admin change a stored RFA, and nobody empty it', async () => {
    const { tenant, tsId } = await fixture({ rfa: day(-10) });
    const cleared = await post(asRoot, tenant, { rfa_submitted_date: '' });
    await expectRejected(cleared, tsId, 'rfa_submitted_date', await stored(tsId));
    const res = await post(asRoot, tenant, { rfa_submitted_date: day(-3) });
    expect(res.status).toBe(200);
    expect(await stored(tsId)).toMatchObject({ rfa_submitted_date: day(-3), version: 2 });
    expect(await history(tsId)).toEqual([
      { field: 'rfa', old_value: day(-10), new_value: day(-3), changed_by: root.id },
    ]);
  });

  it('V-31: the first-milestone date must be later than RFA and later than today', async () => {
    const { tenant, tsId } = await fixture({ rfa: day(5) });
    const before = await stored(tsId);
    const notAfterRfa = await post(asAva, tenant, { target_first_au_date: day(5) });
    await expectRejected(notAfterRfa, tsId, 'target_first_au_date', before);
    expect(message(notAfterRfa.text, 'target_first_au_date')).toMatch(/later than Submitted Date \(RFA\)/);

    const { tenant: t2, tsId: ts2 } = await fixture({ rfa: day(-30) });
    const todayRes = await post(asAva, t2, { target_first_au_date: today });
    await expectRejected(todayRes, ts2, 'target_first_au_date', await stored(ts2));
    expect(message(todayRes.text, 'target_first_au_date')).toMatch(/later than today/);
    expect(html(todayRes.text).querySelector('label[for$="target_first_au_date"]')?.text).toBe(
      `Target Date for ${t.config.firstMilestonePct}% AU`,
    );

    expect((await post(asAva, t2, { target_first_au_date: day(1) })).status).toBe(200);
    expect((await stored(ts2)).target_first_au_date).toBe(day(1));
  });

  it('V-32: the 40% date must be later than today and than the 15% date (or RFA when 15% is empty)', async () => {
    const { tenant, tsId } = await fixture({ rfa: day(-30), first: day(30) });
    const before = await stored(tsId);
    const notAfterFirst = await post(asAva, tenant, { target_40_au_date: day(30) });
    await expectRejected(notAfterFirst, tsId, 'target_40_au_date', before);
    expect(message(notAfterFirst.text, 'target_40_au_date')).toMatch(/later than Target Date for \d+% AU/);
    const todayRes = await post(asAva, tenant, { target_40_au_date: today });
    await expectRejected(todayRes, tsId, 'target_40_au_date', before);
    expect(message(todayRes.text, 'target_40_au_date')).toMatch(/later than today/);

    const { tenant: t2, tsId: ts2 } = await fixture({ rfa: day(10) });
    const notAfterRfa = await post(asAva, t2, { target_40_au_date: day(10) });
    await expectRejected(notAfterRfa, ts2, 'target_40_au_date', await stored(ts2));
    expect(message(notAfterRfa.text, 'target_40_au_date')).toMatch(/later than Submitted Date \(RFA\)/);

    expect((await post(asAva, tenant, { target_40_au_date: day(31) })).status).toBe(200);
    expect((await stored(tsId)).target_40_au_date).toBe(day(31));
  });

  it('V-33: Max AU must be later than today and RFA, and not earlier than the latest milestone', async () => {
    const { tenant, tsId } = await fixture({ rfa: day(-30), first: day(20), forty: day(60) });
    const before = await stored(tsId);
    const early = await post(asAva, tenant, { target_max_au_date: day(59) });
    await expectRejected(early, tsId, 'target_max_au_date', before);
    expect(message(early.text, 'target_max_au_date')).toMatch(/on or after Target Date for 40% AU/);
    const todayRes = await post(asAva, tenant, { target_max_au_date: today });
    await expectRejected(todayRes, tsId, 'target_max_au_date', before);
    expect(message(todayRes.text, 'target_max_au_date')).toMatch(/later than today/);

    const { tenant: t2, tsId: ts2 } = await fixture({ rfa: day(40) });
    const beforeRfa = await post(asAva, t2, { target_max_au_date: day(40) });
    await expectRejected(beforeRfa, ts2, 'target_max_au_date', await stored(ts2));
    expect(message(beforeRfa.text, 'target_max_au_date')).toMatch(/later than Submitted Date \(RFA\)/);

    // Equal to the latest milestone is fine ("not earlier").
    expect((await post(asAva, tenant, { target_max_au_date: day(60) })).status).toBe(200);
    expect((await stored(tsId)).target_max_au_date).toBe(day(60));
  });

  it('V-33: moving a milestone past the stored Max AU is refused on the milestone', async () => {
    const { tenant, tsId } = await fixture({ rfa: day(-30), first: day(20), max: day(50) });
    const res = await post(asAva, tenant, { target_40_au_date: day(70) });
    await expectRejected(res, tsId, 'target_40_au_date', await stored(tsId));
    expect(message(res.text, 'target_40_au_date')).toMatch(/on or before Target Date for Max AU/);
  });

  it('V-34: an empty value clears the 15% and 40% dates', async () => {
    const { tenant, tsId } = await fixture({ rfa: day(-30), first: day(20), forty: day(40), max: day(90) });
    expect((await post(asAva, tenant, { target_first_au_date: '' })).status).toBe(200);
    expect((await post(asAva, tenant, { target_40_au_date: '', version: '2' })).status).toBe(200);
    expect(await stored(tsId)).toMatchObject({ target_first_au_date: null, target_40_au_date: null, version: 3 });
    expect(await history(tsId)).toEqual([
      { field: '15', old_value: day(20), new_value: null, changed_by: ava.id },
      { field: '40', old_value: day(40), new_value: null, changed_by: ava.id },
    ]);
  });

  it('V-35: stored dates that have passed do not block an unrelated save; a changed past date does', async () => {
    const { tenant, tsId } = await fixture({ rfa: day(-100), first: day(-10), forty: day(-5) });
    const res = await post(asAva, tenant, { target_max_au_date: day(30) });
    expect(res.status).toBe(200);
    expect((await stored(tsId)).target_max_au_date).toBe(day(30));
    // The no-JS form posts all four: unchanged past dates still pass.
    const all = await post(
      asAva,
      tenant,
      {
        version: '2',
        rfa_submitted_date: day(-100),
        target_first_au_date: day(-10),
        target_40_au_date: day(-5),
        target_max_au_date: day(31),
      },
      { htmx: false },
    );
    expect(all.status).toBe(303);
    expect(await history(tsId)).toEqual([
      { field: 'max', old_value: null, new_value: day(30), changed_by: ava.id },
      { field: 'max', old_value: day(30), new_value: day(31), changed_by: ava.id },
    ]);
    const past = await post(asAva, tenant, { version: '3', target_40_au_date: day(-4) });
    expect(past.status).toBe(422);
    expect(message(past.text, 'target_40_au_date')).toMatch(/later than today/);
    expect(await history(tsId)).toHaveLength(2);
  });

  it('C-3: warns when Max AU is missing or a stored target date is past, without blocking the save', async () => {
    const { tenant } = await fixture({ rfa: day(-100), first: day(-10) });
    const res = await post(asAva, tenant, { target_40_au_date: day(10) });
    expect(res.status).toBe(200);
    const warning = html(res.text).querySelector('[data-rule="C-3"]')?.text ?? '';
    expect(warning).toContain('Target Date for Max AU is missing; it is required for compliance.');
    expect(warning).toContain(`(${day(-10)}) is in the past`);
    expect(html(res.text).querySelector('label.required[for$="target_max_au_date"]')).not.toBeNull();

    const ok = await post(asAva, tenant, { version: '2', target_first_au_date: day(5), target_max_au_date: day(90) });
    expect(ok.status).toBe(200);
    expect(html(ok.text).querySelector('[data-rule="C-3"]')).toBeNull();
  });

  it.each([['2025-02-30'], ['abc'], ['99999-01-01'], ['2026-13-01']])(
    'returns 422 for the invalid date %s and saves nothing',
    async (bad) => {
      const { tenant, tsId } = await fixture({ rfa: day(-30) });
      const before = await stored(tsId);
      const res = await post(asAva, tenant, { target_max_au_date: bad, target_first_au_date: day(10) });
      await expectRejected(res, tsId, 'target_max_au_date', before);
      expect(html(res.text).querySelector('input[name="target_max_au_date"]')?.getAttribute('value')).toBe(bad);
    },
  );

  it('writes one history row per changed field in the save, and shows the history newest first', async () => {
    const { tenant, tsId } = await fixture({ rfa: day(-30), first: day(10) });
    const res = await post(
      asAva,
      tenant,
      {
        rfa_submitted_date: day(-30),
        target_first_au_date: day(11),
        target_40_au_date: day(20),
        target_max_au_date: day(40),
      },
      { htmx: false },
    );
    expect(res.status).toBe(303);
    expect(await history(tsId)).toEqual([
      { field: '15', old_value: day(10), new_value: day(11), changed_by: ava.id },
      { field: '40', old_value: null, new_value: day(20), changed_by: ava.id },
      { field: 'max', old_value: null, new_value: day(40), changed_by: ava.id },
    ]);
    expect((await stored(tsId)).version).toBe(2);
    await t
      .db('forecast_history')
      .where({ tenant_service_id: tsId, field: 'max' })
      .update({ changed_at: '2099-01-01T00:00:00.000Z' });
    const again = await post(asAva, tenant, { version: '2', target_40_au_date: day(21) });
    const rows = html(again.text).querySelectorAll('table.forecast-history tbody tr');
    expect(rows.map((r) => r.getAttribute('data-field-code'))).toEqual(['max', '40', '40', '15']);
    expect(rows[1].text).toContain('Ava Smith');
  });

  it('returns 409 on a stale version and saves nothing', async () => {
    const { tenant, tsId } = await fixture({ rfa: day(-30) });
    await t.db('tenant_services').where('id', tsId).update({ version: 4 });
    const before = await stored(tsId);
    const res = await post(asAva, tenant, { version: '3', target_max_au_date: day(30) }, { htmx: false });
    expect(res.status).toBe(409);
    expect(res.text).toContain(`rfa submitted date: ${day(-30)}`); // what is stored now
    const htmx = await post(asAva, tenant, { version: '3', target_max_au_date: day(30) });
    expect(htmx.status).toBe(409);
    expect(htmx.headers['hx-retarget']).toBe('#flash');
    expect(await stored(tsId)).toEqual(before);
    expect(await history(tsId)).toEqual([]);
  });

  it('returns 403 to a guest of the org and 404 to another org, saving nothing', async () => {
    const { tenant, tsId } = await fixture({ rfa: day(-30) });
    const before = await stored(tsId);
    expect((await post(asBob, tenant, { target_max_au_date: day(30) }, { htmx: false })).status).toBe(403);
    const other = await post(asBea, tenant, { target_max_au_date: day(30) }, { htmx: false });
    expect(other.status).toBe(404);
    expect(other.text).not.toContain(tenant.name);
    expect(await stored(tsId)).toEqual(before);
    expect(await history(tsId)).toEqual([]);
  });

  it('renders the section read-only for a guest (forecastSection + the partial other pages include)', async () => {
    const { tenant } = await fixture({ rfa: day(-30) });
    const scope = {
      userId: bob.id,
      kind: 'partner' as const,
      orgId: orgA.id,
      managedOrgIds: [],
      isPartnerAdmin: false,
    };
    const guestTenant = await loadTenant(t.db, scope, tenant.guid);
    const section = await forecastSection(t.db, guestTenant, 'EXO', t.config);
    expect(section.canEdit).toBe(false);
    const out = renderTemplate(t.app, 'services/_forecast', { ...section, csrfToken: 'tok', user: null });
    const inputs = html(out).querySelectorAll('input[type="date"]');
    expect(inputs).toHaveLength(4);
    expect(inputs.every((i) => i.hasAttribute('disabled') && !i.hasAttribute('hx-post'))).toBe(true);
    expect(html(out).querySelector('noscript')).toBeNull();
  });

  it('returns 404 for an unknown code, a service the tenant is not entitled to, and a service with effective total 0 (V-20)', async () => {
    const { tenant, tsId } = await fixture({ rfa: day(-30) });
    for (const code of ['NOPE', 'TEAMS', '%2E%2E']) {
      expect((await post(asAva, tenant, { target_max_au_date: day(30) }, { htmx: false, code })).status).toBe(404);
    }
    const zero = await fixture({ rfa: day(-30) }, { total: 0 });
    expect((await post(asAva, zero.tenant, { target_max_au_date: day(30) }, { htmx: false })).status).toBe(404);
    expect((await stored(zero.tsId)).target_max_au_date).toBeNull();
    expect((await stored(tsId)).target_max_au_date).toBeNull();
  });

  it('answers htmx with the fresh fragment and HX-Trigger, plain with 303 and a flash; 422 as fragment or full page', async () => {
    const { tenant, tsId } = await fixture({ rfa: day(-30) });
    const htmx = await post(asAva, tenant, { target_max_au_date: day(30) });
    expect(htmx.status).toBe(200);
    expect(JSON.parse(htmx.headers['hx-trigger'])).toEqual({ 'tenant:changed': { tenantId: tenant.guid } });
    expect(htmx.headers.vary).toMatch(/HX-Request/i);
    expect(htmx.text).not.toContain('<html');
    const input = html(htmx.text).querySelector('input[name="target_max_au_date"]');
    expect(input?.getAttribute('hx-post')).toBe(url(tenant));
    // Posted when the user leaves the field holding a complete value (public/js/app.js), not on change.
    expect(input?.getAttribute('hx-trigger')).toBe('forecast:commit');
    expect(input?.hasAttribute('data-autosave')).toBe(true);
    expect(input?.getAttribute('hx-target')).toBe(`#forecast-EXO-target_max_au_date-field`);
    expect(html(htmx.text).querySelector('#forecast-EXO-target_max_au_date-field [data-saved]')?.text).toBe('Saved');
    expect(html(htmx.text).querySelector('input[name="version"]')?.getAttribute('value')).toBe('2');

    const plain = await post(asAva, tenant, { version: '2', target_max_au_date: day(31) }, { htmx: false });
    expect(plain.status).toBe(303);
    expect(plain.headers.location).toBe(`/tenants/${tenant.guid}/services/EXO/edit`);
    expect(plain.headers['hx-trigger']).toBeUndefined();
    expect(await history(tsId)).toHaveLength(2);

    const bad = await post(asAva, tenant, { version: '3', target_max_au_date: 'abc' }, { htmx: false });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('<html');
    expect(message(bad.text, 'target_max_au_date')).toBeTruthy();
    const badHx = await post(asAva, tenant, { version: '3', target_max_au_date: 'abc' });
    expect(badHx.status).toBe(422);
    expect(badHx.text).not.toContain('<html');
    expect(badHx.headers['hx-trigger']).toBeUndefined();
    expect(await history(tsId)).toHaveLength(2);
  });
});

describe('POST /tenants/:tenantId/services/:code/forecast with ENFORCE_SCENARIO_OWNERSHIP=true', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await buildTestApp({ ENFORCE_SCENARIO_OWNERSHIP: 'true' });
  });
  afterAll(() => t.close());

  it('A-16: returns 403 to a partner on an FTC-led service and lets an admin save; partner-led services stay editable', async () => {
    const org = await createOrg(t.db);
    const ava = await createUser(t.db, { org });
    const root = await createUser(t.db, { kind: 'admin' });
    const tenant = await createTenant(t.db);
    await assign(t.db, { tenant, userId: org.queueUserId, type: 'P-RM', primary: ['TENANT'] });
    await assign(t.db, { tenant, userId: ava.id, type: 'P-FE', scopes: ['EXO'] });
    const ftcLed = await addService(t.db, tenant, 'EXO', { total: 10, scenario: 'FTC-CSS Led' });
    const partnerLed = await addService(t.db, tenant, 'TEAMS', { total: 10, scenario: 'FTC-FTP Led' });
    const rfa = todayIn(t.config);
    const send = (who: SignedIn, code: string) =>
      hx(
        who.agent
          .post(`/tenants/${tenant.guid}/services/${code}/forecast`)
          .type('form')
          .send({ version: '1', rfa_submitted_date: rfa, _csrf: who.csrf }),
      );
    const asAva = await loginAs(t.app, ava.upn);
    expect((await send(asAva, 'EXO')).status).toBe(403);
    expect(await t.db('forecast_history').where('tenant_service_id', ftcLed)).toEqual([]);
    expect((await send(asAva, 'TEAMS')).status).toBe(200);
    expect(await t.db('forecast_history').where('tenant_service_id', partnerLed)).toHaveLength(1);
    const asRoot = await loginAs(t.app, root.upn);
    expect((await send(asRoot, 'EXO')).status).toBe(200);
    expect((await t.db('tenant_services').where('id', ftcLed).first()).rfa_submitted_date).toBe(rfa);
  });
});
