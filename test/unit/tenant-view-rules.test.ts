import type { Db } from '../../src/db/db';
import { ImportProblemsError } from '../../src/features/admin/admin.errors';
import { importDocument } from '../../src/features/import/import.service';
import { tenantHistory } from '../../src/features/notes/notes.service';
import type { TenantContext } from '../../src/features/tenants/tenants.service';
import { checkPhase, phaseHint } from '../../src/domain/rules/phase.rules';
import {
  checkEnterpriseStatus,
  checkEnterpriseTenant,
  NOT_ENTERPRISE,
} from '../../src/domain/rules/enterprise-status.rules';
import { meetsThreshold } from '../../src/domain/rules/eligibility.rules';
import { createTestDb } from '../helpers/db';
import { addService, createTenant, TenantRef } from '../helpers/factories';

/** A database write refused with `pattern` (better-sqlite3's errors are not jest-sandbox Errors, see constraints.test.ts). */
async function refused(write: PromiseLike<unknown>, pattern: RegExp): Promise<void> {
  let error: unknown;
  try {
    await write;
  } catch (e) {
    error = e;
  }
  expect(String((error as { message?: string } | undefined)?.message ?? 'no error')).toMatch(pattern);
}

const typing = { today: '2026-11-20', imported: false };
const importing = { today: '2026-11-20', imported: true };
const STATUSES = ['Active', 'Blocked', 'Paused'];

describe('V-85 service phase (src/domain/rules/phase.rules.ts)', () => {
  it('V-85 accepts each of the seven phases and refuses anything else', () => {
    for (const p of ['Initiate', 'Assess', 'Remediate', 'Enable', 'Migrate', 'Adoption', 'Operation'])
      expect(checkPhase(p, typing)).toEqual([]);
    expect(checkPhase('Celebrate', typing)).toEqual([
      expect.objectContaining({ path: ['phase'], rule: 'V-85', message: expect.stringContaining('Initiate') }),
    ]);
    expect(checkPhase('adoption', importing)).toHaveLength(1);
  });

  it('V-85 needs a phase from a user; an import may leave it undecided', () => {
    expect(checkPhase('', typing)).toEqual([expect.objectContaining({ rule: 'V-85' })]);
    expect(checkPhase(null, typing)).toHaveLength(1);
    expect(checkPhase(null, importing)).toEqual([]);
  });

  it('V-85 hint: Adoption from 1% to 10% AU, Operation above 10%, nothing below 1% or without entitlements', () => {
    expect(phaseHint(0, 1000)).toBeNull();
    expect(phaseHint(9, 1000)).toBeNull();
    expect(phaseHint(10, 1000)).toBe('Adoption');
    expect(phaseHint(100, 1000)).toBe('Adoption');
    expect(phaseHint(101, 1000)).toBe('Operation');
    expect(phaseHint(5, 0)).toBeNull();
  });
});

describe('V-80 enterprise status (src/domain/rules/enterprise-status.rules.ts)', () => {
  const ctx = { statuses: STATUSES, entry: typing };
  it('V-80 refuses entries on a tenant that is not an enterprise customer', () => {
    expect(checkEnterpriseTenant(true)).toEqual([]);
    expect(checkEnterpriseTenant(false)).toEqual([{ path: [], rule: 'V-80', message: NOT_ENTERPRISE }]);
    expect(NOT_ENTERPRISE).toMatch(/^Not an enterprise customer/);
  });

  it('V-80 needs a status from the lookup, a real date not after today and a note', () => {
    expect(checkEnterpriseStatus({ status: 'Active', statusDate: '2026-11-20', note: 'Review held.' }, ctx)).toEqual(
      [],
    );
    const problems = checkEnterpriseStatus({ status: 'Gone', statusDate: '2026-11-21', note: '  ' }, ctx);
    expect(problems.map((p) => [p.path.join('.'), p.rule])).toEqual([
      ['status', 'V-80'],
      ['statusDate', 'V-80'],
      ['note', 'V-80'],
    ]);
    expect(
      checkEnterpriseStatus({ status: '', statusDate: '2026-02-30', note: 'x' }, ctx).map((p) => p.path[0]),
    ).toEqual(['status', 'statusDate']);
  });
});

