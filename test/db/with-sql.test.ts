import type { Db } from '../../src/db/db';
import { withSql } from '../../src/db/sql';
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
