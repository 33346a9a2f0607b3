import { buildTestApp, hx, html, loginAs, SignedIn, TestApp } from '../helpers/app';
import { sqliteForm } from '../helpers/db';
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
import { today } from '../../src/config';

/**
 * The per-service tab of the Edit Tenant dialog: GET /tenants/:tenantId/services/:code/edit and
 * POST /tenants/:tenantId/services/:code (DOMAIN.md §5.4 B; V-20…V-29, V-40…V-43, V-50, V-51, A-16, A-37).
 */
type Row = Record<string, string>;
interface Form {
  version?: string;
  engagement_scenario?: string;
  statuses?: Row[];
  ms_performing_migration?: string;
  migration_start_date?: string;
  migration_end_date?: string;
  migration_lines?: Row[];
  migration_rejection_reason?: string;
  migration_rejection_note?: string;
  [key: string]: string | Row[] | undefined;
}

/** Flattens rows to bracket keys (`statuses[0][l1]`), as the browser posts them. */
function flat(form: Form): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(form)) {
    if (Array.isArray(v))
      v.forEach((row, i) => Object.entries(row).forEach(([rk, rv]) => (out[`${k}[${i}][${rk}]`] = rv)));
    else if (v !== undefined) out[k] = v;
  }
  return out;
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

describe('service section of the Edit Tenant dialog', () => {
  let t: TestApp;
  let orgA: OrgRef;
  let ava: UserRef;
  let ava$: SignedIn, bob$: SignedIn, bea$: SignedIn, ian$: SignedIn, root$: SignedIn;
  let TODAY: string, FUTURE: string, PAST: string;

  /** A fresh tenant of org A: ava assigned (P-FM), EXO 100 (migration-eligible), TEAMS 10, INTUNE 0. */
  async function fresh(opts: { scenario?: string } = {}) {
    const tenant = await createTenant(t.db);
    await assign(t.db, { tenant, userId: orgA.queueUserId, type: 'P-RM', primary: ['TENANT'] });
    await assign(t.db, { tenant, userId: ava.id, type: 'P-FM', scopes: ['TENANT', 'EXO'], primary: ['EXO'] });
    const exo = await addService(t.db, tenant, 'EXO', { total: 100, scenario: opts.scenario });
    const teams = await addService(t.db, tenant, 'TEAMS', { total: 10 });
    await addService(t.db, tenant, 'INTUNE', { total: 0 });
    const [row] = await t.db('entitlement_status_rows').where('tenant_service_id', exo);
    return { tenant, exo, teams, rowId: String(row.id) };
  }

  /** A valid EXO save: 90 In Progress / Migration + 10 Blocked / Legal, migration declined. */
  function validForm(rowId: string, over: Partial<Form> = {}): Form {
    return {
      version: '1',
      engagement_scenario: 'FTC-FTP Led',
      statuses: [
        {
          id: rowId,
          l1: 'In Progress',
          l2: 'Migration',
          entitlements: '90',
          note: 'Migrating mailboxes in weekly batches',
          target_date: FUTURE,
        },
        { l1: 'Blocked', l2: 'Legal/Regulatory', entitlements: '10', note: 'Works council approval is pending' },
      ],
      ms_performing_migration: 'no',
      migration_rejection_reason: 'Customer will self-migrate',
      migration_rejection_note: 'Their IT team moves the mailboxes',
      ...over,
    };
  }

  const url = (tenant: TenantRef, code = 'EXO') => `/tenants/${tenant.guid}/services/${code}`;
  function post(who: SignedIn, tenant: TenantRef, form: Form, opts: { htmx?: boolean; code?: string } = {}) {
    const req = who.agent
      .post(url(tenant, opts.code))
      .type('form')
      .send({ ...flat(form), _csrf: who.csrf });
    return opts.htmx ? hx(req) : req;
  }
  async function state(exo: number) {
    const ts = sqliteForm(await t.db('tenant_services').where('id', exo).first());
    return {
      ts,
      rows: (await t.db('entitlement_status_rows').where('tenant_service_id', exo).orderBy('id')).map(sqliteForm),
      history: await t.db('entitlement_status_history').where('tenant_service_id', exo),
      lines: await t.db('migration_type_lines').where('tenant_service_id', exo),
      notes: await t
        .db('notes as n')
        .join('note_services as s', 's.note_id', 'n.id')
        .where({ 's.service_code': 'EXO', 'n.tenant_id': ts.tenant_id }),
    };
  }
  /** 422 with a message on the field and nothing saved. */
  async function expect422(
    res: { status: number; text: string },
    fieldName: string,
    exo: number,
    message?: string | RegExp,
  ) {
    expect(res.status).toBe(422);
    const el = html(res.text).querySelector(`[data-field="${fieldName}"]`);
    expect(el).not.toBeNull();
    if (message) expect(el!.text).toMatch(message);
    const s = await state(exo);
    expect(s.ts.version).toBe(1);
    expect(s.history).toHaveLength(0);
    expect(s.notes).toHaveLength(0);
    expect(s.rows).toHaveLength(1);
  }

  beforeAll(async () => {
    t = await buildTestApp();
    TODAY = today(t.config);
    FUTURE = addDays(TODAY, 30);
    PAST = addDays(TODAY, -3);
    orgA = await createOrg(t.db);
    const orgB = await createOrg(t.db);
    ava = await createUser(t.db, { org: orgA, name: 'Ava Smith' });
    const bob = await createUser(t.db, { org: orgA });
    const bea = await createUser(t.db, { org: orgB });
    const ian = await createUser(t.db, { kind: 'internal', managedOrgs: [orgA] });
    const root = await createUser(t.db, { kind: 'admin' });
    ava$ = await loginAs(t.app, ava.upn);
    bob$ = await loginAs(t.app, bob.upn);
    bea$ = await loginAs(t.app, bea.upn);
    ian$ = await loginAs(t.app, ian.upn);
    root$ = await loginAs(t.app, root.upn);
  });
  afterAll(() => t.close());

  describe('GET /tenants/:tenantId/services/:code/edit', () => {
    it('renders the section as an htmx fragment and as a full page without htmx', async () => {
      const { tenant } = await fresh();
      const frag = await hx(ava$.agent.get(`${url(tenant)}/edit`));
      expect(frag.status).toBe(200);
      expect(frag.headers.vary).toMatch(/HX-Request/);
      expect(frag.text).not.toMatch(/<html/i);
      const doc = html(frag.text);
      expect(doc.querySelector('form#svc-form-EXO')).not.toBeNull();
      expect(doc.querySelector('[data-total="statuses"]')!.text).toBe('100 of 100');
      // §5.4 B1: rows are read-only with Edit; the row's values travel as hidden fields for the tab's Save
      expect(doc.querySelector('input[type="hidden"][name="statuses[0][l1]"]')!.getAttribute('value')).toBe(
        'Status Unknown',
      );
      expect(doc.querySelector('select[name="statuses[0][l1]"]')).toBeNull();
      expect(doc.querySelector('tr[data-row="0"] .chip')!.text).toBe('Status Unknown');
      expect(doc.querySelector('button[value="edit:0"]')).not.toBeNull();
      expect(doc.querySelector('button[value="add_status"]')).not.toBeNull();
      expect(doc.querySelector('input[name="ms_performing_migration"]')).not.toBeNull();
      // the forecast feature's partial sits between the grid and Data Migration, outside the section form
      expect(doc.querySelector('section.forecast-section')).not.toBeNull();
      expect(doc.querySelector('form#svc-form-EXO section.forecast-section')).toBeNull();
      expect(doc.querySelector('[data-primary="P-FM"]')!.text).toBe('Ava Smith');
      expect(frag.text).toContain('To correct this, use the CPOR claim process or a Partner Center support ticket.');
      const page = await ava$.agent.get(`${url(tenant)}/edit`);
      expect(page.status).toBe(200);
      expect(page.text).toMatch(/<html/i);
      expect(html(page.text).querySelector('h1')!.text).toContain(tenant.name);
    });

    it('hides Data Migration for a service that is not migration-eligible', async () => {
      const { tenant } = await fresh();
      const res = await hx(ava$.agent.get(`${url(tenant, 'TEAMS')}/edit`));
      expect(res.status).toBe(200);
      expect(html(res.text).querySelector('input[name="ms_performing_migration"]')).toBeNull();
    });

    it('V-20: a service with no eligible entitlements (or none at all) is 404 for GET and POST', async () => {
      const { tenant } = await fresh();
      expect((await ava$.agent.get(`${url(tenant, 'INTUNE')}/edit`)).status).toBe(404);
      expect((await ava$.agent.get(`${url(tenant, 'SPO')}/edit`)).status).toBe(404);
      expect((await ava$.agent.get(`${url(tenant, 'nope!')}/edit`)).status).toBe(404);
      const res = await post(ava$, tenant, { version: '1' }, { code: 'INTUNE' });
      expect(res.status).toBe(404);
    });

    it('shows the grid without Edit, Remove, Add or Save buttons to a guest and an internal user', async () => {
      const { tenant } = await fresh();
      for (const who of [bob$, ian$]) {
        const doc = html((await hx(who.agent.get(`${url(tenant)}/edit`))).text);
        expect(doc.querySelector('tr[data-row="0"] .chip')!.text).toBe('Status Unknown');
        expect(doc.querySelectorAll('.status-grid button')).toHaveLength(0);
        expect(doc.querySelector('button[value="save"]')).toBeNull();
      }
    });

    it('returns 404 to another org', async () => {
      const { tenant } = await fresh();
      expect((await bea$.agent.get(`${url(tenant)}/edit`)).status).toBe(404);
    });
  });

  describe('POST /tenants/:tenantId/services/:code', () => {
    it('saves grid, migration and scenario in one go (htmx): rows, history, Service Intent notes, version', async () => {
      const { tenant, exo, rowId } = await fresh();
      const res = await post(ava$, tenant, validForm(rowId), { htmx: true });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.headers['hx-trigger'])).toEqual({ 'tenant:changed': { tenantId: tenant.guid } });
      expect(html(res.text).querySelector('[data-total="statuses"]')!.text).toBe('100 of 100');
      const s = await state(exo);
      expect(s.ts).toMatchObject({ version: 2, engagement_scenario: 'FTC-FTP Led', ms_performing_migration: 0 });
      expect(s.ts.migration_rejection_reason).toBe('Customer will self-migrate');
      expect(s.rows.map((r) => [r.id, r.l1, r.l2, r.entitlements])).toEqual([
        [Number(rowId), 'In Progress', 'Migration', 90],
        [expect.any(Number), 'Blocked', 'Legal/Regulatory', 10],
      ]);
      expect(s.rows[0].updated_by).toBe(ava.id);
      expect(s.history.map((h) => h.action).sort()).toEqual(['create', 'update']);
      expect(s.notes.map((n) => n.body_text).sort()).toEqual([
        'Migrating mailboxes in weekly batches',
        'Works council approval is pending',
      ]);
      expect(s.notes[0]).toMatchObject({
        category: 'Service Intent',
        source_context: 'entitlement_status',
        author_user_id: ava.id,
      });
      expect(s.notes[0].search_tenant).toBe(tenant.name);
      expect(s.notes[0].search_services).toBe('Exchange');
    });

    it('redirects with 303 and a flash without htmx, and a removed row is deleted with a history row', async () => {
      const { tenant, exo, rowId } = await fresh();
      const form = validForm(rowId, {
        statuses: [{ l1: 'In Progress', l2: 'Migration', entitlements: '100', note: 'All mailboxes are moving now' }],
      });
      const res = await post(ava$, tenant, form);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`${url(tenant)}/edit`);
      expect(res.headers['hx-trigger']).toBeUndefined();
      const s = await state(exo);
      expect(s.rows).toHaveLength(1);
      expect(s.history.map((h) => h.action).sort()).toEqual(['create', 'delete']);
      const page = await ava$.agent.get(res.headers.location);
      expect(page.text).toContain('Saved Exchange.');
    });

    it('does not write a note or history for an unchanged row', async () => {
      const { tenant, exo, rowId } = await fresh();
      const form = validForm(rowId, {
        statuses: [
          {
            id: rowId,
            l1: 'Status Unknown',
            l2: 'New Subscription or Workload',
            entitlements: '100',
            note: 'Seeded by test',
          },
        ],
      });
      expect((await post(ava$, tenant, form)).status).toBe(303);
      const s = await state(exo);
      expect(s.history).toHaveLength(0);
      expect(s.notes).toHaveLength(0);
      expect(s.ts.version).toBe(2);
    });

    it('opens the new-row editor and a removal question, adds and removes migration lines, all without saving (200)', async () => {
      const { tenant, exo, rowId } = await fresh();
      const add = await post(ava$, tenant, { ...validForm(rowId), _action: 'add_status' }, { htmx: true });
      expect(add.status).toBe(200);
      let doc = html(add.text);
      expect(doc.querySelectorAll('tr[data-row]')).toHaveLength(3);
      expect(doc.querySelector('tr[data-editor="add"]')!.getAttribute('data-row')).toBe('2');
      expect(doc.querySelector('input[name="_row_mode"]')!.getAttribute('value')).toBe('add');
      const ask = await post(ava$, tenant, { ...validForm(rowId), _action: 'remove:0' });
      expect(ask.status).toBe(200);
      doc = html(ask.text);
      expect(doc.querySelector('tr[data-remove="0"] select[name="receiver"]')).not.toBeNull();
      expect(doc.querySelector('[data-total="statuses"]')!.text).toBe('100 of 100');
      const line = await post(ava$, tenant, {
        ...validForm(rowId),
        ms_performing_migration: 'yes',
        _action: 'add_line',
      });
      expect(html(line.text).querySelectorAll('tr[data-line]')).toHaveLength(1);
      expect((await state(exo)).ts.version).toBe(1);
      expect((await state(exo)).history).toHaveLength(0);
    });

    it('V-21: returns 422 for an unknown L1 and for entitlements that are not a whole number ≥ 1', async () => {
      const { tenant, exo, rowId } = await fresh();
      const form = validForm(rowId);
      form.statuses![0].l1 = 'Maybe';
      form.statuses![1].entitlements = '1e1';
      const res = await post(ava$, tenant, form, { htmx: true });
      await expect422(res, 'statuses[0][l1]', exo);
      expect(html(res.text).querySelector('[data-field="statuses[1][entitlements]"]')).not.toBeNull();
      // the user's values are kept
      expect(html(res.text).querySelector('input[name="statuses[1][entitlements]"]')!.getAttribute('value')).toBe(
        '1e1',
      );
    });

    it('V-22: L2 must be a child of L1, is required for Blocked, empty for Duplicate/Invalid', async () => {
      const { tenant, exo, rowId } = await fresh();
      const form = validForm(rowId);
      form.statuses![0].l2 = 'Legal/Regulatory';
      await expect422(await post(ava$, tenant, form), 'statuses[0][l2]', exo, /not an L2 of In Progress/);
      const f2 = validForm(rowId);
      f2.statuses![1].l2 = '';
      await expect422(await post(ava$, tenant, f2), 'statuses[1][l2]', exo, /needs an L2/);
      const f3 = validForm(rowId);
      f3.statuses![1] = {
        l1: 'Duplicate/Invalid',
        l2: 'Migration',
        entitlements: '10',
        note: 'This is a duplicate tenant',
      };
      await expect422(await post(ava$, tenant, f3), 'statuses[1][l2]', exo, /no L2/);
    });

    it('V-22: accepts an alias and stores the canonical L2', async () => {
      const { tenant, exo, rowId } = await fresh();
      const form = validForm(rowId);
      form.statuses![0].l2 = 'Technical Onboarding';
      expect((await post(ava$, tenant, form)).status).toBe(303);
      expect((await state(exo)).rows[0].l2).toBe('Technical Onboarding and Deployment');
    });

    it('V-23: L3 needs an L2 and must be one of its children', async () => {
      const { tenant, exo, rowId } = await fresh();
      const form = validForm(rowId);
      form.statuses![0] = { ...form.statuses![0], l2: '', l3: 'Something' };
      await expect422(await post(ava$, tenant, form), 'statuses[0][l3]', exo, /L2 before an L3/);
      const f2 = validForm(rowId);
      f2.statuses![0].l3 = 'Not a child';
      await expect422(await post(ava$, tenant, f2), 'statuses[0][l3]', exo, /not a child/);
    });

    it('V-24: a target date only for In Progress/Blocked and not in the past; In Progress without one warns', async () => {
      const { tenant, exo, rowId } = await fresh();
      const form = validForm(rowId);
      form.statuses![1] = {
        l1: 'No Intent',
        l2: 'Executive Sponsorship',
        entitlements: '10',
        note: 'Leadership sees no value',
        target_date: FUTURE,
      };
      await expect422(await post(ava$, tenant, form), 'statuses[1][target_date]', exo, /only allowed/);
      const f2 = validForm(rowId);
      f2.statuses![0].target_date = PAST;
      await expect422(await post(ava$, tenant, f2), 'statuses[0][target_date]', exo, /past/);
      const f3 = validForm(rowId);
      f3.statuses![0].target_date = '2026-02-30';
      await expect422(await post(ava$, tenant, f3), 'statuses[0][target_date]', exo, /real date/);
      const f4 = validForm(rowId);
      f4.statuses![0].target_date = '';
      const ok = await post(ava$, tenant, f4, { htmx: true });
      expect(ok.status).toBe(200);
      expect(ok.text).toContain('expected to have a target date');
    });

    it('V-25: an In Progress row has no owner', async () => {
      const { tenant, exo, rowId } = await fresh();
      const form = validForm(rowId);
      form.statuses![0].owner = 'Account Team';
      await expect422(await post(ava$, tenant, form), 'statuses[0][owner]', exo, /no owner/);
    });

    it('V-26: returns 422 with the exact message when the rows do not add up', async () => {
      const { tenant, exo, rowId } = await fresh();
      const form = validForm(rowId);
      form.statuses![1].entitlements = '5';
      await expect422(
        await post(ava$, tenant, form, { htmx: true }),
        'statuses',
        exo,
        'Entitlement statuses must add up to 100 entitlements (currently 95).',
      );
    });

    it('V-27: the same L1/L2/L3 combination cannot appear twice', async () => {
      const { tenant, exo, rowId } = await fresh();
      const form = validForm(rowId);
      form.statuses![1] = { l1: 'In Progress', l2: 'Migration', entitlements: '10', note: 'More mailboxes are moving' };
      await expect422(await post(ava$, tenant, form), 'statuses[1][l1]', exo, /already used/);
    });

    it('V-28: the status note needs at least 3 words and at most 2000 characters; a poor suggestion only warns', async () => {
      const { tenant, exo, rowId } = await fresh();
      const form = validForm(rowId);
      form.statuses![1].note = 'Legal issue';
      await expect422(await post(ava$, tenant, form), 'statuses[1][note]', exo, /3 words/);
      const f2 = validForm(rowId);
      f2.statuses![1].note = 'word '.repeat(500);
      await expect422(await post(ava$, tenant, f2), 'statuses[1][note]', exo, /2000/);
      const f3 = validForm(rowId);
      Object.assign(f3.statuses![1], { suggested_l1: 'Blocked', suggested_l2: '', suggestion_confidence: 'poor' });
      const ok = await post(ava$, tenant, f3, { htmx: true });
      expect(ok.status).toBe(200);
      expect(ok.text).toContain('poor suggestion');
      const rows = (await state(exo)).rows;
      expect(rows[1]).toMatchObject({ suggested_l1: 'Blocked', suggestion_confidence: 'poor', overridden: 1 });
    });

    it('V-29: the next action date must be today or later when set', async () => {
      const { tenant, exo, rowId } = await fresh();
      const form = validForm(rowId);
      form.statuses![1].next_action_date = PAST;
      await expect422(await post(ava$, tenant, form), 'statuses[1][next_action_date]', exo, /today or later/);
      const f2 = validForm(rowId);
      f2.statuses![1].next_action_date = TODAY;
      expect((await post(ava$, tenant, f2)).status).toBe(303);
    });

    it('V-40: the migration decision is required for a migration-eligible service', async () => {
      const { tenant, exo, rowId } = await fresh();
      await expect422(
        await post(ava$, tenant, validForm(rowId, { ms_performing_migration: '' })),
        'ms_performing_migration',
        exo,
      );
    });

    it('V-41: yes needs dates (end ≥ start), lines with lookup types, and lines adding up to the total', async () => {
      const { tenant, exo, rowId } = await fresh();
      const yes = { ms_performing_migration: 'yes', migration_rejection_reason: '', migration_rejection_note: '' };
      const r1 = await post(
        ava$,
        tenant,
        validForm(rowId, { ...yes, migration_start_date: FUTURE, migration_end_date: TODAY }),
      );
      await expect422(r1, 'migration_end_date', exo, /before the start/);
      expect(html(r1.text).querySelector('[data-field="migration_lines"]')!.text).toMatch(/at least one/);
      const lines = [
        { type: 'Mig-ExHybrid', entitlements: '60', estimated_date: FUTURE },
        { type: 'Mig-Unknown', entitlements: '30', estimated_date: FUTURE },
      ];
      const dates = { migration_start_date: TODAY, migration_end_date: FUTURE };
      const r2 = await post(ava$, tenant, validForm(rowId, { ...yes, ...dates, migration_lines: lines }));
      await expect422(r2, 'migration_lines[1][type]', exo);
      expect(html(r2.text).querySelector('[data-field="migration_lines"]')!.text).toBe(
        'Migration lines must add up to 100 entitlements (currently 90).',
      );
      const good: Row[] = [
        { type: 'Mig-ExHybrid', entitlements: '60', estimated_date: FUTURE, data_size_gb: '120.5' },
        { type: 'Mig-GmailStaged', entitlements: '40', estimated_date: addDays(FUTURE, 10) },
      ];
      const ok = await post(ava$, tenant, validForm(rowId, { ...yes, ...dates, migration_lines: good }), {
        htmx: true,
      });
      expect(ok.status).toBe(200);
      expect(ok.text).toContain('outside the migration start and end dates');
      const s = await state(exo);
      expect(s.ts).toMatchObject({
        ms_performing_migration: 1,
        migration_start_date: TODAY,
        migration_rejection_reason: null,
      });
      expect(s.lines.map((l) => [l.migration_type, l.entitlements, l.data_size_gb])).toEqual([
        ['Mig-ExHybrid', 60, 120.5],
        ['Mig-GmailStaged', 40, null],
      ]);
    });

    it('V-42: no needs a reason and a note, and removes the lines', async () => {
      const { tenant, exo, rowId } = await fresh();
      const r = await post(
        ava$,
        tenant,
        validForm(rowId, { migration_rejection_reason: 'Because', migration_rejection_note: '' }),
      );
      await expect422(r, 'migration_rejection_reason', exo);
      expect(html(r.text).querySelector('[data-field="migration_rejection_note"]')).not.toBeNull();
      await t.db('migration_type_lines').insert({
        tenant_service_id: exo,
        migration_type: 'Mig-IMAP',
        entitlements: 100,
        estimated_migration_date: FUTURE,
        created_at: TODAY,
        updated_at: TODAY,
      });
      expect((await post(ava$, tenant, validForm(rowId))).status).toBe(303);
      expect((await state(exo)).lines).toHaveLength(0);
    });

    it('V-43: a partner request that includes a line status is rejected', async () => {
      const { tenant, exo, rowId } = await fresh();
      const form = validForm(rowId, {
        ms_performing_migration: 'yes',
        migration_start_date: TODAY,
        migration_end_date: FUTURE,
        migration_lines: [{ type: 'Mig-ExHybrid', entitlements: '100', estimated_date: FUTURE, status: 'Approved' }],
      });
      await expect422(await post(ava$, tenant, form), 'migration_lines[0][status]', exo, /Migration SME/);
    });

    it('V-50: the engagement scenario is required', async () => {
      const { tenant, exo, rowId } = await fresh();
      await expect422(
        await post(ava$, tenant, validForm(rowId, { engagement_scenario: '' })),
        'engagement_scenario',
        exo,
      );
    });

    it('V-51: a partner cannot pick an FTC-only scenario; an admin can', async () => {
      const { tenant, exo, rowId } = await fresh();
      await expect422(
        await post(ava$, tenant, validForm(rowId, { engagement_scenario: 'FTC-CSS Led' })),
        'engagement_scenario',
        exo,
        /Your role cannot change this Engagement Scenario/,
      );
      expect((await post(root$, tenant, validForm(rowId, { engagement_scenario: 'FTC-CSS Led' }))).status).toBe(303);
      expect((await state(exo)).ts.engagement_scenario).toBe('FTC-CSS Led');
    });

    it('V-51 / A-16: an FTC-led current value is read-only for partners, with the message and the banner', async () => {
      const { tenant, exo, rowId } = await fresh({ scenario: 'CXP' });
      const doc = html((await hx(ava$.agent.get(`${url(tenant)}/edit`))).text);
      expect(doc.querySelector('select[name="engagement_scenario"]')!.hasAttribute('disabled')).toBe(true);
      expect(doc.querySelector('[data-rule="V-51"]')!.text).toBe(
        "Your role cannot change this Engagement Scenario. Ask for the change through FTC Help using the category 'Engagement Scenario Change'.",
      );
      expect(doc.querySelector('[data-rule="A-16"]')!.text).toContain(
        "FTC maintains this service's data; add notes about your activities instead.",
      );
      await expect422(
        await post(ava$, tenant, validForm(rowId, { engagement_scenario: 'FTC-FTP Led' })),
        'engagement_scenario',
        exo,
        /Your role cannot change/,
      );
      // keeping the value (the hidden field) saves the rest
      expect((await post(ava$, tenant, validForm(rowId, { engagement_scenario: 'CXP' }))).status).toBe(303);
    });

    it('returns 422, never 500, for malformed numbers, dates and oversized text', async () => {
      const { tenant, exo, rowId } = await fresh();
      const form = validForm(rowId, {
        ms_performing_migration: 'yes',
        migration_start_date: 'tomorrow',
        migration_end_date: '2026-13-01',
        migration_lines: [{ type: 'Mig-ExHybrid', entitlements: '-5', estimated_date: 'x', data_size_gb: 'lots' }],
      });
      form.statuses![0].entitlements = '9'.repeat(40);
      form.statuses![1].owner = 'o'.repeat(300);
      const res = await post(ava$, tenant, form);
      await expect422(res, 'migration_start_date', exo);
      const doc = html(res.text);
      for (const name of [
        'migration_end_date',
        'migration_lines[0][entitlements]',
        'migration_lines[0][estimated_date]',
        'migration_lines[0][data_size_gb]',
        'statuses[0][entitlements]',
        'statuses[1][owner]',
      ])
        expect(doc.querySelector(`[data-field="${name}"]`)).not.toBeNull();
    });

    it('returns 409 with a conflict block and a reload link when the version is stale; nothing saved', async () => {
      const { tenant, exo, rowId } = await fresh();
      await t.db('tenant_services').where('id', exo).update({ version: 3, engagement_scenario: 'Customer Led' });
      const res = await post(ava$, tenant, validForm(rowId), { htmx: true });
      expect(res.status).toBe(409);
      const block = html(res.text).querySelector('[data-conflict]')!;
      expect(block.text).toContain('version 3');
      expect(block.text).toContain('Engagement scenario: yours "FTC-FTP Led", stored "Customer Led"');
      expect(block.querySelector('a[data-reload]')!.getAttribute('href')).toBe(`${url(tenant)}/edit`);
      const s = await state(exo);
      expect(s.ts.version).toBe(3);
      expect(s.history).toHaveLength(0);
      expect(s.notes).toHaveLength(0);
    });

    it('returns 403 to a guest and an internal user, 404 to another org; nothing saved', async () => {
      const { tenant, exo, rowId } = await fresh();
      expect((await post(bob$, tenant, validForm(rowId))).status).toBe(403);
      expect((await post(ian$, tenant, validForm(rowId), { htmx: true })).status).toBe(403);
      expect((await post(bea$, tenant, validForm(rowId))).status).toBe(404);
      const s = await state(exo);
      expect(s.ts.version).toBe(1);
      expect(s.rows).toHaveLength(1);
    });

    it('never takes a row id from another service (mass assignment): it becomes a new row', async () => {
      const { tenant, exo, teams, rowId } = await fresh();
      const [foreign] = await t.db('entitlement_status_rows').where('tenant_service_id', teams);
      const form = validForm(rowId);
      form.statuses![1].id = String(foreign.id);
      expect((await post(ava$, tenant, form)).status).toBe(303);
      expect((await state(exo)).rows).toHaveLength(2);
      expect(await t.db('entitlement_status_rows').where('id', foreign.id).first()).toMatchObject({
        tenant_service_id: teams,
      });
    });

    it('V-24 / V-29: stored dates that have since passed do not block an unrelated save', async () => {
      const { tenant, exo, rowId } = await fresh();
      await t
        .db('entitlement_status_rows')
        .where('id', rowId)
        .update({ l1: 'Blocked', l2: 'Legal/Regulatory', target_date: PAST, next_action_date: PAST });
      const form = validForm(rowId);
      form.statuses![0] = {
        id: rowId,
        l1: 'Blocked',
        l2: 'Legal/Regulatory',
        entitlements: '90',
        note: 'Works council approval is pending',
        target_date: PAST,
        next_action_date: PAST,
      };
      form.statuses![1] = {
        l1: 'In Progress',
        l2: 'Migration',
        entitlements: '10',
        note: 'Migrating mailboxes in weekly batches',
        target_date: FUTURE,
      };
      expect((await post(ava$, tenant, form)).status).toBe(303);
      expect((await state(exo)).rows[0]).toMatchObject({ id: Number(rowId), target_date: PAST, entitlements: 90 });
    });

    it('removes a migration line without saving', async () => {
      const { tenant, exo, rowId } = await fresh();
      const lines = [
        { type: 'Mig-ExHybrid', entitlements: '60', estimated_date: FUTURE },
        { type: 'Mig-IMAP', entitlements: '40', estimated_date: FUTURE },
      ];
      const res = await post(ava$, tenant, {
        ...validForm(rowId),
        ms_performing_migration: 'yes',
        migration_lines: lines,
        remove_line: '0',
      });
      expect(res.status).toBe(200);
      const doc = html(res.text);
      expect(doc.querySelectorAll('tr[data-line]')).toHaveLength(1);
      expect(doc.querySelector('select[name="migration_lines[0][type]"] option[selected]')!.text).toBe('Mig-IMAP');
      expect(doc.querySelector('[data-total="migration_lines"]')!.text).toBe('40 of 100');
      expect((await state(exo)).lines).toHaveLength(0);
    });

    it('moves the section form’s version along with its own forecast autosave (out of band), not with anyone else’s save', async () => {
      const { tenant, exo } = await fresh();
      await t.db('tenant_services').where('id', exo).update({ version: 5, rfa_submitted_date: '2026-01-01' });
      const inAMonth = new Date(Date.now() + 30 * 86400000).toISOString().slice(0, 10);
      const res = await hx(
        ava$.agent
          .post(`${url(tenant)}/forecast`)
          .type('form')
          .send({ _csrf: ava$.csrf, version: '5', target_max_au_date: inAMonth }),
      );
      expect(res.status).toBe(200);
      const oob = html(res.text).querySelector('input#svc-version-EXO[hx-swap-oob]')!;
      expect(oob.getAttribute('value')).toBe('6');
      expect(oob.getAttribute('form')).toBe('svc-form-EXO');
    });

    it('pre-fills one row from the suggester without JS (Suggest button posts the section)', async () => {
      const { tenant, exo, rowId } = await fresh();
      const form = validForm(rowId, { _action: 'suggest:0' });
      form.statuses![0].note = 'They use Slack and will not switch to Teams';
      const res = await post(ava$, tenant, form);
      expect(res.status).toBe(200);
      const doc = html(res.text);
      // Suggest on a closed row opens it (the selects only exist in the row's editor)
      expect(doc.querySelector('input[name="_row_mode"]')!.getAttribute('value')).toBe('edit:0');
      expect(doc.querySelector('select[name="statuses[0][l1]"] option[selected]')!.text).toBe('No Intent');
      expect(doc.querySelector('#status-sel-0 [data-confidence]')!.getAttribute('data-confidence')).toBe('high');
      expect((await state(exo)).ts.version).toBe(1);
    });
  });

  describe('Entitlement Status grid: one row at a time (DOMAIN.md §5.4 B1, issue points 5 and 6)', () => {
    const SU = { l1: 'Status Unknown', l2: 'New Subscription or Workload' };
    const IP = { l1: 'In Progress', l2: 'Migration' };
    const BL = { l1: 'Blocked', l2: 'Legal/Regulatory' };

    /** EXO 100 as Status Unknown 50 / In Progress 40 / Blocked 10; scenario and migration answered unless `open`. */
    async function grid(opts: { open?: boolean; rows?: { l1: string; l2: string; entitlements: number }[] } = {}) {
      const tenant = await createTenant(t.db);
      await assign(t.db, { tenant, userId: orgA.queueUserId, type: 'P-RM', primary: ['TENANT'] });
      await assign(t.db, { tenant, userId: ava.id, type: 'P-FM', scopes: ['TENANT', 'EXO'], primary: ['EXO'] });
      const rows = opts.rows ?? [
        { ...SU, entitlements: 50 },
        { ...IP, entitlements: 40 },
        { ...BL, entitlements: 10 },
      ];
      const exo = await addService(t.db, tenant, 'EXO', {
        total: 100,
        scenario: opts.open ? undefined : 'FTC-FTP Led',
        rows,
      });
      if (!opts.open)
        await t.db('tenant_services').where('id', exo).update({
          ms_performing_migration: false,
          migration_rejection_reason: 'Customer will self-migrate',
          migration_rejection_note: 'Their IT team moves the mailboxes',
        });
      const ids = (await t.db('entitlement_status_rows').where('tenant_service_id', exo).orderBy('id')).map((r) =>
        String(r.id),
      );
      return { tenant, exo, ids };
    }

    /** What the browser would post from a rendered section: its form's fields and those joined by form="…". */
    function fieldsOf(text: string): Record<string, string> {
      const doc = html(text);
      const out: Record<string, string> = {};
      for (const el of doc.querySelectorAll(
        '#svc-form-EXO input, #svc-form-EXO select, #svc-form-EXO textarea, [form="svc-form-EXO"]',
      )) {
        const name = el.getAttribute('name');
        const type = el.getAttribute('type') ?? '';
        if (!name || el.hasAttribute('disabled') || type === 'submit' || el.tagName === 'BUTTON') continue;
        if ((type === 'radio' || type === 'checkbox') && !el.hasAttribute('checked')) continue;
        if (el.tagName === 'SELECT') {
          const opt = el.querySelector('option[selected]') ?? el.querySelector('option');
          out[name] = opt?.getAttribute('value') ?? '';
        } else if (el.tagName === 'TEXTAREA') out[name] = el.text;
        else out[name] = el.getAttribute('value') ?? '';
      }
      return out;
    }
    function send(fields: Record<string, string>, tenant: TenantRef, opts: { htmx?: boolean } = {}) {
      const req = ava$.agent
        .post(url(tenant))
        .type('form')
        .send({ ...fields, _csrf: ava$.csrf });
      return opts.htmx ? hx(req) : req;
    }
    /** GET the tab, then press a button (`_action`), as the browser does; returns the answer's fields. */
    async function press(tenant: TenantRef, action: string, fields?: Record<string, string>) {
      const base = fields ?? fieldsOf((await hx(ava$.agent.get(`${url(tenant)}/edit`))).text);
      const res = await send({ ...base, _action: action }, tenant, { htmx: true });
      expect(res.status).toBe(200);
      return { res, doc: html(res.text), fields: fieldsOf(res.text) };
    }
    const rowsOf = async (exo: number) =>
      (await t.db('entitlement_status_rows').where('tenant_service_id', exo).orderBy('id')).map((r) => ({
        id: String(r.id),
        l1: r.l1,
        l2: r.l2,
        entitlements: r.entitlements,
        note: r.status_note,
      }));

    it('Edit opens that row only (the others stay read-only, Add and Edit are disabled); nothing is saved', async () => {
      const { tenant, exo } = await grid();
      const { doc } = await press(tenant, 'edit:1');
      expect(doc.querySelectorAll('tr[data-editor]').map((r) => r.getAttribute('data-row'))).toEqual(['1']);
      expect(doc.querySelector('textarea[name="statuses[1][note]"]')).not.toBeNull();
      expect(doc.querySelector('select[name="statuses[1][l1]"] option[selected]')!.text).toBe('In Progress');
      expect(doc.querySelector('select[name="statuses[0][l1]"]')).toBeNull();
      expect(doc.querySelector('button[value="edit:0"]')!.hasAttribute('disabled')).toBe(true);
      expect(doc.querySelector('button[value="add_status"]')!.hasAttribute('disabled')).toBe(true);
      expect(doc.querySelector('tr[data-editor] button[value="update:1"]')!.text).toBe('Update');
      expect((await state(exo)).ts.version).toBe(1);
    });

    it('Update commits that row alone: the other rows and the sections as stored, whatever else the form holds', async () => {
      const { tenant, exo, ids } = await grid();
      const before = await rowsOf(exo);
      const { fields } = await press(tenant, 'edit:1');
      fields['statuses[1][note]'] = 'Migrating the remaining mailboxes in two batches';
      fields['statuses[1][target_date]'] = FUTURE;
      // stale or tampered values elsewhere in the form are not part of a row's Update
      fields['statuses[2][entitlements]'] = '9';
      fields['statuses[0][note]'] = 'Changed behind the grid somehow';
      fields.engagement_scenario = 'Customer Led';
      const res = await send({ ...fields, _action: 'update:1' }, tenant, { htmx: true });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.headers['hx-trigger'])).toEqual({ 'tenant:changed': { tenantId: tenant.guid } });
      const doc = html(res.text);
      expect(doc.querySelector('tr.is-updated')!.getAttribute('data-row')).toBe('1');
      expect(doc.querySelector('tr[data-editor]')).toBeNull();
      const after = await rowsOf(exo);
      expect(after[0]).toEqual(before[0]);
      expect(after[2]).toEqual(before[2]);
      expect(after[1]).toEqual({ ...before[1], note: 'Migrating the remaining mailboxes in two batches' });
      const s = await state(exo);
      expect(s.ts).toMatchObject({ version: 2, engagement_scenario: 'FTC-FTP Led' });
      expect(s.rows[1].target_date).toBe(FUTURE);
      expect(s.history.map((h) => [h.action, String(h.row_id)])).toEqual([['update', ids[1]]]);
      expect(s.notes.map((n) => n.body_text)).toEqual(['Migrating the remaining mailboxes in two batches']);
    });

    it('Update without htmx redirects (303) with a flash', async () => {
      const { tenant, exo } = await grid();
      const { fields } = await press(tenant, 'edit:2');
      fields['statuses[2][owner]'] = 'Works council';
      const res = await send({ ...fields, _action: 'update:2' }, tenant);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`${url(tenant)}/edit`);
      expect((await state(exo)).rows[2].owner).toBe('Works council');
      expect((await ava$.agent.get(res.headers.location)).text).toContain('Saved the status row of Exchange.');
    });

    it('V-26: an Update that unbalances the grid is 422 with the message at the row, the edits kept, nothing saved', async () => {
      const { tenant, exo } = await grid();
      const { fields } = await press(tenant, 'edit:1');
      fields['statuses[1][entitlements]'] = '35';
      fields['statuses[1][note]'] = 'Fewer mailboxes are moving than planned';
      const res = await send({ ...fields, _action: 'update:1' }, tenant, { htmx: true });
      expect(res.status).toBe(422);
      const doc = html(res.text);
      const message = doc.querySelector('tr[data-editor="edit"] [data-field="statuses[1][entitlements]"]')!;
      expect(message.text).toBe('Entitlement statuses must add up to 100 entitlements (currently 95).');
      expect(doc.querySelector('input[name="statuses[1][entitlements]"]')!.getAttribute('value')).toBe('35');
      expect(doc.querySelector('textarea[name="statuses[1][note]"]')!.text).toBe(
        'Fewer mailboxes are moving than planned',
      );
      expect(doc.querySelector('input[name="_row_mode"]')!.getAttribute('value')).toBe('edit:1');
      const s = await state(exo);
      expect(s.ts.version).toBe(1);
      expect(s.history).toHaveLength(0);
      expect(s.rows.map((r) => r.entitlements)).toEqual([50, 40, 10]);
    });

    it('V-40 / V-50: an Update stopped only by Data Migration and the scenario says so at the row with links and keeps the edits; Save then commits both', async () => {
      const { tenant, exo } = await grid({ open: true });
      const { fields } = await press(tenant, 'edit:1');
      fields['statuses[1][note]'] = 'Migrating the remaining mailboxes in two batches';
      const res = await send({ ...fields, _action: 'update:1' }, tenant, { htmx: true });
      expect(res.status).toBe(422);
      const doc = html(res.text);
      const notice = doc.querySelector('tr.row-blocked [data-row-blocked]')!;
      expect(notice.text).toContain(
        'needs Data Migration and the Engagement Scenario answered before a status row can be saved',
      );
      expect(notice.querySelectorAll('a[data-section-link]').map((a) => a.getAttribute('href'))).toEqual([
        '#svc-EXO-migration',
        '#sc-EXO',
      ]);
      // the anchors lead to the sections of this very tab
      expect(doc.querySelector('fieldset#svc-EXO-migration')).not.toBeNull();
      expect(doc.querySelector('select#sc-EXO')).not.toBeNull();
      expect(doc.querySelector('[data-field^="statuses"]')).toBeNull();
      expect(doc.querySelector('[data-field="ms_performing_migration"]')).not.toBeNull();
      expect(doc.querySelector('[data-field="engagement_scenario"]')).not.toBeNull();
      expect(doc.querySelector('textarea[name="statuses[1][note]"]')!.text).toBe(
        'Migrating the remaining mailboxes in two batches',
      );
      expect((await state(exo)).ts.version).toBe(1);
      expect((await state(exo)).history).toHaveLength(0);

      // answering both sections and pressing the tab's Save commits the kept row edit with them
      const kept = fieldsOf(res.text);
      Object.assign(kept, {
        engagement_scenario: 'FTC-FTP Led',
        ms_performing_migration: 'no',
        migration_rejection_reason: 'Customer will self-migrate',
        migration_rejection_note: 'Their IT team moves the mailboxes',
        _action: 'save',
      });
      expect((await send(kept, tenant)).status).toBe(303);
      const s = await state(exo);
      expect(s.ts).toMatchObject({ version: 2, engagement_scenario: 'FTC-FTP Led', ms_performing_migration: 0 });
      expect(s.rows[1].status_note).toBe('Migrating the remaining mailboxes in two batches');
    });

    it('Add Entitlement Status takes N from the chosen row (Status Unknown by default); a source that reaches 0 is removed', async () => {
      const { tenant, exo, ids } = await grid();
      const opened = await press(tenant, 'add_status');
      expect(opened.doc.querySelector('select[name="move_from"] option[selected]')!.getAttribute('value')).toBe(ids[0]);
      const add = {
        ...opened.fields,
        'statuses[3][l1]': 'No Intent',
        'statuses[3][l2]': 'Using Competitive Solution',
        'statuses[3][note]': 'They use Slack and will not switch to Teams',
        move_from: ids[1],
        move_entitlements: '15',
        _action: 'add',
      };
      const res = await send(add, tenant, { htmx: true });
      expect(res.status).toBe(200);
      expect(html(res.text).querySelector('tr.is-updated .chip')!.text).toBe('No Intent');
      expect((await rowsOf(exo)).map((r) => [r.l1, r.entitlements])).toEqual([
        ['Status Unknown', 50],
        ['In Progress', 25],
        ['Blocked', 10],
        ['No Intent', 15],
      ]);

      // all 10 of the Blocked row: the row is removed
      const again = await press(tenant, 'add_status');
      const all = {
        ...again.fields,
        'statuses[4][l1]': 'In Progress',
        'statuses[4][l2]': 'Technical Onboarding and Deployment',
        'statuses[4][note]': 'Deploying Outlook mobile to the works council members',
        'statuses[4][target_date]': FUTURE,
        move_from: ids[2],
        move_entitlements: '10',
        _action: 'add',
      };
      expect((await send(all, tenant)).status).toBe(303);
      const rows = await rowsOf(exo);
      expect(rows.map((r) => [r.l1, r.entitlements])).toEqual([
        ['Status Unknown', 50],
        ['In Progress', 25],
        ['No Intent', 15],
        ['In Progress', 10],
      ]);
      expect(rows.some((r) => r.id === ids[2])).toBe(false);
      const s = await state(exo);
      expect(s.ts.version).toBe(3);
      expect(s.history.filter((h) => h.action === 'delete').map((h) => String(h.row_id))).toEqual([ids[2]]);
    });

    it('Add refuses to take more than the source row holds (422 at the field, nothing saved)', async () => {
      const { tenant, exo, ids } = await grid();
      const opened = await press(tenant, 'add_status');
      const res = await send(
        {
          ...opened.fields,
          'statuses[3][l1]': 'No Intent',
          'statuses[3][l2]': 'Using Competitive Solution',
          'statuses[3][note]': 'They use Slack and will not switch to Teams',
          move_from: ids[2],
          move_entitlements: '11',
          _action: 'add',
        },
        tenant,
        { htmx: true },
      );
      expect(res.status).toBe(422);
      const doc = html(res.text);
      expect(doc.querySelector('tr[data-editor="add"] [data-field="move_entitlements"]')!.text).toBe(
        'The row Blocked / Legal/Regulatory has only 10 entitlements.',
      );
      expect(doc.querySelector('input[name="move_entitlements"]')!.getAttribute('value')).toBe('11');
      expect((await state(exo)).ts.version).toBe(1);
      expect((await rowsOf(exo)).map((r) => r.entitlements)).toEqual([50, 40, 10]);
    });

    it('Remove asks which row receives the entitlements (Status Unknown by default) and gives them to the chosen one', async () => {
      const { tenant, exo, ids } = await grid();
      const ask = await press(tenant, 'remove:2');
      const receiver = ask.doc.querySelector('tr[data-remove="2"] select[name="receiver"]')!;
      expect(receiver.querySelector('option[selected]')!.getAttribute('value')).toBe(ids[0]);
      expect(receiver.querySelectorAll('option').map((o) => o.getAttribute('value'))).toEqual([ids[0], ids[1]]);
      expect((await state(exo)).ts.version).toBe(1);
      const res = await send({ ...ask.fields, receiver: ids[1], _action: 'remove:2' }, tenant, { htmx: true });
      expect(res.status).toBe(200);
      expect(html(res.text).querySelector('tr.is-updated')!.getAttribute('data-row')).toBe('1');
      expect((await rowsOf(exo)).map((r) => [r.id, r.l1, r.entitlements])).toEqual([
        [ids[0], 'Status Unknown', 50],
        [ids[1], 'In Progress', 50],
      ]);
      const s = await state(exo);
      expect(s.history.map((h) => h.action).sort()).toEqual(['delete', 'update']);
    });

    it('Remove creates the Status Unknown row when the grid has none', async () => {
      const { tenant, exo } = await grid({
        rows: [
          { ...IP, entitlements: 90 },
          { ...BL, entitlements: 10 },
        ],
      });
      const ask = await press(tenant, 'remove:1');
      expect(ask.doc.querySelector('select[name="receiver"] option[selected]')!.text).toBe(
        'Status Unknown / New Subscription or Workload (new row)',
      );
      expect((await send({ ...ask.fields, _action: 'remove:1' }, tenant)).status).toBe(303);
      const rows = await rowsOf(exo);
      expect(rows.map((r) => [r.l1, r.l2, r.entitlements])).toEqual([
        ['In Progress', 'Migration', 90],
        ['Status Unknown', 'New Subscription or Workload', 10],
      ]);
      expect(rows[1].note).toBe('Entitlements moved here when the Blocked / Legal/Regulatory row was removed.');
    });

    it('Cancel closes the row and shows the stored values again', async () => {
      const { tenant } = await grid();
      const { fields } = await press(tenant, 'edit:1');
      fields['statuses[1][note]'] = 'Something typed and then dropped';
      const { doc } = await press(tenant, 'cancel', fields);
      expect(doc.querySelector('tr[data-editor]')).toBeNull();
      expect(doc.querySelector('input[name="statuses[1][note]"]')!.getAttribute('value')).toBe('Seeded by test');
    });

    it('§6: Suggest on a poor note keeps the stored L1 / L2 / L3 and says why beside the chip', async () => {
      const { tenant, exo } = await grid();
      const { fields } = await press(tenant, 'edit:2');
      fields['statuses[2][note]'] = 'hmm';
      const { doc } = await press(tenant, 'suggest:2', fields);
      expect(doc.querySelector('select[name="statuses[2][l1]"] option[selected]')!.text).toBe('Blocked');
      expect(doc.querySelector('select[name="statuses[2][l2]"] option[selected]')!.text).toBe('Legal/Regulatory');
      const chip = doc.querySelector('#status-sel-2 [data-confidence]')!;
      expect(chip.getAttribute('data-confidence')).toBe('poor');
      expect(chip.text).toBe('Poor confidence');
      expect(doc.querySelector('#status-sel-2 [data-chip-note]')!.text).toMatch(/^Kept the current L1 \/ L2 \/ L3/);
      expect(doc.querySelector('input[name="statuses[2][suggestion_confidence]"]')!.getAttribute('value')).toBe('poor');
      expect((await state(exo)).ts.version).toBe(1);
    });
  });

  describe('with ENFORCE_SCENARIO_OWNERSHIP and MIGRATION_SUM_BASIS=in_progress', () => {
    let t2: TestApp;
    let p$: SignedIn;
    let tenant: TenantRef, exo: number, rowId: string;
    beforeAll(async () => {
      t2 = await buildTestApp({ ENFORCE_SCENARIO_OWNERSHIP: 'true', MIGRATION_SUM_BASIS: 'in_progress' });
      const org = await createOrg(t2.db);
      const user = await createUser(t2.db, { org });
      tenant = await createTenant(t2.db);
      await assign(t2.db, { tenant, userId: user.id, type: 'P-RM', primary: ['TENANT'] });
      exo = await addService(t2.db, tenant, 'EXO', { total: 100 });
      await addService(t2.db, tenant, 'SPO', { total: 50, scenario: 'FTC-CSS Led' });
      rowId = String((await t2.db('entitlement_status_rows').where('tenant_service_id', exo).first()).id);
      p$ = await loginAs(t2.app, user.upn);
    });
    afterAll(() => t2.close());

    it('A-16: an FTC-led service is read-only for partners and a POST is 403', async () => {
      const doc = html((await hx(p$.agent.get(`/tenants/${tenant.guid}/services/SPO/edit`))).text);
      expect(doc.querySelector('[data-readonly]')).not.toBeNull();
      expect(doc.querySelector('button[value="save"]')).toBeNull();
      const res = await p$.agent
        .post(`/tenants/${tenant.guid}/services/SPO`)
        .type('form')
        .send({ version: '1', _csrf: p$.csrf });
      expect(res.status).toBe(403);
    });

    it('V-41 (A-7): with the in_progress basis the lines must add up to the In Progress rows', async () => {
      const FUT = addDays(today(t2.config), 20);
      const form: Form = {
        ...validForm(rowId),
        ms_performing_migration: 'yes',
        migration_start_date: today(t2.config),
        migration_end_date: FUT,
        migration_lines: [{ type: 'Mig-ExHybrid', entitlements: '100', estimated_date: FUT }],
      };
      const bad = await p$.agent
        .post(`/tenants/${tenant.guid}/services/EXO`)
        .type('form')
        .send({ ...flat(form), _csrf: p$.csrf });
      expect(bad.status).toBe(422);
      expect(html(bad.text).querySelector('[data-field="migration_lines"]')!.text).toBe(
        'Migration lines must add up to 90 entitlements (currently 100).',
      );
      form.migration_lines![0].entitlements = '90';
      const ok = await p$.agent
        .post(`/tenants/${tenant.guid}/services/EXO`)
        .type('form')
        .send({ ...flat(form), _csrf: p$.csrf });
      expect(ok.status).toBe(303);
    });
  });
});
