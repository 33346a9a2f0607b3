import type { Db } from '../../src/db/db';
import { constraintViolation } from '../../src/db/constraint-error';
import { notesSearchIndex } from '../../src/features/notes/notes-search.index';
import { createTestDb } from '../helpers/db';
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

const now = () => new Date().toISOString();

/**
 * Expects a database write to be refused, matching `pattern` against the message followed by what
 * src/db/constraint-error.ts reads from it, `[kind table detail]`, which is the same on SQLite and
 * PostgreSQL. (better-sqlite3's errors come from outside jest's sandbox, so `rejects.toThrow` does not
 * recognise them as errors.)
 */
async function refused(write: PromiseLike<unknown>, pattern: RegExp): Promise<void> {
  let error: unknown;
  try {
    await write;
  } catch (e) {
    error = e;
  }
  const v = constraintViolation(error);
  const read = v ? ` [${v.kind} ${v.table ?? '-'} ${v.detail}]` : '';
  expect(`${(error as { message?: string } | undefined)?.message ?? 'no error'}${read}`).toMatch(pattern);
}

/** Invariants the database enforces by itself, whatever the application does (STYLE.md › Data). */
describe('database invariants', () => {
  let db: Db;
  let org: OrgRef;
  let ava: UserRef;
  let bob: UserRef;
  let tenant: TenantRef;

  beforeAll(async () => {
    ({ db } = await createTestDb());
    org = await createOrg(db);
    ava = await createUser(db, { org });
    bob = await createUser(db, { org });
    tenant = await createTenant(db);
  });
  afterAll(() => db.destroy());

  const note = () => ({
    tenant_id: tenant.id,
    category: 'Engagement Management',
    body_html: '<p>Kick-off held</p>',
    body_text: 'Kick-off held',
    source_context: 'notes_editor',
    author_user_id: ava.id,
    created_at: now(),
    search_tenant: tenant.name,
  });

  it('V-76: refuses UPDATE and DELETE on notes and their services (SECURITY.md case 8)', async () => {
    const [{ id }] = await db('notes').insert(note()).returning('id');
    await db('note_services').insert({ note_id: id, service_code: 'EXO' });
    await refused(db('notes').where('id', id).update({ body_text: 'changed' }), /notes are immutable/);
    await refused(db('notes').where('id', id).delete(), /notes are immutable/);
    await refused(db('note_services').where('note_id', id).delete(), /notes are immutable/);
    await refused(db.raw('DELETE FROM notes'), /notes are immutable/);
    expect((await db('notes').where('id', id).first()).body_text).toBe('Kick-off held');
  });

  it('indexes a saved note for full-text search at once (A-34)', async () => {
    await db('notes').insert({
      ...note(),
      body_text: 'Hybrid migration of mailboxes planned',
      search_services: 'Exchange',
    });
    const scope = { userId: ava.id, kind: 'admin' as const, orgId: null, managedOrgIds: [], isPartnerAdmin: false };
    const windows = { from: '2026-01-01', to: '2026-12-31' };
    const found = await notesSearchIndex(db).search(
      scope,
      { q: 'mailboxes', type: [], tenant: [], service: [], author: 'all', sort: 'relevance' },
      { page: 1, pageSize: 20, windows: { week: windows, month: windows, quarter: windows } },
    );
    expect(found.total).toBe(1);
  });

  it('V-64: allows one primary per (tenant, scope, type) across users and orgs', async () => {
    await assign(db, { tenant, userId: ava.id, type: 'P-FM', scopes: ['TENANT', 'EXO'], primary: ['EXO'] });
    const otherOrg = await createOrg(db);
    const other = await createUser(db, { org: otherOrg });
    await refused(
      assign(db, { tenant, userId: other.id, type: 'P-FM', scopes: ['EXO'], primary: ['EXO'] }),
      /\[unique assignment_scopes /,
    );
    // Non-primary on the same scope, and primary of another type, are fine.
    await assign(db, { tenant, userId: bob.id, type: 'P-FM', scopes: ['EXO'] });
    await assign(db, { tenant, userId: bob.id, type: 'P-FE', scopes: ['EXO'], primary: ['EXO'] });
  });

  it('V-65: allows one assignment per (tenant, assignee, type)', async () => {
    await refused(assign(db, { tenant, userId: ava.id, type: 'P-FM', scopes: ['SPO'] }), /\[unique assignments /);
  });

  it('refuses an unknown assignment scope and a partner assignment without an org', async () => {
    await refused(assign(db, { tenant, userId: ava.id, type: 'P-RM', scopes: ['NOPE'] }), /unknown assignment scope/);
    const omar = await createUser(db, { kind: 'internal' });
    await refused(assign(db, { tenant, userId: omar.id, type: 'P-RM' }), /\[check /);
  });

  it('V-21…V-27: checks entitlement status rows', async () => {
    const tsId = await addService(db, tenant, 'TEAMS', { total: 10, rows: [] });
    const row = (extra: Record<string, unknown>) => ({
      tenant_service_id: tsId,
      l1: 'Blocked',
      l2: 'Legal/Regulatory',
      entitlements: 5,
      status_note: 'Works council approval pending',
      created_at: now(),
      updated_at: now(),
      ...extra,
    });
    await refused(db('entitlement_status_rows').insert(row({ l1: 'Maybe' })), /\[check \S+ esr_l1\]/);
    await refused(db('entitlement_status_rows').insert(row({ entitlements: 0 })), /esr_entitlements/);
    await refused(db('entitlement_status_rows').insert(row({ l2: null })), /esr_l2_required/);
    await refused(db('entitlement_status_rows').insert(row({ l1: 'Duplicate/Invalid' })), /esr_dup_no_l2/);
    await refused(
      db('entitlement_status_rows').insert(row({ l2: null, l3: 'x', l1: 'In Progress' })),
      /esr_l3_needs_l2/,
    );
    await refused(
      db('entitlement_status_rows').insert(
        row({ l1: 'No Intent', l2: 'Executive Sponsorship', target_date: '2027-01-01' }),
      ),
      /esr_target_date/,
    );
    await refused(
      db('entitlement_status_rows').insert(row({ l1: 'In Progress', l2: null, owner: 'Contoso IT' })),
      /esr_owner/,
    );
    await refused(db('entitlement_status_rows').insert(row({ status_note: '   ' })), /esr_note/);
    await db('entitlement_status_rows').insert(row({}));
    await refused(db('entitlement_status_rows').insert(row({})), /\[unique /); // V-27
  });

  it('V-11, V-13: refuses incomplete survey-eligible contacts and type-specific fields on the wrong type', async () => {
    const contact = (extra: Record<string, unknown>) => ({
      tenant_id: tenant.id,
      contact_type: 'Customer',
      name: 'Li Wei',
      created_at: now(),
      updated_at: now(),
      ...extra,
    });
    await refused(
      db('contacts').insert(
        contact({ survey_eligible: true, is_engaged: true, email: 'li@x.example', country: 'China' }),
      ),
      /contacts_survey_eligible/,
    );
    await refused(
      db('contacts').insert(contact({ contact_type: 'Partner', do_not_call: true })),
      /contacts_do_not_call/,
    );
    await refused(db('contacts').insert(contact({ skill_type: 'Technical' })), /contacts_skill_type/);
    await db('contacts').insert(
      contact({
        survey_eligible: true,
        is_engaged: true,
        email: 'li@x.example',
        country: 'China',
        survey_language: 'English',
      }),
    );
  });

  it('V-75: refuses an 11th draft for one user', async () => {
    for (let i = 0; i < 10; i++) await db('note_drafts').insert({ owner_user_id: bob.id, saved_at: now() });
    await refused(db('note_drafts').insert({ owner_user_id: bob.id, saved_at: now() }), /draft limit reached/);
    await db('note_drafts').insert({ owner_user_id: ava.id, saved_at: now() });
  });

  it('keeps history tables append-only and enumerations closed', async () => {
    const [{ id }] = await db('overall_status_history')
      .insert({ tenant_id: tenant.id, overall_status: 'Active', status_date: '2026-11-01', at: now() })
      .returning('id');
    await refused(db('overall_status_history').where('id', id).update({ overall_status: 'Paused' }), /append-only/);
    await refused(
      db('tenants').where('id', tenant.id).update({ overall_status: 'Sleeping' }),
      /tenants_overall_status/,
    );
    await refused(
      db('users').insert({
        upn: 'MiXeD@x.example',
        display_name: 'M',
        kind: 'admin',
        created_at: now(),
        updated_at: now(),
      }),
      /users_upn_lower/,
    );
  });

  it('enforces foreign keys', async () => {
    await refused(
      db('tenant_services').insert({ tenant_id: 999999, service_code: 'EXO', created_at: now(), updated_at: now() }),
      /\[foreign_key /,
    );
  });
});
