import type { Knex } from 'knex';
import { kindOf } from './db';

/**
 * Planner statistics, one implementation per database (chosen once per call from the knex client).
 * Run at server start-up and after bulk loads (seed, import, copy-db).
 */
export async function refreshStatistics(db: Knex): Promise<void> {
  await (kindOf(db) === 'postgres' ? refreshPostgres(db) : refreshSqlite(db));
}

/**
 * SQLite: a full ANALYZE when the database has never been analysed (after a bulk load the planner
 * otherwise guesses, and the tenant list gets several times slower), then SQLite's own
 * `PRAGMA optimize`, which re-analyses only what changed.
 */
async function refreshSqlite(db: Knex): Promise<void> {
  const analysed = await db.raw("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'");
  if (analysed.length === 0) await db.raw('ANALYZE');
  await db.raw('PRAGMA optimize');
}

/**
 * PostgreSQL: autovacuum keeps statistics current on its own, but only some time after a bulk load, and
 * the first requests would be planned on guesses meanwhile. So the tables never analysed, or changed by
 * more than a tenth since their last analysis, are analysed now; a server starting on a quiet database
 * finds none and does nothing. (`pg_stat_user_tables` counts what this and other sessions committed.)
 */
async function refreshPostgres(db: Knex): Promise<void> {
  const { rows } = (await db.raw(`SELECT relname FROM pg_stat_user_tables
    WHERE schemaname = current_schema() AND n_live_tup + n_mod_since_analyze > 0
      AND ((last_analyze IS NULL AND last_autoanalyze IS NULL) OR n_mod_since_analyze > 0.1 * n_live_tup + 50)`)) as {
    rows: { relname: string }[];
  };
  for (const { relname } of rows) await db.raw('ANALYZE ??', [relname]);
}
