import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createDb, type Db } from '../../src/db/db';
import { withBulkJournal } from '../../src/db/bulk-journal';

/** src/db/bulk-journal.ts: bulk loads write pages once when they are alone, and never take WAL away from a running portal. */
describe('bulk loads and the journal mode', () => {
  let dir: string;
  let db: Db;
  const mode = async () => ((await db.raw('PRAGMA journal_mode')) as { journal_mode: string }[])[0].journal_mode;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ftop-journal-'));
    db = createDb(`sqlite:${path.join(dir, 'db.sqlite3')}`);
    await db.raw('CREATE TABLE t (x INTEGER)');
  });
  afterEach(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('alone on the database: loads with a rollback journal, then is back in WAL', async () => {
    expect(await mode()).toBe('wal');
    const during = await withBulkJournal(db, async () => {
      await db.transaction((trx) => trx('t').insert({ x: 1 }));
      return mode();
    });
    expect(during).toBe('truncate');
    expect(await mode()).toBe('wal');
    expect(await db('t').count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('with another connection open (a running portal): keeps WAL, and the other connection reads throughout', async () => {
    const portal = new Database(path.join(dir, 'db.sqlite3'));
    portal.prepare('SELECT count(*) FROM t').get(); // a portal that has served a page holds the WAL open
    try {
      const during = await withBulkJournal(db, async () => {
        await db.transaction(async (trx) => {
          await trx('t').insert({ x: 1 });
          // The portal still reads the committed state while the load's transaction is open.
          expect(portal.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 0 });
        });
        return mode();
      });
      expect(during).toBe('wal');
      expect(portal.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 1 });
    } finally {
      portal.close();
    }
  });

  it('a load that fails is rolled back and leaves the database in WAL', async () => {
    await expect(
      withBulkJournal(db, () =>
        db.transaction(async (trx) => {
          await trx('t').insert({ x: 1 });
          throw new Error('bad file');
        }),
      ),
    ).rejects.toThrow('bad file');
    expect(await mode()).toBe('wal');
    expect(await db('t').count({ n: '*' })).toEqual([{ n: 0 }]);
  });
});
