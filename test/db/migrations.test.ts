import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb } from '../../src/db/db';

describe('migrations', () => {
  it('go up, down to nothing, and up again on a fresh database', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ftop-mig-')), 'm.sqlite3');
    const db = createDb(`sqlite:${file}`);
    try {
      const [, up1] = await db.migrate.latest();
      expect(up1.length).toBeGreaterThanOrEqual(8);
      const tables = async () =>
        (
          await db.raw(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'knex_%' AND name NOT LIKE 'sqlite_%'",
          )
        )
          .map((r: { name: string }) => r.name)
          .sort();
      const afterUp = await tables();
      expect(afterUp).toEqual(
        expect.arrayContaining(['tenants', 'notes', 'notes_fts', 'assignment_scopes', 'sessions']),
      );

      const [, down] = await db.migrate.rollback(undefined, true);
      expect(down).toHaveLength(up1.length);
      expect((await tables()).filter((t: string) => !t.startsWith('notes_fts'))).toEqual([]);

      await db.migrate.latest();
      expect(await tables()).toEqual(afterUp);
      // 014: "my P- assignments" (src/auth/scope.ts) read from a covering index.
      const plan = (await db.raw(
        'EXPLAIN QUERY PLAN SELECT tenant_id FROM assignments WHERE assignee_user_id = 1 AND is_partner_type = 1',
      )) as { detail: string }[];
      expect(plan.map((r) => r.detail).join(' ')).toContain('COVERING INDEX assignments_user_partner_tenant');
      expect((await db('services').count({ n: '*' }))[0].n).toBe(21);
    } finally {
      await db.destroy();
    }
  });

  it('sets WAL, foreign keys, synchronous=FULL and a busy timeout on the connection', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ftop-mig-')), 'p.sqlite3');
    const db = createDb(`sqlite:${file}`);
    try {
      expect((await db.raw('PRAGMA journal_mode'))[0].journal_mode).toBe('wal');
      expect((await db.raw('PRAGMA foreign_keys'))[0].foreign_keys).toBe(1);
      expect((await db.raw('PRAGMA synchronous'))[0].synchronous).toBe(2);
      expect((await db.raw('PRAGMA busy_timeout'))[0].timeout).toBe(5000);
    } finally {
      await db.destroy();
    }
  });
});
