import type { Command } from 'commander';
import { migrateLatest } from '../db/db';
import { withDb, type CliIo } from './cli.context';

/** `migrate`: runs pending migrations. */
export function registerMigrate(program: Command, io: CliIo): void {
  program
    .command('migrate')
    .description('run pending database migrations')
    .action(async () => {
      await withDb(
        async (db) => {
          const applied = await migrateLatest(db);
          io.out(
            applied.length
              ? `migrate: applied ${applied.length} migration(s): ${applied.join(', ')}`
              : 'migrate: already up to date',
          );
        },
        { requireSchema: false },
      );
    });
}
