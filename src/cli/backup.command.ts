import type { Command } from 'commander';
import { dbKind, sqliteFilename } from '../db/db';
import { AdminInputError } from '../features/admin/admin.errors';
import { backupDatabase } from '../features/admin/backup.service';
import { cliConfig, withDb, type CliIo } from './cli.context';

/** What `backup` says on PostgreSQL: the server's own tools make consistent online copies (docs/deploy.md). */
export const PG_BACKUP_HINT =
  'backup copies SQLite databases; on PostgreSQL use pg_dump --format=custom --file=FILE (and pg_restore to restore), see docs/deploy.md';

/** `backup FILE`: online copy through the SQLite backup API, verified with PRAGMA integrity_check. */
export function registerBackup(program: Command, io: CliIo): void {
  program
    .command('backup')
    .description('write an online, verified copy of the database to FILE (never overwrites); SQLite only')
    .argument('<file>', 'target file; must not exist')
    .action(async (file: string) => {
      if (dbKind(cliConfig().databaseUrl) === 'postgres') throw new AdminInputError(PG_BACKUP_HINT);
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
