import type { Db } from '../../src/db/db';
import { idleSqliteConnection, readRow, readRows, withSql } from '../../src/db/sql';
import { kindOf } from '../../src/db/db';
import { dollarPlaceholders } from '../../src/db/sql-postgres';
import { createTestDb } from '../helpers/db';
import { describeOnPostgres } from '../helpers/pg';

/** `withSql`: the short statements of every signed-in request (session, user), on both databases. */
describe('withSql', () => {
  let db: Db;
  beforeAll(async () => {
    ({ db } = await createTestDb());
  });
  afterAll(() => db.destroy());

  it('numbers the placeholders for PostgreSQL, leaving a quoted question mark alone', () => {
    expect(dollarPlaceholders("SELECT a FROM t WHERE x = ? AND y = '?' AND z IN (?, ?)")).toBe(
      "SELECT a FROM t WHERE x = $1 AND y = '?' AND z IN ($2, $3)",
    );
    expect(dollarPlaceholders("SELECT 'it''s ?' WHERE a = ?")).toBe("SELECT 'it''s ?' WHERE a = $1");
  });

  it('reads and writes with bound values, the same statement again and again', async () => {
    const expires = new Date(Date.now() + 60_000).toISOString();
    await withSql(db, (sql) =>
      sql.run('INSERT INTO sessions (sid, sess, expired) VALUES (?, ?, ?)', ['with-sql', '{"a":1}', expires]),
    );
    for (let i = 0; i < 3; i++) {
      const row = await withSql(db, (sql) =>
        sql.get<{ sess: unknown }>('SELECT sess FROM sessions WHERE sid = ? AND expired >= ?', [
          'with-sql',
          new Date().toISOString(),
        ]),
      );
      const sess = typeof row?.sess === 'string' ? JSON.parse(row.sess) : row?.sess;
      expect(sess).toEqual({ a: 1 });
    }
    const gone = await withSql(db, (sql) => sql.run('DELETE FROM sessions WHERE sid = ?', ['with-sql']));
    expect(gone.changes).toBe(1);
  });

  describe('readRow and readRows (one read on its own)', () => {
    const expired = new Date(Date.now() + 60_000).toISOString();
    const session = (sid: string) => ({ sid, sess: '{}', expired });
    const sids = (sid: string) => readRows<{ sid: string }>(db, 'SELECT sid FROM sessions WHERE sid = ?', [sid]);

    it('read at once on the idle SQLite connection (none on PostgreSQL), with bound values', async () => {
      expect(idleSqliteConnection(db) !== undefined).toBe(kindOf(db) === 'sqlite');
      await db('sessions').insert(session('read-now'));
      expect(await sids('read-now')).toEqual([{ sid: 'read-now' }]);
      expect(await readRow<{ n: number }>(db, 'SELECT count(*) AS n FROM sessions WHERE sid = ?', ['nobody'])).toEqual({
        n: 0,
      });
      expect(await readRow(db, 'SELECT sid FROM sessions WHERE sid = ?', ['nobody'])).toBeUndefined();
    });

    it("never read inside another request's open transaction: they wait for it and see only what it committed", async () => {
      const trx = await db.transaction();
      await trx('sessions').insert(session('uncommitted'));
      // On SQLite the transaction holds the pool's one connection: no idle connection, the read waits.
      expect(idleSqliteConnection(db)).toBeUndefined();
      const during = sids('uncommitted');
      await trx.rollback();
      expect(await during).toEqual([]);
    });

    it('a failing statement is a rejected promise, not an exception thrown at the caller', async () => {
      const read = readRow(db, 'SELECT x FROM no_such_table');
      await expect(read).rejects.toMatchObject({ message: expect.stringMatching(/no such table|does not exist/) });
    });
  });

  describeOnPostgres('on PostgreSQL', () => {
    it('prepares each statement once per connection, under a name', async () => {
      const names = await withSql(db, async (sql) => {
        await sql.get('SELECT count(*) AS n FROM users WHERE id > ?', [0]);
        await sql.get('SELECT count(*) AS n FROM users WHERE id > ?', [1]);
        return (await sql.all<{ name: string }>('SELECT name FROM pg_prepared_statements')).map((r) => r.name);
      });
      expect(names.filter((n) => n.startsWith('ftop_')).length).toBeGreaterThanOrEqual(1);
    });
  });
});
