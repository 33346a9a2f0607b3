import type { AccessScope } from '../../src/auth/scope';
import { constraintViolation } from '../../src/db/constraint-error';
import type { Db } from '../../src/db/db';
import {
  changeRefusal,
  checkNewAssignee,
  checkPrmRemoval,
  primaryConflicts,
  prmRemoval,
  type AssignmentValues,
} from '../../src/domain/rules/assignment.rules';
import {
  createAssignment,
  deleteAssignment,
  nameFromUpn,
  updateAssignment,
} from '../../src/features/assignments/assignments-write.service';
import { blankForm, type AssignmentActor } from '../../src/features/assignments/assignments.service';
import { AssignmentConflict, PaneRefusal, type PaneForm } from '../../src/features/assignments/assignments.types';
import { loadTenant } from '../../src/features/tenants/tenants.service';
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

const a = (type: string, upn: string, orgName: string | null, scopes: [string, boolean][]): AssignmentValues => ({
  type,
  assignee: { upn, kind: 'partner', orgName },
  scopes: scopes.map(([scope, primary]) => ({ scope, primary })),
});

/** The assignment rules (src/domain/rules/assignment.rules.ts) as pure functions. */
describe('assignment rules', () => {
  const partner = { kind: 'partner' as const, orgName: 'North', isPartnerAdmin: false };

  it('V-64: names each primary another assignment holds, replaceable only within the same org', () => {
    const ben = a('P-FM', 'ben@n.example', 'North', [['EXO', true]]);
    const bea = a('P-FM', 'bea@s.example', 'South', [['TEAMS', true]]);
    const saving = a('P-FM', 'cara@n.example', 'North', [
      ['EXO', true],
      ['TEAMS', true],
      ['SPO', true],
    ]);
    expect(primaryConflicts([ben, bea], saving)).toEqual([
      { scope: 'EXO', holder: ben, replaceable: true },
      { scope: 'TEAMS', holder: bea, replaceable: false },
    ]);
    // Another type or a non-primary scope is no clash.
    expect(primaryConflicts([a('P-FE', 'x@n.example', 'North', [['EXO', true]])], saving)).toEqual([]);
  });

  it("V-66: a P-RM removal warns, and is 'last' when its org keeps no other P-RM (other orgs do not count)", () => {
    const queue = a('P-RM', 'q@queue', 'North', [['TENANT', true]]);
    const ben = a('P-RM', 'ben@n.example', 'North', [['EXO', false]]);
    const bea = a('P-RM', 'bea@s.example', 'South', [['TEAMS', true]]);
    expect(prmRemoval([queue, ben, bea], ben)).toBe('warn');
    expect(prmRemoval([queue, bea], queue)).toBe('last');
    expect(prmRemoval([queue], a('P-FM', 'ben@n.example', 'North', []))).toBe('none');
  });

  it('V-66: refuses the last P-RM to ordinary users, asks partner and system admins for the tenant name', () => {
    expect(checkPrmRemoval('last', partner, '', 'contoso.onmicrosoft.com').map((p) => p.path)).toEqual([['confirm']]);
    const admin = { ...partner, isPartnerAdmin: true };
    expect(checkPrmRemoval('last', admin, 'wrong', 'contoso.onmicrosoft.com').map((p) => p.path)).toEqual([
      ['confirmTenantName'],
    ]);
    expect(checkPrmRemoval('last', admin, ' Contoso.OnMicrosoft.com ', 'contoso.onmicrosoft.com')).toEqual([]);
    expect(
      checkPrmRemoval(
        'last',
        { kind: 'admin', orgName: null, isPartnerAdmin: false },
        'contoso.onmicrosoft.com',
        'contoso.onmicrosoft.com',
      ),
    ).toEqual([]);
    expect(checkPrmRemoval('warn', partner, '', 'x')).toEqual([]);
  });

  it('V-61: partner users change only P- types of their own org; internal users change nothing', () => {
    expect(changeRefusal(partner, 'P-FE', 'North')).toBeUndefined();
    expect(changeRefusal(partner, 'P-FE', 'South')).toMatch(/belongs to South/);
    expect(changeRefusal(partner, 'Onboarding RM', null)).toMatch(/internal assignment/);
    expect(changeRefusal({ kind: 'internal', orgName: null, isPartnerAdmin: false }, 'P-FE', 'North')).toMatch(
      /Internal users/,
    );
    expect(changeRefusal({ kind: 'admin', orgName: null, isPartnerAdmin: false }, 'P-FE', 'South')).toBeUndefined();
  });

  it('V-60: a new assignee is a UPN of a whitelisted domain (case-insensitive)', () => {
    const org = { name: 'North', domains: new Set(['north.example']) };
    expect(checkNewAssignee('Jane.Doe@NORTH.example', org)).toEqual([]);
    expect(checkNewAssignee('jane@south.example', org)[0]).toMatchObject({ path: ['username'], rule: 'V-60' });
    expect(checkNewAssignee('jane', org)[0].message).toContain('jane.doe@north.example');
    expect(nameFromUpn('jane.van-dyke@north.example')).toBe('Jane Van Dyke');
  });
});

