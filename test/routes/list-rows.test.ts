import { renderView } from '../../src/http/render';
import { buildTestApp, hx, html, loginAs, TestApp } from '../helpers/app';
import { onPostgres } from '../helpers/db';
import { assign, createOrg, createTenant, createUser, TenantRef, UserRef } from '../helpers/factories';

const ON_PG = onPostgres();

// Counts the rows rendered: list-rows.ts renders each through renderView.
jest.mock('../../src/http/render', () => {
  const actual = jest.requireActual('../../src/http/render');
  return { ...actual, renderView: jest.fn(actual.renderView) };
});
const rowRenders = () => jest.mocked(renderView).mock.calls.filter(([, view]) => view === 'tenants/_row').length;

/**
 * The Partner List's rows (views/tenants/_row.ejs) are rendered once for each row object and viewer
 * variant (src/features/tenants/list-rows.ts, decision 143): a save shows at once, and no viewer ever gets
 * a row rendered for another (their roles, the partner admin's Edit Assignments, the Priority column).
 */
describe('Partner List rows', () => {
  let t: TestApp;
  let ava: UserRef, pam: UserRef, bob: UserRef;
  let alpha: TenantRef, beta: TenantRef;
  const day = new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    t = await buildTestApp();
    const org = await createOrg(t.db, { name: 'Northwind Partners' });
    ava = await createUser(t.db, { org, name: 'Ava Smith' });
    pam = await createUser(t.db, { org, name: 'Pam Admin', partnerAdmin: true });
    bob = await createUser(t.db, { org, name: 'Bob Jones' });
    alpha = await createTenant(t.db, { name: 'alpha.onmicrosoft.com', overallStatus: 'Active', priority: 'High' });
    beta = await createTenant(t.db, { name: 'beta.onmicrosoft.com', overallStatus: 'Active' });
    for (const tenant of [alpha, beta])
      await assign(t.db, { tenant, userId: org.queueUserId, type: 'P-RM', scopes: ['TENANT'], primary: ['TENANT'] });
    await assign(t.db, { tenant: alpha, userId: ava.id, type: 'P-FM', scopes: ['TENANT'], primary: ['TENANT'] });
  });
  afterAll(() => t.close());

  /** The row of a tenant on the list page as the agent sees it. */
  const rowOf = async (agent: Awaited<ReturnType<typeof loginAs>>, tenant: TenantRef, tab = 'partner') => {
    const res = await hx(agent.agent.get(`/tenants?tab=${tab}&sort=name`));
    expect(res.status).toBe(200);
    const row = html(res.text)
      .querySelectorAll('#tenant-table tbody tr')
      .find((tr) => tr.getAttribute('data-pane-url') === `/tenants/${tenant.guid}/entitlements`);
    expect(row).toBeDefined();
    return row!;
  };
  const labels = (row: Awaited<ReturnType<typeof rowOf>>) =>
    row.querySelectorAll('.actions a').map((a) => a.getAttribute('title'));
  const cell = (row: Awaited<ReturnType<typeof rowOf>>, label: string) =>
    row.querySelector(`td[data-label="${label}"]`)?.text.trim();

  it('renders each row for its viewer: roles, the partner admin’s Edit Assignments, the Priority column', async () => {
    const [a, p, b] = [await loginAs(t.app, ava.upn), await loginAs(t.app, pam.upn), await loginAs(t.app, bob.upn)];
    // Taken in turns, so that a row rendered for one viewer would be there for the next.
    for (let round = 0; round < 2; round++) {
      expect(labels(await rowOf(a, alpha))).toEqual(['Edit Tenant', 'Edit Assignments']);
      expect(cell(await rowOf(a, alpha), 'My Roles')).toBe('P-FM');
      expect(labels(await rowOf(p, alpha))).toEqual(['View (read-only)', 'Edit Assignments']);
      expect(labels(await rowOf(b, alpha))).toEqual(['View (read-only)']);
      expect(cell(await rowOf(b, alpha), 'My Roles')).toBe('Guest (read-only)');
      expect(labels(await rowOf(p, beta))).toEqual(['View (read-only)', 'Edit Assignments']);
      expect(labels(await rowOf(b, beta))).toEqual(['View (read-only)']);
      expect(cell(await rowOf(a, alpha), 'Priority')).toBe('High');
      expect(cell(await rowOf(a, alpha, 'my-active'), 'Priority')).toBeUndefined();
    }
  });

  (ON_PG ? describe.skip : describe)('kept in memory (SQLite)', () => {
    it('renders a kept row once, and a saved row afresh with what was saved', async () => {
      const a = await loginAs(t.app, ava.upn);
      await rowOf(a, alpha);
      jest.mocked(renderView).mockClear();
      await rowOf(a, alpha);
      expect(rowRenders()).toBe(0);
      const version = (await t.db('tenants').where('id', alpha.id).first()).version as number;
      const saved = await hx(a.agent.post(`/tenants/${alpha.guid}/overall-status`).type('form')).send({
        _csrf: a.csrf,
        overall_status: 'Blocked',
        status_date: day,
        note: 'Waiting for the works council.',
        version: String(version),
      });
      expect(saved.status).toBe(200);
      jest.mocked(renderView).mockClear();
      const row = await rowOf(a, alpha);
      expect(rowRenders()).toBe(1);
      expect(cell(row, 'Status')).toBe('Blocked');
    });
  });
});
