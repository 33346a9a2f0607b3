import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import workerThreads from 'node:worker_threads';
import { kindOf, type Db } from '../../src/db/db';
import { ImportProblemsError } from '../../src/features/admin/admin.errors';
import { parseJson } from '../helpers/parse-json';
import { formatImportSummary, importDocument } from '../../src/features/import/import.service';
import { CHECKER_THREAD_FROM_BYTES, importJsonFile } from '../../src/features/import/import-stream';
import { MESSAGES } from '../../src/domain/values';
import { buildDemoDocument, seedDemo } from '../../seeds/demo';
import { countNotesMatching, createTestDb, rawRows, sqliteForm } from '../helpers/db';

const NOW = new Date('2026-11-20T12:00:00Z');
const TENANT = '0b9d3d43-1c55-4d76-9f4e-8a1f2e7c5b21';
const TENANT2 = '5e0c2b7a-3d41-4f9b-8c2e-7a6d5b4c3e21';

/** The example of CONTRACT.md §5, plus a second user and a second tenant. */
// Loosely typed on purpose: the tests break the document in ways its TypeScript type forbids.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function validDoc(): Record<string, any> {
  return {
    orgs: [
      {
        name: 'Northwind Partners',
        domains: ['northwind-partners.example', 'NorthwindPartners.onmicrosoft.com'],
        entraTenantId: '6d3c0c9e-7a51-4c57-9d0e-1f7b5b2f4a10',
        mpnId: '4400123',
      },
    ],
    users: [
      { email: 'Ava@Northwind-Partners.example', name: 'Ava Smith', org: 'Northwind Partners', partnerAdmin: true },
      { email: 'ben@northwindpartners.onmicrosoft.com', name: 'Ben Carter', org: 'Northwind Partners' },
      { email: 'omar@onboarding.example', name: 'Omar Reyes', kind: 'internal', internalRole: 'Onboarding RM' },
    ],
    tenants: [
      {
        tenantId: TENANT,
        name: 'adatum.onmicrosoft.com',
        customer: 'Adatum Corporation',
        country: 'United States',
        segment: 'S1500',
        enterprise: false,
        active: true,
        services: [
          {
            code: 'EXO',
            entitlements: 305,
            activeUsers: 12,
            engagementScenario: 'FTC-FTP Led',
            statuses: [
              {
                l1: 'In Progress',
                l2: 'Migration',
                entitlements: 300,
                note: 'Hybrid migration of 300 mailboxes planned',
              },
              { l1: 'Blocked', l2: 'Legal/Regulatory', entitlements: 5, note: 'Works council approval pending' },
            ],
            forecast: { rfaSubmitted: '2026-09-01', firstAu: '2027-01-15', fortyAu: null, maxAu: '2027-06-30' },
            cpor: { partner: 'Northwind Partners', mpnId: '4400123', status: 'Approved', claimedAt: '2026-08-20' },
          },
          { code: 'TEAMS', entitlements: 120 },
        ],
        assignments: [
          {
            type: 'P-RM',
            user: 'ava@northwind-partners.example',
            scopes: ['TENANT', 'EXO'],
            primary: ['TENANT', 'EXO'],
          },
          { type: 'P-FE', user: 'ben@northwindpartners.onmicrosoft.com', scopes: ['EXO'], primary: [] },
          { type: 'Onboarding RM', user: 'omar@onboarding.example', scopes: ['TENANT'], primary: ['TENANT'] },
        ],
        contacts: [
          {
            type: 'Customer',
            name: 'Li Wei',
            email: 'li.wei@adatum.example',
            country: 'United States',
            engaged: true,
            surveyEligible: true,
            surveyLanguage: 'English',
            services: ['EXO'],
          },
        ],
        notes: [
          {
            category: 'Engagement Management',
            author: 'ava@northwind-partners.example',
            createdAt: '2026-08-01T10:00:00Z',
            body: 'Kick-off held; <migration> plan agreed.\n\nNext: wave 1.',
            services: ['EXO'],
            escalated: false,
          },
        ],
      },
      {
        tenantId: TENANT2,
        name: 'litware.onmicrosoft.com',
        customer: 'Litware, Inc.',
        services: [
          {
            code: 'SPO',
            entitlements: 50,
            statuses: [{ l1: 'Status Unknown', l2: 'Customer Unresponsive', entitlements: 50, note: 'No answer yet' }],
          },
        ],
        assignments: [
          { type: 'P-RM', user: 'ben@northwindpartners.onmicrosoft.com', scopes: ['TENANT', 'SPO'], primary: [] },
        ],
      },
    ],
  };
}

const TABLES = [
  'partner_orgs',
  'partner_domains',
  'users',
  'user_managed_orgs',
  'tenants',
  'tenant_services',
  'entitlement_status_rows',
  'entitlement_status_history',
  'forecast_history',
  'migration_type_lines',
  'cpor_claims',
  'eligibility',
  'assignments',
  'assignment_scopes',
  'assignment_audit',
  'contacts',
  'contact_services',
  'notes',
  'note_services',
  'overall_status_history',
  'enterprise_status_entries',
];

