import type { Knex } from 'knex';
import * as m001 from './20261122_001_orgs_users';
import * as m002 from './20261122_002_reference_data';
import * as m003 from './20261122_003_tenants_services';
import * as m004 from './20261122_004_entitlement_status';
import * as m005 from './20261122_005_assignments';
import * as m006 from './20261122_006_contacts';
import * as m007 from './20261122_007_notes';
import * as m008 from './20261122_008_sessions';
import * as m009 from './20261210_009_service_phase_history';
import * as m010 from './20261210_010_notes_fts_stems';
import * as m011 from './20261211_011_suggest_exclusions';
import * as m012 from './20261213_012_suggest_generation';
import * as m013 from './20261214_013_rate_limits';
import * as m014 from './20261215_014_assignments_partner_index';
import * as m015 from './20261216_015_notes_search_scope';

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/**
 * Migrations are listed here rather than discovered on disk so that they load the same way
 * under tsx (npm start, the CLI) and under jest, with no TypeScript loader for knex to find.
 * Append-only: add a new file and a new line; never edit a migration that has landed.
 */
const migrations: Record<string, Migration> = {
  '20261122_001_orgs_users': m001,
  '20261122_002_reference_data': m002,
  '20261122_003_tenants_services': m003,
  '20261122_004_entitlement_status': m004,
  '20261122_005_assignments': m005,
  '20261122_006_contacts': m006,
  '20261122_007_notes': m007,
  '20261122_008_sessions': m008,
  '20261210_009_service_phase_history': m009,
  '20261210_010_notes_fts_stems': m010,
  '20261211_011_suggest_exclusions': m011,
  '20261213_012_suggest_generation': m012,
  '20261214_013_rate_limits': m013,
  '20261215_014_assignments_partner_index': m014,
  '20261216_015_notes_search_scope': m015,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name],
};
