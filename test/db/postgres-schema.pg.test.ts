import { createDb, type Db } from '../../src/db/db';
import { assign, createOrg, createTenant, createUser } from '../helpers/factories';
import { createPgDatabase, describeOnPostgres } from '../helpers/pg';

/** The schema on PostgreSQL (issue 13): migrations up, down and up; the invariants hold as on SQLite. */
describeOnPostgres('PostgreSQL schema', () => {
  let db: Db;
  let drop: () => Promise<void>;
  const now = '2026-12-01T10:00:00.000Z';

  beforeAll(async () => {
    const pg = await createPgDatabase();
    drop = pg.drop;
    db = createDb(pg.url, { poolMax: 2 });
  });
  afterAll(async () => {
    await db?.destroy();
    await drop?.();
  });

  const tables = async () =>
    (
      (await db.raw(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'knex_%' ORDER BY 1",
      )) as { rows: { tablename: string }[] }
    ).rows.map((r) => r.tablename);

  it('every connection runs in UTC with a 5 s lock wait, planner costs for data in memory, no parallel workers and no JIT (src/db/db.ts)', async () => {
    const setting = async (name: string) =>
      ((await db.raw(`SELECT current_setting('${name}') AS v`)) as { rows: { v: string }[] }).rows[0].v;
    expect(await setting('TimeZone')).toBe('UTC');
    expect(await setting('lock_timeout')).toBe('5s');
    expect(await setting('random_page_cost')).toBe('1.1');
    expect(await setting('cpu_tuple_cost')).toBe('0.03');
    expect(await setting('max_parallel_workers_per_gather')).toBe('0');
    expect(await setting('jit')).toBe('off');
  });

  it('migrations go up, down to nothing, and up again', async () => {
    const [, up1] = await db.migrate.latest();
    expect(up1.length).toBeGreaterThanOrEqual(12);
    const afterUp = await tables();
    expect(afterUp).toEqual(expect.arrayContaining(['tenants', 'notes', 'assignment_scopes', 'sessions']));
    const [, down] = await db.migrate.rollback(undefined, true);
    expect(down).toHaveLength(up1.length);
    expect(await tables()).toEqual([]);
    await db.migrate.latest();
    expect(await tables()).toEqual(afterUp);
    expect(Number((await db('services').count({ n: '*' }))[0].n)).toBe(21);
  });

  describe('invariants', () => {
    let userId: number;
    let tenantId: number;
    beforeAll(async () => {
      const org = await createOrg(db);
      userId = (await createUser(db, { org })).id;
      tenantId = (await createTenant(db)).id;
    });

    it('notes are immutable (V-76) and searchable by stem through the stored tsvector', async () => {
      const [{ id }] = await db('notes')
        .insert({
          tenant_id: tenantId,
          category: 'Engagement Management',
          body_html: '<p>Migrating mailboxes</p>',
          body_text: 'Migrating mailboxes',
          source_context: 'notes_editor',
          created_at: now,
        })
        .returning('id');
      await expect(db('notes').where({ id }).update({ body_text: 'x' })).rejects.toThrow(/notes are immutable/);
      await expect(db('notes').where({ id }).delete()).rejects.toThrow(/notes are immutable/);
      const found = await db('notes').whereRaw("search_vector @@ to_tsquery('english', 'migration:*')").pluck('id');
      expect(found).toEqual([id]);
    });

    it('one primary per (tenant, scope, type) (V-64) and only known scopes', async () => {
      const tenant = await createTenant(db);
      const other = await createUser(db, { org: await createOrg(db) });
      await assign(db, { tenant, userId, type: 'P-RM', primary: ['TENANT'] });
      await expect(assign(db, { tenant, userId: other.id, type: 'P-RM', primary: ['TENANT'] })).rejects.toThrow(
        /assignment_scopes_one_primary/,
      );
      await expect(assign(db, { tenant, userId: other.id, type: 'P-FM', scopes: ['NOPE'] })).rejects.toThrow(
        /unknown assignment scope/,
      );
    });

    it('at most 10 drafts per user (V-75)', async () => {
      const draft = { owner_user_id: userId, body_html: '', saved_at: now };
      for (let i = 0; i < 10; i++) await db('note_drafts').insert(draft);
      await expect(db('note_drafts').insert(draft)).rejects.toThrow(/draft limit reached/);
    });
  });
});
