import { buildTestApp, hx, html, loginAs, TestApp } from '../helpers/app';
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

const ago = (days: number) => new Date(Date.now() - days * 86400000).toISOString();

/** GET /tenants/:tenantId/notes — DOMAIN.md §5.7.1: windows 0-30/30-60/60-90/All, category and service filters. */
describe('GET /tenants/:tenantId/notes', () => {
  let t: TestApp;
  let org: OrgRef;
  let ava: UserRef;
  let outsider: UserRef;
  let tenant: TenantRef;

  beforeAll(async () => {
    t = await buildTestApp();
    org = await createOrg(t.db);
    ava = await createUser(t.db, { org, name: 'Ava Smith' });
    outsider = await createUser(t.db, { org: await createOrg(t.db) });
    tenant = await createTenant(t.db, { name: 'tailspin.onmicrosoft.com' });
    await assign(t.db, { tenant, userId: org.queueUserId, type: 'P-RM', primary: ['TENANT'] });
    await assign(t.db, { tenant, userId: ava.id, type: 'P-FM' });
    await addService(t.db, tenant, 'EXO');
    await addService(t.db, tenant, 'TEAMS');
    const note = async (days: number, category: string, body: string, services: string[] = [], extra = {}) => {
      const [{ id }] = await t
        .db('notes')
        .insert({
          tenant_id: tenant.id,
          category,
          body_html: body,
          body_text: body,
          source_context: 'notes_editor',
          author_user_id: ava.id,
          created_at: ago(days),
          search_tenant: tenant.name,
          ...extra,
        })
        .returning('id');
      for (const s of services) await t.db('note_services').insert({ note_id: id, service_code: s });
    };
    await note(2, 'Engagement Management', '<p>Recent status</p>', [], { is_escalated: true });
    await note(20, 'Technical Enablement', '<p>Exchange hybrid configured</p>', ['EXO']);
    await note(45, 'Service Intent', '<p>Teams pilot planned</p>', ['TEAMS']);
    await note(75, 'Environment', '<p>Old environment note</p>');
    await note(200, 'Engagement Management', '<p>Kick-off <img src=x onerror=alert(1)></p>');
  });
  afterAll(() => t.close());

  const bodies = (text: string) =>
    html(text)
      .querySelectorAll('.note .note-body')
      .map((b) => b.text.trim());

  it('shows the last 30 days by default, newest first, with author, escalated and recent markers', async () => {
    const { agent } = await loginAs(t.app, ava.upn);
    const res = await agent.get(`/tenants/${tenant.guid}/notes`);
    expect(res.status).toBe(200);
    expect(bodies(res.text)).toEqual(['Recent status', 'Exchange hybrid configured']);
    const first = html(res.text).querySelector('.note');
    expect(first?.text).toContain('Ava Smith');
    expect(first?.text).toContain('Escalated');
    expect(first?.text).toContain('Recent');
  });

  it('offers the 30-60 and 60-90 day windows and All', async () => {
    const { agent } = await loginAs(t.app, ava.upn);
    expect(bodies((await agent.get(`/tenants/${tenant.guid}/notes?range=60`)).text)).toEqual(['Teams pilot planned']);
    expect(bodies((await agent.get(`/tenants/${tenant.guid}/notes?range=90`)).text)).toEqual(['Old environment note']);
    expect(bodies((await agent.get(`/tenants/${tenant.guid}/notes?range=all`)).text)).toHaveLength(5);
  });

  it('filters by category and service (repeatable)', async () => {
    const { agent } = await loginAs(t.app, ava.upn);
    const byCategory = await agent.get(
      `/tenants/${tenant.guid}/notes?range=all&category=Engagement%20Management&category=Environment`,
    );
    expect(bodies(byCategory.text)).toEqual(['Recent status', 'Old environment note', 'Kick-off']);
    const byService = await hx(agent.get(`/tenants/${tenant.guid}/notes?range=all&service=TEAMS`));
    expect(bodies(byService.text)).toEqual(['Teams pilot planned']);
    expect(byService.text).not.toContain('<html');
  });

  it('sanitises stored HTML again on output', async () => {
    const { agent } = await loginAs(t.app, ava.upn);
    const res = await agent.get(`/tenants/${tenant.guid}/notes?range=all`);
    expect(res.text).not.toContain('onerror');
    expect(res.text).not.toContain('<img');
  });

  it('answers 400 for an unknown range or category and 404 for another org', async () => {
    const { agent } = await loginAs(t.app, ava.upn);
    expect((await agent.get(`/tenants/${tenant.guid}/notes?range=7`)).status).toBe(400);
    expect((await agent.get(`/tenants/${tenant.guid}/notes?category=Gossip`)).status).toBe(400);
    const o = await loginAs(t.app, outsider.upn);
    expect((await o.agent.get(`/tenants/${tenant.guid}/notes?range=all`)).status).toBe(404);
  });
});
