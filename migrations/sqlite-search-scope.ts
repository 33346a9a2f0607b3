import type { Knex } from 'knex';

/**
 * The notes index (FTS5) with a fifth column, `scope`: the words a note's tenant is visible by, so that a
 * search asks FTS5 for the words *and* the user's scope in one match (src/features/notes/notes-search.fts5.ts)
 * instead of checking every match against a set of note ids. Derived from the assignments as the
 * visibility rule reads them (src/auth/scope.ts `grants`):
 * - `o<org id>` for each org holding a P-RM on the tenant (a partner's org, an internal user's managed orgs);
 * - `u<user id>` for each user holding a partner-type assignment on it.
 * The rule itself still decides: search keeps only the matches whose tenant `whereTenantVisible` allows.
 *
 * `tenant_search_scope` holds each tenant's words as the index has them. Triggers keep both in step in
 * the writer's transaction: a new note is indexed with its tenant's words; an assignment written,
 * changed or removed re-indexes the notes of its tenant when the tenant's words change. While a bulk load
 * defers indexing its notes (src/db/notes-fts.ts), `notes_fts_bulk` holds the last note id indexed before
 * it, and the re-indexing leaves the newer notes to the load's own indexing at its end.
 */

/** The columns of notes_fts after migration 015, in order; the scope column comes from the source view. */
export const SCOPED_FTS_COLUMNS = 'body_text, next_action, search_tenant, search_services, scope';

/** A tenant's scope words (sorted, space-separated; '' when no one holds it), for the tenant id `t`. */
const tokens = (t: string) => `(SELECT coalesce(group_concat(tok, ' '), '') FROM (
    SELECT 'o' || org_id AS tok FROM assignments WHERE tenant_id = ${t} AND type = 'P-RM' AND org_id IS NOT NULL
    UNION SELECT 'u' || assignee_user_id FROM assignments WHERE tenant_id = ${t} AND is_partner_type = 1
    ORDER BY 1))`;

/** The indexed words of the notes of tenant `t`, as the index has them now. */
const indexed = (t: string) => `coalesce((SELECT tokens FROM tenant_search_scope WHERE tenant_id = ${t}), '')`;

/** Notes of tenant `t` whose index entry is current (not left to a running bulk load), when its words change. */
const stale = (t: string) => `FROM notes n WHERE n.tenant_id = ${t}
    AND n.id <= coalesce((SELECT last_id FROM notes_fts_bulk), n.id)
    AND ${indexed(t)} <> ${tokens(t)}`;

/** Re-indexes the notes of tenant `t` with its new words, then records them. */
const reindex = (t: string) => `
    INSERT INTO notes_fts(notes_fts, rowid, ${SCOPED_FTS_COLUMNS})
      SELECT 'delete', n.id, n.body_text, n.next_action, n.search_tenant, n.search_services, ${indexed(t)} ${stale(t)};
    INSERT INTO notes_fts(rowid, ${SCOPED_FTS_COLUMNS})
      SELECT n.id, n.body_text, n.next_action, n.search_tenant, n.search_services, ${tokens(t)} ${stale(t)};
    DELETE FROM tenant_search_scope WHERE tenant_id = ${t};
    INSERT INTO tenant_search_scope (tenant_id, tokens) SELECT ${t}, ${tokens(t)} WHERE ${tokens(t)} <> '';`;

/** The trigger that indexes each new note (dropped and re-created around a bulk load, src/db/notes-fts.ts). */
export const SCOPED_FTS_NOTE_TRIGGER = `CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes BEGIN
    INSERT INTO notes_fts(rowid, ${SCOPED_FTS_COLUMNS})
    VALUES (new.id, new.body_text, new.next_action, new.search_tenant, new.search_services, ${indexed('new.tenant_id')});
  END`;

/** The triggers that re-index a tenant's notes when an assignment changes its words (set aside by large bulk loads). */
export const ASSIGNMENT_SCOPE_TRIGGERS = [
  `CREATE TRIGGER assignments_search_scope_insert AFTER INSERT ON assignments BEGIN ${reindex('new.tenant_id')} END`,
  `CREATE TRIGGER assignments_search_scope_update
    AFTER UPDATE OF tenant_id, assignee_user_id, org_id, type, is_partner_type ON assignments
    BEGIN ${reindex('old.tenant_id')} ${reindex('new.tenant_id')} END`,
  `CREATE TRIGGER assignments_search_scope_delete AFTER DELETE ON assignments BEGIN ${reindex('old.tenant_id')} END`,
];
export const ASSIGNMENT_SCOPE_TRIGGER_NAMES = ASSIGNMENT_SCOPE_TRIGGERS.map((t) => /CREATE TRIGGER (\w+)/.exec(t)![1]);

