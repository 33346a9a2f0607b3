import type { Knex } from 'knex';

/**
 * The Suggest model's generation, shared by every server process on the database: `suggest:retrain`
 * and `suggest:corrections --exclude/--include` raise it, and a server whose model was built for an
 * older generation rebuilds it before its next suggestion (src/features/suggest/corrections.service.ts).
 * One row (id = 1).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('suggest_model', (t) => {
    t.integer('id').primary();
    t.integer('generation').notNullable().defaultTo(0);
    t.string('requested_at').nullable();
    t.check('?? = 1', ['id'], 'suggest_model_one_row');
    t.check('?? >= 0', ['generation'], 'suggest_model_generation');
  });
  await knex('suggest_model').insert({ id: 1, generation: 0 });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('suggest_model');
}