/** The same rules through the dialog's service against a real database: primaries, the last P-RM, V-68, 409. */
describe('assignment writes against the database', () => {
  let db: Db;
  let org: OrgRef, other: OrgRef;
  let ben: UserRef, cara: UserRef, ava: UserRef, bea: UserRef;

  const scope = (u: UserRef, isPartnerAdmin = false): AccessScope => ({
    userId: u.id,
    kind: 'partner',
    orgId: u.orgId,
    managedOrgIds: [],
    isPartnerAdmin,
  });
  const actor = (u: UserRef, orgName: string, isPartnerAdmin = false): AssignmentActor => ({
    userId: u.id,
    kind: 'partner',
    orgId: u.orgId,
    orgName,
    isPartnerAdmin,
  });
  const form = (over: Partial<PaneForm>): PaneForm => ({ ...blankForm(over.type ?? 'P-FM'), ...over });
  const primaries = async (tenant: TenantRef) =>
    (
      await db('assignment_scopes as s')
        .join('assignments as a', 'a.id', 's.assignment_id')
        .join('users as u', 'u.id', 'a.assignee_user_id')
        .where({ 's.tenant_id': tenant.id, 's.is_primary': true })
        .orderBy(['s.type', 's.scope'])
        .select('s.type', 's.scope', 'u.display_name')
    ).map((r) => `${r.type} ${r.scope}: ${r.display_name}`);

  beforeAll(async () => {
    ({ db } = await createTestDb());
    org = await createOrg(db, { name: 'North' });
    other = await createOrg(db, { name: 'South' });
    ben = await createUser(db, { org, name: 'Ben' });
    cara = await createUser(db, { org, name: 'Cara' });
    ava = await createUser(db, { org, name: 'Ava', partnerAdmin: true });
    bea = await createUser(db, { org: other, name: 'Bea' });
  });
  afterAll(() => db.destroy());

  async function fresh() {
    const tenant = await createTenant(db);
    await addService(db, tenant, 'EXO');
    const queue = await assign(db, { tenant, userId: org.queueUserId, type: 'P-RM', primary: ['TENANT'] });
    const fm = await assign(db, { tenant, userId: ben.id, type: 'P-FM', scopes: ['TENANT', 'EXO'], primary: ['EXO'] });
    return { tenant, queue, fm, ctx: await loadTenant(db, scope(ben), tenant.guid) };
  }

  it('V-64: the partial unique index refuses a second primary per tenant, type and scope, whoever writes it', async () => {
    const { tenant } = await fresh();
    const id = await assign(db, { tenant, userId: cara.id, type: 'P-FM', scopes: ['EXO'] });
    const error = await db('assignment_scopes')
      .where({ assignment_id: id })
      .update({ is_primary: true })
      .then(
        () => null,
        (err: Error) => err,
      );
    expect(constraintViolation(error)).toMatchObject({ kind: 'unique', table: 'assignment_scopes' });
    // Another type, or the same type on another scope, may be primary.
    await assign(db, { tenant, userId: cara.id, type: 'P-FE', scopes: ['EXO'], primary: ['EXO'] });
  });

  it('V-64: Replace primary moves the flag from a holder of the same org in one transaction, never from another org', async () => {
    const { tenant, ctx } = await fresh();
    await expect(
      createAssignment(db, ctx, actor(ben, 'North'), form({ username: cara.upn, scopes: ['EXO'], primary: ['EXO'] })),
    ).rejects.toBeInstanceOf(PaneRefusal);
    await createAssignment(
      db,
      ctx,
      actor(ben, 'North'),
      form({ username: cara.upn, scopes: ['EXO'], primary: ['EXO'], replacePrimary: true }),
    );
    expect(await primaries(tenant)).toEqual(['P-FM EXO: Cara', 'P-RM TENANT: FTP North']);

    await assign(db, { tenant, userId: bea.id, type: 'P-FE', scopes: ['EXO'], primary: ['EXO'] });
    const refused = createAssignment(
      db,
      ctx,
      actor(ben, 'North'),
      form({ type: 'P-FE', username: ben.upn, scopes: ['EXO'], primary: ['EXO'], replacePrimary: true }),
    );
    await expect(refused).rejects.toMatchObject({
      fields: { primary: expect.stringContaining('Only South can hand it over') },
    });
    expect(await primaries(tenant)).toContain('P-FE EXO: Bea');
  });

  it("V-66: the org's last P-RM stays for ordinary users; a partner admin removes it with the tenant name", async () => {
    const { tenant, queue, ctx } = await fresh();
    const confirm = { confirm: true, version: '1' };
    await expect(deleteAssignment(db, ctx, actor(ben, 'North'), queue, form(confirm))).rejects.toMatchObject({
      fields: { confirm: expect.stringContaining('only a partner admin can remove it') },
    });
    const adminCtx = await loadTenant(db, scope(ava, true), tenant.guid);
    await expect(deleteAssignment(db, adminCtx, actor(ava, 'North', true), queue, form(confirm))).rejects.toMatchObject(
      {
        fields: { confirm_tenant_name: expect.stringContaining(tenant.name) },
      },
    );
    expect(await db('assignments').where('id', queue).first()).toBeDefined();
    await deleteAssignment(
      db,
      adminCtx,
      actor(ava, 'North', true),
      queue,
      form({ ...confirm, confirmTenantName: tenant.name }),
    );
    expect(await db('assignments').where({ tenant_id: tenant.id, type: 'P-RM' })).toEqual([]);
    expect(await db('assignment_audit').where({ tenant_id: tenant.id, action: 'delete' })).toHaveLength(1);
  });

  it("V-66: another org's P-RM does not keep this org's last P-RM from being the last", async () => {
    const { tenant, queue, ctx } = await fresh();
    await assign(db, { tenant, userId: bea.id, type: 'P-RM', scopes: ['EXO'], primary: ['EXO'] });
    await expect(deleteAssignment(db, ctx, actor(ben, 'North'), queue, form({ confirm: true }))).rejects.toBeInstanceOf(
      PaneRefusal,
    );
  });

  it('V-68: when one P-RM is left, its Tenant scope becomes primary in the same transaction (with an audit row)', async () => {
    const { tenant, queue } = await fresh();
    const benPrm = await assign(db, { tenant, userId: ben.id, type: 'P-RM', scopes: ['TENANT'] });
    const adminCtx = await loadTenant(db, scope(ava, true), tenant.guid);
    const message = await deleteAssignment(db, adminCtx, actor(ava, 'North', true), queue, form({ confirm: true }));
    expect(message).toContain('Ben is the only P-RM, so the assignment was made tenant primary automatically.');
    expect(await primaries(tenant)).toContain('P-RM TENANT: Ben');
    const audit = await db('assignment_audit').where({ tenant_id: tenant.id }).orderBy('id');
    expect(audit.map((r) => r.action)).toEqual(['delete', 'update']);
    expect(audit[1].after_json).toBe('{"scopes":["TENANT"],"primary":["TENANT"]}');
    expect((await db('assignments').where('id', benPrm).first()).version).toBe(2);
  });

  it('concurrent edits of one assignment: exactly one is saved, the other is a 409 conflict', async () => {
    const { fm, ctx, tenant } = await fresh();
    const results = await Promise.allSettled([
      updateAssignment(db, ctx, actor(ben, 'North'), fm, form({ version: '1', scopes: ['TENANT'] })),
      updateAssignment(db, ctx, actor(ben, 'North'), fm, form({ version: '1', scopes: ['EXO'], primary: ['EXO'] })),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(AssignmentConflict);
    expect(rejected.reason.status).toBe(409);
    expect((await db('assignments').where('id', fm).first()).version).toBe(2);
    expect(await db('assignment_audit').where({ tenant_id: tenant.id })).toHaveLength(1);
  });
});
