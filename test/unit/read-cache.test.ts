import Database from 'better-sqlite3';
import type { Db } from '../../src/db/db';
import { ReadCache } from '../../src/db/read-cache';
import { createTestDb, onPostgres } from '../helpers/db';

const ON_PG = onPostgres();

/**
 * The FRP view's read cache must never serve a result older than the data (src/db/read-cache.ts). It is a
 * SQLite cache (its generation is SQLite's change counters); on PostgreSQL it is off (decision 76), which
 * the last block checks instead.
 */
(ON_PG ? describe.skip : describe)('ReadCache (SQLite)', () => {
  let db: Db;
  let file: string;
  let loads: number;
  const count = async () => {
    loads++;
    return Number((await db('lookups').count({ n: '*' }))[0].n);
  };

  beforeEach(async () => {
    ({ db, file } = await createTestDb());
    loads = 0;
  });
  afterEach(() => db.destroy());

  it('serves a repeated read from memory while nothing changes', async () => {
    const cache = new ReadCache<number>();
    const first = await cache.get(db, 'k', count);
    expect(await cache.get(db, 'k', count)).toBe(first);
    expect(loads).toBe(1);
  });

  it('reloads after any write through the app’s connection', async () => {
    const cache = new ReadCache<number>();
    const first = await cache.get(db, 'k', count);
    await db('lookups').insert({ kind: 'segment', value: 'S9000', sort: 9, active: true, partner_selectable: true });
    expect(await cache.get(db, 'k', count)).toBe(first + 1);
    expect(loads).toBe(2);
  });

  it('reloads after a commit by another connection (the admin CLI)', async () => {
    const cache = new ReadCache<number>();
    const first = await cache.get(db, 'k', count);
    const other = new Database(file);
    other
      .prepare("INSERT INTO lookups (kind, value, sort, active, partner_selectable) VALUES ('segment', 'S42', 1, 1, 1)")
      .run();
    other.close();
    expect(await cache.get(db, 'k', count)).toBe(first + 1);
  });

  it('keeps keys apart and expires entries after the time limit', async () => {
    let now = 0;
    const cache = new ReadCache<number>(500, 1000, () => now);
    await cache.get(db, 'a', count);
    await cache.get(db, 'b', count);
    expect(loads).toBe(2);
    now = 1500;
    await cache.get(db, 'a', count);
    expect(loads).toBe(3);
  });

  it('holds entries up to a weight budget, dropping the oldest, and never one heavier than the budget', async () => {
    const cache = new ReadCache<number[]>(500, 60_000, Date.now, { weigh: (rows) => rows.length, max: 10 });
    const rows = (n: number) => async () => {
      loads++;
      return Array.from({ length: n }, (_, i) => i);
    };
    await cache.get(db, 'a', rows(4));
    await cache.get(db, 'b', rows(4));
    await cache.get(db, 'a', rows(4));
    expect(loads).toBe(2);
    await cache.get(db, 'c', rows(4)); // 12 rows > 10: 'a', the oldest, goes
    await cache.get(db, 'b', rows(4));
    expect(loads).toBe(3);
    await cache.get(db, 'a', rows(4));
    expect(loads).toBe(4);
    await cache.get(db, 'huge', rows(11));
    await cache.get(db, 'huge', rows(11));
    expect(loads).toBe(6);
  });

  it('never shares entries between two databases', async () => {
    const cache = new ReadCache<number>();
    const { db: other } = await createTestDb();
    await other('lookups').del();
    const mine = await cache.get(db, 'k', count);
    const theirs = await cache.get(other, 'k', async () => Number((await other('lookups').count({ n: '*' }))[0].n));
    expect(theirs).toBe(0);
    expect(mine).toBeGreaterThan(0);
    await other.destroy();
  });
});

(ON_PG ? describe : describe.skip)('ReadCache on PostgreSQL (off: several instances share the database)', () => {
  it('loads every time, so another instance’s write is seen at once', async () => {
    const { db } = await createTestDb();
    try {
      let loads = 0;
      const cache = new ReadCache<number>();
      const count = async () => {
        loads++;
        return Number((await db('lookups').count({ n: '*' }))[0].n);
      };
      const first = await cache.get(db, 'k', count);
      expect(await cache.get(db, 'k', count)).toBe(first);
      expect(loads).toBe(2);
    } finally {
      await db.destroy();
    }
  });
});
