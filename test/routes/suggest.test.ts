import request from 'supertest';
import { buildTestApp, csrfFrom, hx, html, loginAs, SignedIn, TestApp } from '../helpers/app';
import { createOrg, createUser } from '../helpers/factories';
import { learnedSuggester } from '../../src/features/suggest/suggest.service';

/** POST /suggest and GET /suggest/options (DOMAIN.md §6). */
describe('Suggest', () => {
  let t: TestApp;
  let ava$: SignedIn;

  beforeAll(async () => {
    t = await buildTestApp();
    const org = await createOrg(t.db);
    // Signed in is enough: Suggest reads no tenant.
    const ava = await createUser(t.db, { org });
    ava$ = await loginAs(t.app, ava.upn);
  });
  afterAll(() => t.close());

  const json = (text: string, extra: Record<string, string> = {}) =>
    ava$.agent
      .post('/suggest')
      .set('Accept', 'application/json')
      .type('form')
      .send({ text, ...extra, _csrf: ava$.csrf });

  it.each([
    ['The customer will not deploy Teams this year', 'No Intent', ''],
    ['We are waiting for the customer to sign off', 'Blocked', ''],
    ['We are migrating 300 mailboxes in weekly batches', 'In Progress', 'Migration'],
    ['No response from the IT lead after three emails', 'Status Unknown', 'Customer Unresponsive'],
    ['This is a duplicate tenant of contoso', 'Duplicate/Invalid', ''],
  ])('§6 cue: "%s" → %s %s (JSON)', async (text, l1, l2) => {
    const res = await json(text);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/json/);
    expect(res.body.l1).toBe(l1);
    if (l2) expect(res.body.l2).toBe(l2);
    expect(res.body).toHaveProperty('l3');
    expect(Array.isArray(res.body.alternatives)).toBe(true);
  });

  it('§6 confidence: Blocked or No Intent without a reason keyword is marginal; with one it is high', async () => {
    expect((await json('We are waiting for the customer to sign off')).body.confidence).toBe('marginal');
    expect((await json('The customer will not deploy Teams this year')).body.confidence).toBe('marginal');
    const legal = await json('Waiting for works council approval under local law');
    expect(legal.body).toMatchObject({ l1: 'Blocked', l2: 'Legal/Regulatory', confidence: 'high' });
    expect((await json('We are migrating 300 mailboxes in weekly batches')).body.confidence).toBe('high');
  });

  it('§6 confidence: empty or too short text is poor', async () => {
    expect((await json('')).body).toMatchObject({ l1: '', confidence: 'poor' });
    expect((await json('duplicate tenant')).body.confidence).toBe('poor');
    expect((await json('hello there friend')).body.confidence).toBe('poor');
  });

  it('returns the row selects pre-filled with a confidence chip as an htmx fragment (the grid posts the row note)', async () => {
    const res = await hx(ava$.agent.post('/suggest')).type('form').send({
      row: '2',
      service: 'EXO',
      'statuses[2][note]': 'We are migrating 300 mailboxes in weekly batches',
      _csrf: ava$.csrf,
    });
    expect(res.status).toBe(200);
    expect(res.text).not.toMatch(/<html/i);
    const doc = html(res.text);
    expect(doc.querySelector('#status-sel-2')).not.toBeNull();
    expect(doc.querySelector('select[name="statuses[2][l1]"] option[selected]')!.text).toBe('In Progress');
    expect(doc.querySelector('select[name="statuses[2][l2]"] option[selected]')!.text).toBe('Migration');
    // only the children of the suggested L1 are offered (V-22)
    const l2s = doc.querySelectorAll('select[name="statuses[2][l2]"] option').map((o) => o.text);
    expect(l2s).not.toContain('Legal/Regulatory');
    expect(doc.querySelector('input[name="statuses[2][suggested_l1]"]')!.getAttribute('value')).toBe('In Progress');
    expect(doc.querySelector('[data-confidence]')!.getAttribute('data-confidence')).toBe('high');
  });

  /** The grid's Suggest button: the whole form, with this row's current choice. */
  const suggestRow = (row: Record<string, string>) =>
    hx(ava$.agent.post('/suggest'))
      .type('form')
      .send({
        row: '1',
        service: 'EXO',
        ...Object.fromEntries(Object.entries(row).map(([k, v]) => [`statuses[1][${k}]`, v])),
        _csrf: ava$.csrf,
      });

  it('§6 (issue point 6): a poor note keeps the row’s L1 / L2 / L3 and says why beside the chip', async () => {
    const res = await suggestRow({ l1: 'Blocked', l2: 'Legal/Regulatory', note: 'hmm' });
    expect(res.status).toBe(200);
    const doc = html(res.text);
    expect(doc.querySelector('select[name="statuses[1][l1]"] option[selected]')!.text).toBe('Blocked');
    expect(doc.querySelector('select[name="statuses[1][l2]"] option[selected]')!.text).toBe('Legal/Regulatory');
    const chip = doc.querySelector('[data-confidence]')!;
    expect(chip.getAttribute('data-confidence')).toBe('poor');
    expect(chip.classList.contains('chip-conf-poor')).toBe(true);
    expect(chip.text).toBe('Poor confidence');
    expect(doc.querySelector('[data-chip-note]')!.text).toBe(
      'Kept the current L1 / L2 / L3: the note does not say enough to suggest a status. Add what is happening and why.',
    );
    // what the model said is kept for the save's warning (V-28 only warns), not what the row shows
    expect(doc.querySelector('input[name="statuses[1][suggested_l1]"]')!.getAttribute('value')).toBe('');
    expect(doc.querySelector('input[name="statuses[1][suggestion_confidence]"]')!.getAttribute('value')).toBe('poor');
  });

  it('§6: a new row with a poor note stays without a status and is told so', async () => {
    const doc = html((await suggestRow({ l1: '', note: 'duplicate tenant' })).text);
    // "duplicate tenant" names an L1, but a poor note never sets one
    expect(doc.querySelector('select[name="statuses[1][l1]"] option[selected]')).toBeNull();
    expect(doc.querySelector('[data-confidence]')!.getAttribute('data-confidence')).toBe('poor');
    expect(doc.querySelector('[data-chip-note]')!.text).toMatch(/^No suggestion: the note does not say enough/);
  });

  it('§6: a suggestion for the same L1 without a reason keeps the row’s L2; the marginal chip says what to add', async () => {
    const doc = html(
      (await suggestRow({ l1: 'Blocked', l2: 'Legal/Regulatory', note: 'We are waiting for the customer to sign off' }))
        .text,
    );
    expect(doc.querySelector('select[name="statuses[1][l1]"] option[selected]')!.text).toBe('Blocked');
    expect(doc.querySelector('select[name="statuses[1][l2]"] option[selected]')!.text).toBe('Legal/Regulatory');
    const chip = doc.querySelector('[data-confidence]')!;
    expect(chip.getAttribute('data-confidence')).toBe('marginal');
    expect(chip.text).toBe('Marginal confidence');
    expect(doc.querySelector('[data-chip-note]')!.text).toBe('Check the values: add the main reason to the note.');
  });

  it('§6: a clear note replaces the row’s choice; the high chip needs no message', async () => {
    const doc = html(
      (await suggestRow({ l1: 'Blocked', l2: 'Legal/Regulatory', note: 'They use Slack and will not switch to Teams' }))
        .text,
    );
    expect(doc.querySelector('select[name="statuses[1][l1]"] option[selected]')!.text).toBe('No Intent');
    expect(doc.querySelector('select[name="statuses[1][l2]"] option[selected]')!.text).toBe(
      'Using Competitive Solution',
    );
    expect(doc.querySelector('[data-confidence]')!.text).toBe('High confidence');
    expect(doc.querySelector('[data-chip-note]')).toBeNull();
  });

  it('§6 (issue point 2): the top three alternatives with their probabilities are there on request (a closed <details>)', async () => {
    const res = await json('Waiting for the network upgrade before we can migrate mailboxes');
    expect(res.body.alternatives).toHaveLength(3);
    for (const a of res.body.alternatives)
      expect(a).toEqual({ l1: expect.any(String), l2: expect.any(String), l3: '', probability: expect.any(Number) });
    const doc = html(
      (await suggestRow({ l1: '', note: 'Waiting for the network upgrade before we can migrate mailboxes' })).text,
    );
    const details = doc.querySelector('details[data-alternatives]')!;
    expect(details.hasAttribute('open')).toBe(false);
    expect(details.querySelector('summary')!.text).toBe('Top 3 suggestions');
    const items = details.querySelectorAll('li');
    expect(items).toHaveLength(3);
    expect(items[0].text).toMatch(/^Blocked \/ Customer IT Infrastructure and Remediation — \d+%$/);
  });

  it('the suggestion is the learned model’s: "legal restrictions for data residency" is Blocked / Legal/Regulatory', async () => {
    expect((await json('legal restrictions for data residency')).body).toMatchObject({
      l1: 'Blocked',
      l2: 'Legal/Regulatory',
    });
  });

  it('returns a full page without htmx', async () => {
    const res = await ava$.agent
      .post('/suggest')
      .type('form')
      .send({ text: 'No response from the IT lead', _csrf: ava$.csrf });
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<html/i);
    expect(html(res.text).querySelector('[data-confidence]')).not.toBeNull();
  });

  it('is a POST protected by CSRF (403 without the token) and needs a signed-in user', async () => {
    expect((await ava$.agent.post('/suggest').type('form').send({ text: 'x' })).status).toBe(403);
    const anon = request.agent(t.app);
    const csrf = csrfFrom((await anon.get('/login')).text);
    expect((await anon.post('/suggest').type('form').send({ text: 'x', _csrf: csrf })).status).toBe(302);
  });

  it('GET /suggest/options offers only the children of the chosen L1 and keeps a valid L2', async () => {
    const res = await hx(ava$.agent.get('/suggest/options')).query({
      row: '1',
      'statuses[1][l1]': 'No Intent',
      'statuses[1][l2]': 'Migration',
    });
    expect(res.status).toBe(200);
    const doc = html(res.text);
    const l2s = doc.querySelectorAll('select[name="statuses[1][l2]"] option').map((o) => o.getAttribute('value'));
    expect(l2s).toEqual([
      '',
      'Using Competitive Solution',
      'Using Microsoft On-Premises Solution',
      'Executive Sponsorship',
    ]);
    // Migration is not a child of No Intent, so nothing is selected
    expect(doc.querySelector('select[name="statuses[1][l2]"] option[selected]')).toBeNull();
    const plain = await ava$.agent.get('/suggest/options?l1=Blocked&l2=Legal%2FRegulatory');
    expect(html(plain.text).querySelector('select[name="statuses[0][l2]"] option[selected]')!.text).toBe(
      'Legal/Regulatory',
    );
  });

  it('sits behind the Suggester interface (a learned model can replace it)', () => {
    const s = learnedSuggester.suggest('They use Slack and will not switch to Teams', { service: 'TEAMS' });
    expect(s).toMatchObject({ l1: 'No Intent', l2: 'Using Competitive Solution', confidence: 'high' });
  });
});
