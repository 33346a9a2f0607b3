import type { Db } from '../../src/db/db';
import { AdminInputError } from '../../src/features/admin/admin.errors';
import { seedSynthetic, tenantsPerOrg } from '../../seeds/synthetic';
import { countNotesMatching, createTestDb, rawRows } from '../helpers/db';

const NOW = new Date('2026-11-20T12:00:00Z');
const OPTIONS = { tenants: 300, orgs: 5, notesPerTenant: 2, seed: 7, now: NOW };

async function tenantKeys(db: Db): Promise<string[]> {
  return (await db('tenants').orderBy('id').select('tenant_guid', 'tenant_name')).map(
    (t) => `${t.tenant_guid} ${t.tenant_name}`,
  );
}

describe('seedSynthetic (seed --tenants N)', () => {
  const dbs: Db[] = [];
  const fresh = async () => {
    const { db } = await createTestDb();
    dbs.push(db);
    return db;
  };
  afterAll(async () => {
    for (const db of dbs) await db.destroy();
  });

  it('is deterministic: the same seed gives the same tenant GUIDs and names, another seed different ones', async () => {
    const [a, b, c] = [await fresh(), await fresh(), await fresh()];
    const progress: number[] = [];
    expect(await seedSynthetic(a, { ...OPTIONS, onProgress: (done) => progress.push(done) })).toEqual({
      orgs: 5,
      users: 20,
      tenants: 300,
      notes: 600,
    });
    await seedSynthetic(b, OPTIONS);
    await seedSynthetic(c, { ...OPTIONS, seed: 8 });
    const keys = await tenantKeys(a);
    expect(keys).toHaveLength(300);
    expect(new Set(keys.map((k) => k.split(' ')[1])).size).toBe(300);
    expect(keys[0]).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12} t000001-[a-z]+\.onmicrosoft\.com$/,
    );
    expect(await tenantKeys(b)).toEqual(keys);
    expect(await tenantKeys(c)).not.toEqual(keys);
    expect(progress[progress.length - 1]).toBe(300);
  });

  it('V-26: every entitlement status grid adds up to its service total, with valid L1/L2 pairs', async () => {
    const db = dbs[0];
    const unbalanced = await rawRows<{ n: number }>(
      db,
      `SELECT count(*) AS n FROM tenant_services ts
      WHERE total_entitlements <> coalesce((SELECT sum(entitlements) FROM entitlement_status_rows r WHERE r.tenant_service_id = ts.id), 0)`,
    );
    expect(Number(unbalanced[0].n)).toBe(0);
    expect(Number((await db('tenant_services').count({ n: '*' }).first())!.n)).toBeGreaterThanOrEqual(300);
    const l1s = await db('entitlement_status_rows').distinct('l1').pluck('l1');
    expect(l1s.sort()).toEqual(['Blocked', 'Duplicate/Invalid', 'In Progress', 'No Intent', 'Status Unknown']);
  });

  it('gives org 1 5% of the tenants and every tenant a tenant-primary P-RM held by its org queue', async () => {
    const db = dbs[0];
    const perOrg = await db('assignments as a')
      .join('users as u', 'u.id', 'a.assignee_user_id')
      .join('assignment_scopes as s', 's.assignment_id', 'a.id')
      .where({ 'u.kind': 'queue', 'a.type': 'P-RM', 's.scope': 'TENANT', 's.is_primary': true })
      .groupBy('a.org_id')
      .orderBy('a.org_id')
      .select('a.org_id')
      .count({ n: '*' });
    expect(perOrg.map((r) => Number(r.n))).toEqual([15, 72, 71, 71, 71]);
    const admins = await db('users').where({ is_partner_admin: true }).orderBy('upn').pluck('upn');
    expect(admins[0]).toBe('user1@org001.synthetic.example');
    expect(admins).toHaveLength(5);
    // Notes are searchable: the FTS trigger ran for each of them (SQLite), the search column is filled (PostgreSQL).
    // Each note names its tenant's word: the index finds exactly the notes of the tenants with that word.
    const word = /^t\d+-([a-z]+)\./.exec((await db('tenants').orderBy('id').first('tenant_name')).tenant_name)![1];
    const expected = Number((await db('notes').where('body_text', 'like', `%(${word} %`).count({ n: '*' }))[0].n);
    expect(expected).toBeGreaterThanOrEqual(2);
    expect(await countNotesMatching(db, word)).toBe(expected);
  });

  it('leaves the id sequences after the loaded ids, so the next ordinary insert gets a new id', async () => {
    const db = dbs[0];
    const [row] = await db('partner_orgs')
      .insert({ name: 'After Synthetic', queue_display_name: 'FTP After Synthetic', created_at: 'x', updated_at: 'x' })
      .returning('id');
    expect(Number(typeof row === 'object' ? row.id : row)).toBe(6);
    await db('partner_orgs').where({ name: 'After Synthetic' }).delete();
  });

  it('refuses to load a second synthetic data set into the same database', async () => {
    await expect(seedSynthetic(dbs[0], OPTIONS)).rejects.toThrow(AdminInputError);
    expect(Number((await dbs[0]('tenants').count({ n: '*' }).first())!.n)).toBe(300);
  });

  it('sizes org 1 for the benchmark: 5,000 of 100,000 tenants over 200 orgs', () => {
    const counts = tenantsPerOrg(100_000, 200);
    expect(counts[0]).toBe(5000);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(100_000);
    expect(Math.max(...counts.slice(1)) - Math.min(...counts.slice(1))).toBeLessThanOrEqual(1);
    expect(tenantsPerOrg(10, 1)).toEqual([10]);
  });
});
