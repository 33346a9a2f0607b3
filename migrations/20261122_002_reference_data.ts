import type { Knex } from 'knex';
import services from '../seeds/services.json';
import taxonomy from '../seeds/taxonomy.json';
import migrationLookups from '../seeds/migration-lookups.json';
import { inList } from './helpers';

const LOOKUP_KINDS = [
  'migration_type',
  'rejection_reason',
  'migration_status',
  'survey_language',
  'enterprise_status',
  'skill_type',
  'engagement_scenario',
  'segment',
] as const;

// DOMAIN.md §2.9: canonical engagement scenarios and whether a partner may select each (V-51).
const SCENARIOS: [string, boolean][] = [
  ['FTC-FTP Led', true],
  ['Customer-Led with FTP Assist', true],
  ['Customer Led', true],
  ['Non-FastTrack Partner Led', true],
  ['FTC-CSS Led', false],
  ['CXP', false],
];
// the guide gives no values; these are admin-editable starting lists.
const SURVEY_LANGUAGES = [
  'English',
  'French',
  'German',
  'Spanish',
  'Portuguese (Brazil)',
  'Italian',
  'Dutch',
  'Japanese',
  'Chinese (Simplified)',
  'Chinese (Traditional)',
  'Korean',
  'Polish',
  'Swedish',
  'Danish',
  'Norwegian',
  'Finnish',
  'Turkish',
];
const SKILL_TYPES = ['Technical', 'Project Management', 'Adoption and Change Management', 'Architecture', 'Sales'];
const ENTERPRISE_STATUSES = ['Active', 'Blocked', 'Paused'];
const SEGMENTS = ['S1500', 'S500', 'Other'];

export async function up(knex: Knex): Promise<void> {
  const now = new Date().toISOString();
  await knex.schema.createTable('services', (t) => {
    t.string('code').primary();
    t.string('name').notNullable().unique();
    t.string('group').notNullable();
    t.text('aliases').notNullable().defaultTo('[]');
    t.boolean('migration_eligible').notNullable().defaultTo(false);
    t.string('survey_group').nullable();
    t.integer('sort_order').notNullable();
    t.boolean('is_active').notNullable().defaultTo(true);
    t.string('created_at').notNullable();
    t.string('updated_at').notNullable();
    t.check(`"group" IN (${inList(['Office 365', 'EMS', 'Windows'])})`, [], 'services_group');
    t.check(
      `survey_group IS NULL OR survey_group IN (${inList(['O365', 'Intune', 'AADP'])})`,
      [],
      'services_survey_group',
    );
    t.check("code = upper(code) AND code <> 'TENANT'", [], 'services_code');
  });

  await knex.schema.createTable('lookups', (t) => {
    t.increments('id');
    t.string('kind').notNullable();
    t.string('value').notNullable();
    t.integer('sort').notNullable().defaultTo(0);
    t.boolean('active').notNullable().defaultTo(true);
    // Only meaningful for engagement scenarios (V-51); true elsewhere.
    t.boolean('partner_selectable').notNullable().defaultTo(true);
    t.unique(['kind', 'value']);
    t.check(`kind IN (${inList(LOOKUP_KINDS)})`, [], 'lookups_kind');
  });

  await knex.schema.createTable('taxonomy_l2', (t) => {
    t.increments('id');
    t.string('l1').notNullable();
    t.string('l2').notNullable();
    t.text('aliases').notNullable().defaultTo('[]');
    t.integer('sort').notNullable();
    t.unique(['l1', 'l2']);
  });

  await knex.schema.createTable('taxonomy_l3', (t) => {
    t.increments('id');
    t.integer('l2_id').notNullable().references('id').inTable('taxonomy_l2').onDelete('CASCADE');
    t.string('l3').notNullable();
    t.integer('sort').notNullable();
    t.unique(['l2_id', 'l3']);
  });

  await knex('services').insert(
    services.services.map((s) => ({
      code: s.code,
      name: s.name,
      group: s.group,
      aliases: JSON.stringify(s.aliases ?? []),
      migration_eligible: s.migrationEligible,
      survey_group: s.surveyGroup,
      sort_order: s.sortOrder,
      created_at: now,
      updated_at: now,
    })),
  );

  const lookups: { kind: string; value: string; sort: number; partner_selectable: boolean }[] = [];
  const add = (kind: (typeof LOOKUP_KINDS)[number], values: string[]) =>
    values.forEach((value, i) => lookups.push({ kind, value, sort: i + 1, partner_selectable: true }));
  add('migration_type', migrationLookups.migrationTypes);
  add('rejection_reason', migrationLookups.rejectionReasons);
  add('migration_status', migrationLookups.migrationStatuses);
  add('survey_language', SURVEY_LANGUAGES);
  add('skill_type', SKILL_TYPES);
  add('enterprise_status', ENTERPRISE_STATUSES);
  add('segment', SEGMENTS);
  SCENARIOS.forEach(([value, partnerSelectable], i) =>
    lookups.push({ kind: 'engagement_scenario', value, sort: i + 1, partner_selectable: partnerSelectable }),
  );
  await knex.batchInsert('lookups', lookups, 100);

  let sort = 0;
  for (const l1 of taxonomy) {
    for (const reason of l1.reasons) {
      const aliases = 'aliases' in reason ? (reason.aliases ?? []) : [];
      const [id] = await knex('taxonomy_l2')
        .insert({ l1: l1.l1, l2: reason.l2, aliases: JSON.stringify(aliases), sort: ++sort })
        .returning('id');
      const l2Id = typeof id === 'object' ? id.id : id;
      let l3Sort = 0;
      for (const l3 of reason.engineering_reasons as string[]) {
        await knex('taxonomy_l3').insert({ l2_id: l2Id, l3, sort: ++l3Sort });
      }
    }
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('taxonomy_l3');
  await knex.schema.dropTable('taxonomy_l2');
  await knex.schema.dropTable('lookups');
  await knex.schema.dropTable('services');
}
