import type { Knex } from 'knex';
import { inList } from './helpers';
import { ddl } from './ddl';

const PHASES = ['Initiate', 'Assess', 'Remediate', 'Enable', 'Migrate', 'Adoption', 'Operation'];

/**
 * Service phase history (DOMAIN.md §5.7.2, V-85): who moved a service to which phase and when.
 * Append-only; written by a trigger on tenant_services so no write path can forget it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('service_phase_history', (t) => {
    t.increments('id');
    t.integer('tenant_service_id').notNullable().references('id').inTable('tenant_services');
    t.string('old_phase').nullable();
    t.string('new_phase').nullable();
    t.integer('changed_by').nullable().references('id').inTable('users');
    t.string('changed_at').notNullable();
    t.check(`old_phase IS NULL OR old_phase IN (${inList(PHASES)})`, [], 'service_phase_history_old');
    t.check(`new_phase IS NULL OR new_phase IN (${inList(PHASES)})`, [], 'service_phase_history_new');
    t.index(['tenant_service_id', 'changed_at']);
  });
  await ddl(knex).appendOnly('service_phase_history', 'service phase history is append-only');
  await ddl(knex).createPhaseHistoryTrigger();
}

export async function down(knex: Knex): Promise<void> {
  await ddl(knex).dropPhaseHistoryTrigger();
  await ddl(knex).dropAppendOnly('service_phase_history');
  await knex.schema.dropTable('service_phase_history');
}
