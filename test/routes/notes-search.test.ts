import { buildTestApp, hx, html, loginAs, TestApp } from '../helpers/app';
import { addService, assign, createOrg, createTenant, createUser, TenantRef, UserRef } from '../helpers/factories';
import type { Db } from '../../src/db/db';
import { nextWindows } from '../../src/features/notes/notes-search.service';

let seq = 0;
async function note(
  db: Db,
  tenant: TenantRef,
  body: string,
  opts: { category?: string; author?: number; services?: [string, string][]; extra?: Record<string, unknown> } = {},
): Promise<number> {
  const [{ id }] = await db('notes')
    .insert({
      tenant_id: tenant.id,
      category: opts.category ?? 'Engagement Management',
      body_html: `<p>${body}</p>`,
      body_text: body,
      source_context: 'notes_editor',
      author_user_id: opts.author ?? null,
      created_at: new Date(Date.UTC(2026, 10, 1, 0, 0, ++seq)).toISOString(),
      search_tenant: tenant.name,
      search_services: (opts.services ?? []).map(([, name]) => name).join(' '),
      ...opts.extra,
    })
    .returning('id');
  for (const [code] of opts.services ?? []) await db('note_services').insert({ note_id: id, service_code: code });
  return id;
}

/** GET /notes/search — DOMAIN.md §5.12.4: full text with stems and prefixes, facets with counts, scope. */
describe('GET /notes/search', () => {
  let t: TestApp;
  let ava: UserRef;
  let ben: UserRef;
  let contoso: TenantRef;
  let fabrikam: TenantRef;
  let foreign: TenantRef;
  const ids: Record<string, number> = {};
  const today = nextWindows(new Date()).week.from;

  beforeAll(async () => {
    t = await buildTestApp();
    const org = await createOrg(t.db);
    ava = await createUser(t.db, { org, name: 'Ava Smith' });
    ben = await createUser(t.db, { org, name: 'Ben Jones' });
    const other = await createUser(t.db, { org: await createOrg(t.db) });
    contoso = await createTenant(t.db, { name: 'contoso.onmicrosoft.com' });
    fabrikam = await createTenant(t.db, { name: 'fabrikam.onmicrosoft.com' });
    foreign = await createTenant(t.db, { name: 'foreign.onmicrosoft.com' });
    for (const tenant of [contoso, fabrikam]) {
      await assign(t.db, { tenant, userId: org.queueUserId, type: 'P-RM', primary: ['TENANT'] });
      await addService(t.db, tenant, 'EXO');
    }
    await assign(t.db, { tenant: contoso, userId: ava.id, type: 'P-FM' });
    await assign(t.db, { tenant: foreign, userId: other.id, type: 'P-RM', primary: ['TENANT'] });
    ids.migration = await note(t.db, contoso, 'Mailbox migration planned for <script>x</script> week 3', {
      category: 'Technical Enablement',
      author: ava.id,
      services: [['EXO', 'Exchange Online']],
      extra: { is_escalated: true, next_action: 'Confirm cutover', next_action_date: today },
    });
    ids.migrating = await note(t.db, fabrikam, 'Customer is migrating file shares', { author: ben.id });
    ids.legacy = await note(t.db, fabrikam, 'Imported kickoff summary', { extra: { is_legacy: true } });
    ids.foreign = await note(t.db, foreign, 'Foreign migration secret', { category: 'Service Intent' });
  });
  afterAll(() => t.close());

  const hitIds = (text: string) =>
    html(text)
      .querySelectorAll('.search-hits .note')
      .map((n) => Number(n.getAttribute('data-note')));
  const facet = (text: string, id: string) =>
    html(text)
      .querySelectorAll(`#${id} label`)
      .map((l) => l.text.replace(/\s+/g, ' ').trim());

  it('finds notes by word, by stem and by prefix, and never a note outside the scope', async () => {
    const { agent } = await loginAs(t.app, ava.upn);
    const res = await agent.get('/notes/search?q=migrat');
    expect(res.status).toBe(200);
    expect(hitIds(res.text).sort()).toEqual([ids.migration, ids.migrating].sort());
    expect(hitIds((await agent.get('/notes/search?q=migrations')).text).sort()).toEqual(
      [ids.migration, ids.migrating].sort(),
    );
    expect(hitIds((await agent.get('/notes/search?q=kickoff')).text)).toEqual([ids.legacy]);
    expect(res.text).not.toContain('Foreign migration secret');
  });

  it('finds the notes of every org for an admin, whose scope has no tenant list to start from', async () => {
    const admin = await createUser(t.db, { kind: 'admin' });
    const { agent } = await loginAs(t.app, admin.upn);
    const res = await agent.get('/notes/search?q=migrat');
    expect(res.status).toBe(200);
    expect(hitIds(res.text).sort()).toEqual([ids.migration, ids.migrating, ids.foreign].sort());
  });

  it('searches next action, tenant name and service names too', async () => {
    const { agent } = await loginAs(t.app, ava.upn);
    expect(hitIds((await agent.get('/notes/search?q=cutover')).text)).toEqual([ids.migration]);
    expect(hitIds((await agent.get('/notes/search?q=fabrikam')).text).sort()).toEqual(
      [ids.migrating, ids.legacy].sort(),
    );
    expect(hitIds((await agent.get('/notes/search?q=exchange')).text)).toEqual([ids.migration]);
  });

  it('highlights the matches and escapes the note text', async () => {
    const { agent } = await loginAs(t.app, ava.upn);
    const res = await agent.get('/notes/search?q=mailbox');
    const snippet = html(res.text).querySelector('.search-snippet');
    expect(snippet?.querySelector('mark')?.text).toBe('Mailbox');
    expect(snippet?.querySelector('script')).toBeNull();
    expect(snippet?.innerHTML).toContain('&lt;script&gt;');
  });

  it.each([
    ['migrating', 'migration'],
    ['mailb', 'Mailbox'],
  ])('highlights a match by stem or by prefix (%s marks %s)', async (q, marked) => {
    const { agent } = await loginAs(t.app, ava.upn);
    const res = await agent.get(`/notes/search?q=${q}&type=Technical%20Enablement`);
    expect(hitIds(res.text)).toEqual([ids.migration]);
    expect(html(res.text).querySelector('.search-snippet mark')?.text).toBe(marked);
  });

  it('counts each facet over the scope only: another org’s tenant is neither a result nor a count', async () => {
    const { agent } = await loginAs(t.app, ava.upn);
    const res = await agent.get('/notes/search');
    expect(hitIds(res.text)).toHaveLength(3);
    expect(facet(res.text, 'facet-tenant')).toEqual(['fabrikam.onmicrosoft.com (2)', 'contoso.onmicrosoft.com (1)']);
    expect(facet(res.text, 'facet-type')).toEqual([
      'Tenant - Engagement Management (2)',
      'Tenant - Technical Enablement (1)',
    ]);
    expect(facet(res.text, 'facet-escalated')).toEqual(['Any', 'Yes (1)', 'No (2)']);
    expect(facet(res.text, 'facet-legacy')).toEqual(['Any', 'Yes (1)', 'No (2)']);
    expect(facet(res.text, 'facet-service')).toEqual(['Exchange (1)']);
    expect(facet(res.text, 'facet-author')).toEqual(['All Notes (3)', 'My Notes (1)']);
    expect(facet(res.text, 'facet-next')[1]).toBe('This Week (1)');
    expect(res.text).not.toContain('foreign.onmicrosoft.com');
  });

  it.each([
    ['type=Technical%20Enablement', 'migration'],
    ['escalated=yes', 'migration'],
    ['legacy=yes', 'legacy'],
    ['service=EXO', 'migration'],
    ['next=week', 'migration'],
    ['author=me', 'migration'],
  ])('filters by %s and shows it as a removable chip', async (filter, expected) => {
    const { agent } = await loginAs(t.app, ava.upn);
    const res = await agent.get(`/notes/search?${filter}`);
    expect(hitIds(res.text)).toEqual([ids[expected]]);
    const chips = html(res.text).querySelectorAll('.filter-chips a');
    expect(chips).toHaveLength(1);
    expect(chips[0].getAttribute('href')).toBe('/notes/search');
  });

  it('filters by tenant and keeps the other facet’s alternatives counted', async () => {
    const { agent } = await loginAs(t.app, ava.upn);
    const res = await agent.get(`/notes/search?tenant=${fabrikam.guid}`);
    expect(hitIds(res.text).sort()).toEqual([ids.migrating, ids.legacy].sort());
    expect(facet(res.text, 'facet-tenant')).toEqual(['fabrikam.onmicrosoft.com (2)', 'contoso.onmicrosoft.com (1)']);
    expect(html(res.text).querySelector(`#facet-tenant input[value="${fabrikam.guid}"]`)?.hasAttribute('checked')).toBe(
      true,
    );
    expect(hitIds((await agent.get(`/notes/search?tenant=${foreign.guid}`)).text)).toEqual([]);
  });

  it('sorts by relevance, created date or tenant name', async () => {
    const { agent } = await loginAs(t.app, ava.upn);
    expect(hitIds((await agent.get('/notes/search?sort=created')).text)).toEqual([
      ids.legacy,
      ids.migrating,
      ids.migration,
    ]);
    expect(hitIds((await agent.get('/notes/search?sort=tenant')).text)[0]).toBe(ids.migration);
  });

  it('answers htmx with the results region only, and a bad filter with 400', async () => {
    const { agent } = await loginAs(t.app, ava.upn);
    const res = await hx(agent.get('/notes/search?q=migrat'));
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('<html');
    expect(html(res.text).querySelector('#notes-search')).not.toBeNull();
    expect(res.headers.vary).toContain('HX-Request');
    expect((await agent.get('/notes/search?sort=sideways')).status).toBe(400);
  });

  it('takes FTS5 syntax as plain words', async () => {
    const { agent } = await loginAs(t.app, ava.upn);
    const res = await agent.get('/notes/search?q=' + encodeURIComponent('migrat* OR "NEAR( -x :'));
    expect(res.status).toBe(200);
  });

  it('shows a note the moment it is saved (the index is written in the same transaction)', async () => {
    const { agent } = await loginAs(t.app, ava.upn);
    const id = await note(t.db, contoso, 'Brand new zebra rollout');
    expect(hitIds((await agent.get('/notes/search?q=zebra')).text)).toEqual([id]);
  });

  it('counts a note written after earlier searches, by this instance or another, in the facets at once', async () => {
    const { agent } = await loginAs(t.app, ava.upn);
    const before = await agent.get('/notes/search?q=quokka');
    expect(hitIds(before.text)).toEqual([]);
    // Written straight to the database, as another instance would: this process has never read it.
    const id = await note(t.db, fabrikam, 'Quokka tenant readiness review', {
      category: 'Technical Enablement',
      author: ava.id,
      services: [['EXO', 'Exchange Online']],
      extra: { is_escalated: true },
    });
    const res = await agent.get('/notes/search?q=quokka&author=me&escalated=yes&service=EXO');
    expect(hitIds(res.text)).toEqual([id]);
    expect(facet(res.text, 'facet-type')).toEqual(['Tenant - Technical Enablement (1)']);
    expect(facet(res.text, 'facet-tenant')).toEqual(['fabrikam.onmicrosoft.com (1)']);
  });
});
