import type { Knex } from 'knex';
import type { Ddl } from './ddl';

/**
 * PostgreSQL DDL behind the same interface as migrations/sqlite.ts: triggers call PL/pgSQL functions,
 * notes are searched through a stored tsvector column with a GIN index (src/features/notes/notes-search.pg.ts).
 */
export function postgresDdl(knex: Knex): Ddl {
  const refuse = async () =>
    knex.raw(`CREATE OR REPLACE FUNCTION ftop_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'integrity_constraint_violation'; END $$`);
  return {
    isTrue: (column) => column,
    isFalse: (column) => `NOT ${column}`,
    forwardReferences: false,
    async addUserReferences(table) {
      for (const column of ['created_by', 'updated_by'])
        await knex.raw(
          `ALTER TABLE ${table} ADD CONSTRAINT ${table}_${column}_foreign FOREIGN KEY (${column}) REFERENCES users (id)`,
        );
    },
    async dropUserReferences(table) {
      for (const column of ['created_by', 'updated_by'])
        await knex.raw(`ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${table}_${column}_foreign`);
    },
    async uniqueIndex(name, table, columns, where) {
      await knex.raw(`CREATE UNIQUE INDEX ${name} ON ${table} (${columns})${where ? ` WHERE ${where}` : ''}`);
    },
    async appendOnly(table, message, ops = ['UPDATE', 'DELETE']) {
      await refuse();
      for (const op of ops)
        await knex.raw(
          `CREATE TRIGGER ${table}_no_${op.toLowerCase()} BEFORE ${op} ON ${table} FOR EACH ROW EXECUTE FUNCTION ftop_refuse('${message.replace(/'/g, "''")}')`,
        );
    },
    async dropAppendOnly(table) {
      for (const op of ['update', 'delete']) await knex.raw(`DROP TRIGGER IF EXISTS ${table}_no_${op} ON ${table}`);
    },
    async refuseInsert(name, table, condition, message, lock) {
      await knex.raw(`CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          ${lock ? `${lock};` : ''}
          IF ${condition} THEN RAISE EXCEPTION '${message}' USING ERRCODE = 'integrity_constraint_violation'; END IF;
          RETURN NEW;
        END $$`);
      await knex.raw(`CREATE TRIGGER ${name} BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION ${name}()`);
    },
    async createNotesSearch(stemmed) {
      const config = stemmed ? 'english' : 'simple';
      const part = (column: string, weight: string) =>
        `setweight(to_tsvector('${config}', coalesce(${column}, '')), '${weight}')`;
      await knex.raw(`ALTER TABLE notes ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        ${part('body_text', 'A')} || ${part('next_action', 'B')} || ${part('search_tenant', 'C')} || ${part('search_services', 'C')}
      ) STORED`);
      await knex.raw('CREATE INDEX notes_search_vector ON notes USING gin (search_vector)');
    },
    // Search on PostgreSQL starts from the user's tenants (src/features/notes/notes-search.pg.ts).
    scopeNotesSearch: async () => undefined,
    unscopeNotesSearch: async () => undefined,
    async dropNotesSearch() {
      await knex.raw('DROP INDEX IF EXISTS notes_search_vector');
      await knex.raw('ALTER TABLE notes DROP COLUMN IF EXISTS search_vector');
    },
    async createPhaseHistoryTrigger() {
      await knex.raw(`CREATE OR REPLACE FUNCTION tenant_services_phase_history() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO service_phase_history (tenant_service_id, old_phase, new_phase, changed_by, changed_at)
          VALUES (NEW.id, OLD.phase, NEW.phase,
            CASE WHEN NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN NULL ELSE NEW.updated_by END,
            CASE WHEN NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at
              THEN to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') ELSE NEW.updated_at END);
          RETURN NEW;
        END $$`);
      await knex.raw(`CREATE TRIGGER tenant_services_phase_history AFTER UPDATE OF phase ON tenant_services
        FOR EACH ROW WHEN (OLD.phase IS DISTINCT FROM NEW.phase) EXECUTE FUNCTION tenant_services_phase_history()`);
    },
    async dropPhaseHistoryTrigger() {
      await knex.raw('DROP TRIGGER IF EXISTS tenant_services_phase_history ON tenant_services');
      await knex.raw('DROP FUNCTION IF EXISTS tenant_services_phase_history()');
    },
  };
}
