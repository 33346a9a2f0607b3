import { buildTestApp, hx, html, loginAs, TestApp } from '../helpers/app';
import { addService, assign, createOrg, createTenant, createUser, TenantRef, UserRef } from '../helpers/factories';

const ago = (days: number) => new Date(Date.now() - days * 86400000).toISOString();

/** GET /notes — Latest Notes (DOMAIN.md §5.12.3): the user's tenants, filters, toggles, markers. */
describe('GET /notes', () => {
  let t: TestApp;
  let ava: UserRef;
  let mine: TenantRef;
  let orgOnly: TenantRef;
  let inactive: TenantRef;
  let foreign: TenantRef;

  beforeAll(async () => {
    t = await buildTestApp();
    const org = await createOrg(t.db);
    ava = await createUser(t.db, { org, name: 'Ava Smith' });
    const other = await createUser(t.db, { org: await createOrg(t.db) });
    mine = await createTenant(t.db, { name: 'mine.onmicrosoft.com' });
    orgOnly = await createTenant(t.db, { name: 'orgonly.onmicrosoft.com' });
    inactive = await createTenant(t.db, { name: 'inactive.onmicrosoft.com', active: false });
    foreign = await createTenant(t.db, { name: 'foreign.onmicrosoft.com' });
    for (const tenant of [mine, orgOnly, inactive])
      await assign(t.db, { tenant, userId: org.queueUserId, type: 'P-RM', primary: ['TENANT'] });
    await assign(t.db, { tenant: mine, userId: ava.id, type: 'P-FM' });
    await assign(t.db, { tenant: inactive, userId: ava.id, type: 'P-FM' });
    await assign(t.db, { tenant: foreign, userId: other.id, type: 'P-RM', primary: ['TENANT'] });
    await addService(t.db, mine, 'EXO');
    const note = async (tenant: TenantRef, days: number, body: string, extra: Record<string, unknown> = {}) => {
      const [{ id }] = await t
        .db('notes')
        .insert({
          tenant_id: tenant.id,
          category: 'Engagement Management',
          body_html: `<p>${body}</p>`,
          body_text: body,
          source_context: 'notes_editor',
          author_user_id: ava.id,
          created_at: ago(days),
          search_tenant: tenant.name,
          ...extra,
        })
        .returning('id');
      return id as number;
    };
    await note(mine, 1, 'Mine escalated', { is_escalated: true });
    const exo = await note(mine, 3, 'Mine exchange', { category: 'Technical Enablement' });
    await t.db('note_services').insert({ note_id: exo, service_code: 'EXO' });
    await note(orgOnly, 10, 'Org tenant note');
    await note(inactive, 12, 'Inactive tenant note');
    await note(mine, 40, 'Older note');
    await note(mine, 2, 'System message', { category: 'System Message', is_system: true, source_context: 'system' });
    await note(foreign, 1, 'Foreign secret');
  });
  afterAll(() => t.close());

  const bodies = (text: string) =>
    html(text)
      .querySelectorAll('#latest-notes .note .note-body')
      .map((b) => b.text.trim());

  it('lists the last 30 days on the user’s tenants, newest first, with tenant, markers and no system messages', async () => {
    const { agent } = await loginAs(t.app, ava.upn);
    const res = await agent.get('/notes');
    expect(res.status).toBe(200);
    expect(bodies(res.text)).toEqual(['Mine escalated', 'Mine exchange', 'Org tenant note', 'Inactive tenant note']);
    const first = html(res.text).querySelector('#latest-notes .note');
    expect(first?.querySelector('.note-tenant')?.text).toBe('mine.onmicrosoft.com');
    expect(first?.text).toContain('Escalated');
    expect(first?.text).toContain('Recent');
    expect(res.text).not.toContain('Foreign secret');
  });

  it('applies the toggles: Escalated, My Active, Show System Messages', async () => {
    const { agent } = await loginAs(t.app, ava.upn);
    expect(bodies((await agent.get('/notes?escalated=1')).text)).toEqual(['Mine escalated']);
    expect(bodies((await agent.get('/notes?my_active=1')).text)).toEqual(['Mine escalated', 'Mine exchange']);
    expect(bodies((await agent.get('/notes?system=1')).text)).toContain('System message');
  });

  it('filters by range, category and service', async () => {
    const { agent } = await loginAs(t.app, ava.upn);
    expect(bodies((await agent.get('/notes?range=60')).text)).toEqual(['Older note']);
    expect(bodies((await agent.get('/notes?category=Technical%20Enablement')).text)).toEqual(['Mine exchange']);
    expect(bodies((await agent.get('/notes?service=EXO')).text)).toEqual(['Mine exchange']);
  });

  it('hands the search box over to /notes/search and answers htmx with the list only', async () => {
    const { agent } = await loginAs(t.app, ava.upn);
    const page = html((await agent.get('/notes')).text);
    expect(page.querySelector('form[action="/notes/search"] input[name="q"]')).not.toBeNull();
    const res = await hx(agent.get('/notes?range=all'));
    expect(res.text).not.toContain('<html');
    expect(html(res.text).querySelector('#latest-notes')).not.toBeNull();
    expect((await agent.get('/notes?range=7')).status).toBe(400);
  });

  it('shows another org nothing of these tenants', async () => {
    const other = await createUser(t.db, { org: await createOrg(t.db) });
    const { agent } = await loginAs(t.app, other.upn);
    expect(bodies((await agent.get('/notes?range=all&system=1')).text)).toEqual([]);
  });
});
