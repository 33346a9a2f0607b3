import type { Knex } from 'knex';

/**
 * A covering index for "the tenants this user holds a P- assignment on" (src/auth/scope.ts: the My tabs,
 * and every scoped query's visibility set): with `is_partner_type` in the index, the assignments are
 * read from the index alone instead of one table row each. On the bench data (a user with 5,954
 * assignments): the My tabs' counts 1.72 → 1.02 ms, the visible notes of a search's scope 5.06 → 4.25 ms.
 * The same DDL on both databases.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('assignments', (t) => {
    t.index(['assignee_user_id', 'is_partner_type', 'tenant_id'], 'assignments_user_partner_tenant');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('assignments', (t) => {
    t.dropIndex(['assignee_user_id', 'is_partner_type', 'tenant_id'], 'assignments_user_partner_tenant');
  });
}
