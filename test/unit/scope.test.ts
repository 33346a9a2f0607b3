import type { Knex } from 'knex';
import type { Db } from '../../src/db/db';
import {
  AccessScope,
  tenantVisibleSql,
  whereAssignedToMe,
  whereOrgTenant,
  whereTenantVisible,
} from '../../src/auth/scope';
import { createTestDb } from '../helpers/db';
import { assign, createOrg, createTenant, createUser, OrgRef, TenantRef, UserRef } from '../helpers/factories';

/** The access scope (DOMAIN.md §1.2, §1.5): what each kind of user may see, applied in SQL. */
describe('access scope', () => {
  let db: Db;
  let orgA: OrgRef, orgB: OrgRef;
  let ava: UserRef, bob: UserRef, bea: UserRef;
  let aOnly: TenantRef,
    aAssignedToBob: TenantRef,
    split: TenantRef,
    bOnly: TenantRef,
    orphan: TenantRef,
    avaServiceOnly: TenantRef;

  const scopeOf = (u: UserRef, kind: AccessScope['kind'] = 'partner', managedOrgIds: number[] = []): AccessScope => ({
    userId: u.id,
    kind,
    orgId: u.orgId,
    managedOrgIds,
    isPartnerAdmin: false,
  });
  const names = async (qb: Knex.QueryBuilder) => (await qb).map((r: { tenant_name: string }) => r.tenant_name);
  const visible = async (scope: AccessScope, filter = whereTenantVisible) => {
    const qb = db('tenants').select('tenant_name').orderBy('tenant_name');
    filter(qb, scope, 'tenants.id');
    const found = await names(qb);
    if (filter === whereTenantVisible) {
      // The per-row form (an EXISTS per tenant, tenantVisibleSql: what the tenant lookup runs) sees the same tenants.
      const perRow = db('tenants').select('tenant_name').orderBy('tenant_name');
      const condition = tenantVisibleSql(scope, 'tenants.id');
      if (condition) perRow.whereRaw(condition.sql, condition.params);
      expect(await names(perRow)).toEqual(found);
    }
    return found;
  };

  beforeAll(async () => {
    ({ db } = await createTestDb());
    orgA = await createOrg(db);
    orgB = await createOrg(db);
    ava = await createUser(db, { org: orgA });
    bob = await createUser(db, { org: orgA });
    bea = await createUser(db, { org: orgB });
    aOnly = await createTenant(db, { name: 'a-only' });
    aAssignedToBob = await createTenant(db, { name: 'a-bob' });
    split = await createTenant(db, { name: 'split' });
    bOnly = await createTenant(db, { name: 'b-only' });
    orphan = await createTenant(db, { name: 'orphan' });
    avaServiceOnly = await createTenant(db, { name: 'ava-service-only' });
    await assign(db, { tenant: aOnly, userId: orgA.queueUserId, type: 'P-RM', primary: ['TENANT'] });
    // A P-RM held by an org member (not the queue) also links the tenant to the org.
    await assign(db, { tenant: aAssignedToBob, userId: bob.id, type: 'P-RM', primary: ['TENANT'] });
    // Split delivery: both orgs hold a P-RM on different services; one tenant primary.
    await assign(db, {
      tenant: split,
      userId: orgA.queueUserId,
      type: 'P-RM',
      scopes: ['TENANT', 'EXO'],
      primary: ['TENANT', 'EXO'],
    });
    await assign(db, {
      tenant: split,
      userId: orgB.queueUserId,
      type: 'P-RM',
      scopes: ['INTUNE'],
      primary: ['INTUNE'],
    });
    await assign(db, { tenant: bOnly, userId: orgB.queueUserId, type: 'P-RM', primary: ['TENANT'] });
    await assign(db, { tenant: bOnly, userId: bea.id, type: 'P-FE', scopes: ['EXO'] });
    // Ava is assigned (P-FE on one service) to a tenant with no P-RM of her org: she sees it, her org does not.
    await assign(db, { tenant: avaServiceOnly, userId: ava.id, type: 'P-FE', scopes: ['SPO'] });
    // Internal assignments never link a tenant to a partner org.
    const omar = await createUser(db, { kind: 'internal' });
    await assign(db, { tenant: orphan, userId: omar.id, type: 'Onboarding RM', primary: ['TENANT'] });
  });
  afterAll(() => db.destroy());

  it('lets a partner user see their org’s P-RM tenants and the tenants they are assigned to', async () => {
    expect(await visible(scopeOf(ava))).toEqual(['a-bob', 'a-only', 'ava-service-only', 'split']);
  });

  it('never shows a partner user another org’s tenants (split delivery is seen by both orgs)', async () => {
    expect(await visible(scopeOf(bea))).toEqual(['b-only', 'split']);
    expect(await visible(scopeOf(bea))).not.toContain('a-only');
  });

  it('puts only the user’s own P- assignments on the My tabs', async () => {
    expect(await visible(scopeOf(ava), whereAssignedToMe)).toEqual(['ava-service-only']);
    expect(await visible(scopeOf(bob), whereAssignedToMe)).toEqual(['a-bob']);
  });

  it('builds the Partner List from P-RMs held by the org’s queue or its users', async () => {
    expect(await visible(scopeOf(ava), whereOrgTenant)).toEqual(['a-bob', 'a-only', 'split']);
    expect(await visible(scopeOf(bea), whereOrgTenant)).toEqual(['b-only', 'split']);
  });

  it('lets an internal user see the P-RM tenants of the orgs they manage, and nothing else', async () => {
    const omar = await createUser(db, { kind: 'internal', managedOrgs: [orgB] });
    expect(await visible(scopeOf(omar, 'internal', [orgB.id]))).toEqual(['b-only', 'split']);
    expect(await visible(scopeOf(omar, 'internal', []))).toEqual([]);
  });

  it('lets an admin see every tenant', async () => {
    const admin = await createUser(db, { kind: 'admin' });
    expect(await visible(scopeOf(admin, 'admin'))).toHaveLength(6);
  });

  it('shows nothing to a queue principal or a partner without an org', async () => {
    expect(
      await visible({
        userId: orgA.queueUserId,
        kind: 'queue',
        orgId: orgA.id,
        managedOrgIds: [],
        isPartnerAdmin: false,
      }),
    ).toEqual([]);
    expect(
      await visible({ userId: ava.id, kind: 'partner', orgId: null, managedOrgIds: [], isPartnerAdmin: false }),
    ).toEqual([]);
  });

  it('drops a tenant from the org when its last P-RM goes', async () => {
    const t = await createTenant(db, { name: 'leaving' });
    const id = await assign(db, { tenant: t, userId: orgA.queueUserId, type: 'P-RM', primary: ['TENANT'] });
    expect(await visible(scopeOf(bob))).toContain('leaving');
    await db('assignments').where('id', id).delete();
    expect(await visible(scopeOf(bob))).not.toContain('leaving');
  });
});
