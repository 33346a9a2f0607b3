import {
  PER_USER_CAP,
  TrainableRows,
  trainingFromRows,
  type CorrectionRow,
} from '../../src/features/suggest/corrections';
import { rebuildModel } from '../../src/features/suggest/suggest.model';
import { suggest } from '../../src/features/suggest/suggest.service';

/** Learning from corrections (DOMAIN.md §6; docs/decisions.md "Learning from corrections"). */
describe('Suggest corrections', () => {
  let id = 0;
  const row = (over: Partial<CorrectionRow>): CorrectionRow => ({
    id: ++id,
    note: 'budget freeze from finance, nothing before april',
    l1: 'Blocked',
    l2: 'Partner Engagement',
    suggested_l1: 'Blocked',
    suggested_l2: 'Legal/Regulatory',
    overridden: true,
    created_by: 1,
    updated_at: `2026-11-01T00:00:${String(id % 60).padStart(2, '0')}Z`,
    excluded: false,
    ...over,
  });

  afterAll(() => rebuildModel());

  it('retraining on corrections changes a prediction', () => {
    const text = 'budget freeze from finance, nothing before april';
    rebuildModel();
    const before = suggest(text);
    const target = before.l2 === 'Partner Engagement' ? 'Service Reliability' : 'Partner Engagement';
    const rows = [1, 2, 3].flatMap((user) =>
      [
        'budget freeze from finance, nothing before april',
        'finance budget freeze until april',
        'no budget from finance until the freeze ends',
      ].map((note) => row({ note, l2: target, created_by: user })),
    );
    const r = rebuildModel(trainingFromRows(rows));
    expect(r.corrections).toBe(9);
    expect(suggest(text)).toMatchObject({ l1: 'Blocked', l2: target });
    rebuildModel();
    expect(suggest(text)).toEqual(before);
  });

  it(`one user cannot flood the training set: at most ${PER_USER_CAP} rows per user, the newest`, () => {
    const flood = Array.from({ length: 50 }, (_, i) => row({ note: `customer network upgrade needed number ${i}` }));
    const other = [row({ created_by: 2, note: 'waiting on the new firewall before go live' })];
    const examples = trainingFromRows([...flood, ...other]);
    expect(examples).toHaveLength(PER_USER_CAP + 1);
    expect(examples.filter((e) => e.text.startsWith('customer network'))).toHaveLength(PER_USER_CAP);
    expect(examples.some((e) => e.text === 'customer network upgrade needed number 49')).toBe(true);
  });

  it('keeps, page by page, only the rows that can train: the same examples as from every row at once', () => {
    // Three users, rows in id order with their dates out of order, some that cannot train; pages of 7.
    const rows = Array.from({ length: 120 }, (_, i) =>
      row({
        created_by: i % 3 === 2 ? null : (i % 3) + 1,
        note: i % 10 === 0 ? 'too short' : `customer network upgrade needed number ${i}`,
        updated_at: `2026-11-${String(1 + ((i * 7) % 28)).padStart(2, '0')}T00:00:00Z`,
      }),
    );
    const kept = new TrainableRows();
    for (let i = 0; i < rows.length; i += 7) kept.add(rows.slice(i, i + 7));
    expect(kept.kept().length).toBeLessThan(2 * PER_USER_CAP * 3);
    expect(trainingFromRows(kept.kept())).toEqual(trainingFromRows(rows));
  });

  it('only notes of at least three words, with a taxonomy leaf, not excluded, train the model', () => {
    const examples = trainingFromRows([
      row({ note: 'too short' }),
      row({ note: 'a perfectly fine note here', excluded: true }),
      row({ note: 'deploying teams to everyone', l1: 'In Progress', l2: null }),
      row({ note: 'duplicate of the main tenant', l1: 'Duplicate/Invalid', l2: null }),
      row({ note: 'deploying teams to everyone', l1: 'In Progress', l2: 'Technical Onboarding and Deployment' }),
    ]);
    expect(examples.map((e) => e.label)).toEqual([
      'Duplicate/Invalid|',
      'In Progress|Technical Onboarding and Deployment',
    ]);
  });
});
