import type { Knex } from 'knex';
import { ddl } from './ddl';

/**
 * Search matches word stems (issue: "'migrat' finds 'migration', 'migrating'"): the notes index is rebuilt
 * with English stems (SQLite: the Porter stemmer in front of unicode61). The index is derived data, so
 * down() rebuilds the plain one.
 */
export async function up(knex: Knex): Promise<void> {
  await ddl(knex).dropNotesSearch();
  await ddl(knex).createNotesSearch(true);
}

export async function down(knex: Knex): Promise<void> {
  await ddl(knex).dropNotesSearch();
  await ddl(knex).createNotesSearch(false);
}
