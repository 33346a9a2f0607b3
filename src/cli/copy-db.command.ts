import type { Command } from 'commander';
import { createDb, dbKind, migrateLatest, safeMessage } from '../db/db';
import { pendingMigrations } from '../db/migration-status';
import { refreshStatistics } from '../db/statistics';
import { AdminInputError } from '../features/admin/admin.errors';
import { copyDatabase, verifyCopy } from '../features/admin/copy-db.service';
import { cliConfig, seconds, withDb, type CliIo } from './cli.context';
import { createProgress } from './cli.progress';

/**
 * `copy-db --to postgres://…`: copies the configured SQLite database (DATABASE_URL) into an empty
 * PostgreSQL database (migrated first when it is not yet), then verifies the copy (docs/deploy.md,
 * "Moving from SQLite to PostgreSQL"). Neither URL is ever printed: they may carry passwords.
 */
export function registerCopyDb(program: Command, io: CliIo): void {
  program
    .command('copy-db')
    .description('copy the SQLite database (DATABASE_URL) into an empty PostgreSQL database, then verify it')
    .requiredOption('--to <url>', 'the target: postgres://user:password@host:port/database')
    .action(async (opts: { to: string }) => {
      if (dbKind(cliConfig().databaseUrl) !== 'sqlite')
        throw new AdminInputError('copy-db copies a SQLite database: set DATABASE_URL to sqlite:<file>');
      let postgres = false;
      try {
        postgres = dbKind(opts.to) === 'postgres';
      } catch {
        // reported below
      }
      if (!postgres) throw new AdminInputError('--to must be a postgres://… URL');
      await withDb(async (source) => {
        const target = createDb(opts.to, { poolMax: 2 });
        const started = process.hrtime.bigint();
        const progress = createProgress('copy-db', io.out);
        try {
          try {
            await target.raw('SELECT 1');
          } catch (err) {
            throw new AdminInputError(`the target (--to) cannot be reached: ${safeMessage(err, opts.to)}`);
          }
          if ((await pendingMigrations(target)).length) {
            const applied = await migrateLatest(target);
            io.out(`copy-db: migrated the target (${applied.length} migration(s))`);
          }
          const copy = await copyDatabase(source, target, (done, total) => progress.update(done, total));
          progress.stop();
          const check = await verifyCopy(source, target, copy.plan);
          if (check.problems.length)
            throw new AdminInputError(
              `the copy differs from the source (${check.problems.length} difference(s)): ${check.problems.slice(0, 5).join('; ')}`,
            );
          await refreshStatistics(target);
          io.out(
            `copy-db: copied ${copy.tables} tables, ${copy.rows} rows in ${seconds(started)} s; row counts equal, ${check.sampled} sampled rows equal column by column`,
          );
        } finally {
          progress.stop();
          await target.destroy();
        }
      });
    });
}
