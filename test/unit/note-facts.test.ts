import { NoteFacts, type NoteFact } from '../../src/features/notes/note-facts';

const fact = (id: number, over: Partial<NoteFact> = {}): NoteFact => ({
  id,
  category: 'Engagement Management',
  escalated: false,
  legacy: false,
  tenantId: 7,
  authorId: null,
  nextDate: null,
  createdAt: '2026-11-01T10:00:00.000Z',
  services: '',
  ...over,
});

/** note-facts.ts: the facet columns of immutable notes, read once per note, by id. */
describe('NoteFacts', () => {
  function store(facts: NoteFact[]) {
    const asked: number[][] = [];
    const byId = new Map(facts.map((f) => [f.id, f]));
    const s = new NoteFacts(async (ids) => {
      asked.push([...ids]);
      return ids.flatMap((id) => byId.get(id) ?? []);
    });
    return { s, asked };
  }

  it('reads each note once and returns the facts in the order asked, with the ranks given', async () => {
    const { s, asked } = store([
      fact(1, { category: 'Service Intent', escalated: true, services: 'EXO,SPO', authorId: 4 }),
      fact(2, { legacy: true, nextDate: '2026-12-03', tenantId: 9 }),
    ]);
    const first = await s.candidates([2, 1], [-2, -5]);
    expect(first).toEqual([
      {
        id: 2,
        category: 'Engagement Management',
        escalated: false,
        legacy: true,
        tenantId: 9,
        authorId: null,
        nextDate: '2026-12-03',
        createdMs: Date.parse('2026-11-01T10:00:00.000Z'),
        services: '',
        rank: -2,
      },
      expect.objectContaining({
        id: 1,
        category: 'Service Intent',
        escalated: true,
        services: 'EXO,SPO',
        authorId: 4,
        rank: -5,
      }),
    ]);
    expect(await s.candidates([1, 2])).toEqual([first[1], first[0]].map((c) => ({ ...c, rank: 0 })));
    expect(asked).toEqual([[2, 1]]);
  });

  it('asks only for the notes it has not seen, and leaves out ids that do not exist', async () => {
    const { s, asked } = store([fact(1), fact(3)]);
    await s.candidates([1]);
    expect((await s.candidates([1, 2, 3])).map((c) => c.id)).toEqual([1, 3]);
    expect(asked).toEqual([[1], [2, 3]]);
  });

  it('grows with the ids and holds very large ids apart', async () => {
    const far = 20_000_000;
    const { s } = store([fact(5000, { tenantId: 3 }), fact(far, { tenantId: 4, services: 'TEAMS' })]);
    const found = await s.candidates([far, 5000]);
    expect(found.map((c) => [c.id, c.tenantId, c.services])).toEqual([
      [far, 4, 'TEAMS'],
      [5000, 3, ''],
    ]);
    expect(s.size().notes).toBe(2);
    expect(s.size().bytes).toBeLessThan(200_000);
  });
});