describe('eligibility thresholds (DOMAIN.md §2.16)', () => {
  it('commercial customers need 150 eligible seats, education customers 1,000', () => {
    expect(meetsThreshold('Commercial', 149)).toBe(false);
    expect(meetsThreshold('Commercial', 150)).toBe(true);
    expect(meetsThreshold('Education', 999)).toBe(false);
    expect(meetsThreshold('Education', 1000)).toBe(true);
    expect(meetsThreshold('Government', 5000)).toBeNull();
  });
});

describe('the import calls the same rules (V-80, V-85)', () => {
  let db: Db;
  beforeAll(async () => {
    db = (await createTestDb()).db;
  });
  afterAll(() => db.destroy());

  const NOW = new Date('2026-11-20T12:00:00Z');
  const doc = (tenant: Record<string, unknown>) => ({
    orgs: [{ name: 'Northwind Partners', domains: ['northwind-partners.example'] }],
    users: [{ email: 'ava@northwind-partners.example', name: 'Ava Smith', org: 'Northwind Partners' }],
    tenants: [
      {
        tenantId: '0b9d3d43-1c55-4d76-9f4e-8a1f2e7c5b21',
        name: 'adatum.onmicrosoft.com',
        customer: 'Adatum Corporation',
        assignments: [
          { type: 'P-RM', user: 'ava@northwind-partners.example', scopes: ['TENANT'], primary: ['TENANT'] },
        ],
        ...tenant,
      },
    ],
  });
  const problems = async (d: unknown) => {
    try {
      await importDocument(db, d, { now: NOW });
    } catch (err) {
      if (err instanceof ImportProblemsError) return err.lines();
      throw err;
    }
    return [];
  };
  const entry = {
    status: 'Active',
    statusDate: '2026-11-01',
    note: 'Review held.',
    by: 'ava@northwind-partners.example',
    at: '2026-11-01T09:00:00Z',
  };

  it('V-85: an unknown phase is reported at its path', async () => {
    const lines = await problems(doc({ services: [{ code: 'EXO', entitlements: 10, phase: 'Celebrate' }] }));
    expect(lines).toEqual([
      expect.stringMatching(/^tenants\[0\]\.services\[0\]\.phase: Choose one of the phases.*\[V-85\]$/),
    ]);
  });

  it('V-80: entries need an enterprise tenant, a known status, a date not in the future and a note', async () => {
    expect(await problems(doc({ enterprise: false, enterpriseStatus: [entry] }))).toEqual([
      `tenants[0].enterpriseStatus[0]: ${NOT_ENTERPRISE} [V-80]`,
    ]);
    const bad = { ...entry, status: 'Gone', statusDate: '2026-12-01', note: ' ' };
    const lines = await problems(doc({ enterprise: true, enterpriseStatus: [bad] }));
    expect(lines.map((l) => l.split(':')[0])).toEqual([
      'tenants[0].enterpriseStatus[0].status',
      'tenants[0].enterpriseStatus[0].statusDate',
      'tenants[0].enterpriseStatus[0].note',
    ]);
    expect(lines.every((l) => l.endsWith('[V-80]'))).toBe(true);
  });

  it('writes a valid phase and entry, each phase change with a history row, and the entry with its note', async () => {
    const svc = (phase: string) => ({ code: 'EXO', entitlements: 10, phase });
    expect(await problems(doc({ enterprise: true, enterpriseStatus: [entry], services: [svc('Assess')] }))).toEqual([]);
    expect(await problems(doc({ enterprise: true, enterpriseStatus: [entry], services: [svc('Enable')] }))).toEqual([]);
    const ts = await db('tenant_services').where({ service_code: 'EXO' }).first();
    expect(ts.phase).toBe('Enable');
    const history = await db('service_phase_history').where({ tenant_service_id: ts.id }).orderBy('id');
    expect(history.map((h) => [h.old_phase, h.new_phase])).toEqual([
      [null, 'Assess'],
      ['Assess', 'Enable'],
    ]);
    const e = await db('enterprise_status_entries').first();
    expect(await db('notes').where({ id: e.note_id }).first()).toMatchObject({ category: 'Enterprise Status' });
  });
});

