import type { Command } from 'commander';
import { formatImportSummary, importJsonFile } from '../features/import/import.service';
import { refreshStatistics } from '../db/db';
import { seconds, withDb, type CliIo } from './cli.context';

/** `import FILE.json`: validates the whole file, then writes it in one transaction (CONTRACT.md §5). */
export function registerImport(program: Command, io: CliIo): void {
  program
    .command('import')
    .description('load orgs, users, tenants and their data from an import file (all or nothing)')
    .argument('<file>', 'UTF-8 JSON import file')
    .action(async (file: string) => {
      await withDb(async (db, config) => {
        const started = process.hrtime.bigint();
        const result = await importJsonFile(db, file, {
          migrationSumBasis: config.migrationSumBasis,
          appTz: config.appTz,
          firstMilestonePct: config.firstMilestonePct,
        });
        await refreshStatistics(db);
        io.out(`${formatImportSummary(result)} in ${seconds(started)} s`);
      });
    });
}
