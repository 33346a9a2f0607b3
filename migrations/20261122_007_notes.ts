import type { Knex } from 'knex';
import { audit, inList, version } from './helpers';
import { ddl } from './ddl';

const CATEGORIES = [
  'Engagement Management',
  'Technical Enablement',
  'Service Intent',
  'Environment',
  'Enterprise Status',
  'Service Status',
  'Customer Readiness',
  'Customer Satisfaction Issue',
  'System Message',
];
const EDITOR_CATEGORIES = CATEGORIES.slice(0, 4);
const SOURCES = [
  'status_tab',
  'edit_tenant_dialog',
  'services_tab',
  'notes_editor',
  'playbook_task',
  'time_entry',
  'entitlement_status',
  'enterprise_status',
  'import',
  'system',
];

export async function up(knex: Knex): Promise<void> {
  const d = ddl(knex);
  await knex.schema.createTable('notes', (t) => {
    t.increments('id'); // also the FTS5 rowid
    t.integer('tenant_id').notNullable().references('id').inTable('tenants');
    t.string('category').notNullable();
    t.text('body_html').notNullable();
    t.text('body_text').notNullable();
    t.boolean('is_escalated').notNullable().defaultTo(false);
    t.string('next_action', 500).nullable();
    t.string('next_action_date').nullable();
    t.string('next_action_owner').nullable();
    t.string('overall_status').nullable();
    t.string('overall_status_date').nullable();
    t.string('source_context').notNullable();
    t.string('source_ref').nullable();
    t.boolean('is_legacy').notNullable().defaultTo(false);
    t.boolean('is_system').notNullable().defaultTo(false);
    t.integer('author_user_id').nullable().references('id').inTable('users');
    t.string('created_at').notNullable();
    // Denormalised search columns (tenant name, service names at the time of writing) for notes_fts.
    t.string('search_tenant').notNullable().defaultTo('');
    t.string('search_services').notNullable().defaultTo('');
    // Double-submit guard (SECURITY.md case 41).
    t.string('idempotency_key').nullable().unique();
    t.check(`category IN (${inList(CATEGORIES)})`, [], 'notes_category');
    t.check(`source_context IN (${inList(SOURCES)})`, [], 'notes_source_context');
    t.check('next_action IS NULL OR length(next_action) <= 500', [], 'notes_next_action'); // V-72
    t.check(`overall_status IS NULL OR overall_status IN ('Active','Blocked','Paused')`, [], 'notes_overall_status');
    t.index(['tenant_id', 'created_at']);
    t.index(['created_at']);
  });
  // V-76 / A-23: a saved note can never be changed or deleted.
  await d.appendOnly('notes', 'notes are immutable');

  await knex.schema.createTable('note_services', (t) => {
    t.integer('note_id').notNullable().references('id').inTable('notes');
    t.string('service_code').notNullable().references('code').inTable('services');
    t.primary(['note_id', 'service_code']);
    t.index(['service_code']);
  });
  await d.appendOnly('note_services', 'notes are immutable');
  await d.createNotesSearch(false);

  await knex.schema.createTable('note_drafts', (t) => {
    t.increments('id');
    t.integer('owner_user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.integer('tenant_id').nullable().references('id').inTable('tenants');
    t.string('category').nullable();
    t.text('service_codes').notNullable().defaultTo('[]');
    t.text('body_html').notNullable().defaultTo('');
    t.boolean('is_escalated').notNullable().defaultTo(false);
    t.string('next_action', 500).nullable();
    t.string('next_action_date').nullable();
    t.string('next_action_owner').nullable();
    t.string('saved_at').notNullable();
    version(t);
    t.check(`category IS NULL OR category IN (${inList(EDITOR_CATEGORIES)})`, [], 'note_drafts_category');
    t.index(['owner_user_id', 'saved_at']);
  });
  // V-75: at most 10 drafts per user, enforced in the database as well.
  await d.refuseInsert(
    'note_drafts_limit',
    'note_drafts',
    '(SELECT count(*) FROM note_drafts WHERE owner_user_id = new.owner_user_id) >= 10',
    'draft limit reached',
    'PERFORM 1 FROM users WHERE id = new.owner_user_id FOR UPDATE',
  );

  await knex.schema.createTable('note_templates', (t) => {
    t.increments('id');
    t.string('category').notNullable();
    t.string('name').notNullable();
    t.text('body_html').notNullable();
    version(t);
    audit(t);
    t.unique(['category', 'name']);
    t.check(`category IN ('Engagement Management','Technical Enablement')`, [], 'note_templates_category'); // V-74
  });

  await knex.schema.createTable('overall_status_history', (t) => {
    t.increments('id');
    t.integer('tenant_id').notNullable().references('id').inTable('tenants');
    t.string('overall_status').notNullable();
    t.string('status_date').notNullable();
    t.integer('note_id').nullable().references('id').inTable('notes');
    t.integer('by').nullable().references('id').inTable('users');
    t.string('at').notNullable();
    t.check(`overall_status IN ('Active','Blocked','Paused')`, [], 'osh_status');
    t.index(['tenant_id', 'at']);
  });
  await d.appendOnly('overall_status_history', 'overall status history is append-only');

  await knex.schema.createTable('enterprise_status_entries', (t) => {
    t.increments('id');
    t.integer('tenant_id').notNullable().references('id').inTable('tenants');
    t.string('status').notNullable();
    t.string('status_date').notNullable();
    t.text('note').notNullable();
    t.integer('note_id').nullable().references('id').inTable('notes');
    t.integer('by').nullable().references('id').inTable('users');
    t.string('at').notNullable();
    t.index(['tenant_id', 'at']);
  });
  await d.appendOnly('enterprise_status_entries', 'enterprise status entries are append-only'); // V-80
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('enterprise_status_entries');
  await knex.schema.dropTable('overall_status_history');
  await knex.schema.dropTable('note_templates');
  await knex.schema.dropTable('note_drafts');
  const d = ddl(knex);
  await d.dropNotesSearch();
  // DROP TABLE deletes rows first; the immutability triggers would refuse that on a non-empty table,
  // so they go before the tables (rolling back past this migration discards all notes by design).
  await d.dropAppendOnly('note_services');
  await d.dropAppendOnly('notes');
  await knex.schema.dropTable('note_services');
  await knex.schema.dropTable('notes');
}