async function counts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = Number((await db(t).count({ n: '*' }).first())!.n);
  return out;
}

/** A hash of every row of every table the importer writes: equal hashes mean byte-for-byte equal content. */
async function contentHash(db: Db): Promise<string> {
  const hash = crypto.createHash('sha256');
  // Rows in a stable order on either database (PostgreSQL has no rowid): sorted by their JSON form.
  for (const t of TABLES) {
    const rows = ((await db(t).select('*')) as Record<string, unknown>[]).map((r) => JSON.stringify(r)).sort();
    hash.update(t).update(JSON.stringify(rows));
  }
  return hash.digest('hex');
}

async function problemsOf(db: Db, doc: unknown): Promise<string[]> {
  try {
    await importDocument(db, doc, { now: NOW });
  } catch (err) {
    if (err instanceof ImportProblemsError) return err.lines();
    throw err;
  }
  throw new Error('expected the import to be refused');
}

describe('importDocument (CONTRACT.md §5)', () => {
  let db: Db;
  beforeEach(async () => {
    ({ db } = await createTestDb());
  });
  afterEach(async () => {
    await db.destroy();
  });

  it('imports a valid file: orgs with domains and queue, users, tenants, grids, assignments, contacts, notes', async () => {
    const result = await importDocument(db, validDoc(), { now: NOW });
    expect(formatImportSummary(result)).toBe(
      'imported: 1 org, 3 users, 2 tenants, 3 services, 4 assignments, 1 contact, 1 note (created 15, updated 0, unchanged 0)',
    );
    const org = await db('partner_orgs').where({ name: 'Northwind Partners' }).first();
    expect(org).toMatchObject({ mpn_id: '4400123', queue_display_name: 'FTP Northwind Partners', version: 1 });
    expect((await db('partner_domains').where({ org_id: org.id }).orderBy('id')).map((d) => d.domain)).toEqual([
      'northwind-partners.example',
      'northwindpartners.onmicrosoft.com',
    ]);
    expect(await db('users').where({ kind: 'queue', org_id: org.id }).first()).toMatchObject({
      upn: 'queue+northwind-partners@queue.ftop.invalid',
      display_name: 'FTP Northwind Partners',
      status: 'active',
    });
    expect(sqliteForm(await db('users').where({ upn: 'ava@northwind-partners.example' }).first())).toMatchObject({
      org_id: org.id,
      is_partner_admin: 1,
      kind: 'partner',
    });

    const tenant = sqliteForm(await db('tenants').where({ tenant_guid: TENANT }).first());
    expect(tenant).toMatchObject({
      tenant_name: 'adatum.onmicrosoft.com',
      customer_name: 'Adatum Corporation',
      is_active: 1,
      segment: 'S1500',
    });
    const exo = await db('tenant_services').where({ tenant_id: tenant.id, service_code: 'EXO' }).first();
    expect(exo).toMatchObject({
      total_entitlements: 305,
      active_users: 12,
      engagement_scenario: 'FTC-FTP Led',
      rfa_submitted_date: '2026-09-01',
      target_40_au_date: null,
    });
    const rows = await db('entitlement_status_rows').where({ tenant_service_id: exo.id }).orderBy('id');
    expect(rows.map((r) => [r.l1, r.l2, r.entitlements])).toEqual([
      ['In Progress', 'Migration', 300],
      ['Blocked', 'Legal/Regulatory', 5],
    ]);
    // Each create is recorded against its row (new rows take their ids up front and are written in batches).
    const created = await db('entitlement_status_history').where({ tenant_service_id: exo.id, action: 'create' });
    expect(created.map((h) => Number(h.row_id)).sort()).toEqual(rows.map((r) => Number(r.id)).sort());
    expect(created.map((h) => JSON.parse(h.snapshot_json).l2).sort()).toEqual(['Legal/Regulatory', 'Migration']);
    expect(await db('forecast_history').where({ tenant_service_id: exo.id })).toHaveLength(3);
    expect(await db('cpor_claims').where({ tenant_id: tenant.id }).first()).toMatchObject({
      service_code: 'EXO',
      partner_org_id: org.id,
      claim_status: 'Approved',
      claimed_at: '2026-08-20',
    });

    const scopes = await db('assignment_scopes as s')
      .join('assignments as a', 'a.id', 's.assignment_id')
      .join('users as u', 'u.id', 'a.assignee_user_id')
      .where('a.tenant_id', tenant.id)
      .orderBy(['u.upn', 'a.type', 's.scope'])
      .select('u.upn', 'a.type', 'a.org_id', 'a.is_partner_type', 's.scope', 's.is_primary');
    expect(scopes.map(sqliteForm)).toEqual([
      {
        upn: 'ava@northwind-partners.example',
        type: 'P-RM',
        org_id: org.id,
        is_partner_type: 1,
        scope: 'EXO',
        is_primary: 1,
      },
      {
        upn: 'ava@northwind-partners.example',
        type: 'P-RM',
        org_id: org.id,
        is_partner_type: 1,
        scope: 'TENANT',
        is_primary: 1,
      },
      {
        upn: 'ben@northwindpartners.onmicrosoft.com',
        type: 'P-FE',
        org_id: org.id,
        is_partner_type: 1,
        scope: 'EXO',
        is_primary: 0,
      },
      {
        upn: 'omar@onboarding.example',
        type: 'Onboarding RM',
        org_id: null,
        is_partner_type: 0,
        scope: 'TENANT',
        is_primary: 1,
      },
    ]);
    expect(await db('assignment_audit').where({ tenant_id: tenant.id, action: 'add' })).toHaveLength(3);

    const contact = sqliteForm(await db('contacts').where({ tenant_id: tenant.id }).first());
    expect(contact).toMatchObject({
      name: 'Li Wei',
      survey_eligible: 1,
      is_engaged: 1,
      survey_language: 'English',
      source: 'sync',
    });
    expect(await db('contact_services').where({ contact_id: contact.id }).pluck('service_code')).toEqual(['EXO']);
  });

  it('stores imported notes as legacy history: escaped HTML, plain text, search columns, services', async () => {
    await importDocument(db, validDoc(), { now: NOW });
    const note = sqliteForm(await db('notes').where({ source_context: 'import' }).first());
    expect(note).toMatchObject({
      category: 'Engagement Management',
      created_at: '2026-08-01T10:00:00.000Z',
      is_legacy: 1,
      source_context: 'import',
      body_html: '<p>Kick-off held; &lt;migration&gt; plan agreed.</p><p>Next: wave 1.</p>',
      body_text: 'Kick-off held; <migration> plan agreed.\n\nNext: wave 1.',
      search_tenant: 'adatum.onmicrosoft.com',
      search_services: 'Exchange',
    });
    expect(await db('note_services').where({ note_id: note.id }).pluck('service_code')).toEqual(['EXO']);
    expect(await countNotesMatching(db, 'kick')).toBe(1);
  });

  it('re-importing the same file changes nothing: row counts and content hash are equal', async () => {
    await importDocument(db, validDoc(), { now: NOW });
    const before = { counts: await counts(db), hash: await contentHash(db) };
    const again = await importDocument(db, validDoc(), { now: new Date('2026-11-21T08:00:00Z') });
    expect(formatImportSummary(again)).toMatch(/\(created 0, updated 0, unchanged 15\)$/);
    expect(await counts(db)).toEqual(before.counts);
    expect(await contentHash(db)).toBe(before.hash);
  });

  it('upserts a changed file by its keys: changed rows get a new version, untouched rows keep theirs', async () => {
    await importDocument(db, validDoc(), { now: NOW });
    const doc = validDoc();
    doc.tenants[0].customer = 'Adatum Corp.';
    doc.tenants[0].services[0].statuses[0].entitlements = 295;
    doc.tenants[0].services[0].statuses[1].entitlements = 10;
    const result = await importDocument(db, doc, { now: new Date('2026-11-21T08:00:00Z') });
    expect(result.counts.tenants).toEqual({ created: 0, updated: 1, unchanged: 1 });
    expect(result.counts.services).toEqual({ created: 0, updated: 1, unchanged: 2 });
    expect(await db('tenants').where({ tenant_guid: TENANT }).first()).toMatchObject({
      customer_name: 'Adatum Corp.',
      version: 2,
    });
    expect(await db('tenants').where({ tenant_guid: TENANT2 }).first()).toMatchObject({ version: 1 });
    expect(await db('entitlement_status_rows').where({ l1: 'Blocked' }).first()).toMatchObject({
      entitlements: 10,
      version: 2,
    });
    expect(await db('entitlement_status_history').where({ action: 'update' })).toHaveLength(2);
    expect(await db('tenants').count({ n: '*' }).first()).toEqual({ n: 2 });
  });

  it('a new service is written whole at version 1; its phase starts its phase history, a later move adds a row (V-85)', async () => {
    const doc = validDoc();
    doc.tenants[0].services[0].phase = 'Assess';
    await importDocument(db, doc, { now: NOW });
    const exo = await db('tenant_services').where({ service_code: 'EXO' }).first();
    expect(exo).toMatchObject({ phase: 'Assess', version: 1, total_entitlements: 305 });
    const history = () =>
      db('service_phase_history')
        .where({ tenant_service_id: exo.id })
        .orderBy('id')
        .select('old_phase', 'new_phase', 'changed_at');
    expect(await history()).toEqual([{ old_phase: null, new_phase: 'Assess', changed_at: NOW.toISOString() }]);
    // Services created without a phase have no history.
    expect(await db('service_phase_history').whereNot({ tenant_service_id: exo.id })).toEqual([]);

    doc.tenants[0].services[0].phase = 'Enable';
    const later = new Date('2026-11-21T08:00:00Z');
    await importDocument(db, doc, { now: later });
    expect(await history()).toEqual([
      { old_phase: null, new_phase: 'Assess', changed_at: NOW.toISOString() },
      { old_phase: 'Assess', new_phase: 'Enable', changed_at: later.toISOString() },
    ]);
    expect(await db('tenant_services').where({ id: exo.id }).first()).toMatchObject({ version: 2 });
  });

  it('reports every problem with its JSON path and writes nothing', async () => {
    await importDocument(db, validDoc(), { now: NOW });
    const before = await contentHash(db);
    const doc = validDoc();
    doc.orgs.push({ name: 'Fabrikam Consulting', domains: ['northwind-partners.example'] });
    doc.users.push({ email: 'eve@evil.example', name: 'Eve', org: 'Northwind Partners' });
    doc.tenants[0].services[0].code = 'NOPE';
    doc.tenants[0].services[1].statuses = [
      { l1: 'Blocked', l2: 'Weather', entitlements: 120, note: 'Storm warning closes the site' },
    ];
    doc.tenants[0].assignments.push({ type: 'P-FM', user: 'eve@evil.example', scopes: ['TENANT'], primary: [] });
    doc.tenants[0].contacts[0].surveyLanguage = null;
    doc.tenants[1].tenantId = 'not-a-guid';
    doc.tenants[1].notes = [
      { category: 'Gossip', author: 'nobody@northwind-partners.example', createdAt: 'yesterday', body: 'x' },
    ];
    expect(await problemsOf(db, doc)).toEqual([
      'orgs[1].domains[0]: domain northwind-partners.example is already whitelisted for Northwind Partners',
      'users[3].email: domain not whitelisted for Northwind Partners',
      'tenants[0].services[0].code: unknown service code "NOPE"',
      'tenants[0].services[1].statuses[0].l2: This reason is not an L2 of Blocked. [V-22]',
      'tenants[0].assignments[3].user: domain not whitelisted for Northwind Partners',
      'tenants[0].contacts[0].surveyLanguage: Survey language is required for a survey-eligible contact. [V-11]',
      'tenants[1].tenantId: must be a valid GUID',
      'tenants[1].notes[0].category: must be one of [Engagement Management, Technical Enablement, Service Intent, Environment, Enterprise Status, Service Status, Customer Readiness, Customer Satisfaction Issue, System Message]',
      'tenants[1].notes[0].createdAt: Enter an ISO 8601 date-time with a zone, e.g. 2026-08-01T10:00:00Z.',
    ]);
    expect(await contentHash(db)).toBe(before);
  });

  it('V-26: refuses statuses that do not add up to the service entitlements', async () => {
    const doc = validDoc();
    doc.tenants[0].services[0].statuses[0].entitlements = 290;
    expect(await problemsOf(db, doc)).toEqual([
      'tenants[0].services[0].statuses: Entitlement statuses must add up to 305 entitlements (currently 295). [V-26]',
    ]);
    expect(await db('tenants').count({ n: '*' }).first()).toEqual({ n: 0 });
  });

  it('V-64: refuses a second primary for the same tenant, type and scope, in the file or against the database', async () => {
    const doc = validDoc();
    doc.tenants[0].assignments[1] = {
      type: 'P-RM',
      user: 'ben@northwindpartners.onmicrosoft.com',
      scopes: ['TENANT'],
      primary: ['TENANT'],
    };
    expect(await problemsOf(db, doc)).toEqual([
      'tenants[0].assignments[1].primary: only one primary P-RM per tenant and scope: TENANT is already primary for ava@northwind-partners.example (tenants[0].assignments[0]) [V-64]',
    ]);

    await importDocument(db, validDoc(), { now: NOW });
    const later = validDoc();
    later.tenants[0].assignments = [
      { type: 'P-RM', user: 'ben@northwindpartners.onmicrosoft.com', scopes: ['EXO'], primary: ['EXO'] },
    ];
    expect(await problemsOf(db, later)).toEqual([
      'tenants[0].assignments[0].primary: only one primary P-RM per tenant and scope: EXO is already primary for ava@northwind-partners.example in the database [V-64]',
    ]);
  });

  it('V-65: refuses two assignments of the same type for one user on a tenant', async () => {
    const doc = validDoc();
    doc.tenants[0].assignments.push({
      type: 'P-FE',
      user: 'ben@northwindpartners.onmicrosoft.com',
      scopes: ['TENANT'],
      primary: [],
    });
    expect(await problemsOf(db, doc)).toEqual([
      'tenants[0].assignments[3]: ben@northwindpartners.onmicrosoft.com already has a P-FE assignment on this tenant (tenants[0].assignments[1]) [V-65]',
    ]);
  });

  it('V-60/V-61: partner users need a whitelisted domain; partner types need partner principals', async () => {
    const doc = validDoc();
    doc.users[1].email = 'ben@gmail.example';
    doc.tenants[0].assignments[1].user = 'ben@gmail.example';
    doc.tenants[0].assignments[2].type = 'P-FM';
    doc.tenants[1].assignments[0].user = 'ben@gmail.example';
    expect(await problemsOf(db, doc)).toEqual([
      'users[1].email: domain not whitelisted for Northwind Partners',
      'tenants[0].assignments[1].user: domain not whitelisted for Northwind Partners',
      'tenants[0].assignments[2].type: P-FM is a partner assignment type; omar@onboarding.example is not a partner user or queue [V-61]',
      'tenants[1].assignments[0].user: domain not whitelisted for Northwind Partners',
    ]);
  });

  it('A-13: stores an L2 alias as the canonical L2', async () => {
    const doc = validDoc();
    doc.tenants[0].services[0].statuses[1] = {
      l1: 'Blocked',
      l2: 'billing, licensing, subscription',
      entitlements: 5,
      note: 'Licences not assigned yet',
    };
    await importDocument(db, doc, { now: NOW });
    expect(await db('entitlement_status_rows').where({ l1: 'Blocked' }).pluck('l2')).toEqual([
      'Billing, Licensing and Subscription',
    ]);
  });

  it('V-68: makes the only P-RM assignment of a tenant its tenant primary', async () => {
    await importDocument(db, validDoc(), { now: NOW });
    const litware = await db('tenants').where({ tenant_guid: TENANT2 }).first();
    const scopes = await db('assignment_scopes').where({ tenant_id: litware.id, type: 'P-RM' }).orderBy('scope');
    expect(scopes.map(sqliteForm).map((s) => [s.scope, s.is_primary])).toEqual([
      ['SPO', 0],
      ['TENANT', 1],
    ]);
  });

  it('§7.1: a service without statuses starts in Status Unknown / New Subscription or Workload and follows its total', async () => {
    await importDocument(db, validDoc(), { now: NOW });
    const teams = () =>
      db('entitlement_status_rows as r')
        .join('tenant_services as ts', 'ts.id', 'r.tenant_service_id')
        .where('ts.service_code', 'TEAMS')
        .select('r.l1', 'r.l2', 'r.entitlements');
    expect(await teams()).toEqual([{ l1: 'Status Unknown', l2: 'New Subscription or Workload', entitlements: 120 }]);
    const doc = validDoc();
    doc.tenants[0].services[1].entitlements = 150;
    await importDocument(db, doc, { now: NOW });
    expect(await teams()).toEqual([{ l1: 'Status Unknown', l2: 'New Subscription or Workload', entitlements: 150 }]);
  });

  it('§7.3: an approved CPOR claim gives the org queue a tenant-primary P-RM when the org has none', async () => {
    const doc = validDoc();
    doc.tenants[0].assignments = [];
    await importDocument(db, doc, { now: NOW });
    const rows = await db('assignments as a')
      .join('users as u', 'u.id', 'a.assignee_user_id')
      .join('assignment_scopes as s', 's.assignment_id', 'a.id')
      .join('tenants as t', 't.id', 'a.tenant_id')
      .where('t.tenant_guid', TENANT)
      .select('u.upn', 'a.type', 's.scope', 's.is_primary');
    expect(rows.map(sqliteForm)).toEqual([
      { upn: 'queue+northwind-partners@queue.ftop.invalid', type: 'P-RM', scope: 'TENANT', is_primary: 1 },
    ]);
  });

  it('V-11/V-13/V-14: checks survey-eligible contacts, type-specific fields and contact services', async () => {
    const doc = validDoc();
    doc.tenants[0].contacts = [
      { type: 'Partner', name: 'Pat', surveyEligible: true, services: ['INTUNE'], doNotCall: true },
    ];
    expect(await problemsOf(db, doc)).toEqual([
      'tenants[0].contacts[0].type: Only Customer contacts can be survey eligible. [V-11]',
      'tenants[0].contacts[0].engaged: A survey-eligible contact must be engaged. [V-11]',
      'tenants[0].contacts[0].email: Email is required for a survey-eligible contact. [V-11]',
      'tenants[0].contacts[0].country: Country is required for a survey-eligible contact. [V-11]',
      'tenants[0].contacts[0].surveyLanguage: Survey language is required for a survey-eligible contact. [V-11]',
      'tenants[0].contacts[0].doNotCall: Do not call applies to Customer contacts only. [V-13]',
      'tenants[0].contacts[0].services: Only services this tenant is entitled to can be selected (not: INTUNE). [V-14]',
    ]);
  });

  it('strips control characters from text and refuses text-direction controls in names (issue 7, case 51)', async () => {
    const doc = validDoc();
    doc.users[1].name = 'Ben \u202ECarter';
    doc.tenants[0].contacts = [{ type: 'Partner', name: 'Pat \u2066Lee' }];
    expect(await problemsOf(db, doc)).toEqual([
      `users[1].name: ${MESSAGES.bidi}`,
      `tenants[0].contacts[0].name: ${MESSAGES.bidi}`,
    ]);
    const clean = validDoc();
    clean.tenants[0].customer = 'Adatum\u0000 Corporation\u0085';
    await importDocument(db, clean, { now: NOW });
    expect((await db('tenants').where('tenant_guid', TENANT).first()).customer_name).toBe('Adatum Corporation');
  });

  it('V-30…V-33 and V-41: checks forecast order and migration lines', async () => {
    const doc = validDoc();
    doc.tenants[0].services[0].forecast = { rfaSubmitted: '2026-09-01', firstAu: '2026-08-01', maxAu: '2026-07-01' };
    doc.tenants[0].services[0].migration = {
      msPerforming: true,
      startDate: '2026-10-01',
      endDate: '2026-12-01',
      lines: [{ type: 'Mig-ExHybrid', entitlements: 300, estimatedDate: '2026-11-01' }],
    };
    doc.tenants[1].services[0].forecast = { firstAu: '2027-01-01' };
    expect(await problemsOf(db, doc)).toEqual([
      'tenants[0].services[0].forecast.firstAu: Target Date for 15% AU must be later than Submitted Date (RFA) (2026-09-01). [V-31]',
      'tenants[0].services[0].forecast.maxAu: Target Date for Max AU must be later than Submitted Date (RFA) (2026-09-01). [V-33]',
      'tenants[0].services[0].migration.lines: Migration lines must add up to 305 entitlements (currently 300). [V-41]',
      'tenants[1].services[0].forecast.firstAu: Submitted Date (RFA) is required before forecast dates can be saved. [V-30]',
    ]);
  });

  it('refuses a file that is not an object, with one problem', async () => {
    expect(await problemsOf(db, [1, 2])).toEqual([
      '(file): the file must contain a JSON object with orgs, users and tenants',
    ]);
  });
});

