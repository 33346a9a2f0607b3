import type { Knex } from 'knex';

/**
 * The SQLite-specific DDL, kept in one place so a PostgreSQL backend only has to replace this module:
 * partial and expression indexes, append-only triggers, the FTS5 index over notes.
 */

/** A unique index, optionally partial (WHERE) — used for V-64 "one primary per (tenant, scope, type)". */
export async function uniqueIndex(
  knex: Knex,
  name: string,
  table: string,
  columns: string,
  where?: string,
): Promise<void> {
  await knex.raw(`CREATE UNIQUE INDEX ${name} ON ${table} (${columns})${where ? ` WHERE ${where}` : ''}`);
}

/** Refuses UPDATE and/or DELETE on an append-only table with a constraint error naming the rule. */
export async function appendOnly(
  knex: Knex,
  table: string,
  message: string,
  ops: ('UPDATE' | 'DELETE')[] = ['UPDATE', 'DELETE'],
): Promise<void> {
  for (const op of ops) {
    await knex.raw(
      `CREATE TRIGGER ${table}_no_${op.toLowerCase()} BEFORE ${op} ON ${table} BEGIN SELECT RAISE(ABORT, '${message}'); END`,
    );
  }
}

/** The columns of notes that notes_fts indexes, in its order. */
export const NOTES_FTS_COLUMNS = 'body_text, next_action, search_tenant, search_services';

/** The trigger that indexes each new note (also re-created by src/db/notes-fts.ts after a bulk load). */
export const NOTES_FTS_TRIGGER = `CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes BEGIN
       INSERT INTO notes_fts(rowid, ${NOTES_FTS_COLUMNS})
       VALUES (new.id, new.body_text, new.next_action, new.search_tenant, new.search_services);
     END`;

/**
 * FTS5 external-content index over notes: body text, next action, tenant name and service names
 * (DOMAIN.md §5.12.4). Notes are immutable, so only an insert trigger is needed.
 */
export async function createNotesFts(knex: Knex): Promise<void> {
  await knex.raw(
    `CREATE VIRTUAL TABLE notes_fts USING fts5(${NOTES_FTS_COLUMNS},
       content='notes', content_rowid='id', tokenize='unicode61 remove_diacritics 2')`,
  );
  await knex.raw(NOTES_FTS_TRIGGER);
}

export async function dropNotesFts(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS notes_fts_insert');
  await knex.raw('DROP TABLE IF EXISTS notes_fts');
}
