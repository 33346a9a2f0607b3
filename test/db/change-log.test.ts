import Database from 'better-sqlite3';
import type { Db } from '../../src/db/db';
import { logState, SETS_CHANGED, startLog, takeChanges } from '../../src/db/change-log';
import { createTestDb, onPostgres } from '../helpers/db';
import { addService, assign, createOrg, createTenant, createUser, type TenantRef } from '../helpers/factories';

const ON_PG = onPostgres();

/**
 * The connection's change log behind the Partner List in memory (src/db/change-log.ts, decision 128):
 * what it logs for each kind of write, what it leaves alone, and how a reader takes from it. SQLite
 * only: on PostgreSQL the list reads SQL on every request, which test/unit/list-index.test.ts checks.
 */
(ON_PG ? describe.skip : describe)('change log (SQLite)', () => {
  let db: Db;
  let file: string;
  let tenant: TenantRef;
  let userId: number;
  const logged = async () => ((await takeChanges(db)) as number[]).sort((a, b) => a - b);

  beforeAll(async () => {
    ({ db, file } = await createTestDb());
    const org = await createOrg(db);
    userId = (await createUser(db, { org })).id;
    tenant = await createTenant(db);
    await assign(db, { tenant, userId: org.queueUserId, type: 'P-RM', scopes: ['TENANT'], primary: ['TENANT'] });
  });
  afterAll(() => db.destroy());

  it('is missing on a connection that never started it, and empty once started', async () => {
    expect(await logState(db)).toBeNull();
    const state = await startLog(db);
    expect(state.dirty).toBe(false);
    expect(await logged()).toEqual([]);
  });

  it("logs a tenant's own changes and its services' by tenant id, once per tenant", async () => {
    await db('tenants').where('id', tenant.id).update({ customer_name: 'Renamed' });
    await db('tenants').where('id', tenant.id).update({ country: 'Spain' });
    expect((await logState(db))?.dirty).toBe(true);
    expect(await logged()).toEqual([tenant.id]);
    const serviceId = await addService(db, tenant, 'EXO');
    await db('tenant_services').where('id', serviceId).update({ total_entitlements: 7 });
    expect(await logged()).toEqual([tenant.id]);
    await db('tenant_services').where('id', serviceId).del();
    expect(await logged()).toEqual([tenant.id]);
    expect((await logState(db))?.dirty).toBe(false);
  });

  it('logs a change to the sets themselves as SETS_CHANGED', async () => {
    await assign(db, { tenant, userId, type: 'P-FE', scopes: ['EXO'] });
    expect(await logged()).toEqual([SETS_CHANGED]);
    await createTenant(db);
    expect(await logged()).toEqual([SETS_CHANGED]);
    await db('users').where('id', userId).update({ display_name: 'Someone Else' });
    expect(await logged()).toEqual([SETS_CHANGED]);
  });

  it('leaves out writes the list does not show, and rolled-back ones', async () => {
    await db('users').where('id', userId).update({ last_sign_in_at: new Date().toISOString() });
    await db
      .transaction(async (trx) => {
        await trx('tenants').where('id', tenant.id).update({ customer_name: 'Never' });
        await trx.rollback();
      })
      .catch(() => undefined);
    expect(await logged()).toEqual([]);
  });

  it('takes only what it read: a tenant logged after the read stays for the next reader', async () => {
    const other = await createTenant(db);
    await logged();
    await db('tenants').where('id', tenant.id).update({ customer_name: 'One' });
    const taking = takeChanges(db);
    await db('tenants').where('id', other.id).update({ customer_name: 'Two' });
    expect(await taking).toEqual([tenant.id]);
    expect(await logged()).toEqual([other.id]);
  });

  it('moves its version with a schema change on this connection', async () => {
    const before = (await logState(db))!.version;
    await db.schema.createTable('scratch_for_version', (t) => t.increments('id'));
    await db.schema.dropTable('scratch_for_version');
    expect((await logState(db))!.version).not.toBe(before);
  });

  it("does not see another connection's writes: those move data_version instead", async () => {
    const before = (await logState(db))!.version;
    const cli = new Database(file);
    try {
      cli.prepare('UPDATE tenants SET customer_name = ? WHERE id = ?').run('From the CLI', tenant.id);
    } finally {
      cli.close();
    }
    const after = (await logState(db))!;
    expect(after.dirty).toBe(false);
    expect(after.version).not.toBe(before);
  });
});
