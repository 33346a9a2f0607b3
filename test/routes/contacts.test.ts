import { buildTestApp, hx, html, loginAs, SignedIn, TestApp } from '../helpers/app';
import { addService, assign, createOrg, createTenant, createUser, TenantRef } from '../helpers/factories';
import type { Db } from '../../src/db/db';
import { constraintError } from '../../src/features/contacts/contacts.service';
import { ValidationError } from '../../src/http/errors';

/** A contact inserted directly (the factory for this file). */
async function createContact(
  db: Db,
  tenant: TenantRef,
  opts: { type?: string; name?: string; email?: string; source?: 'manual' | 'sync'; services?: string[] } = {},
): Promise<number> {
  const now = '2026-11-01T10:00:00.000Z';
  const [{ id }] = await db('contacts')
    .insert({
      tenant_id: tenant.id,
      contact_type: opts.type ?? 'Customer',
      name: opts.name ?? 'Li Wei',
      email: opts.email ?? null,
      source: opts.source ?? 'manual',
      created_at: now,
      updated_at: now,
    })
    .returning('id');
  for (const code of opts.services ?? []) await db('contact_services').insert({ contact_id: id, service_code: code });
  return id;
}

/** A complete survey-eligible Customer contact (V-11 satisfied). */
const eligible = {
  contact_type: 'Customer',
  name: 'Li Wei',
  email: 'li.wei@adatum.example',
  phone: '+49 30 1234',
  role_title: 'IT Director',
  country: 'Germany',
  is_engaged: 'on',
  survey_eligible: 'on',
  survey_language: 'German',
  services: 'EXO',
};

