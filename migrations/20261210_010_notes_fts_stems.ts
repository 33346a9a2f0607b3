import type { Knex } from 'knex';
import { createNotesFts, dropNotesFts, NOTES_FTS_PLAIN, NOTES_FTS_STEMMED } from './sqlite';

/**
 * Search matches word stems (issue: "'migrat' finds 'migration', 'migrating'"): notes_fts is rebuilt
 * with the Porter stemmer in front of unicode61. The index is derived data, so down() rebuilds the plain one.
 */
export async function up(knex: Knex): Promise<void> {
  await dropNotesFts(knex);
  await createNotesFts(knex, NOTES_FTS_STEMMED);
}

export async function down(knex: Knex): Promise<void> {
  await dropNotesFts(knex);
  await createNotesFts(knex, NOTES_FTS_PLAIN);
}
