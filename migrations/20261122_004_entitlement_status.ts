import type { Knex } from 'knex';
import { audit, inList, version } from './helpers';
import { ddl } from './ddl';

const L1 = ['Status Unknown', 'In Progress', 'Blocked', 'No Intent', 'Duplicate/Invalid'];
const CONFIDENCE = ['high', 'marginal', 'poor'];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('entitlement_status_rows', (t) => {
    t.increments('id');
    t.integer('tenant_service_id').notNullable().references('id').inTable('tenant_services').onDelete('CASCADE');
    t.string('l1').notNullable();
    t.string('l2').nullable();
    t.string('l3').nullable();
    t.integer('entitlements').notNullable();
    t.text('status_note').notNullable();
    t.string('target_date').nullable();
    t.string('owner').nullable();
    t.string('next_action_date').nullable();
    t.string('suggested_l1').nullable();
    t.string('suggested_l2').nullable();
    t.string('suggested_l3').nullable();
    t.string('suggestion_confidence').nullable();
    t.boolean('overridden').notNullable().defaultTo(false);
    version(t);
    audit(t);
    t.check(`l1 IN (${inList(L1)})`, [], 'esr_l1');
    t.check('entitlements >= 1', [], 'esr_entitlements'); // V-21
    t.check('l3 IS NULL OR l2 IS NOT NULL', [], 'esr_l3_needs_l2'); // V-23
    t.check("l1 <> 'Duplicate/Invalid' OR l2 IS NULL", [], 'esr_dup_no_l2'); // V-22
    t.check("l1 IN ('In Progress','Duplicate/Invalid') OR l2 IS NOT NULL", [], 'esr_l2_required'); // V-22
    t.check("target_date IS NULL OR l1 IN ('In Progress','Blocked')", [], 'esr_target_date'); // V-24
    t.check("owner IS NULL OR l1 <> 'In Progress'", [], 'esr_owner'); // V-25
    t.check('length(trim(status_note)) > 0', [], 'esr_note'); // V-28
    t.check(`suggestion_confidence IS NULL OR suggestion_confidence IN (${inList(CONFIDENCE)})`, [], 'esr_confidence');
  });
  // V-27: one row per (L1, L2, L3) combination within a service.
  await ddl(knex).uniqueIndex(
    'esr_unique_combination',
    'entitlement_status_rows',
    "tenant_service_id, l1, coalesce(l2, ''), coalesce(l3, '')",
  );

  await knex.schema.createTable('entitlement_status_history', (t) => {
    t.increments('id');
    t.integer('tenant_service_id').notNullable().references('id').inTable('tenant_services').onDelete('CASCADE');
    t.integer('row_id').nullable();
    t.string('action').notNullable();
    t.text('snapshot_json').notNullable();
    t.integer('changed_by').nullable().references('id').inTable('users');
    t.string('changed_at').notNullable();
    t.check(`action IN (${inList(['create', 'update', 'delete'])})`, [], 'esh_action');
    t.index(['tenant_service_id', 'changed_at']);
  });
  await ddl(knex).appendOnly('entitlement_status_history', 'entitlement status history is append-only', ['UPDATE']);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('entitlement_status_history');
  await knex.schema.dropTable('entitlement_status_rows');
}