describe('Contacts (DOMAIN.md §2.12, §4.2, §5.9)', () => {
  let t: TestApp;
  let alpha: TenantRef, alpha2: TenantRef, secretB: TenantRef;
  let ava: SignedIn, bob: SignedIn, bea: SignedIn;

  beforeAll(async () => {
    t = await buildTestApp();
    const orgA = await createOrg(t.db);
    const orgB = await createOrg(t.db);
    const avaUser = await createUser(t.db, { org: orgA, name: 'Ava Smith' });
    const bobUser = await createUser(t.db, { org: orgA, name: 'Bob Jones' });
    const beaUser = await createUser(t.db, { org: orgB, name: 'Bea Brown' });
    alpha = await createTenant(t.db, { name: 'alpha.onmicrosoft.com' });
    alpha2 = await createTenant(t.db, { name: 'alpha2.onmicrosoft.com' });
    secretB = await createTenant(t.db, { name: 'secret-b.onmicrosoft.com' });
    for (const tenant of [alpha, alpha2]) {
      await assign(t.db, { tenant, userId: orgA.queueUserId, type: 'P-RM', primary: ['TENANT'] });
      await assign(t.db, { tenant, userId: avaUser.id, type: 'P-FM' });
    }
    await assign(t.db, { tenant: secretB, userId: orgB.queueUserId, type: 'P-RM', primary: ['TENANT'] });
    await assign(t.db, { tenant: secretB, userId: beaUser.id, type: 'P-FM' });
    await addService(t.db, alpha, 'EXO', { total: 50 });
    await addService(t.db, alpha, 'TEAMS', { total: 20 });
    ava = await loginAs(t.app, avaUser.upn);
    bob = await loginAs(t.app, bobUser.upn);
    bea = await loginAs(t.app, beaUser.upn);
  });
  afterAll(() => t.close());

  const count = async (tenant: TenantRef = alpha) =>
    Number((await t.db('contacts').where('tenant_id', tenant.id).count({ n: '*' }))[0].n);
  const url = (tenant: TenantRef, rest = '') => `/tenants/${tenant.guid}/contacts${rest}`;
  const post = (who: SignedIn, path: string, form: Record<string, string | string[]>) =>
    who.agent
      .post(path)
      .type('form')
      .send({ ...form, _csrf: who.csrf });
  const fieldMsg = (text: string, name: string) => html(text).querySelector(`[data-field="${name}"]`)?.text.trim();
  const inputValue = (text: string, name: string) =>
    html(text).querySelector(`[name="${name}"]`)?.getAttribute('value');

  describe('GET /tenants/:tenantId/contacts', () => {
    it('renders the Contacts tab page with the tenant header, three sections and the C-4 hint', async () => {
      const res = await ava.agent.get(url(alpha));
      expect(res.status).toBe(200);
      const doc = html(res.text);
      expect(doc.querySelector('html')?.getAttribute('lang')).toBe('en');
      expect(doc.querySelector('[hx-history="false"]')).not.toBeNull();
      expect(doc.querySelector('.tenant-header h1')?.text).toContain('alpha.onmicrosoft.com');
      expect(doc.querySelector(`a[href="/tenants/${alpha.guid}"]`)).not.toBeNull();
      expect(doc.querySelectorAll('.contacts-section').map((s) => s.getAttribute('data-type'))).toEqual([
        'Customer',
        'Partner',
        'Microsoft',
      ]);
      expect(doc.querySelectorAll('a[data-action="add"]')).toHaveLength(3);
      expect(doc.querySelector('#survey-requirements')?.text).toContain('survey language');
      expect(doc.querySelector('[data-rule="C-4"]')).not.toBeNull();
    });

    it('answers htmx with the grid fragment only (the Edit Tenant dialog panel)', async () => {
      const res = await hx(ava.agent.get(url(alpha)));
      expect(res.status).toBe(200);
      expect(res.headers.vary).toMatch(/HX-Request/);
      expect(res.text).not.toContain('<html');
      expect(html(res.text).querySelector('#contacts-grid')).not.toBeNull();
    });

    it('shows a guest the grid without add, edit or delete buttons', async () => {
      await createContact(t.db, alpha2, { name: 'Guest View' });
      const res = await bob.agent.get(url(alpha2));
      expect(res.status).toBe(200);
      expect(res.text).toContain('Guest View');
      expect(html(res.text).querySelectorAll('[data-action]')).toHaveLength(0);
    });

    it('returns 404 for a tenant of another org', async () => {
      const res = await ava.agent.get(url(secretB));
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('secret-b');
    });

    it('renders an XSS payload in a name escaped, page and fragment (SECURITY.md case 25)', async () => {
      const payload = '<script>alert(1)</script>"><img src=x onerror=alert(1)>';
      await createContact(t.db, alpha2, { name: payload, email: 'x@example.com' });
      for (const res of [await ava.agent.get(url(alpha2)), await hx(ava.agent.get(url(alpha2)))]) {
        expect(res.text).not.toContain('<script>alert(1)');
        expect(res.text).not.toContain('<img src=x');
        expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      }
    });
  });

  describe('GET /tenants/:tenantId/contacts/new and /:contactId/edit', () => {
    it('shows only the type-specific field of the form type (V-13)', async () => {
      const partner = await hx(ava.agent.get(url(alpha, '/new?type=Partner')));
      expect(partner.status).toBe(200);
      const doc = html(partner.text);
      expect(doc.querySelector('select[name="skill_type"]')).not.toBeNull();
      expect(doc.querySelector('[name="do_not_call"]')).toBeNull();
      expect(doc.querySelector('[name="ms_role"]')).toBeNull();
      expect(doc.querySelector('label[for="c-name"]')?.classList.contains('required')).toBe(true);
      const customer = html((await ava.agent.get(url(alpha, '/new?type=Customer'))).text);
      expect(customer.querySelector('[name="do_not_call"]')).not.toBeNull();
      expect(customer.querySelector('[name="skill_type"]')).toBeNull();
    });

    it('refuses the new-contact form to a guest (403)', async () => {
      expect((await bob.agent.get(url(alpha, '/new?type=Customer'))).status).toBe(403);
    });

    it('opens a contact with its values and version; another tenant’s contact id is 404 (SECURITY.md case 3)', async () => {
      const id = await createContact(t.db, alpha, { name: 'Edit Me', services: ['EXO'] });
      const res = await ava.agent.get(url(alpha, `/${id}/edit`));
      expect(res.status).toBe(200);
      expect(inputValue(res.text, 'name')).toBe('Edit Me');
      expect(inputValue(res.text, 'version')).toBe('1');
      expect(html(res.text).querySelector('input[name="services"][value="EXO"]')?.hasAttribute('checked')).toBe(true);
      expect((await ava.agent.get(url(alpha2, `/${id}/edit`))).status).toBe(404);
      expect((await ava.agent.get(url(alpha, '/abc/edit'))).status).toBe(404);
    });
  });

  describe('POST /tenants/:tenantId/contacts', () => {
    it('creates a survey-eligible contact and redirects back with a flash (plain)', async () => {
      const before = await count();
      const res = await post(ava, url(alpha), { ...eligible, services: ['EXO', 'TEAMS'] });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(url(alpha));
      expect(res.headers['hx-trigger']).toBeUndefined();
      expect(await count()).toBe(before + 1);
      const row = await t.db('contacts').where({ tenant_id: alpha.id }).orderBy('id', 'desc').first();
      expect(row).toMatchObject({ name: 'Li Wei', survey_language: 'German', version: 1, source: 'manual' });
      expect(Boolean(row.survey_eligible)).toBe(true);
      expect(
        await t.db('contact_services').where('contact_id', row.id).orderBy('service_code').pluck('service_code'),
      ).toEqual(['EXO', 'TEAMS']);
      const page = await ava.agent.get(url(alpha));
      expect(page.text).toContain('Contact Li Wei added.');
      expect(html(page.text).querySelector('[data-rule="C-4"]')).toBeNull();
      expect(html(page.text).querySelector('a[href="mailto:li.wei@adatum.example"]')).not.toBeNull();
      expect(html(page.text).querySelector('a[href="tel:+49301234"]')).not.toBeNull();
    });

    it('answers htmx with the refreshed grid, 200 and HX-Trigger tenant:changed', async () => {
      const res = await hx(post(ava, url(alpha), { contact_type: 'Microsoft', name: 'Mia CSAM', ms_role: 'CSAM' }));
      expect(res.status).toBe(200);
      expect(JSON.parse(res.headers['hx-trigger'])).toEqual({ 'tenant:changed': { tenantId: alpha.guid } });
      expect(html(res.text).querySelector('#contacts-microsoft')?.text).toContain('Mia CSAM');
      expect(await t.db('contacts').where({ tenant_id: alpha.id, name: 'Mia CSAM' }).first()).toMatchObject({
        ms_role: 'CSAM',
      });
    });

    it('V-10: returns 422 with a message next to type and name, values kept, nothing saved', async () => {
      const before = await count();
      const res = await hx(post(ava, url(alpha), { contact_type: '', name: '', email: 'kept@example.com' }));
      expect(res.status).toBe(422);
      expect(fieldMsg(res.text, 'contact_type')).toMatch(/required/);
      expect(fieldMsg(res.text, 'name')).toBe('Name is required.');
      expect(inputValue(res.text, 'email')).toBe('kept@example.com');
      expect(await count()).toBe(before);
    });

    it('V-11: returns 422 with a message next to each field a survey-eligible contact is missing', async () => {
      const before = await count();
      const res = await hx(
        post(ava, url(alpha), { contact_type: 'Customer', name: 'Half Done', survey_eligible: 'on', phone: '123' }),
      );
      expect(res.status).toBe(422);
      expect(fieldMsg(res.text, 'survey_language')).toBe('Survey language is required for a survey-eligible contact.');
      expect(fieldMsg(res.text, 'email')).toBe('Email is required for a survey-eligible contact.');
      expect(fieldMsg(res.text, 'country')).toBe('Country is required for a survey-eligible contact.');
      expect(fieldMsg(res.text, 'is_engaged')).toMatch(/engaged/);
      expect(fieldMsg(res.text, 'services')).toMatch(/at least 1 service/);
      expect(inputValue(res.text, 'name')).toBe('Half Done');
      expect(inputValue(res.text, 'phone')).toBe('123');
      expect(html(res.text).querySelector('input[name="survey_eligible"]')?.hasAttribute('checked')).toBe(true);
      expect(await count()).toBe(before);
    });

    it('V-11: returns 422 when a survey-eligible contact is not a Customer or has an unknown language', async () => {
      const before = await count();
      const res = await post(ava, url(alpha), { ...eligible, contact_type: 'Partner', survey_language: 'Klingon' });
      expect(res.status).toBe(422);
      expect(fieldMsg(res.text, 'contact_type')).toBe('Only Customer contacts can be survey eligible.');
      expect(fieldMsg(res.text, 'survey_language')).toBe('Choose a survey language from the list.');
      expect(inputValue(res.text, 'email')).toBe(eligible.email);
      expect(await count()).toBe(before);
    });

    it('V-12: returns 422 for an invalid email, value kept', async () => {
      const before = await count();
      const res = await hx(
        post(ava, url(alpha), { contact_type: 'Customer', name: 'Bad Mail', email: 'not-an-email' }),
      );
      expect(res.status).toBe(422);
      expect(fieldMsg(res.text, 'email')).toMatch(/valid email/);
      expect(inputValue(res.text, 'email')).toBe('not-an-email');
      expect(await count()).toBe(before);
    });

    it('V-13: returns 422 for a field of another contact type (do not call, skill type, MS role)', async () => {
      const before = await count();
      const partner = await hx(
        post(ava, url(alpha), { contact_type: 'Partner', name: 'Pat', do_not_call: 'on', ms_role: 'CSAM' }),
      );
      expect(partner.status).toBe(422);
      expect(fieldMsg(partner.text, 'do_not_call')).toBe('Do not call applies to Customer contacts only.');
      expect(fieldMsg(partner.text, 'ms_role')).toBe('MS role applies to Microsoft contacts only.');
      expect(inputValue(partner.text, 'ms_role')).toBe('CSAM');
      const customer = await hx(
        post(ava, url(alpha), { contact_type: 'Customer', name: 'Cy', skill_type: 'Technical' }),
      );
      expect(customer.status).toBe(422);
      expect(fieldMsg(customer.text, 'skill_type')).toBe('Skill type applies to Partner contacts only.');
      const unknown = await hx(post(ava, url(alpha), { contact_type: 'Partner', name: 'Pat', skill_type: 'Juggling' }));
      expect(unknown.status).toBe(422);
      expect(fieldMsg(unknown.text, 'skill_type')).toBe('Choose a skill type from the list.');
      expect(await count()).toBe(before);
    });

    it('V-14: returns 422 for a service the tenant is not entitled to', async () => {
      const before = await count();
      const res = await hx(post(ava, url(alpha), { ...eligible, services: ['EXO', 'INTUNE'] }));
      expect(res.status).toBe(422);
      expect(fieldMsg(res.text, 'services')).toMatch(/entitled.*INTUNE/);
      expect(html(res.text).querySelector('input[name="services"][value="EXO"]')?.hasAttribute('checked')).toBe(true);
      expect(await count()).toBe(before);
    });

    it('returns 422 for oversized fields (name > 200, phone > 50)', async () => {
      const before = await count();
      const res = await hx(
        post(ava, url(alpha), { contact_type: 'Customer', name: 'n'.repeat(201), phone: '1'.repeat(51) }),
      );
      expect(res.status).toBe(422);
      expect(fieldMsg(res.text, 'name')).toBe('Use at most 200 characters.');
      expect(fieldMsg(res.text, 'phone')).toBe('Use at most 50 characters.');
      expect(await count()).toBe(before);
    });

    it('ignores injected tenant_id, version and source (SECURITY.md case 6)', async () => {
      const beforeB = await count(secretB);
      const res = await post(ava, url(alpha), {
        contact_type: 'Customer',
        name: 'Injected',
        tenant_id: String(secretB.id),
        version: '999',
        source: 'sync',
      });
      expect(res.status).toBe(303);
      const row = await t.db('contacts').where({ name: 'Injected' }).first();
      expect(row).toMatchObject({ tenant_id: alpha.id, version: 1, source: 'manual' });
      expect(await count(secretB)).toBe(beforeB);
    });

    it('returns 403 to a guest and 404 to another org, nothing saved', async () => {
      const before = await count();
      expect((await post(bob, url(alpha), eligible)).status).toBe(403);
      expect((await post(bea, url(alpha), eligible)).status).toBe(404);
      expect(await count()).toBe(before);
    });
  });

  describe('POST /tenants/:tenantId/contacts/:contactId', () => {
    it('updates the contact, replaces its services and bumps the version (plain 303, htmx 200)', async () => {
      const id = await createContact(t.db, alpha, { name: 'Old Name', services: ['TEAMS'] });
      const res = await post(ava, url(alpha, `/${id}`), { ...eligible, name: 'New Name', version: '1' });
      expect(res.status).toBe(303);
      const row = await t.db('contacts').where({ id }).first();
      expect(row).toMatchObject({ name: 'New Name', version: 2, survey_language: 'German' });
      expect(row.updated_at).not.toBe('2026-11-01T10:00:00.000Z');
      expect(await t.db('contact_services').where('contact_id', id).pluck('service_code')).toEqual(['EXO']);
      const again = await hx(
        post(ava, url(alpha, `/${id}`), { contact_type: 'Customer', name: 'Newer', version: '2' }),
      );
      expect(again.status).toBe(200);
      expect(JSON.parse(again.headers['hx-trigger'])['tenant:changed'].tenantId).toBe(alpha.guid);
      expect(await t.db('contacts').where({ id }).first()).toMatchObject({ name: 'Newer', version: 3 });
      expect(Number((await t.db('contact_services').where('contact_id', id).count({ n: '*' }))[0].n)).toBe(0);
    });

    it('returns 409 for a stale version and keeps the stored values', async () => {
      const id = await createContact(t.db, alpha, { name: 'Stale' });
      await t.db('contacts').where({ id }).update({ version: 4 });
      const res = await post(ava, url(alpha, `/${id}`), { contact_type: 'Customer', name: 'Overwrite', version: '3' });
      expect(res.status).toBe(409);
      expect(await t.db('contacts').where({ id }).first()).toMatchObject({ name: 'Stale', version: 4 });
      // htmx: the message shows what is saved now and a reload link for the page the user is on.
      const page = `/tenants/${alpha.guid}/contacts`;
      const frag = await hx(
        post(ava, url(alpha, `/${id}`), { contact_type: 'Customer', name: '<b>Mine</b>', version: '3' }),
      ).set('HX-Current-URL', `http://127.0.0.1${page}`);
      expect(frag.status).toBe(409);
      expect(frag.text).toContain('name: Stale');
      expect(frag.text).toContain(`href="${page}"`);
    });

    it('V-11: returns 422 on update with the messages and keeps the stored row', async () => {
      const id = await createContact(t.db, alpha, { name: 'Stays' });
      const res = await hx(
        post(ava, url(alpha, `/${id}`), {
          contact_type: 'Customer',
          name: 'Changed',
          survey_eligible: 'on',
          version: '1',
        }),
      );
      expect(res.status).toBe(422);
      expect(fieldMsg(res.text, 'survey_language')).toBe('Survey language is required for a survey-eligible contact.');
      expect(inputValue(res.text, 'name')).toBe('Changed');
      expect(inputValue(res.text, 'version')).toBe('1');
      expect(await t.db('contacts').where({ id }).first()).toMatchObject({ name: 'Stays', version: 1 });
    });

    it('returns 403 to a guest, 404 to another org and 404 for a contact of another tenant (case 3)', async () => {
      const id = await createContact(t.db, alpha, { name: 'Guarded' });
      const form = { contact_type: 'Customer', name: 'Hijacked', version: '1' };
      expect((await post(bob, url(alpha, `/${id}`), form)).status).toBe(403);
      expect((await post(bea, url(alpha, `/${id}`), form)).status).toBe(404);
      expect((await post(ava, url(alpha2, `/${id}`), form)).status).toBe(404);
      expect(await t.db('contacts').where({ id }).first()).toMatchObject({ name: 'Guarded', version: 1 });
    });
  });

  describe('POST /tenants/:tenantId/contacts/:contactId/delete', () => {
    it('asks for confirmation first (422 with the confirmation form), nothing deleted', async () => {
      const id = await createContact(t.db, alpha, { name: 'Keep Me' });
      const res = await hx(post(ava, url(alpha, `/${id}/delete`), {}));
      expect(res.status).toBe(422);
      const form = html(res.text).querySelector('form.confirm-delete');
      expect(form?.querySelector('input[name="confirm"]')?.getAttribute('value')).toBe('yes');
      expect(form?.querySelector('[data-warning="sync"]')).toBeNull();
      expect(await t.db('contacts').where({ id }).first()).toBeDefined();
    });

    it('warns that a synced contact comes back unless removed in the source system', async () => {
      const id = await createContact(t.db, alpha, { name: 'Synced', source: 'sync' });
      const res = await post(ava, url(alpha, `/${id}/delete`), {});
      expect(res.status).toBe(422);
      expect(html(res.text).querySelector('[data-warning="sync"]')?.text).toMatch(/come back/);
    });

    it('deletes the contact and its services once confirmed (plain 303, htmx 200 + HX-Trigger)', async () => {
      const id = await createContact(t.db, alpha, { name: 'Gone', services: ['EXO'] });
      const res = await post(ava, url(alpha, `/${id}/delete`), { confirm: 'yes' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(url(alpha));
      expect(await t.db('contacts').where({ id }).first()).toBeUndefined();
      expect(await t.db('contact_services').where('contact_id', id)).toEqual([]);
      const id2 = await createContact(t.db, alpha, { name: 'Gone Too' });
      const hxRes = await hx(post(ava, url(alpha, `/${id2}/delete`), { confirm: 'yes' }));
      expect(hxRes.status).toBe(200);
      expect(JSON.parse(hxRes.headers['hx-trigger'])['tenant:changed'].tenantId).toBe(alpha.guid);
      // The grid no longer lists it; its first line says what happened (the save outcome).
      expect(html(hxRes.text).querySelector('[data-outcome]')?.text).toBe('Contact Gone Too deleted.');
      expect(
        html(hxRes.text)
          .querySelectorAll('section.contacts-section')
          .map((e) => e.text)
          .join(),
      ).not.toContain('Gone Too');
      expect(await t.db('contacts').where({ id: id2 }).first()).toBeUndefined();
    });

    it('returns 403 to a guest, 404 to another org and for a contact of another tenant, nothing deleted', async () => {
      const id = await createContact(t.db, alpha, { name: 'Protected' });
      expect((await post(bob, url(alpha, `/${id}/delete`), { confirm: 'yes' })).status).toBe(403);
      expect((await post(bea, url(alpha, `/${id}/delete`), { confirm: 'yes' })).status).toBe(404);
      expect((await post(ava, url(alpha2, `/${id}/delete`), { confirm: 'yes' })).status).toBe(404);
      expect(await t.db('contacts').where({ id }).first()).toBeDefined();
    });
  });

  describe('database constraints', () => {
    it('V-11/V-13: maps a CHECK constraint failure to a per-field ValidationError (422), never a 500', async () => {
      const now = new Date().toISOString();
      const attempts: [Record<string, unknown>, string][] = [
        [{ contact_type: 'Partner', name: 'X', survey_eligible: true }, 'survey_eligible'],
        [{ contact_type: 'Partner', name: 'X', do_not_call: true }, 'do_not_call'],
        [{ contact_type: 'Customer', name: 'X', ms_role: 'CSAM' }, 'ms_role'],
      ];
      for (const [row, fieldName] of attempts) {
        const err = await t
          .db('contacts')
          .insert({ tenant_id: alpha.id, created_at: now, updated_at: now, ...row })
          .then(
            () => null,
            (e: unknown) => e,
          );
        const mapped = constraintError(err);
        expect(mapped).toBeInstanceOf(ValidationError);
        expect(Object.keys((mapped as ValidationError).fields)).toEqual([fieldName]);
      }
    });
  });
});