describe('phase history and enterprise entries in the database', () => {
  let db: Db;
  let tenant: TenantRef;
  beforeAll(async () => {
    db = (await createTestDb()).db;
    tenant = await createTenant(db);
  });
  afterAll(() => db.destroy());

  it('records every phase change with who and when, and never lets a history row change', async () => {
    const id = await addService(db, tenant, 'EXO', { total: 10 });
    await db('tenant_services').where({ id }).update({ phase: 'Initiate', updated_at: '2026-11-01T10:00:00.000Z' });
    await db('tenant_services').where({ id }).update({ active_users: 3, updated_at: '2026-11-02T10:00:00.000Z' });
    await db('tenant_services').where({ id }).update({ phase: 'Assess' });
    const rows = await db('service_phase_history').where({ tenant_service_id: id }).orderBy('id');
    expect(rows.map((r) => [r.old_phase, r.new_phase])).toEqual([
      [null, 'Initiate'],
      ['Initiate', 'Assess'],
    ]);
    expect(rows[0].changed_at).toBe('2026-11-01T10:00:00.000Z');
    // An update that does not stamp the row is recorded as now, by nobody.
    expect(rows[1].changed_by).toBeNull();
    expect(rows[1].changed_at > '2026-11-02').toBe(true);
    const change = db('service_phase_history').where({ id: rows[0].id });
    await refused(change.clone().update({ new_phase: 'Enable' }), /append-only/);
    await refused(change.clone().del(), /append-only/);
  });

  it('V-80: enterprise status entries are never updated or deleted', async () => {
    const now = new Date().toISOString();
    const [{ id }] = await db('enterprise_status_entries')
      .insert({ tenant_id: tenant.id, status: 'Active', status_date: '2026-11-01', note: 'x', at: now })
      .returning('id');
    const entry = db('enterprise_status_entries').where({ id });
    await refused(entry.clone().update({ status: 'Blocked' }), /append-only/);
    await refused(entry.clone().del(), /append-only/);
  });
});

describe('notes history windows (DOMAIN.md §5.7.1)', () => {
  let db: Db;
  let ctx: TenantContext;
  const NOW = new Date('2026-11-20T12:00:00.000Z');
  const DAY = 86_400_000;
  const at = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
  beforeAll(async () => {
    db = (await createTestDb()).db;
    const t = await createTenant(db);
    ctx = { id: t.id, tenantGuid: t.guid, tenantName: t.name, access: 'read' } as TenantContext;
    const notes: [string, string][] = [
      ['now', at(0)],
      ['exactly 30 days', at(30 * DAY)],
      ['30 days and 1 ms', at(30 * DAY + 1)],
      ['exactly 60 days', at(60 * DAY)],
      ['60 days and 1 ms', at(60 * DAY + 1)],
      ['exactly 90 days', at(90 * DAY)],
      ['90 days and 1 ms', at(90 * DAY + 1)],
    ];
    for (const [body, created] of notes) {
      await db('notes').insert({
        tenant_id: t.id,
        category: 'Environment',
        body_html: `<p>${body}</p>`,
        body_text: body,
        source_context: 'notes_editor',
        created_at: created,
        search_tenant: t.name,
      });
    }
  });
  afterAll(() => db.destroy());

  const window = async (range: '30' | '60' | '90' | 'all') =>
    (await tenantHistory(db, ctx, { range, category: [], service: [] }, NOW)).notes.map((n) => n.bodyHtml);

  it('puts a note exactly on a boundary in the newer window, and one just past it in the older', async () => {
    expect(await window('30')).toEqual(['<p>now</p>', '<p>exactly 30 days</p>']);
    expect(await window('60')).toEqual(['<p>30 days and 1 ms</p>', '<p>exactly 60 days</p>']);
    expect(await window('90')).toEqual(['<p>60 days and 1 ms</p>', '<p>exactly 90 days</p>']);
    expect(await window('all')).toHaveLength(7);
  });
});
