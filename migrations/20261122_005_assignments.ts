import type { Knex } from 'knex';
import { audit, inList, version } from './helpers';
import { ddl } from './ddl';

const TYPES = [
  'P-RM',
  'P-FM',
  'P-FE',
  'Onboarding RM',
  'FPM',
  'RM',
  'FM',
  'FE',
  'SME',
  'AAM',
  'G-RM',
  'G-TM',
  'FAv2',
  'FA',
  'GMFTA',
  'MVM',
  'MEL',
];

export async function up(knex: Knex): Promise<void> {
  const d = ddl(knex);
  await knex.schema.createTable('assignments', (t) => {
    t.increments('id');
    t.integer('tenant_id').notNullable().references('id').inTable('tenants');
    t.integer('assignee_user_id').notNullable().references('id').inTable('users');
    // The assignee's partner org, copied at write time: partner scoping and split delivery read it
    // without joining users (null for internal assignees).
    t.integer('org_id').nullable().references('id').inTable('partner_orgs');
    t.string('type').notNullable();
    t.boolean('is_partner_type').notNullable();
    version(t);
    audit(t);
    t.unique(['tenant_id', 'assignee_user_id', 'type']); // V-65
    t.check(`type IN (${inList(TYPES)})`, [], 'assignments_type');
    t.check("is_partner_type = (type IN ('P-RM','P-FM','P-FE'))", [], 'assignments_partner_type');
    t.check(`${d.isFalse('is_partner_type')} OR org_id IS NOT NULL`, [], 'assignments_partner_org');
    t.index(['assignee_user_id', 'tenant_id']);
    t.index(['org_id', 'type', 'tenant_id']);
    t.index(['tenant_id', 'type']);
  });

  await knex.schema.createTable('assignment_scopes', (t) => {
    t.increments('id');
    t.integer('assignment_id').notNullable().references('id').inTable('assignments').onDelete('CASCADE');
    t.integer('tenant_id').notNullable().references('id').inTable('tenants');
    t.string('type').notNullable();
    t.string('scope').notNullable(); // 'TENANT' or a service code
    t.boolean('is_primary').notNullable().defaultTo(false);
    t.unique(['assignment_id', 'scope']);
    t.check(`type IN (${inList(TYPES)})`, [], 'assignment_scopes_type');
  });
  // V-64: at most one primary per (tenant, scope, type), across every org.
  await d.uniqueIndex(
    'assignment_scopes_one_primary',
    'assignment_scopes',
    'tenant_id, type, scope',
    d.isTrue('is_primary'),
  );
  // The scope is TENANT or a catalogue service; a plain FK cannot express the pseudo-scope.
  await d.refuseInsert(
    'assignment_scopes_scope_check',
    'assignment_scopes',
    "new.scope <> 'TENANT' AND NOT EXISTS (SELECT 1 FROM services WHERE code = new.scope)",
    'unknown assignment scope',
  );

  await knex.schema.createTable('assignment_audit', (t) => {
    t.increments('id');
    t.string('at').notNullable();
    t.integer('actor_user_id').nullable().references('id').inTable('users');
    t.integer('tenant_id').notNullable().references('id').inTable('tenants');
    t.integer('assignee_user_id').notNullable().references('id').inTable('users');
    t.string('type').notNullable();
    t.string('action').notNullable();
    t.text('before_json').nullable();
    t.text('after_json').nullable();
    t.check(`action IN (${inList(['add', 'update', 'delete'])})`, [], 'assignment_audit_action');
    t.index(['tenant_id', 'at']);
  });
  await d.appendOnly('assignment_audit', 'assignment audit is append-only');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('assignment_audit');
  await knex.schema.dropTable('assignment_scopes');
  await knex.schema.dropTable('assignments');
}