describe('parseJson', () => {
  it('reports the line and column of a syntax error', () => {
    expect(() => parseJson('{\n  "orgs": [],\n  "users": [}\n}')).toThrow(
      'invalid JSON at line 3, column 13: expected a value, found "}"',
    );
    expect(() => parseJson('{"orgs": [')).toThrow(
      'invalid JSON at line 1, column 11: expected a value, found end of file',
    );
  });
});

describe('seedDemo', () => {
  let db: Db;
  beforeAll(async () => {
    ({ db } = await createTestDb());
  });
  afterAll(async () => {
    await db.destroy();
  });

  it('loads a data set that passes every import rule, covers every L1 and note category, and is idempotent', async () => {
    const logs: string[] = [];
    expect(await seedDemo(db, { log: (l) => logs.push(l) })).toEqual({ created: true });
    const l1s = await db('entitlement_status_rows').distinct('l1').pluck('l1');
    expect(l1s.sort()).toEqual(['Blocked', 'Duplicate/Invalid', 'In Progress', 'No Intent', 'Status Unknown']);
    const categories = await db('notes').distinct('category').pluck('category');
    expect(categories).toHaveLength(9);
    const unbalanced = await rawRows<{ n: number }>(
      db,
      `SELECT count(*) AS n FROM tenant_services ts
      WHERE total_entitlements <> coalesce((SELECT sum(entitlements) FROM entitlement_status_rows r WHERE r.tenant_service_id = ts.id), 0)`,
    );
    expect(unbalanced[0].n).toBe(0);
    // Every partner user sees tenants on My Active, My Inactive and the Partner List.
    const tabs = await rawRows<{ active: number; inactive: number; partner: number }>(
      db,
      `SELECT u.upn,
        (SELECT count(DISTINCT a.tenant_id) FROM assignments a JOIN tenants t ON t.id = a.tenant_id
          WHERE a.assignee_user_id = u.id AND a.is_partner_type AND t.is_active) AS active,
        (SELECT count(DISTINCT a.tenant_id) FROM assignments a JOIN tenants t ON t.id = a.tenant_id
          WHERE a.assignee_user_id = u.id AND a.is_partner_type AND NOT t.is_active) AS inactive,
        (SELECT count(DISTINCT a.tenant_id) FROM assignments a WHERE a.org_id = u.org_id AND a.type = 'P-RM') AS partner
      FROM users u WHERE u.kind = 'partner'`,
    );
    expect(tabs.length).toBeGreaterThanOrEqual(6);
    for (const row of tabs) expect(Math.min(row.active, row.inactive, row.partner)).toBeGreaterThan(0);
    // Split delivery: both orgs hold a P-RM on Relecloud, only one holds the tenant primary.
    const split = await rawRows<{ tenant_primary: number }>(
      db,
      `SELECT a.org_id, max(CASE WHEN s.is_primary AND s.scope = 'TENANT' THEN 1 ELSE 0 END) AS tenant_primary
      FROM assignments a JOIN assignment_scopes s ON s.assignment_id = a.id JOIN tenants t ON t.id = a.tenant_id
      WHERE t.tenant_name = 'relecloud.onmicrosoft.com' AND a.type = 'P-RM' GROUP BY a.org_id ORDER BY a.org_id`,
    );
    expect(split.map((r: { tenant_primary: number }) => r.tenant_primary)).toEqual([1, 0]);
    expect(await db('enterprise_status_entries').count({ n: '*' }).first()).toEqual({ n: 12 });

    const hash = JSON.stringify(await db('notes').count({ n: '*' }));
    expect(await seedDemo(db)).toEqual({ created: false });
    expect(JSON.stringify(await db('notes').count({ n: '*' }))).toBe(hash);
  });

  it('is deterministic for a given day', () => {
    const a = buildDemoDocument(NOW);
    const b = buildDemoDocument(NOW);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.tenants.map((t) => t.tenantId)).toEqual(
      buildDemoDocument(new Date('2027-03-01T00:00:00Z')).tenants.map((t) => t.tenantId),
    );
  });
});