/**
 * What the assignment triggers do, for every tenant at once: a bulk load that set the triggers aside runs
 * this at its end, before it indexes its own notes. Tenants whose words changed get their notes up to
 * `lastIndexed` (the last note indexed before the load) re-indexed with the new words, and their row of
 * tenant_search_scope replaced. One pass over the tenants costs less than a trigger call per assignment
 * once a load writes more than a few thousand of them (docs/decisions.md 113).
 */
export async function reconcileScopes(knex: Knex, lastIndexed: number): Promise<void> {
  await knex.raw(`CREATE TEMP TABLE scope_changes AS SELECT * FROM (
    SELECT t.id AS tenant_id, coalesce(s.tokens, '') AS old, ${tokens('t.id')} AS new
    FROM tenants t LEFT JOIN tenant_search_scope s ON s.tenant_id = t.id) WHERE old <> new`);
  const notesOf = (
    words: 'old' | 'new',
  ) => `SELECT n.id, n.body_text, n.next_action, n.search_tenant, n.search_services,
    c.${words} FROM temp.scope_changes c JOIN notes n ON n.tenant_id = c.tenant_id WHERE n.id <= ?`;
  await knex.raw(
    `INSERT INTO notes_fts(notes_fts, rowid, ${SCOPED_FTS_COLUMNS}) SELECT 'delete', * FROM (${notesOf('old')})`,
    [lastIndexed],
  );
  await knex.raw(`INSERT INTO notes_fts(rowid, ${SCOPED_FTS_COLUMNS}) ${notesOf('new')}`, [lastIndexed]);
  await knex.raw('DELETE FROM tenant_search_scope WHERE tenant_id IN (SELECT tenant_id FROM temp.scope_changes)');
  await knex.raw(`INSERT INTO tenant_search_scope (tenant_id, tokens)
    SELECT tenant_id, new FROM temp.scope_changes WHERE new <> ''`);
  await knex.raw('DROP TABLE temp.scope_changes');
}

export async function createScopedNotesFts(knex: Knex, tokenize: string): Promise<void> {
  await knex.raw(`CREATE TABLE tenant_search_scope (
    tenant_id INTEGER PRIMARY KEY REFERENCES tenants (id), tokens TEXT NOT NULL CHECK (tokens <> ''))`);
  await knex.raw('CREATE TABLE notes_fts_bulk (last_id INTEGER NOT NULL)');
  await knex.raw(`INSERT INTO tenant_search_scope (tenant_id, tokens)
    SELECT t.id, ${tokens('t.id')} FROM tenants t WHERE ${tokens('t.id')} <> ''`);
  await knex.raw(`CREATE VIEW notes_search_source AS
    SELECT n.id, n.body_text, n.next_action, n.search_tenant, n.search_services, coalesce(s.tokens, '') AS scope
    FROM notes n LEFT JOIN tenant_search_scope s ON s.tenant_id = n.tenant_id`);
  await knex.raw(`CREATE VIRTUAL TABLE notes_fts USING fts5(${SCOPED_FTS_COLUMNS},
    content='notes_search_source', content_rowid='id', tokenize='${tokenize}')`);
  await knex.raw(SCOPED_FTS_NOTE_TRIGGER);
  for (const trigger of ASSIGNMENT_SCOPE_TRIGGERS) await knex.raw(trigger);
  await knex.raw(`INSERT INTO notes_fts(notes_fts) VALUES ('rebuild')`);
}

export async function dropScopedNotesFts(knex: Knex): Promise<void> {
  for (const name of [...ASSIGNMENT_SCOPE_TRIGGER_NAMES, 'notes_fts_insert'])
    await knex.raw(`DROP TRIGGER IF EXISTS ${name}`);
  await knex.raw('DROP TABLE IF EXISTS notes_fts');
  await knex.raw('DROP VIEW IF EXISTS notes_search_source');
  await knex.raw('DROP TABLE IF EXISTS notes_fts_bulk');
  await knex.raw('DROP TABLE IF EXISTS tenant_search_scope');
}
