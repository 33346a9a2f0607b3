import type { Knex } from 'knex';

/**
 * Sign-in rate-limit counters (SECURITY.md case 38) in the database, so that every instance behind a
 * load balancer counts the same attempts (src/auth/rate-limits.repo.ts). One row per limiter key
 * (`login-ip:…`, `login-user:…`, `session-start:…`) with its hits in the current window and the end of
 * that window in epoch milliseconds. The DDL is the same on both databases.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('rate_limits', (t) => {
    t.string('key', 400).primary();
    t.integer('hits').notNullable();
    t.bigInteger('reset_at').notNullable().index();
    t.check('?? >= 0', ['hits'], 'rate_limits_hits');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('rate_limits');
}
