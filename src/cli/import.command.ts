import type { Command } from 'commander';
import { formatImportSummary } from '../features/import/import.service';
import { importJsonFile } from '../features/import/import-stream';
import { refreshStatistics } from '../db/db';
import { seconds, withDb, type CliIo } from './cli.context';
import { createProgress } from './cli.progress';

/** `import FILE.json`: validates the whole file, then writes it in one transaction (CONTRACT.md §5). */
export function registerImport(program: Command, io: CliIo): void {
  program
    .command('import')
    .description('load orgs, users, tenants and their data from an import file (all or nothing)')
    .argument('<file>', 'UTF-8 JSON import file')
    .action(async (file: string) => {
      await withDb(async (db, config) => {
        const started = process.hrtime.bigint();
        // Two bars on a terminal: the check reads the whole file first (MB), then the tenants are written.
        // Scripted runs (no terminal) print only the summary line.
        const tty = !!process.stderr.isTTY;
        const checking = createProgress('import: checking (MB)', io.out, tty);
        const writing = createProgress('import: writing tenants', io.out, tty);
        const mb = (bytes: number) => Math.round(bytes / 1e6);
        try {
          const result = await importJsonFile(
            db,
            file,
            {
              migrationSumBasis: config.migrationSumBasis,
              appTz: config.appTz,
              firstMilestonePct: config.firstMilestonePct,
            },
            tty
              ? {
                  checking: (bytes, size) => checking.update(mb(bytes), mb(size)),
                  writing: (done, total) => {
                    checking.stop();
                    writing.update(done, total);
                  },
                }
              : undefined,
          );
          checking.stop();
          writing.stop();
          await refreshStatistics(db);
          io.out(`${formatImportSummary(result)} in ${seconds(started)} s`);
        } finally {
          checking.stop();
          writing.stop();
        }
      });
    });
}
