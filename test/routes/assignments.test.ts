import { hx, html } from '../helpers/app';
import { assign, createUser } from '../helpers/factories';
import { assignmentOf, base, fieldMessages, openWorld, post, scopesOf, type World } from './assignments.fixture';

/** Edit Assignments (DOMAIN.md §1.4, §4.7, §5.5): the dialog, the Add step and adding (V-60, V-61, V-65). */
describe('Edit Assignments', () => {
  let w: World;
  beforeAll(async () => {
    w = await openWorld();
  });
  afterAll(() => w.close());

  describe('GET /tenants/:tenantId/assignments', () => {
    it('shows the Partner tab: RM, FM and FE blocks with chips, primary stars and "N of M services"', async () => {
      const tenant = await w.tenant();
      const res = await w.as.ben.agent.get(base(tenant));
      expect(res.status).toBe(200);
      expect(res.headers.vary).toMatch(/HX-Request/);
      const doc = html(res.text);
      expect(doc.querySelector('h1')!.text).toContain('Edit Assignments');
      expect(doc.querySelectorAll('[data-block]').map((b) => b.getAttribute('data-block'))).toEqual([
        'P-RM',
        'P-FM',
        'P-FE',
      ]);
      const ben = doc.querySelector(`[data-assignment="${tenant.benFm}"]`)!;
      expect(ben.querySelector('.asg-name')!.text).toBe('Ben Turner');
      expect(ben.querySelector('.asg-star')!.text).toContain('Tenant primary');
      expect(ben.querySelectorAll('.asg-chip.is-primary').map((c) => c.text.trim())).toEqual([
        '★ Tenant (primary)',
        '★ Exchange (primary)',
      ]);
      expect(ben.querySelector('.asg-count')!.text).toBe('1 of 21 services');
      // Every block of an editor has the Add step; the history lists nothing yet (the factories write no audit).
      expect(doc.querySelectorAll('form.asg-add')).toHaveLength(3);
      expect(doc.querySelector('.asg-history')!.text).toContain('No assignment change');
    });

    it('answers htmx with the dialog fragment', async () => {
      const tenant = await w.tenant();
      const res = await hx(w.as.ben.agent.get(base(tenant)));
      expect(res.status).toBe(200);
      const doc = html(res.text);
      expect(doc.querySelector('dialog#assignments-dialog[data-open]')).not.toBeNull();
      expect(doc.querySelector('#assignments-panel')).not.toBeNull();
      expect(doc.querySelector('html')).toBeNull();
    });

    it('shows the Onboarding tab read-only: internal assignments by type with their primary markers and the hint', async () => {
      const tenant = await w.tenant();
      await assign(w.t.db, { tenant, userId: w.users.omar.id, type: 'SME', scopes: ['EXO'] });
      const res = await w.as.ben.agent.get(`${base(tenant)}?tab=onboarding`);
      const doc = html(res.text);
      expect(doc.querySelectorAll('.asg-block h4').map((h) => h.text)).toEqual(['Onboarding RM', 'SME']);
      expect(doc.querySelector('.asg-block .asg-star')!.text).toContain('Tenant primary');
      expect(doc.querySelector('.notice')!.text).toContain(
        'Check that the right Onboarding RM queue covers the right services',
      );
      expect(doc.querySelectorAll('form')).toHaveLength(1); // only sign-out: nothing to change here
    });

    it('is read-only for an org member who is not assigned (Guest): no Add, Edit or Remove', async () => {
      const tenant = await w.tenant();
      const doc = html((await w.as.cara.agent.get(base(tenant))).text);
      expect(doc.querySelector('[data-readonly]')!.text).toContain('Guest (read-only)');
      expect(doc.querySelectorAll('form.asg-add, .asg-actions')).toHaveLength(0);
      // ?edit= does not open a pane for someone who cannot change it.
      const edit = html((await w.as.cara.agent.get(`${base(tenant)}?edit=${tenant.benFm}`)).text);
      expect(edit.querySelector('#asg-pane')).toBeNull();
    });

    it("V-61: opens no pane or removal question for another org's or an internal assignment", async () => {
      const tenant = await w.tenant();
      const beaFe = await assign(w.t.db, { tenant, userId: w.users.bea.id, type: 'P-FE', scopes: ['TEAMS'] });
      const omar = await w.t.db('assignments').where({ tenant_id: tenant.id, type: 'Onboarding RM' }).first();
      expect((await w.as.ben.agent.get(`${base(tenant)}?edit=${beaFe}`)).status).toBe(403);
      expect((await w.as.ben.agent.get(`${base(tenant)}?edit=${omar.id}`)).status).toBe(403);
      const del = html((await w.as.ben.agent.get(`${base(tenant)}?delete=${beaFe}`)).text);
      expect(del.querySelector('form.asg-delete')).toBeNull();
    });

    it('escapes names in the blocks, the pane and the history (SECURITY.md case 25)', async () => {
      const tenant = await w.tenant();
      const evil = await createUser(w.t.db, {
        org: w.orgA,
        name: '"><img src=x onerror=alert(1)><script>alert(1)</script>',
      });
      expect((await post(w.as.ben, base(tenant), { type: 'P-FE', username: evil.upn, scopes: ['EXO'] })).status).toBe(
        303,
      );
      for (const url of [
        base(tenant),
        `${base(tenant)}?edit=${(await assignmentOf(w.t, tenant.id, evil.id, 'P-FE')).id}`,
      ]) {
        const res = await w.as.ben.agent.get(url);
        expect(res.text).not.toMatch(/<script>alert|<img src=x/);
        expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      }
    });

    it('is read-only for an internal user, who sees both tabs', async () => {
      const tenant = await w.tenant();
      const doc = html((await w.as.omar.agent.get(base(tenant))).text);
      expect(doc.querySelector('[data-readonly]')!.text).toContain('internal users can view partner assignments');
      expect(doc.querySelectorAll('form.asg-add, .asg-actions')).toHaveLength(0);
      expect((await w.as.omar.agent.get(`${base(tenant)}?tab=onboarding`)).status).toBe(200);
    });

    it("answers 404 for another org's tenant, with the same body as a missing one", async () => {
      const tenant = await w.tenant();
      const res = await w.as.bea.agent.get(base(tenant));
      expect(res.status).toBe(404);
      expect(res.text).not.toContain(tenant.name);
    });

    it("lists another org's partner assignees read-only, by name and org only (split delivery, §1.5)", async () => {
      const tenant = await w.tenant();
      await assign(w.t.db, { tenant, userId: w.users.bea.id, type: 'P-FE', scopes: ['TEAMS'], primary: ['TEAMS'] });
      const doc = html((await w.as.ben.agent.get(base(tenant))).text);
      const bea = doc.querySelector('[data-block="P-FE"] .asg-item')!;
      expect(bea.querySelector('.asg-name')!.text).toBe('Bea Other (Fabrikam Test)');
      expect(bea.querySelector('.asg-upn')).toBeNull();
      expect(bea.querySelector('.asg-actions')).toBeNull();
    });
  });

  describe('POST /tenants/:tenantId/assignments (_action=start: the Add step)', () => {
    it('V-60: returns 422 and keeps the username when its domain is not whitelisted for the org', async () => {
      const tenant = await w.tenant();
      const res = await post(w.as.ben, base(tenant), { type: 'P-FE', username: 'eve@gmail.example', _action: 'start' });
      expect(res.status).toBe(422);
      expect(fieldMessages(res.text).username).toBe(
        `User must belong to a partner tenant whitelisted for FTOP access: gmail.example is not a whitelisted domain of Northwind Test.`,
      );
      expect(html(res.text).querySelector('#asg-add-FE')!.getAttribute('value')).toBe('eve@gmail.example');
      expect(await w.t.db('users').where('upn', 'eve@gmail.example').first()).toBeUndefined();
    });

    it('V-60: returns 422 for a username that is not an email address', async () => {
      const tenant = await w.tenant();
      const res = await post(w.as.ben, base(tenant), { type: 'P-FE', username: 'just a name', _action: 'start' });
      expect(res.status).toBe(422);
      expect(fieldMessages(res.text).username).toMatch(/^Enter the person's sign-in name as an email address/);
    });

    it('V-60: opens the pane for a whitelisted username nobody has used yet, saying an account will be provisioned', async () => {
      const tenant = await w.tenant();
      const upn = `new.person@${w.orgA.domain}`;
      const res = await post(w.as.ben, base(tenant), { type: 'P-FE', username: upn, _action: 'start' }, { htmx: true });
      expect(res.status).toBe(200);
      const doc = html(res.text);
      expect(doc.querySelector('#asg-pane h5')!.text).toContain(`${upn} as P-FE`);
      expect(doc.querySelector('[data-notice]')!.text).toContain('saving creates their account (provisioned)');
      // A Tenant row, then every catalogue service with the entitled ones marked.
      const rows = doc.querySelectorAll('#asg-pane tr[data-scope]');
      expect(rows).toHaveLength(22);
      expect(rows[0].getAttribute('data-scope')).toBe('TENANT');
      expect(doc.querySelectorAll('#asg-pane .asg-entitled').length).toBe(2);
      expect(await w.t.db('users').where('upn', upn).first()).toBeUndefined(); // nothing saved yet
    });

    it('V-65: opens the existing record for editing when the username already has that type', async () => {
      const tenant = await w.tenant();
      const res = await post(w.as.ben, base(tenant), { type: 'P-FM', username: w.users.ben.upn, _action: 'start' });
      expect(res.status).toBe(200);
      const doc = html(res.text);
      expect(doc.querySelector('#asg-pane')!.getAttribute('action')).toBe(`${base(tenant)}/${tenant.benFm}`);
      expect(doc.querySelector('[data-notice]')!.text).toBe(
        'Ben Turner already has a P-FM assignment on this tenant, so it is open here for editing.',
      );
      expect(doc.querySelector('#asg-pane input[name="version"]')!.getAttribute('value')).toBe('1');
    });
  });

  describe('POST /tenants/:tenantId/assignments (Apply Assignments: add)', () => {
    it('V-60: provisions a whitelisted unknown user, adds the assignment and writes the audit row (303 + flash)', async () => {
      const tenant = await w.tenant();
      const upn = `dana.new@${w.orgA.domain}`;
      const res = await post(w.as.ben, base(tenant), {
        type: 'P-FE',
        username: upn,
        scopes: ['TENANT', 'TEAMS'],
        primary: ['TEAMS'],
      });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(base(tenant));
      const user = await w.t.db('users').where('upn', upn).first();
      expect(user).toMatchObject({
        display_name: 'Dana New',
        status: 'provisioned',
        kind: 'partner',
        org_id: w.orgA.id,
      });
      const a = await assignmentOf(w.t, tenant.id, user.id, 'P-FE');
      expect(a).toMatchObject({ org_id: w.orgA.id, is_partner_type: 1, version: 1 });
      expect(await scopesOf(w.t, a.id)).toEqual(['TEAMS*', 'TENANT']);
      const audit = await w.t.db('assignment_audit').where({ tenant_id: tenant.id });
      expect(audit).toEqual([
        expect.objectContaining({
          actor_user_id: w.users.ben.id,
          assignee_user_id: user.id,
          type: 'P-FE',
          action: 'add',
          before_json: null,
          after_json: '{"scopes":["TEAMS","TENANT"],"primary":["TEAMS"]}',
        }),
      ]);
      const page = await w.as.ben.agent.get(base(tenant));
      expect(html(page.text).querySelector('.flash-ok')!.text).toContain('Dana New was added as P-FE.');
      expect(html(page.text).querySelector('.asg-history .asg-log li')!.text).toContain('Ben Turner');
    });

    it('answers htmx with the panel, the outcome and HX-Trigger tenant:changed; the user sees it on My Active', async () => {
      const tenant = await w.tenant();
      const res = await post(
        w.as.ava,
        base(tenant),
        { type: 'P-FE', username: w.users.cara.upn, scopes: ['EXO'] },
        { htmx: true },
      );
      expect(res.status).toBe(200);
      expect(JSON.parse(res.headers['hx-trigger'])).toEqual({ 'tenant:changed': { tenantId: tenant.guid } });
      expect(html(res.text).querySelector('[data-outcome]')!.text).toBe('Cara Guest was added as P-FE.');
      const list = await w.as.cara.agent.get(`/tenants?q=${tenant.guid}`);
      expect(html(list.text).querySelector('#tenant-table')!.text).toContain(tenant.guid);
    });

    it('V-61: answers 403 for an internal type and changes nothing', async () => {
      const tenant = await w.tenant();
      const res = await post(w.as.ben, base(tenant), {
        type: 'Onboarding RM',
        username: w.users.cara.upn,
        scopes: ['TENANT'],
      });
      expect(res.status).toBe(403);
      expect(await w.t.db('assignments').where({ tenant_id: tenant.id })).toHaveLength(3);
    });

    it('V-61: answers 403 to a Guest and to an internal user, 404 to another org', async () => {
      const tenant = await w.tenant();
      const form = { type: 'P-FE', username: w.users.cara.upn, scopes: ['TENANT'] };
      expect((await post(w.as.cara, base(tenant), form)).status).toBe(403);
      expect((await post(w.as.omar, base(tenant), form)).status).toBe(403);
      expect((await post(w.as.bea, base(tenant), form)).status).toBe(404);
      expect(await w.t.db('assignments').where({ tenant_id: tenant.id })).toHaveLength(3);
    });

    it('V-62: returns 422 when no scope is ticked, keeping the pane open', async () => {
      const tenant = await w.tenant();
      const res = await post(w.as.ben, base(tenant), { type: 'P-FE', username: w.users.cara.upn });
      expect(res.status).toBe(422);
      expect(fieldMessages(res.text).scopes).toBe('Tick at least one scope: the Tenant row or a service.');
      expect(html(res.text).querySelector('#asg-pane input[name="username"]')!.getAttribute('value')).toBe(
        w.users.cara.upn,
      );
    });

    it('V-63: returns 422 when a primary is not one of the ticked scopes, and keeps the ticks', async () => {
      const tenant = await w.tenant();
      const res = await post(w.as.ben, base(tenant), {
        type: 'P-FE',
        username: w.users.cara.upn,
        scopes: ['EXO'],
        primary: ['TEAMS'],
      });
      expect(res.status).toBe(422);
      expect(fieldMessages(res.text).primary).toBe('TEAMS is marked primary but is not one of the assigned scopes.');
      const doc = html(res.text);
      expect(doc.querySelector('#asg-s-EXO')!.hasAttribute('checked')).toBe(true);
      expect(doc.querySelector('#asg-pane input[name="primary"][value="TEAMS"]')!.hasAttribute('checked')).toBe(true);
      expect(await assignmentOf(w.t, tenant.id, w.users.cara.id, 'P-FE')).toBeUndefined();
    });

    it('V-65: answers 409 when the same person and type was added meanwhile, opening the stored record', async () => {
      const tenant = await w.tenant();
      const res = await post(w.as.ben, base(tenant), { type: 'P-FM', username: w.users.ben.upn, scopes: ['TEAMS'] });
      expect(res.status).toBe(409);
      const doc = html(res.text);
      expect(doc.querySelector('[data-conflict]')!.text).toContain(
        'Ben Turner was given a P-FM assignment by someone else',
      );
      expect(doc.querySelector('#asg-pane')!.getAttribute('action')).toBe(`${base(tenant)}/${tenant.benFm}`);
      expect(await scopesOf(w.t, tenant.benFm)).toEqual(['EXO*', 'TENANT*']);
    });
  });
});
