import type { Command } from 'commander';
import { seedDemo } from '../../seeds/demo';
import { refreshStatistics } from '../db/statistics';
import { seedSynthetic } from '../../seeds/synthetic';
import { withBulkJournal } from '../db/bulk-journal';
import { AdminInputError } from '../features/admin/admin.errors';
import { createProgress } from './cli.progress';
import { intOption, seconds, withDb, type CliIo } from './cli.context';

interface SeedOptions {
  demo?: boolean;
  tenants?: string;
  orgs?: string;
  notesPerTenant?: string;
  seed?: string;
}

/** `seed --demo` or `seed --tenants N [--orgs M] [--notes-per-tenant K] [--seed S]`. */
export function registerSeed(program: Command, io: CliIo): void {
  program
    .command('seed')
    .description('load the demo data set (--demo) or a synthetic, deterministic data set (--tenants N)')
    .option('--demo', 'the demo data set (idempotent)')
    .option('--tenants <n>', 'synthetic: number of tenants (1–1,000,000)')
    .option('--orgs <m>', 'synthetic: number of partner orgs (1–999, default 10)')
    .option('--notes-per-tenant <k>', 'synthetic: notes per tenant (0–100, default 3)')
    .option('--seed <s>', 'synthetic: PRNG seed (default 1)')
    .action(async (opts: SeedOptions) => {
      if (opts.demo && opts.tenants !== undefined)
        throw new AdminInputError('use either --demo or --tenants N, not both');
      if (opts.demo) {
        if (opts.orgs !== undefined || opts.notesPerTenant !== undefined || opts.seed !== undefined) {
          throw new AdminInputError('--orgs, --notes-per-tenant and --seed only go with --tenants N');
        }
        await withDb(async (db) => {
          const started = process.hrtime.bigint();
          const { created } = await seedDemo(db, { log: (line) => io.out(`seed: ${line}`) });
          // When nothing was created, seedDemo has already said so through the log callback.
          if (created) io.out(`seed: demo data set loaded in ${seconds(started)} s`);
        });
        return;
      }
      if (opts.tenants === undefined) throw new AdminInputError('seed needs --demo or --tenants N');
      const tenants = intOption('--tenants', opts.tenants, 1, 1_000_000)!;
      const orgs = intOption('--orgs', opts.orgs, 1, 999) ?? 10;
      const notesPerTenant = intOption('--notes-per-tenant', opts.notesPerTenant, 0, 100) ?? 3;
      const seed = intOption('--seed', opts.seed, 0, 0xffffffff) ?? 1;
      if (orgs > tenants) throw new AdminInputError(`--orgs (${orgs}) must not exceed --tenants (${tenants})`);
      await withDb(async (db) => {
        const progress = createProgress('seed', io.out);
        const started = process.hrtime.bigint();
        try {
          const result = await withBulkJournal(db, () =>
            seedSynthetic(db, {
              tenants,
              orgs,
              notesPerTenant,
              seed,
              onProgress: (done, total) => progress.update(done, total),
            }),
          );
          progress.stop();
          // Planner statistics for the freshly loaded tables, so the first server start need not ANALYZE.
          await refreshStatistics(db);
          io.out(
            `seed: ${result.tenants} tenants, ${result.orgs} orgs, ${result.users} users, ${result.notes} notes (seed ${seed}) in ${seconds(started)} s`,
          );
        } finally {
          progress.stop();
        }
      });
    });
}
