import type { Command } from 'commander';
import { sqliteFilename } from '../db/db';
import { backupDatabase } from '../features/admin/backup.service';
import { withDb, type CliIo } from './cli.context';

/** `backup FILE`: online copy through the SQLite backup API, verified with PRAGMA integrity_check. */
export function registerBackup(program: Command, io: CliIo): void {
  program
    .command('backup')
    .description('write an online, verified copy of the database to FILE (never overwrites)')
    .argument('<file>', 'target file; must not exist')
    .action(async (file: string) => {
      await withDb(async (db, config) => {
        const result = await backupDatabase(db, file, sqliteFilename(config.databaseUrl));
        const mb = (result.bytes / 1024 / 1024).toFixed(1);
        const counts = Object.entries(result.counts)
          .map(([table, n]) => `${table} ${n}`)
          .join(', ');
        io.out(
          `backup: wrote ${result.file} (${mb} MB, ${result.bytes} bytes); integrity_check ${result.integrity}; rows: ${counts}`,
        );
      });
    });
}
