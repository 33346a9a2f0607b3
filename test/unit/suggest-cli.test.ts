import { main } from '../../src/cli';
import type { Db } from '../../src/db/db';
import { rebuildModel } from '../../src/features/suggest/suggest.model';
import { createTestDb } from '../helpers/db';
import { addService, createOrg, createTenant, createUser } from '../helpers/factories';

/** `suggest:retrain` and `suggest:corrections` (README's CLI table, docs/cli.md). */
describe('suggest:retrain and suggest:corrections', () => {
  let db: Db;
  let url: string;
  const saved = process.env.DATABASE_URL;
  const run = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['node', 'ftop', ...args], { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out, err };
  };

  beforeAll(async () => {
    ({ db, url } = await createTestDb());
    process.env.DATABASE_URL = url;
    const org = await createOrg(db);
    const user = await createUser(db, { org });
    const tenant = await createTenant(db);
    const tsId = await addService(db, tenant, 'EXO', {
      total: 20,
      rows: [
        { l1: 'Blocked', l2: 'Legal/Regulatory', entitlements: 10 },
        { l1: 'In Progress', l2: null, entitlements: 10 },
      ],
    });
    await db('entitlement_status_rows')
      .where({ tenant_service_id: tsId })
      .update({ status_note: 'works council has not agreed yet', created_by: user.id });
  });
  afterAll(async () => {
    process.env.DATABASE_URL = saved;
    rebuildModel();
    await db.destroy();
  });

  it('lists the rows with whether each trains, excludes and includes one, and retrains', async () => {
    const list = await run('suggest:corrections');
    expect(list.code).toBe(0);
    const rows = list.out.map((l) => JSON.parse(l));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ l1: 'Blocked', l2: 'Legal/Regulatory', trains: true });
    expect(rows[1]).toMatchObject({ l1: 'In Progress', trains: false, skipped: 'no L2' });
    expect((await run('suggest:retrain')).out[0]).toMatch(
      /^suggest:retrain: \d+ examples \(1 from status rows, at most 20 per user\) in \d+ ms; running servers rebuild \(model generation \d+\)$/,
    );
    expect((await run('suggest:corrections', '--exclude', String(rows[0].id))).out).toEqual([
      `suggest:corrections: row ${rows[0].id} excluded`,
    ]);
    expect(JSON.parse((await run('suggest:corrections')).out[0])).toMatchObject({ trains: false, skipped: 'excluded' });
    expect((await run('suggest:retrain')).out[0]).toMatch(/\(0 from status rows/);
    await run('suggest:corrections', '--include', String(rows[0].id));
    expect(JSON.parse((await run('suggest:corrections')).out[0]).trains).toBe(true);
    const bad = await run('suggest:corrections', '--exclude', '999999');
    expect(bad.code).toBe(1);
    expect(bad.err).toEqual(['error: no status row 999999']);
  });
});
