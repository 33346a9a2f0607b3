import type { Knex } from 'knex';
import { migrationSource } from '../../migrations';

/**
 * Names of the migrations this build knows that the database has not applied, read without writing
 * (knex's migrate.list() would create its tables and take no notice of a read-only database). One query
 * once the schema exists; it also tells whether the database answers (GET /readyz).
 */
export async function pendingMigrations(db: Knex): Promise<string[]> {
  const all = (await migrationSource.getMigrations([])).map((m) => migrationSource.getMigrationName(m));
  let done: Set<string>;
  try {
    done = new Set(((await db('knex_migrations').select('name')) as { name: string }[]).map((r) => r.name));
  } catch (err) {
    if (!(await db.schema.hasTable('knex_migrations'))) return all;
    throw err;
  }
  return all.filter((name) => !done.has(name));
}
