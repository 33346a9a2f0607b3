import type { Command } from 'commander';
import { AdminInputError } from '../features/admin/admin.errors';
import { PER_USER_CAP, skipReason, trainingFromRows } from '../features/suggest/corrections';
import { correctionRows, raiseGeneration, setExcluded } from '../features/suggest/corrections.repo';
import { retrainFromDb } from '../features/suggest/corrections.service';
import { withDb, type CliIo } from './cli.context';

const ID = /^\d{1,9}$/;

/**
 * `suggest:retrain` (rebuild the Suggest model from the shipped examples plus the committed rows, and
 * say what it was trained on) and `suggest:corrections [--exclude ID] [--include ID]` (list the rows
 * the model learns from, one JSON line each; exclude a row from training or include it again).
 */
export function registerSuggestAdmin(program: Command, io: CliIo): void {
  program
    .command('suggest:retrain')
    .description('rebuild the Suggest model from the shipped examples plus the committed status rows')
    .action(async () => {
      await withDb(async (db) => {
        const r = await retrainFromDb(db);
        // Every running server rebuilds its own model before its next suggestion.
        const generation = await raiseGeneration(db, new Date().toISOString());
        io.out(
          `suggest:retrain: ${r.examples} examples (${r.corrections} from status rows, at most ${PER_USER_CAP} per user) in ${r.ms} ms; running servers rebuild (model generation ${generation})`,
        );
      });
    });
  program
    .command('suggest:corrections')
    .description('list the status rows Suggest learns from; exclude or include one')
    .option('--exclude <id>', 'exclude this status row from training')
    .option('--include <id>', 'include this status row in training again')
    .action(async (opts: { exclude?: string; include?: string }) => {
      await withDb(async (db) => {
        const change = opts.exclude ?? opts.include;
        if (change !== undefined) {
          if (!ID.test(change)) throw new AdminInputError(`not a status row id: ${change}`);
          const now = new Date().toISOString();
          const done = await setExcluded(db, Number(change), opts.exclude !== undefined, now);
          if (!done) throw new AdminInputError(`no status row ${change}`);
          await raiseGeneration(db, now);
          io.out(`suggest:corrections: row ${change} ${opts.exclude !== undefined ? 'excluded' : 'included'}`);
          return;
        }
        const rows = await correctionRows(db);
        const used = new Set(trainingFromRows(rows).map((e) => `${e.label}\n${e.text}`));
        for (const r of rows) {
          const trains = used.has(`${r.l1}|${r.l2 ?? ''}\n${r.note}`);
          const why = skipReason(r) || (trains ? '' : 'over the per-user cap');
          io.out(
            JSON.stringify({
              id: r.id,
              note: r.note,
              l1: r.l1,
              l2: r.l2,
              suggested_l1: r.suggested_l1,
              suggested_l2: r.suggested_l2,
              overridden: r.overridden,
              user: r.created_by,
              trains: !why,
              ...(why ? { skipped: why } : {}),
            }),
          );
        }
      });
    });
}
