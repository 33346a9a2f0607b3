import type { Knex } from 'knex';
import {
  ASSIGNMENT_SCOPE_TRIGGER_NAMES,
  ASSIGNMENT_SCOPE_TRIGGERS,
  reconcileScopes,
  SCOPED_FTS_COLUMNS,
  SCOPED_FTS_NOTE_TRIGGER,
} from '../../migrations/sqlite-search-scope';
import { kindOf } from './db';

/** FTS5's in-memory term buffer per transaction: its default, and what a bulk load's indexing uses. */
const DEFAULT_HASH_SIZE = 1024 * 1024;
const BULK_HASH_SIZE = 32 * 1024 * 1024;

/** The index of notes by created_at alone: the one whose keys a load inserts in random order. */
const CREATED_AT_INDEX = 'notes_created_at_index';

/**
 * A bulk load's notes are indexed for search in one statement at its end instead of one trigger call
 * per note (the import writes up to 1.5 million notes; FTS5 builds its segments far faster from one
 * INSERT … SELECT). Inside the load's transaction the trigger is dropped and, after `load`, the new
 * notes are indexed (with their tenants' scope words as they are then, migrations/sqlite-search-scope.ts)
 * and the trigger is created again, so the commit publishes both at once and a rollback restores the
 * trigger. Other connections never see the database without its trigger. `notes_fts_bulk` tells the
 * assignment triggers that the notes after `last` are not indexed yet.
 *
 * A load expected to add at least half as many notes as are stored (`expectedNotes`) also sets the
 * created_at index aside the same way and builds it again at the end: an import's notes come in random
 * created_at order, and once that index outgrows the page cache each insert touches a leaf page of its
 * own. Building it from sorted keys is cheaper than that (1.48 million notes: 17.9 s of inserts with
 * the index, 9.6 s without it plus 2.1 s to build it; docs/decisions.md 110). Such a load also sets the
 * assignment triggers of the search scope aside and brings every tenant's scope words up to date in one
 * pass at the end (reconcileScopes; decision 113). A small load into a large database keeps the index
 * and the triggers: a rebuild or a pass over every tenant would cost more than the load.
 */
export async function withNotesIndexedAtEnd<T>(
  trx: Knex.Transaction,
  opts: { expectedNotes?: number },
  load: () => Promise<T>,
): Promise<T> {
  // PostgreSQL indexes each note through its generated search_vector column (migrations/postgres.ts).
  if (kindOf(trx) === 'postgres') return load();
  const [{ last }] = (await trx.raw('SELECT coalesce(max(id), 0) AS last FROM notes')) as { last: number }[];
  // Notes are never deleted (V-76), so the largest id is about the number stored.
  const large = (opts.expectedNotes ?? 0) * 2 >= last;
  const [index] = large
    ? ((await trx.raw("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", [CREATED_AT_INDEX])) as {
        sql: string;
      }[])
    : [];
  await trx.raw('DROP TRIGGER notes_fts_insert');
  if (index) await trx.raw(`DROP INDEX ${CREATED_AT_INDEX}`);
  if (large) for (const name of ASSIGNMENT_SCOPE_TRIGGER_NAMES) await trx.raw(`DROP TRIGGER ${name}`);
  await trx.raw('INSERT INTO notes_fts_bulk (last_id) VALUES (?)', [last]);
  const result = await load();
  if (index) await trx.raw(index.sql);
  if (large) {
    await reconcileScopes(trx, last);
    for (const trigger of ASSIGNMENT_SCOPE_TRIGGERS) await trx.raw(trigger);
  }
  // FTS5 gathers terms in memory and writes a segment each time they pass `hashsize` (1 MiB by default),
  // merging segments as it goes; with 32 MiB, one million notes index in 4.8 s instead of 7.4 (5 segments
  // left instead of 11). The setting is stored with the index, so it goes back to the default after.
  if (large) await trx.raw(`INSERT INTO notes_fts(notes_fts, rank) VALUES ('hashsize', ${BULK_HASH_SIZE})`);
  await trx.raw(
    `INSERT INTO notes_fts(rowid, ${SCOPED_FTS_COLUMNS}) SELECT id, ${SCOPED_FTS_COLUMNS} FROM notes_search_source WHERE id > ?`,
    [last],
  );
  if (large) await trx.raw(`INSERT INTO notes_fts(notes_fts, rank) VALUES ('hashsize', ${DEFAULT_HASH_SIZE})`);
  await trx.raw('DELETE FROM notes_fts_bulk');
  await trx.raw(SCOPED_FTS_NOTE_TRIGGER);
  return result;
}
