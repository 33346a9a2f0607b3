import type { Knex } from 'knex';
import type { Ddl } from './ddl';
import { createScopedNotesFts, dropScopedNotesFts } from './sqlite-search-scope';

/**
 * The SQLite DDL behind migrations/ddl.ts: partial indexes, append-only triggers, the FTS5 index over
 * notes. migrations/postgres.ts implements the same interface.
 */
export function sqliteDdl(knex: Knex): Ddl {
  return {
    isTrue: (column) => `${column} = 1`,
    isFalse: (column) => `${column} = 0`,
    forwardReferences: true,
    addUserReferences: async () => undefined,
    dropUserReferences: async () => undefined,
    uniqueIndex: (name, table, columns, where) => uniqueIndex(knex, name, table, columns, where),
    appendOnly: (table, message, ops) => appendOnly(knex, table, message, ops),
    async dropAppendOnly(table) {
      for (const op of ['update', 'delete']) await knex.raw(`DROP TRIGGER IF EXISTS ${table}_no_${op}`);
    },
    async refuseInsert(name, table, condition, message) {
      await knex.raw(`CREATE TRIGGER ${name} BEFORE INSERT ON ${table}
    WHEN ${condition}
    BEGIN SELECT RAISE(ABORT, '${message}'); END`);
    },
    createNotesSearch: (stemmed) => createNotesFts(knex, stemmed ? NOTES_FTS_STEMMED : NOTES_FTS_PLAIN),
    dropNotesSearch: () => dropNotesFts(knex),
    async scopeNotesSearch() {
      await dropNotesFts(knex);
      await createScopedNotesFts(knex, NOTES_FTS_STEMMED);
    },
    async unscopeNotesSearch() {
      await dropScopedNotesFts(knex);
      await createNotesFts(knex, NOTES_FTS_STEMMED);
    },
    createPhaseHistoryTrigger: () => createPhaseHistoryTrigger(knex),
    dropPhaseHistoryTrigger: () => dropPhaseHistoryTrigger(knex),
  };
}

/** A unique index, optionally partial (WHERE) — used for V-64 "one primary per (tenant, scope, type)". */
async function uniqueIndex(knex: Knex, name: string, table: string, columns: string, where?: string): Promise<void> {
  await knex.raw(`CREATE UNIQUE INDEX ${name} ON ${table} (${columns})${where ? ` WHERE ${where}` : ''}`);
}

/** Refuses UPDATE and/or DELETE on an append-only table with a constraint error naming the rule. */
async function appendOnly(
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
const NOTES_FTS_COLUMNS = 'body_text, next_action, search_tenant, search_services';

/** The trigger that indexes each new note (also re-created by src/db/notes-fts.ts after a bulk load). */
const NOTES_FTS_TRIGGER = `CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes BEGIN
       INSERT INTO notes_fts(rowid, ${NOTES_FTS_COLUMNS})
       VALUES (new.id, new.body_text, new.next_action, new.search_tenant, new.search_services);
     END`;

/**
 * FTS5 external-content index over notes: body text, next action, tenant name and service names
 * (DOMAIN.md §5.12.4). Notes are immutable, so only an insert trigger is needed.
 */
async function createNotesFts(knex: Knex, tokenize = NOTES_FTS_PLAIN): Promise<void> {
  await knex.raw(
    `CREATE VIRTUAL TABLE notes_fts USING fts5(${NOTES_FTS_COLUMNS},
       content='notes', content_rowid='id', tokenize='${tokenize}')`,
  );
  await knex.raw(NOTES_FTS_TRIGGER);
  // Index the notes already stored (none when the table is new).
  await knex.raw(`INSERT INTO notes_fts(notes_fts) VALUES ('rebuild')`);
}

/** The first tokenizer: words only. */
const NOTES_FTS_PLAIN = 'unicode61 remove_diacritics 2';
/** English word stems ('migrating' and 'migration' both index as 'migrat'), DOMAIN.md §5.12.4. */
const NOTES_FTS_STEMMED = 'porter unicode61 remove_diacritics 2';

async function dropNotesFts(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS notes_fts_insert');
  await knex.raw('DROP TABLE IF EXISTS notes_fts');
}

/**
 * Service phase history (DOMAIN.md §5.7.2): every change of tenant_services.phase, whoever writes it (the
 * Status tab, the import, an administrator), leaves one row in the same transaction. The row takes the
 * update's own who-and-when stamp; an update that does not stamp the row is recorded as now, by nobody.
 */
async function createPhaseHistoryTrigger(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TRIGGER tenant_services_phase_history AFTER UPDATE OF phase ON tenant_services
     WHEN old.phase IS NOT new.phase
     BEGIN
       INSERT INTO service_phase_history (tenant_service_id, old_phase, new_phase, changed_by, changed_at)
       VALUES (new.id, old.phase, new.phase,
         CASE WHEN new.updated_at IS old.updated_at THEN NULL ELSE new.updated_by END,
         CASE WHEN new.updated_at IS old.updated_at THEN strftime('%Y-%m-%dT%H:%M:%fZ', 'now') ELSE new.updated_at END);
     END`);
}

async function dropPhaseHistoryTrigger(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS tenant_services_phase_history');
}
