import type { Knex } from 'knex';
import { NOTES_FTS_COLUMNS, NOTES_FTS_TRIGGER } from '../../migrations/sqlite';
import { kindOf } from './db';

/**
 * A bulk load's notes are indexed for search in one statement at its end instead of one trigger call
 * per note (the import writes up to 1.5 million notes; FTS5 builds its segments far faster from one
 * INSERT … SELECT). Inside the load's transaction the trigger is dropped and, after `load`, the new
 * notes are indexed and the trigger is created again, so the commit publishes both at once and a
 * rollback restores the trigger. Other connections never see the database without its trigger.
 */
export async function withNotesIndexedAtEnd<T>(trx: Knex.Transaction, load: () => Promise<T>): Promise<T> {
  // PostgreSQL indexes each note through its generated search_vector column (migrations/postgres.ts).
  if (kindOf(trx) === 'postgres') return load();
  const [{ last }] = (await trx.raw('SELECT coalesce(max(id), 0) AS last FROM notes')) as { last: number }[];
  await trx.raw('DROP TRIGGER notes_fts_insert');
  const result = await load();
  await trx.raw(
    `INSERT INTO notes_fts(rowid, ${NOTES_FTS_COLUMNS}) SELECT id, ${NOTES_FTS_COLUMNS} FROM notes WHERE id > ?`,
    [last],
  );
  await trx.raw(NOTES_FTS_TRIGGER);
  return result;
}
