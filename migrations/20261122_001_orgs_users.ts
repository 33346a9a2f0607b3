import type { Knex } from 'knex';
import { ddl } from './ddl';
import { audit, inList, version } from './helpers';

export async function up(knex: Knex): Promise<void> {
  const d = ddl(knex);
  await knex.schema.createTable('partner_orgs', (t) => {
    t.increments('id');
    t.string('name').notNullable().unique();
    t.string('mpn_id').nullable();
    t.string('queue_display_name').notNullable();
    // Entra tenant id (tid claim) of the partner's own directory: how an OIDC sign-in finds its org.
    t.string('entra_tenant_id').nullable().unique();
    t.boolean('is_active').notNullable().defaultTo(true);
    version(t);
    // `users` comes next and references partner_orgs in turn.
    audit(t, d.forwardReferences);
  });

  await knex.schema.createTable('partner_domains', (t) => {
    t.increments('id');
    t.integer('org_id').notNullable().references('id').inTable('partner_orgs').onDelete('CASCADE');
    t.string('domain').notNullable().unique();
    t.string('created_at').notNullable();
    t.check("domain = lower(domain) AND domain LIKE '%_._%'", [], 'partner_domains_domain_lower');
  });

  await knex.schema.createTable('users', (t) => {
    t.increments('id');
    t.integer('org_id').nullable().references('id').inTable('partner_orgs');
    t.string('upn').notNullable().unique();
    t.string('display_name').notNullable();
    t.string('kind').notNullable();
    t.string('internal_role').nullable();
    t.boolean('is_partner_admin').notNullable().defaultTo(false);
    t.string('status').notNullable().defaultTo('active');
    t.string('last_sign_in_at').nullable();
    // OIDC identity: users are matched on issuer + subject, never on email (SECURITY.md decision 6).
    t.string('idp_issuer').nullable();
    t.string('idp_subject').nullable();
    version(t);
    audit(t);
    t.unique(['idp_issuer', 'idp_subject']);
    t.check(`kind IN (${inList(['partner', 'internal', 'admin', 'queue'])})`, [], 'users_kind');
    t.check(`status IN (${inList(['active', 'provisioned', 'disabled'])})`, [], 'users_status');
    t.check(
      `internal_role IS NULL OR (kind = 'internal' AND internal_role IN (${inList(['Onboarding RM', 'FPM'])}))`,
      [],
      'users_internal_role',
    );
    t.check('upn = lower(upn)', [], 'users_upn_lower');
    // Partner users and queues belong to an org; internal users and admins do not.
    t.check("(kind IN ('partner','queue')) = (org_id IS NOT NULL)", [], 'users_org_by_kind');
    t.check(`${d.isFalse('is_partner_admin')} OR kind = 'partner'`, [], 'users_partner_admin');
  });
  await d.addUserReferences('partner_orgs');

  await knex.schema.createTable('user_managed_orgs', (t) => {
    t.integer('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.integer('org_id').notNullable().references('id').inTable('partner_orgs').onDelete('CASCADE');
    t.primary(['user_id', 'org_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('user_managed_orgs');
  await knex.schema.dropTable('partner_domains');
  await ddl(knex).dropUserReferences('partner_orgs');
  await knex.schema.dropTable('users');
  await knex.schema.dropTable('partner_orgs');
}
