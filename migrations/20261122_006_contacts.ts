import type { Knex } from 'knex';
import { ddl } from './ddl';
import { audit, inList, version } from './helpers';

export async function up(knex: Knex): Promise<void> {
  const d = ddl(knex);
  await knex.schema.createTable('contacts', (t) => {
    t.increments('id');
    t.integer('tenant_id').notNullable().references('id').inTable('tenants');
    t.string('contact_type').notNullable();
    t.string('name').notNullable();
    t.string('email').nullable();
    t.string('phone').nullable();
    t.string('role_title').nullable();
    t.string('country').nullable();
    t.string('location').nullable();
    t.string('time_zone').nullable();
    t.boolean('is_engaged').notNullable().defaultTo(false);
    t.boolean('survey_eligible').notNullable().defaultTo(false);
    t.string('survey_language').nullable();
    t.boolean('do_not_call').notNullable().defaultTo(false);
    t.string('skill_type').nullable();
    t.string('ms_role').nullable();
    t.string('source').notNullable().defaultTo('manual');
    version(t);
    audit(t);
    t.check(`contact_type IN (${inList(['Customer', 'Partner', 'Microsoft'])})`, [], 'contacts_type');
    t.check(`source IN (${inList(['manual', 'sync'])})`, [], 'contacts_source');
    t.check('length(trim(name)) > 0', [], 'contacts_name'); // V-10
    // V-11: a survey-eligible contact is an engaged Customer with email, country and language.
    t.check(
      `${d.isFalse('survey_eligible')} OR (contact_type = 'Customer' AND ${d.isTrue('is_engaged')} AND email IS NOT NULL AND country IS NOT NULL AND survey_language IS NOT NULL)`,
      [],
      'contacts_survey_eligible',
    );
    // V-13: type-specific fields.
    t.check(`${d.isFalse('do_not_call')} OR contact_type = 'Customer'`, [], 'contacts_do_not_call');
    t.check("skill_type IS NULL OR contact_type = 'Partner'", [], 'contacts_skill_type');
    t.check("ms_role IS NULL OR contact_type = 'Microsoft'", [], 'contacts_ms_role');
    t.index(['tenant_id', 'contact_type']);
  });

  await knex.schema.createTable('contact_services', (t) => {
    t.integer('contact_id').notNullable().references('id').inTable('contacts').onDelete('CASCADE');
    t.string('service_code').notNullable().references('code').inTable('services');
    t.primary(['contact_id', 'service_code']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('contact_services');
  await knex.schema.dropTable('contacts');
}
