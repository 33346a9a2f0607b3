import type { Knex } from 'knex';
import { SCOPED_FTS_COLUMNS, SCOPED_FTS_NOTE_TRIGGER } from '../../migrations/sqlite-search-scope';
import { kindOf } from './db';

/**
 * A bulk load's notes are indexed for search in one statement at its end instead of one trigger call
 * per note (the import writes up to 1.5 million notes; FTS5 builds its segments far faster from one
 * INSERT … SELECT). Inside the load's transaction the trigger is dropped and, after `load`, the new
 * notes are indexed (with their tenants' scope words as they are then, migrations/sqlite-search-scope.ts)
 * and the trigger is created again, so the commit publishes both at once and a rollback restores the
 * trigger. Other connections never see the database without its trigger. `notes_fts_bulk` tells the
 * assignment triggers that the notes after `last` are not indexed yet.
 */
export async function withNotesIndexedAtEnd<T>(trx: Knex.Transaction, load: () => Promise<T>): Promise<T> {
  // PostgreSQL indexes each note through its generated search_vector column (migrations/postgres.ts).
  if (kindOf(trx) === 'postgres') return load();
  const [{ last }] = (await trx.raw('SELECT coalesce(max(id), 0) AS last FROM notes')) as { last: number }[];
  await trx.raw('DROP TRIGGER notes_fts_insert');
  await trx.raw('INSERT INTO notes_fts_bulk (last_id) VALUES (?)', [last]);
  const result = await load();
  await trx.raw(
    `INSERT INTO notes_fts(rowid, ${SCOPED_FTS_COLUMNS}) SELECT id, ${SCOPED_FTS_COLUMNS} FROM notes_search_source WHERE id > ?`,
    [last],
  );
  await trx.raw('DELETE FROM notes_fts_bulk');
  await trx.raw(SCOPED_FTS_NOTE_TRIGGER);
  return result;
}
