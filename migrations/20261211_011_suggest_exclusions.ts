import type { Knex } from 'knex';

/**
 * Status rows an admin excluded from Suggest's training (`suggest:corrections --exclude`): the row
 * stays as it is; only the model stops learning from it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('suggest_exclusions', (t) => {
    t.integer('status_row_id').primary().references('id').inTable('entitlement_status_rows').onDelete('CASCADE');
    t.string('created_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('suggest_exclusions');
}
