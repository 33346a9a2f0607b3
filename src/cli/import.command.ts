import type { Command } from 'commander';
import { formatImportSummary } from '../features/import/import.service';
import { importJsonFile } from '../features/import/import-stream';
import { refreshStatistics } from '../db/statistics';
import { withBulkJournal } from '../db/bulk-journal';
import { seconds, withDb, type CliIo } from './cli.context';
import { createProgress } from './cli.progress';

/** `import FILE.json`: checks the whole file and writes it in one transaction, all or nothing (CONTRACT.md §5). */
export function registerImport(program: Command, io: CliIo): void {
  program
    .command('import')
    .description('load orgs, users, tenants and their data from an import file (all or nothing)')
    .argument('<file>', 'UTF-8 JSON import file')
    .action(async (file: string) => {
      await withDb(async (db, config) => {
        const started = process.hrtime.bigint();
        // A bar on a terminal: the file is read once (MB), each batch checked and written as it comes.
        // Scripted runs (no terminal) print only the summary line.
        const tty = !!process.stderr.isTTY;
        const bar = createProgress('import (MB)', io.out, tty);
        const mb = (bytes: number) => Math.round(bytes / 1e6);
        try {
          const result = await withBulkJournal(db, () =>
            importJsonFile(
              db,
              file,
              {
                migrationSumBasis: config.migrationSumBasis,
                appTz: config.appTz,
                firstMilestonePct: config.firstMilestonePct,
              },
              { progress: tty ? (bytes, size) => bar.update(mb(bytes), mb(size)) : undefined },
            ),
          );
          bar.stop();
          await refreshStatistics(db);
          io.out(`${formatImportSummary(result)} in ${seconds(started)} s`);
        } finally {
          bar.stop();
        }
      });
    });
}