describe('importJsonFile (the file read as a stream)', () => {
  let db: Db;
  beforeAll(async () => {
    ({ db } = await createTestDb());
  });
  afterAll(async () => {
    await db.destroy();
  });

  it('keeps the first 10,000 problems of a badly broken file and counts the rest', async () => {
    const file = path.join(os.tmpdir(), `broken-${crypto.randomUUID()}.json`);
    const tenants = Array.from({ length: 12_000 }, (_, i) => ({
      tenantId: `not-a-guid-${i}`,
      name: `t${i}.example`,
      customer: 'C',
    }));
    fs.writeFileSync(file, JSON.stringify({ tenants }));
    try {
      const err = await importJsonFile(db, file).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ImportProblemsError);
      const problems = err as ImportProblemsError;
      expect(problems.problems).toHaveLength(10_000);
      expect(problems.omitted).toBe(2_000);
      expect(problems.message).toBe(
        '12000 problems in the import file; nothing was imported (the first 10000 are listed)',
      );
      expect(problems.lines()[0]).toBe('tenants[0].tenantId: must be a valid GUID');
      expect(await db('tenants').count({ n: '*' }).first()).toEqual({ n: 0 });
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  // 2,500 tenants: on PostgreSQL the importer writes notes row by row (ids from RETURNING), slower than SQLite.
  it('rolls back the batches written before the first problem and still reports every later one', async () => {
    const file = path.join(os.tmpdir(), `late-${crypto.randomUUID()}.json`);
    const doc = validDoc();
    const base = doc.tenants[0];
    const guid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    // 2,500 tenants: batches of 500 are written while the file is sound; tenants[1500] and [2400] are not.
    doc.tenants = Array.from({ length: 2500 }, (_, i) => ({
      ...base,
      tenantId: i === 1500 ? 'not-a-guid' : guid(i + 1),
      name: `t${i}.example`,
      ...(i === 2400 ? { customer: '' } : {}),
    }));
    fs.writeFileSync(file, JSON.stringify(doc));
    const tables = ['partner_orgs', 'users', 'tenants', 'tenant_services', 'entitlement_status_rows', 'notes'];
    const counts = async () =>
      Object.fromEntries(await Promise.all(tables.map(async (t) => [t, (await db(t).count({ n: '*' }).first())?.n])));
    const before = await counts();
    try {
      const err = await importJsonFile(db, file, { now: NOW }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ImportProblemsError);
      expect((err as ImportProblemsError).lines()).toEqual([
        'tenants[1500].tenantId: must be a valid GUID',
        expect.stringMatching(/^tenants\[2400\]\.customer: /),
      ]);
      expect(await counts()).toEqual(before);
      // SQLite: the rollback restored the search trigger the load had set aside (PostgreSQL's search
      // column is generated: there is no trigger to set aside).
      if (kindOf(db) === 'sqlite')
        expect(await db.raw("SELECT name FROM sqlite_master WHERE name = 'notes_fts_insert'")).toEqual([
          { name: 'notes_fts_insert' },
        ]);
    } finally {
      fs.rmSync(file, { force: true });
    }
  }, 120_000);

  /** `doc` with `n` copies of its first tenant, each with its own Tenant ID and name; `change` breaks some. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  function manyTenants(n: number, change: (i: number) => Record<string, any> = () => ({})) {
    const doc = validDoc();
    const base = doc.tenants[0];
    doc.tenants = Array.from({ length: n }, (_, i) => ({
      ...base,
      tenantId: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
      name: `t${i}.example`,
      ...change(i),
    }));
    return doc;
  }

  // The checker runs on the writer's thread for a small file and in a thread of its own for a large one.
  const PLACES = [
    ["on the writer's thread", false],
    ['in a thread of its own', true],
  ] as const;

  it.each(PLACES)(
    'the checker %s reports every problem at its JSON path, whichever batch it is in, and nothing is kept',
    async (_where, thread) => {
      const file = path.join(os.tmpdir(), `batches-${crypto.randomUUID()}.json`);
      // Batches of 2: tenants[1] ends the first batch, [4] opens the third, [6] is alone in the last.
      const doc = manyTenants(7, (i) =>
        i === 1
          ? { tenantId: 'not-a-guid' }
          : i === 4
            ? { services: [{ ...validDoc().tenants[0].services[0], entitlements: 999 }] }
            : i === 6
              ? { name: 't0.example' }
              : {},
      );
      fs.writeFileSync(file, JSON.stringify(doc));
      const before = Number((await db('tenants').count({ n: '*' }).first())!.n);
      try {
        const err = await importJsonFile(db, file, { now: NOW }, { batchSize: 2, thread }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ImportProblemsError);
        const lines = (err as ImportProblemsError).lines();
        expect(lines[0]).toBe('tenants[1].tenantId: must be a valid GUID');
        expect(lines.filter((l) => !l.startsWith('tenants[4].services[0].') && !l.startsWith('tenants[1].'))).toEqual([
          'tenants[6].name: tenant name t0.example is listed twice (also tenants[0])',
        ]);
        expect(lines.some((l) => l.startsWith('tenants[4].services[0].') && l.includes('[V-26]'))).toBe(true);
        expect(Number((await db('tenants').count({ n: '*' }).first())!.n)).toBe(before);
      } finally {
        fs.rmSync(file, { force: true });
      }
    },
  );

  it.each(PLACES)(
    'the checker %s: a sound file checked in batches of 2 (the last batch too) is written as one batch would be',
    async (_where, thread) => {
      const file = path.join(os.tmpdir(), `sound-${crypto.randomUUID()}.json`);
      const prefix = thread ? '2' : '1';
      fs.writeFileSync(
        file,
        JSON.stringify(
          manyTenants(5, (i) => ({
            tenantId: `${prefix}0000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
            name: `s${prefix}${i}.example`,
          })),
        ),
      );
      try {
        const first = await importJsonFile(db, file, { now: NOW }, { batchSize: 2, thread });
        expect(first.totals).toMatchObject({ orgs: 1, users: 3, tenants: 5 });
        expect(first.counts.tenants).toEqual({ created: 5, updated: 0, unchanged: 0 });
        const stored = await db('tenants')
          .whereIn('tenant_name', [`s${prefix}0.example`, `s${prefix}4.example`])
          .count({ n: '*' })
          .first();
        expect(Number(stored!.n)).toBe(2);
        // Read again in one batch: every tenant, service and note is already there.
        const again = await importJsonFile(db, file, { now: NOW }, { thread });
        expect(again.counts.tenants).toEqual({ created: 0, updated: 0, unchanged: 5 });
        expect(again.counts.notes.created).toBe(0);
      } finally {
        fs.rmSync(file, { force: true });
      }
    },
  );

  it('checks tenants placed before the orgs and users they name (an extra pass)', async () => {
    const file = path.join(os.tmpdir(), `order-${crypto.randomUUID()}.json`);
    const doc = validDoc();
    fs.writeFileSync(file, JSON.stringify({ tenants: doc.tenants, users: doc.users, orgs: doc.orgs }));
    try {
      const result = await importJsonFile(db, file, { now: NOW });
      expect(result.totals).toMatchObject({ orgs: 1, users: 3, tenants: 2 });
      // The notes were indexed for search at the end of the load (src/db/notes-fts.ts), every one of
      // them, and the trigger that indexes later notes is back.
      const notes = Number((await db('notes').count({ n: '*' }).first())!.n);
      expect(notes).toBeGreaterThan(0);
      expect(await countNotesMatching(db, 'council')).toBeGreaterThan(0);
      if (kindOf(db) === 'sqlite') {
        expect(await db.raw('SELECT count(*) AS n FROM notes_fts')).toEqual([{ n: notes }]);
        expect(await db.raw("SELECT name FROM sqlite_master WHERE name = 'notes_fts_insert'")).toEqual([
          { name: 'notes_fts_insert' },
        ]);
        // The index agrees with the notes and their tenants' scope words (migrations/sqlite-search-scope.ts).
        await db.raw("INSERT INTO notes_fts(notes_fts, rank) VALUES ('integrity-check', 1)");
      }
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it(`starts a checker thread only for a file of ${CHECKER_THREAD_FROM_BYTES / 1e6} MB or more`, async () => {
    const Real = workerThreads.Worker;
    const started = jest
      .spyOn(workerThreads, 'Worker')
      .mockImplementation((...args: ConstructorParameters<typeof Real>) => new Real(...args));
    const file = path.join(os.tmpdir(), `size-${crypto.randomUUID()}.json`);
    const doc = validDoc();
    try {
      fs.writeFileSync(file, JSON.stringify(doc));
      await importJsonFile(db, file, { now: NOW });
      expect(started).not.toHaveBeenCalled();
      // The same document padded with spaces (JSON ignores them) to the threshold.
      fs.writeFileSync(file, JSON.stringify(doc).padEnd(CHECKER_THREAD_FROM_BYTES, ' '));
      const again = await importJsonFile(db, file, { now: NOW });
      expect(started).toHaveBeenCalledTimes(1);
      expect(again.counts.tenants.unchanged).toBe(doc.tenants.length);
    } finally {
      started.mockRestore();
      fs.rmSync(file, { force: true });
    }
  });
});
