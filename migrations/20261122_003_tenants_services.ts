import type { Knex } from 'knex';
import { audit, inList, version } from './helpers';

const PRIORITIES = ['High', 'Medium', 'Low'];
const OVERALL = ['Active', 'Blocked', 'Paused'];
const PHASES = ['Initiate', 'Assess', 'Remediate', 'Enable', 'Migrate', 'Adoption', 'Operation'];
const DATE = '____-__-__';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tenants', (t) => {
    t.increments('id');
    t.string('tenant_guid').notNullable().unique();
    t.string('tenant_name').notNullable().unique();
    t.string('customer_name').notNullable();
    t.string('tpid').nullable();
    t.string('country').nullable();
    t.string('segment').nullable();
    t.string('subsidiary').nullable();
    t.boolean('is_enterprise').notNullable().defaultTo(false);
    t.string('enterprise_level').nullable();
    t.boolean('is_active').notNullable().defaultTo(true);
    t.boolean('is_volume_licensing').notNullable().defaultTo(false);
    t.boolean('eligible').notNullable().defaultTo(true);
    t.integer('total_seats').nullable();
    t.string('priority').nullable();
    t.string('priority_override').nullable();
    t.string('entered_ftc_at').nullable();
    t.string('overall_status').nullable();
    t.string('overall_status_date').nullable();
    t.string('last_os_note_at').nullable();
    t.text('tags').notNullable().defaultTo('[]');
    t.integer('predicted_6mo_au_gain').nullable();
    version(t);
    audit(t);
    t.check('tenant_guid = lower(tenant_guid) AND length(tenant_guid) = 36', [], 'tenants_guid');
    t.check(`priority IS NULL OR priority IN (${inList(PRIORITIES)})`, [], 'tenants_priority');
    t.check(
      `priority_override IS NULL OR priority_override IN (${inList(PRIORITIES)})`,
      [],
      'tenants_priority_override',
    );
    t.check(`overall_status IS NULL OR overall_status IN (${inList(OVERALL)})`, [], 'tenants_overall_status');
    t.check(`overall_status_date IS NULL OR overall_status_date LIKE '${DATE}'`, [], 'tenants_overall_status_date');
    t.index(['is_active', 'tenant_name']);
  });

  await knex.schema.createTable('tenant_services', (t) => {
    t.increments('id');
    t.integer('tenant_id').notNullable().references('id').inTable('tenants');
    t.string('service_code').notNullable().references('code').inTable('services');
    t.integer('total_entitlements').notNullable().defaultTo(0);
    t.integer('entitlement_override').nullable();
    t.integer('active_users').notNullable().defaultTo(0);
    t.string('engagement_scenario').nullable();
    t.string('phase').nullable();
    t.string('engagement_start_date').nullable();
    t.string('rfa_submitted_date').nullable();
    t.string('target_first_au_date').nullable();
    t.string('target_40_au_date').nullable();
    t.string('target_max_au_date').nullable();
    t.boolean('ms_performing_migration').nullable();
    t.string('migration_start_date').nullable();
    t.string('migration_end_date').nullable();
    t.string('migration_rejection_reason').nullable();
    t.text('migration_rejection_note').nullable();
    version(t);
    audit(t);
    t.unique(['tenant_id', 'service_code']);
    t.check('total_entitlements >= 0 AND active_users >= 0', [], 'tenant_services_counts');
    t.check('entitlement_override IS NULL OR entitlement_override >= 0', [], 'tenant_services_override');
    t.check(
      `engagement_scenario IS NULL OR engagement_scenario IN (${inList([
        'FTC-FTP Led',
        'Customer-Led with FTP Assist',
        'Customer Led',
        'Non-FastTrack Partner Led',
        'FTC-CSS Led',
        'CXP',
      ])})`,
      [],
      'tenant_services_scenario',
    );
    t.check(`phase IS NULL OR phase IN (${inList(PHASES)})`, [], 'tenant_services_phase');
    t.check(
      'migration_start_date IS NULL OR migration_end_date IS NULL OR migration_end_date >= migration_start_date',
      [],
      'tenant_services_migration_dates',
    );
  });

  await knex.schema.createTable('forecast_history', (t) => {
    t.increments('id');
    t.integer('tenant_service_id').notNullable().references('id').inTable('tenant_services').onDelete('CASCADE');
    t.string('field').notNullable();
    t.string('old_value').nullable();
    t.string('new_value').nullable();
    t.integer('changed_by').nullable().references('id').inTable('users');
    t.string('changed_at').notNullable();
    t.check(`field IN (${inList(['rfa', '15', '40', 'max'])})`, [], 'forecast_history_field');
    t.index(['tenant_service_id', 'changed_at']);
  });

  await knex.schema.createTable('migration_type_lines', (t) => {
    t.increments('id');
    t.integer('tenant_service_id').notNullable().references('id').inTable('tenant_services').onDelete('CASCADE');
    t.string('migration_type').notNullable();
    t.integer('entitlements').notNullable();
    t.string('estimated_migration_date').notNullable();
    t.text('notes').nullable();
    t.decimal('data_size_gb', 12, 2).nullable();
    t.string('status').nullable();
    version(t);
    audit(t);
    t.unique(['tenant_service_id', 'migration_type']);
    t.check('entitlements >= 1', [], 'migration_type_lines_entitlements');
    t.check('data_size_gb IS NULL OR data_size_gb >= 0', [], 'migration_type_lines_size');
  });

  await knex.schema.createTable('delivery_team_members', (t) => {
    t.integer('tenant_service_id').notNullable().references('id').inTable('tenant_services').onDelete('CASCADE');
    t.integer('user_id').notNullable().references('id').inTable('users');
    t.primary(['tenant_service_id', 'user_id']);
  });

  await knex.schema.createTable('cpor_claims', (t) => {
    t.increments('id');
    t.integer('tenant_id').notNullable().references('id').inTable('tenants');
    t.string('service_code').nullable().references('code').inTable('services');
    t.integer('partner_org_id').nullable().references('id').inTable('partner_orgs');
    t.string('partner_name').notNullable();
    t.string('mpn_id').nullable();
    t.string('claim_status').notNullable();
    t.string('claimed_at').nullable();
    t.string('approved_at').nullable();
    t.string('source_ref').nullable();
    t.string('created_at').notNullable();
    t.string('updated_at').notNullable();
    t.check(`claim_status IN (${inList(['Pending', 'Approved', 'Rejected'])})`, [], 'cpor_claims_status');
    t.index(['tenant_id']);
  });

  await knex.schema.createTable('eligibility', (t) => {
    t.integer('tenant_id').primary().references('id').inTable('tenants');
    t.boolean('is_eligible').notNullable();
    t.string('customer_type').notNullable();
    t.integer('eligible_seats').notNullable().defaultTo(0);
    t.text('eligible_plans').notNullable().defaultTo('[]');
    t.string('evaluated_at').notNullable();
    t.check(`customer_type IN (${inList(['Commercial', 'Education'])})`, [], 'eligibility_customer_type');
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'eligibility',
    'cpor_claims',
    'delivery_team_members',
    'migration_type_lines',
    'forecast_history',
    'tenant_services',
    'tenants',
  ]) {
    await knex.schema.dropTable(table);
  }
}
