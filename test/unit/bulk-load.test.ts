import { kindOf, type Db } from '../../src/db/db';
import { withNotesIndexedAtEnd } from '../../src/db/notes-fts';
import { createTestDb, rawRows } from '../helpers/db';
import { createTenant } from '../helpers/factories';

/** The bulk-load helpers behind the import's write path: src/db/sql.ts (Deferred) and src/db/notes-fts.ts. */
describe('bulk loads', () => {
  let db: Db;
  beforeAll(async () => {
    ({ db } = await createTestDb());
  });
  afterAll(async () => {
    await db.destroy();
  });

  describe('withNotesIndexedAtEnd (SQLite)', () => {
    const hasIndex = async (trx: Db) =>
      (await rawRows(trx as Db, "SELECT name FROM sqlite_master WHERE name = 'notes_created_at_index'")).length === 1;

    it('sets the created_at index aside during a load expected to add many notes, and builds it again', async () => {
      if (kindOf(db) !== 'sqlite') return; // PostgreSQL keeps its indexes; nothing is set aside.
      let during: boolean | undefined;
      await db.transaction((trx) =>
        withNotesIndexedAtEnd(trx, { expectedNotes: 1_000 }, async () => {
          during = await hasIndex(trx);
        }),
      );
      expect(during).toBe(false);
      expect(await hasIndex(db)).toBe(true);
    });

    it('keeps the created_at index for a load small beside the stored notes', async () => {
      if (kindOf(db) !== 'sqlite') return;
      const tenant = await createTenant(db);
      let during: boolean | undefined;
      const rolledBack = db.transaction(async (trx) => {
        // 10,000 notes stored, as the largest id says (notes are never deleted); rolled back below.
        await trx('notes').insert({
          id: 10_000,
          tenant_id: tenant.id,
          category: 'Technical Enablement',
          body_html: '<p>x</p>',
          body_text: 'x',
          source_context: 'notes_editor',
          created_at: '2026-01-01T00:00:00.000Z',
        });
        await withNotesIndexedAtEnd(trx, { expectedNotes: 1_000 }, async () => {
          during = await hasIndex(trx);
        });
        throw new Error('roll back');
      });
      await expect(rolledBack).rejects.toThrow('roll back');
      expect(during).toBe(true);
    });

    it('a rollback brings the index and the search trigger back', async () => {
      if (kindOf(db) !== 'sqlite') return;
      await expect(
        db.transaction((trx) =>
          withNotesIndexedAtEnd(trx, { expectedNotes: 1_000 }, async () => {
            throw new Error('a problem in the file');
          }),
        ),
      ).rejects.toThrow('a problem in the file');
      expect(await hasIndex(db)).toBe(true);
      expect(await rawRows(db, "SELECT name FROM sqlite_master WHERE name = 'notes_fts_insert'")).toHaveLength(1);
    });
  });
});
