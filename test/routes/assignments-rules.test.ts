import { hx, html } from '../helpers/app';
import { assign } from '../helpers/factories';
import { assignmentOf, base, fieldMessages, openWorld, post, scopesOf, type World } from './assignments.fixture';

/** Edit Assignments: editing and removing (V-61…V-68), conflicts (409) and the audit trail. */
describe('Edit Assignments: edit and remove', () => {
  let w: World;
  beforeAll(async () => {
    w = await openWorld();
  });
  afterAll(() => w.close());

  const edit = (tenant: { guid: string }, id: number) => `${base(tenant)}/${id}`;
  const remove = (tenant: { guid: string }, id: number) => `${base(tenant)}/${id}/delete`;
  const count = (tenantId: number) => w.t.db('assignments').where({ tenant_id: tenantId }).count({ n: '*' }).first();

  describe('POST /tenants/:tenantId/assignments/:assignmentId', () => {
    it('saves new scopes, bumps the version and writes the before and after to the audit', async () => {
      const tenant = await w.tenant();
      const res = await post(w.as.ben, edit(tenant, tenant.benFm), {
        version: '1',
        scopes: ['TENANT', 'EXO', 'TEAMS'],
        primary: ['TENANT', 'TEAMS'],
      });
      expect(res.status).toBe(303);
      expect(await scopesOf(w.t, tenant.benFm)).toEqual(['EXO', 'TEAMS*', 'TENANT*']);
      expect((await w.t.db('assignments').where('id', tenant.benFm).first()).version).toBe(2);
      const [audit] = await w.t.db('assignment_audit').where({ tenant_id: tenant.id });
      expect(audit).toMatchObject({
        action: 'update',
        actor_user_id: w.users.ben.id,
        before_json: '{"scopes":["EXO","TENANT"],"primary":["EXO","TENANT"]}',
        after_json: '{"scopes":["EXO","TEAMS","TENANT"],"primary":["TEAMS","TENANT"]}',
      });
    });

    it('answers 409 to a stale version, shows both versions and saves nothing', async () => {
      const tenant = await w.tenant();
      expect((await post(w.as.ava, edit(tenant, tenant.benFm), { version: '1', scopes: ['TENANT'] })).status).toBe(303);
      const res = await post(w.as.ben, edit(tenant, tenant.benFm), { version: '1', scopes: ['TEAMS'] }, { htmx: true });
      expect(res.status).toBe(409);
      const conflict = html(res.text).querySelector('[data-conflict]')!;
      expect(conflict.text).toContain('was changed by someone else after you opened it');
      expect(conflict.querySelectorAll('.asg-chip').map((c) => c.text.trim())).toEqual(['Tenant', 'Teams']);
      expect(conflict.querySelector(`a[href="${base(tenant)}?edit=${tenant.benFm}"]`)).not.toBeNull();
      expect(await scopesOf(w.t, tenant.benFm)).toEqual(['TENANT']);
    });

    it("V-61: answers 403 for another org's assignment and for an internal one", async () => {
      const tenant = await w.tenant();
      const beaFe = await assign(w.t.db, { tenant, userId: w.users.bea.id, type: 'P-FE', scopes: ['TEAMS'] });
      const omar = await assignmentOf(w.t, tenant.id, w.users.omar.id, 'Onboarding RM');
      expect((await post(w.as.ben, edit(tenant, beaFe), { version: '1', scopes: ['EXO'] })).status).toBe(403);
      expect((await post(w.as.ben, edit(tenant, omar.id), { version: '1', scopes: ['EXO'] })).status).toBe(403);
      expect((await post(w.as.ben, remove(tenant, omar.id), { confirm: 'yes' })).status).toBe(403);
      expect(await scopesOf(w.t, beaFe)).toEqual(['TEAMS']);
    });

    it('answers 404 for an assignment id of another tenant', async () => {
      const tenant = await w.tenant();
      const other = await w.tenant();
      expect((await post(w.as.ben, edit(tenant, other.benFm), { version: '1', scopes: ['EXO'] })).status).toBe(404);
    });

    it('V-62: unticking every scope asks first (422), then removes the assignment; the tenant leaves that user’s My tabs', async () => {
      const tenant = await w.tenant();
      const first = await post(w.as.ava, edit(tenant, tenant.benFm), { version: '1' });
      expect(first.status).toBe(422);
      expect(fieldMessages(first.text).scopes).toContain('Unticking every scope removes Ben Turner’s P-FM assignment');
      expect(await assignmentOf(w.t, tenant.id, w.users.ben.id, 'P-FM')).toBeDefined();
      const before = html((await w.as.ben.agent.get(`/tenants?q=${tenant.guid}`)).text);
      expect(before.querySelector('[data-count="my-active"]')!.text).toBe('1');
      const res = await post(w.as.ava, edit(tenant, tenant.benFm), { version: '1', confirm: 'yes' }, { htmx: true });
      expect(res.status).toBe(200);
      expect(html(res.text).querySelector('[data-outcome]')!.text).toContain(
        'Ben Turner has no assignment left on this tenant, so it has left their My Active and My Inactive tabs.',
      );
      expect(await assignmentOf(w.t, tenant.id, w.users.ben.id, 'P-FM')).toBeUndefined();
      const after = html((await w.as.ben.agent.get(`/tenants?q=${tenant.guid}`)).text);
      expect(after.querySelector('[data-count="my-active"]')!.text).toBe('0');
    });

    it('V-64: refuses a primary held by someone of the same org (422 naming them), then moves it with Replace primary', async () => {
      const tenant = await w.tenant();
      const form = { type: 'P-FM', username: w.users.cara.upn, scopes: ['TENANT', 'EXO'], primary: ['EXO'] };
      const res = await post(w.as.ben, base(tenant), form);
      expect(res.status).toBe(422);
      expect(fieldMessages(res.text).primary).toBe(
        'Only one primary P-FM per tenant and scope: Exchange is already primary for Ben Turner. Tick “Replace primary” to move the flag, or untick Primary for Exchange.',
      );
      expect(html(res.text).querySelector('#asg-pane input[name="replace_primary"]')).not.toBeNull();
      expect(await assignmentOf(w.t, tenant.id, w.users.cara.id, 'P-FM')).toBeUndefined();

      expect((await post(w.as.ben, base(tenant), { ...form, replace_primary: 'on' })).status).toBe(303);
      const cara = await assignmentOf(w.t, tenant.id, w.users.cara.id, 'P-FM');
      expect(await scopesOf(w.t, cara.id)).toEqual(['EXO*', 'TENANT']);
      expect(await scopesOf(w.t, tenant.benFm)).toEqual(['EXO', 'TENANT*']);
      expect((await w.t.db('assignments').where('id', tenant.benFm).first()).version).toBe(2);
      const audit = await w.t.db('assignment_audit').where({ tenant_id: tenant.id }).orderBy('id');
      expect(audit.map((a) => [a.assignee_user_id, a.action])).toEqual([
        [w.users.ben.id, 'update'],
        [w.users.cara.id, 'add'],
      ]);
    });

    it('V-64: never takes a primary from another org, even with Replace primary', async () => {
      const tenant = await w.tenant();
      await assign(w.t.db, { tenant, userId: w.users.bea.id, type: 'P-FE', scopes: ['TEAMS'], primary: ['TEAMS'] });
      const res = await post(w.as.ben, base(tenant), {
        type: 'P-FE',
        username: w.users.cara.upn,
        scopes: ['TEAMS'],
        primary: ['TEAMS'],
        replace_primary: 'on',
      });
      expect(res.status).toBe(422);
      expect(fieldMessages(res.text).primary).toBe(
        'Only one primary P-FE per tenant and scope: Teams is already primary for Bea Other (Fabrikam Test). Only Fabrikam Test can hand it over; untick Primary for Teams.',
      );
      expect(await assignmentOf(w.t, tenant.id, w.users.cara.id, 'P-FE')).toBeUndefined();
    });

    it('V-68: makes a lone P-RM the tenant primary automatically', async () => {
      const tenant = await w.tenant();
      // The queue's P-RM goes (a partner admin, with the tenant name), Ben's new P-RM is then the only one.
      const ben = await assign(w.t.db, { tenant, userId: w.users.ben.id, type: 'P-RM', scopes: ['TENANT', 'EXO'] });
      const res = await post(w.as.ava, remove(tenant, tenant.queuePrm), { confirm: 'yes', version: '1' });
      expect(res.status).toBe(303);
      expect(await scopesOf(w.t, ben)).toEqual(['EXO', 'TENANT*']);
      const page = html((await w.as.ava.agent.get(base(tenant))).text);
      expect(page.querySelector('.flash-ok')!.text).toContain(
        'Ben Turner is the only P-RM, so the assignment was made tenant primary automatically.',
      );
    });
  });

  describe('POST /tenants/:tenantId/assignments/:assignmentId/delete', () => {
    it('V-67: asks for confirmation first (422 with the question) and removes nothing', async () => {
      const tenant = await w.tenant();
      const res = await post(w.as.ben, remove(tenant, tenant.benFm), {});
      expect(res.status).toBe(422);
      expect(fieldMessages(res.text).confirm).toBe('Confirm that Ben Turner’s P-FM assignment should be removed.');
      expect(html(res.text).querySelector('form.asg-delete input[name="confirm"]')!.getAttribute('value')).toBe('yes');
      expect(Number((await count(tenant.id))!.n)).toBe(3);
    });

    it('answers 409 to a removal with a stale version and removes nothing', async () => {
      const tenant = await w.tenant();
      expect((await post(w.as.ava, edit(tenant, tenant.benFm), { version: '1', scopes: ['TENANT'] })).status).toBe(303);
      const res = await post(w.as.ben, remove(tenant, tenant.benFm), { confirm: 'yes', version: '1' });
      expect(res.status).toBe(409);
      expect(html(res.text).querySelector('[data-conflict]')!.text).toContain('was changed by someone else');
      expect(await scopesOf(w.t, tenant.benFm)).toEqual(['TENANT']);
    });

    it('V-66: warns on every P-RM removal; a P-RM that is not the org’s last is removed once confirmed', async () => {
      const tenant = await w.tenant();
      const ben = await assign(w.t.db, { tenant, userId: w.users.ben.id, type: 'P-RM', scopes: ['EXO'] });
      const page = html((await w.as.ben.agent.get(`${base(tenant)}?delete=${ben}`)).text);
      expect(page.querySelector('form.asg-delete [data-warning="V-66"]')!.text).toContain(
        'AU growth on it is no longer credited to you',
      );
      expect(page.querySelector('form.asg-delete input[name="confirm_tenant_name"]')).toBeNull();
      expect((await post(w.as.ben, remove(tenant, ben), { confirm: 'yes', version: '1' })).status).toBe(303);
      expect(await assignmentOf(w.t, tenant.id, w.users.ben.id, 'P-RM')).toBeUndefined();
    });

    it("V-66: refuses an ordinary partner user the org's last P-RM (422) and keeps it", async () => {
      const tenant = await w.tenant();
      const page = html((await w.as.ben.agent.get(`${base(tenant)}?delete=${tenant.queuePrm}`)).text);
      expect(page.querySelector('form.asg-delete [data-rule="V-66"]')!.text).toContain(
        'only a partner admin can remove it',
      );
      expect(page.querySelector('form.asg-delete button[type="submit"]')).toBeNull();
      const res = await post(w.as.ben, remove(tenant, tenant.queuePrm), { confirm: 'yes', version: '1' });
      expect(res.status).toBe(422);
      expect(fieldMessages(res.text).confirm).toContain('This is your organisation’s last P-RM on this tenant');
      expect(await scopesOf(w.t, tenant.queuePrm)).toEqual(['TENANT*']);
    });

    it("V-66: lets a partner admin remove the org's last P-RM after typing the tenant name; the tenant leaves the Partner List", async () => {
      const tenant = await w.tenant();
      const wrong = await post(w.as.ava, remove(tenant, tenant.queuePrm), {
        confirm: 'yes',
        version: '1',
        confirm_tenant_name: 'nope',
      });
      expect(wrong.status).toBe(422);
      expect(fieldMessages(wrong.text).confirm_tenant_name).toBe(
        `Type the tenant name ${tenant.name} to confirm removing the last P-RM.`,
      );
      expect(html(wrong.text).querySelector('input[name="confirm_tenant_name"]')!.getAttribute('value')).toBe('nope');
      const res = await hx(
        w.as.ava.agent
          .post(remove(tenant, tenant.queuePrm))
          .type('form')
          .send({
            _csrf: w.as.ava.csrf,
            confirm: 'yes',
            version: '1',
            confirm_tenant_name: ` ${tenant.name.toUpperCase()} `,
          }),
      );
      expect(res.status).toBe(200);
      expect(res.headers['hx-trigger']).toContain('tenant:changed');
      expect(await w.t.db('assignments').where('id', tenant.queuePrm).first()).toBeUndefined();
      // Ava is not assigned and her org holds no P-RM any more: the tenant is out of her reach.
      expect(html(res.text).querySelector('[data-outcome]')!.text).toContain(`You can no longer see ${tenant.name}.`);
      expect((await w.as.ava.agent.get(base(tenant))).status).toBe(404);
      // Ben keeps his P-FM: the tenant is on his My Active tab still.
      expect((await w.as.ben.agent.get(base(tenant))).status).toBe(200);
    });
  });

  describe('GET /tenants/:tenantId/assignments/primaries/:code', () => {
    it("shows the service's primaries for the Edit Tenant dialog (service primary first, else the tenant's)", async () => {
      const tenant = await w.tenant();
      const res = await hx(w.as.ben.agent.get(`${base(tenant)}/primaries/EXO`));
      expect(res.status).toBe(200);
      const doc = html(res.text);
      expect(doc.querySelector('[data-primary="P-FM"]')!.text).toBe('Ben Turner');
      expect(doc.querySelector('[data-primary="P-RM"]')!.text).toContain(`FTP Northwind Test`);
      expect(doc.querySelector('section.primaries')!.getAttribute('hx-trigger')).toBe('tenant:changed from:body');
      expect((await w.as.ben.agent.get(`${base(tenant)}/primaries/NOPE`)).status).toBe(404);
    });
  });
});
