import { keptTenantIds, ListStore } from '../../src/features/tenants/list-sets';
import { createTestDb, onPostgres } from '../helpers/db';
import { assign, createOrg, createTenant } from '../helpers/factories';

const ON_PG = onPostgres();

// The notes search's visible tenants (src/features/notes/notes-search.repo.ts): read by the visibility rule's
// SQL, kept until the sets change; on PostgreSQL read every time.
describe('keptTenantIds', () => {
  it('keeps the ids until an assignment changes, through a change to a tenant’s row', async () => {
    const { db } = await createTestDb();
    try {
      const org = await createOrg(db);
      const tenant = await createTenant(db, {});
      const store = new ListStore();
      let loads = 0;
      const load = async () => {
        loads++;
        return new Set(
          (await db('assignments').where({ org_id: org.id, type: 'P-RM' }).pluck('tenant_id')) as number[],
        );
      };
      const kept = () => keptTenantIds(db, 'scope', load, store);
      expect([...(await kept())]).toEqual([]);
      expect([...(await kept())]).toEqual([]);
      await db('tenants').where('id', tenant.id).update({ overall_status: 'Active' });
      expect([...(await kept())]).toEqual([]);
      expect(loads).toBe(ON_PG ? 3 : 1);
      await assign(db, { tenant, userId: org.queueUserId, type: 'P-RM', scopes: ['TENANT'], primary: ['TENANT'] });
      expect([...(await kept())]).toEqual([tenant.id]);
      expect(loads).toBe(ON_PG ? 4 : 2);
    } finally {
      await db.destroy();
    }
  });
});
