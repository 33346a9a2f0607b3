import { buildTestApp, hx, html, loginAs, SignedIn, TestApp } from '../helpers/app';
import { addService, assign, createOrg, createTenant, createUser, TenantRef } from '../helpers/factories';

/**
 * The Notes Library's type-aheads (issue 11): the Notes Editor's tenant picker, GET /notes/tenants
 * (DOMAIN.md §5.12.1, "a picker of the tenants the user can edit"), and "Search Services and Tenants",
 * GET /notes/search/options (§5.12.4). Both answer from the caller's scope only, in SQL.
 */
describe('Notes type-aheads', () => {
  let t: TestApp;
  let contoso: TenantRef;
  let labs: TenantRef;
  let foreign: TenantRef;
  let ava: SignedIn;
  let guest: SignedIn;
  let many: SignedIn;

  beforeAll(async () => {
    t = await buildTestApp();
    const org = await createOrg(t.db);
    const other = await createOrg(t.db);
    const a = await createUser(t.db, { org, name: 'Ava Smith' });
    const g = await createUser(t.db, { org, name: 'Gus Guest' });
    const m = await createUser(t.db, { org, name: 'Mia Many' });
    const o = await createUser(t.db, { org: other });
    contoso = await createTenant(t.db, { name: 'contoso.onmicrosoft.com' });
    labs = await createTenant(t.db, { name: 'exchange-labs.onmicrosoft.com' });
    foreign = await createTenant(t.db, { name: 'exchange-foreign.onmicrosoft.com' });
    for (const tenant of [contoso, labs]) {
      await assign(t.db, { tenant, userId: org.queueUserId, type: 'P-RM', primary: ['TENANT'] });
    }
    await assign(t.db, { tenant: contoso, userId: a.id, type: 'P-FM' });
    await assign(t.db, { tenant: foreign, userId: o.id, type: 'P-RM', primary: ['TENANT'] });
    await addService(t.db, contoso, 'EXO');
    await addService(t.db, labs, 'OLM');
    await addService(t.db, foreign, 'INTUNE');
    for (let i = 0; i < 22; i++) {
      const tenant = await createTenant(t.db, { name: `many${String(i).padStart(2, '0')}.onmicrosoft.com` });
      await assign(t.db, { tenant, userId: m.id, type: 'P-FE' });
    }
    ava = await loginAs(t.app, a.upn);
    guest = await loginAs(t.app, g.upn);
    many = await loginAs(t.app, m.upn);
  });
  afterAll(() => t.close());

  const options = (text: string) =>
    html(text)
      .querySelectorAll('li[role="option"]:not([aria-disabled="true"])')
      .map((li) => ({ label: li.text.trim(), href: li.getAttribute('data-href') }));

  describe('GET /notes/tenants', () => {
    const picker = (who: SignedIn, query: string) => hx(who.agent.get(`/notes/tenants?${query}`));

    it('answers htmx with the options of the tenants the user can edit, by name or Tenant ID, category kept', async () => {
      const res = await picker(ava, 'term=CONTO&category=Technical%20Enablement');
      expect(res.status).toBe(200);
      expect(res.headers.vary).toMatch(/HX-Request/);
      expect(options(res.text)).toEqual([
        {
          label: `contoso.onmicrosoft.com ${contoso.guid}`,
          href: `/notes/new?tenant=${contoso.guid}&category=Technical+Enablement`,
        },
      ]);
      const byId = await picker(ava, `term=${contoso.guid.slice(0, 8)}`);
      expect(options(byId.text).map((o) => o.href)).toEqual([`/notes/new?tenant=${contoso.guid}`]);
    });

    it('never offers a tenant the user only reads, nor another org’s (by name or Tenant ID)', async () => {
      // Gus sees both org tenants but is assigned to none: nothing to write on.
      expect(options((await picker(guest, 'term=onmicrosoft')).text)).toEqual([]);
      expect(options((await picker(ava, 'term=exchange')).text)).toEqual([]);
      const res = await picker(ava, `term=${foreign.guid}`);
      expect(options(res.text)).toEqual([]);
      expect(res.text).not.toContain('exchange-foreign');
      expect(html(res.text).querySelector('li[aria-disabled="true"]')?.text).toContain('No tenant you can write');
    });

    it('offers at most 20 and says when more match', async () => {
      const res = await picker(many, 'term=many');
      expect(options(res.text)).toHaveLength(20);
      expect(html(res.text).querySelector('li.combobox-more')?.text).toContain('More tenants match');
      expect(options((await picker(many, 'term=many2')).text).map((o) => o.label.split(' ')[0])).toEqual([
        'many20.onmicrosoft.com',
        'many21.onmicrosoft.com',
      ]);
    });

    it('takes % and _ literally', async () => {
      expect(options((await picker(many, 'term=%25')).text)).toEqual([]);
      expect(options((await picker(many, 'term=_')).text)).toEqual([]);
    });

    it('sends a page request (no JavaScript) to the editor’s picker with the term', async () => {
      const res = await ava.agent.get('/notes/tenants?term=cont&category=Environment');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/notes/new?term=cont&category=Environment');
    });
  });

  describe('GET /notes/search/options', () => {
    const find = (who: SignedIn, query: string) => hx(who.agent.get(`/notes/search/options?${query}`));

    it('offers "Exchange - Service", "Exchange: Outlook Mobile - Service" and matching tenants, each adding its filter to the search', async () => {
      const res = await find(guest, 'find=exchange&q=cutover&type=Environment&sort=created');
      expect(res.status).toBe(200);
      const doc = html(res.text);
      expect(
        doc
          .querySelectorAll('li[role="option"]')
          .map((li) => [li.text, li.getAttribute('data-name'), li.getAttribute('data-value')]),
      ).toEqual([
        ['Exchange - Service', 'service', 'EXO'],
        ['Exchange: Outlook Mobile - Service', 'service', 'OLM'],
        ['exchange-labs.onmicrosoft.com - Tenant', 'tenant', labs.guid],
      ]);
      expect(doc.querySelector('li[data-value="EXO"]')?.getAttribute('data-href')).toBe(
        '/notes/search?q=cutover&type=Environment&service=EXO&sort=created',
      );
      expect(doc.querySelector(`li[data-value="${labs.guid}"]`)?.getAttribute('data-href')).toBe(
        `/notes/search?q=cutover&type=Environment&tenant=${labs.guid}&sort=created`,
      );
    });

    it('offers only services of tenants in scope and tenants in scope', async () => {
      // INTUNE and exchange-foreign belong to another org's tenant.
      expect(options((await find(guest, 'find=intune')).text)).toEqual([]);
      expect((await find(guest, 'find=foreign')).text).not.toContain('exchange-foreign');
      expect(options((await find(guest, `find=${foreign.guid.slice(0, 13)}`)).text)).toEqual([]);
    });

    it('does not offer a filter the search already has', async () => {
      const res = await find(guest, `find=exchange&service=EXO&tenant=${labs.guid}`);
      expect(options(res.text).map((o) => o.label)).toEqual(['Exchange: Outlook Mobile - Service']);
      expect(options(res.text)[0].href).toBe(`/notes/search?tenant=${labs.guid}&service=EXO&service=OLM`);
    });

    it('without JavaScript shows the matches as links on a page that keeps the current search', async () => {
      const res = await guest.agent.get('/notes/search/options?find=outlook&q=pilot&escalated=yes');
      expect(res.status).toBe(200);
      const doc = html(res.text);
      expect(doc.querySelectorAll('.link-list a').map((a) => [a.text, a.getAttribute('href')])).toEqual([
        ['Exchange: Outlook Mobile - Service', '/notes/search?q=pilot&escalated=yes&service=OLM'],
      ]);
      expect(
        doc.querySelectorAll('form.notes-find-form input[type="hidden"]').map((i) => i.getAttribute('name')),
      ).toEqual(['q', 'escalated']);
      expect(doc.querySelector('.breadcrumbs a')?.getAttribute('href')).toBe('/notes/search?q=pilot&escalated=yes');
    });

    it('is 400 for an invalid search, as /notes/search is', async () => {
      expect((await find(guest, 'find=x&sort=name;--')).status).toBe(400);
    });
  });
});
