import type { Db } from '../../src/db/db';
import {
  correctionRows,
  eachCorrectionPage,
  raiseGeneration,
  setExcluded,
} from '../../src/features/suggest/corrections.repo';
import { ensureCurrentModel, retrainFromDb } from '../../src/features/suggest/corrections.service';
import { rebuildModel } from '../../src/features/suggest/suggest.model';
import { suggest } from '../../src/features/suggest/suggest.service';
import { createTestDb } from '../helpers/db';
import { addService, createOrg, createTenant, createUser } from '../helpers/factories';

/** The committed status rows feed Suggest's training; an admin can exclude one (suggest_exclusions). */
describe('Suggest corrections from the database', () => {
  let db: Db;
  const text = 'budget freeze from finance, nothing before april';

  beforeAll(async () => {
    ({ db } = await createTestDb());
    const org = await createOrg(db);
    const users = await Promise.all([1, 2, 3].map((i) => createUser(db, { org, upn: `u${i}@example.com` })));
    const tenant = await createTenant(db);
    const notes = [text, 'finance budget freeze until april', 'no budget from finance until the freeze ends'];
    const codes = ((await db('services').select('code').orderBy('code').limit(9)) as { code: string }[]).map(
      (c) => c.code,
    );
    expect(codes).toHaveLength(9);
    for (const [n, code] of codes.entries()) {
      const tsId = await addService(db, tenant, code, {
        total: 10,
        rows: [{ l1: 'Blocked', l2: 'Service Reliability', entitlements: 10 }],
      });
      await db('entitlement_status_rows')
        .where({ tenant_service_id: tsId })
        .update({ status_note: notes[n % 3], created_by: users[n % 3].id, suggested_l1: 'Blocked', overridden: 1 });
    }
  });
  afterAll(async () => {
    rebuildModel();
    await db.destroy();
  });

  it('retraining from the committed rows changes a prediction; excluding them undoes it', async () => {
    rebuildModel();
    const before = suggest(text);
    expect(before.l2).not.toBe('Service Reliability');
    expect(await correctionRows(db)).toHaveLength(9);
    const r = await retrainFromDb(db);
    expect(r.corrections).toBe(9);
    expect(suggest(text)).toMatchObject({ l1: 'Blocked', l2: 'Service Reliability' });
    for (const row of await correctionRows(db))
      expect(await setExcluded(db, row.id, true, '2026-12-01T00:00:00Z')).toBe(true);
    expect((await retrainFromDb(db)).corrections).toBe(0);
    expect(suggest(text)).toEqual(before);
    expect(await setExcluded(db, 999999, true, '2026-12-01T00:00:00Z')).toBe(false);
    const first = (await correctionRows(db))[0];
    expect(first.excluded).toBe(true);
    await setExcluded(db, first.id, false, '2026-12-01T00:00:00Z');
    expect((await correctionRows(db))[0].excluded).toBe(false);
  });

  it('reads the rows page by page in id order, every row once', async () => {
    const pages: number[][] = [];
    await eachCorrectionPage(db, (rows) => pages.push(rows.map((r) => r.id)), 4);
    expect(pages.map((p) => p.length)).toEqual([4, 4, 1]);
    expect(pages.flat()).toEqual((await correctionRows(db)).map((r) => r.id));
    expect([...pages.flat()].sort((a, b) => a - b)).toEqual(pages.flat());
  });
});

/** suggest:retrain runs in another process: it raises the shared generation, and each server follows before its next suggestion. */
describe('Suggest model generation (suggest_model)', () => {
  let db: Db;
  const text = 'legal hold from compliance stops any change until the audit ends';

  beforeAll(async () => {
    ({ db } = await createTestDb());
    const org = await createOrg(db);
    const user = await createUser(db, { org, upn: 'gen@example.com' });
    const tenant = await createTenant(db);
    const codes = ((await db('services').select('code').orderBy('code').limit(9)) as { code: string }[]).map(
      (c) => c.code,
    );
    for (const code of codes) {
      const tsId = await addService(db, tenant, code, {
        total: 10,
        rows: [{ l1: 'Blocked', l2: 'Service Reliability', entitlements: 10 }],
      });
      await db('entitlement_status_rows')
        .where({ tenant_service_id: tsId })
        .update({ status_note: text, created_by: user.id, suggested_l1: 'Blocked', overridden: 1 });
    }
    for (const row of await correctionRows(db)) await setExcluded(db, row.id, true, '2026-12-01T00:00:00Z');
  });
  afterAll(async () => {
    rebuildModel();
    await db.destroy();
  });

  it('rebuilds when the generation is raised, and only then', async () => {
    await ensureCurrentModel(db);
    const before = suggest(text);
    expect(before.l2).not.toBe('Service Reliability');
    // The rows count again, but this server keeps its model until a retrain is asked for.
    for (const row of await correctionRows(db)) await setExcluded(db, row.id, false, '2026-12-01T00:00:00Z');
    await ensureCurrentModel(db);
    expect(suggest(text)).toEqual(before);
    expect(await raiseGeneration(db, '2026-12-01T00:00:01Z')).toBe(1);
    await ensureCurrentModel(db);
    expect(suggest(text)).toMatchObject({ l1: 'Blocked', l2: 'Service Reliability' });
    expect(await db('suggest_model').first()).toEqual({ id: 1, generation: 1, requested_at: '2026-12-01T00:00:01Z' });
  });
});
