import { buildTestApp, html, loginAs, SignedIn, TestApp } from '../helpers/app';
import { addService, assign, createOrg, createTenant, createUser, TenantRef, UserRef } from '../helpers/factories';

/** Draft Notes — DOMAIN.md §5.12.2, V-75: private, at most 10, restore, delete, removed when saved. */
describe('Draft Notes', () => {
  let t: TestApp;
  let ava: UserRef;
  let ben: UserRef;
  let tenant: TenantRef;
  let asAva: SignedIn;
  let asBen: SignedIn;

  beforeAll(async () => {
    t = await buildTestApp();
    const org = await createOrg(t.db);
    ava = await createUser(t.db, { org, name: 'Ava Smith' });
    ben = await createUser(t.db, { org, name: 'Ben Jones' });
    tenant = await createTenant(t.db, { name: 'contoso.onmicrosoft.com' });
    await assign(t.db, { tenant, userId: org.queueUserId, type: 'P-RM', primary: ['TENANT'] });
    await assign(t.db, { tenant, userId: ava.id, type: 'P-FM' });
    await assign(t.db, { tenant, userId: ben.id, type: 'P-FE' });
    await addService(t.db, tenant, 'EXO');
    asAva = await loginAs(t.app, ava.upn);
    asBen = await loginAs(t.app, ben.upn);
  });
  afterAll(() => t.close());

  const draft = (who: SignedIn, form: Record<string, string | string[]> = {}) =>
    who.agent
      .post('/notes/drafts')
      .type('form')
      .send({
        tenant_id: tenant.guid,
        category: 'Technical Enablement',
        services: ['EXO'],
        body: 'Half-written <b>thought</b>\n\nsecond paragraph',
        next_action: 'Call back',
        _csrf: who.csrf,
        ...form,
      });
  const drafts = (userId: number) => t.db('note_drafts').where('owner_user_id', userId).orderBy('id');

  it('saves a draft (303 to the list) and restores it into the editor with every value', async () => {
    const res = await draft(asAva);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/notes/drafts');
    const [row] = await drafts(ava.id);
    const list = html((await asAva.agent.get('/notes/drafts')).text);
    expect(list.querySelector(`#draft-${row.id} summary`)?.text).toContain('contoso.onmicrosoft.com');
    expect(list.querySelector(`#draft-${row.id} .draft-body`)?.text).toContain('Half-written <b>thought</b>');
    const editor = html((await asAva.agent.get(`/notes/new?draft=${row.id}`)).text);
    // Without JavaScript the textarea shows readable text (issue 11): no tags, and the form says `text`;
    // the editor restores the formatting from data-rich-html.
    expect(editor.querySelector('#note-body')?.text).toBe('Half-written <b>thought</b>\n\nsecond paragraph');
    expect(editor.querySelector('#note-body')?.getAttribute('data-rich-html')).toBe(
      '<p>Half-written &lt;b&gt;thought&lt;/b&gt;</p><p>second paragraph</p>',
    );
    expect(editor.querySelector('input[name="body_format"]')?.getAttribute('value')).toBe('text');
    expect(editor.querySelector('#note-category option[selected]')?.text).toBe('Technical Enablement');
    expect(editor.querySelector('#svc-EXO')?.hasAttribute('checked')).toBe(true);
    expect(editor.querySelector('input[name="draft_id"]')?.getAttribute('value')).toBe(String(row.id));
  });

  it('is private: another user neither sees, restores nor deletes it (404)', async () => {
    const [row] = await drafts(ava.id);
    expect((await asBen.agent.get('/notes/drafts')).text).not.toContain('Half-written');
    expect((await asBen.agent.get(`/notes/new?draft=${row.id}`)).status).toBe(404);
    const del = await asBen.agent.post(`/notes/drafts/${row.id}/delete`).type('form').send({ _csrf: asBen.csrf });
    expect(del.status).toBe(404);
    const overwrite = await draft(asBen, { draft_id: String(row.id), body: 'hijack' });
    expect(overwrite.status).toBe(404);
    expect((await t.db('note_drafts').where('id', row.id).first()).body_html).toContain('Half-written');
  });

  it('overwrites the same draft when draft_id is sent (autosave answers JSON)', async () => {
    const [row] = await drafts(ava.id);
    const res = await draft(asAva, { draft_id: String(row.id), body: 'Longer now' }).set('Accept', 'application/json');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ draftId: row.id });
    expect(await drafts(ava.id)).toHaveLength(1);
    expect((await t.db('note_drafts').where('id', row.id).first()).body_html).toBe('<p>Longer now</p>');
  });

  it('V-75: keeps at most 10 drafts; the 11th is 422 with the message and nothing is written', async () => {
    while ((await drafts(ava.id)).length < 10) expect((await draft(asAva)).status).toBe(303);
    const res = await draft(asAva, { body: 'the eleventh' });
    expect(res.status).toBe(422);
    expect(html(res.text).querySelector('[data-field="draft"]')?.text).toBe(
      'Draft limit reached (10); delete or restore a draft first.',
    );
    expect(html(res.text).querySelector('#note-body')?.text).toBe('the eleventh');
    expect(await drafts(ava.id)).toHaveLength(10);
    const json = await draft(asAva).set('Accept', 'application/json');
    expect(json.status).toBe(422);
    // The database refuses an 11th too.
    let refused: unknown = null;
    try {
      await t.db('note_drafts').insert({ owner_user_id: ava.id, saved_at: new Date().toISOString() });
    } catch (err) {
      refused = err;
    }
    expect(String(refused)).toMatch(/draft limit reached/);
  });

  it('asks before deleting (GET changes nothing), then deletes on POST', async () => {
    const [first] = await drafts(ava.id);
    const ask = html((await asAva.agent.get(`/notes/drafts?delete=${first.id}`)).text);
    expect(ask.querySelector('.confirm-box form')?.getAttribute('action')).toBe(`/notes/drafts/${first.id}/delete`);
    expect(ask.querySelector('.confirm-box input[name="_csrf"]')?.getAttribute('value')).toBe(asAva.csrf);
    expect(await t.db('note_drafts').where('id', first.id).first()).toBeDefined();
    const res = await asAva.agent.post(`/notes/drafts/${first.id}/delete`).type('form').send({ _csrf: asAva.csrf });
    expect(res.status).toBe(303);
    expect(await t.db('note_drafts').where('id', first.id).first()).toBeUndefined();
  });

  it('saving a restored draft creates the note and removes the draft in the same transaction', async () => {
    const [row] = await drafts(ava.id);
    const res = await asAva.agent
      .post('/notes')
      .type('form')
      .send({
        tenant_id: tenant.guid,
        category: 'Engagement Management',
        body: 'From a draft',
        draft_id: String(row.id),
        idempotency_key: crypto.randomUUID(),
        _csrf: asAva.csrf,
      });
    expect(res.status).toBe(303);
    expect(await t.db('note_drafts').where('id', row.id).first()).toBeUndefined();
    expect(await t.db('notes').where('body_text', 'From a draft').first()).toBeDefined();
  });

  it('restores a formatted draft as readable text without JavaScript; saved from the textarea it is a valid plain note', async () => {
    const [{ id }] = await t
      .db('note_drafts')
      .insert({
        owner_user_id: ben.id,
        tenant_id: tenant.id,
        category: 'Engagement Management',
        body_html:
          '<p><strong>Cutover</strong> planned, see <a href="https://x.example/runbook?a=1&amp;b=2">the runbook</a></p>' +
          '<ul><li>pilot</li><li>wave 1</li></ul>',
        saved_at: new Date().toISOString(),
      })
      .returning('id');
    const doc = html((await asBen.agent.get(`/notes/new?draft=${id}`)).text);
    const area = doc.querySelector('#note-body');
    expect(area?.text).toBe('Cutover planned, see the runbook (https://x.example/runbook?a=1&b=2)\n\npilot\nwave 1');
    expect(area?.text).not.toMatch(/<p>|<strong>|<li>/);
    expect(area?.getAttribute('data-rich-html')).toContain('<strong>Cutover</strong>');
    expect(doc.querySelector('input[name="body_format"]')?.getAttribute('value')).toBe('text');
    // Said where it matters: formatting shows only with the toolbar, and this box saves plain text.
    expect(doc.querySelector('[data-plain-only]')?.text).toMatch(/kept as plain text/);

    // Posting the textarea back as it stands (no JavaScript) saves the words, the address and the paragraphs.
    const res = await asBen.agent
      .post('/notes')
      .type('form')
      .send({
        tenant_id: tenant.guid,
        category: 'Engagement Management',
        body: area!.text,
        body_format: 'text',
        draft_id: String(id),
        idempotency_key: crypto.randomUUID(),
        _csrf: asBen.csrf,
      });
    expect(res.status).toBe(303);
    const note = await t.db('notes').orderBy('id', 'desc').first();
    expect(note.body_html).toBe(
      '<p>Cutover planned, see the runbook (https://x.example/runbook?a=1&amp;b=2)</p><p>pilot<br />wave 1</p>',
    );
    expect(await t.db('note_drafts').where('id', id).first()).toBeUndefined();
  });

  it('lists the drafts newest first', async () => {
    const ids = html((await asAva.agent.get('/notes/drafts')).text)
      .querySelectorAll('.draft')
      .map((d) => Number(d.getAttribute('data-draft')));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(ids.length).toBeGreaterThan(1);
  });
});
