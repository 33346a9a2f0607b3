import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Knex } from 'knex';
import { withNotesIndexedAtEnd } from '../../db/notes-fts';
import { AdminInputError, ImportProblemsError } from '../admin/admin.errors';
import { ApplyContext } from './import-apply.context';
import { applyHead, applyTenants } from './import-apply.service';
import { BATCH } from './import-check';
import { unpackBatch, type CheckerData, type FromChecker, type ToChecker } from './import-check.messages';
import { serveChecker } from './import-check.serve';
import { loadImportContext } from './import-context.repo';
import { ImportSyntaxError } from './import.reader';
import type { PlannedTenant } from './import-tenant.rules';
import { resultOf, runOptions, type ImportOptions, type ImportResult } from './import.service';

/**
 * `ftop import FILE` for files of any size (CONTRACT.md §5), inside one transaction: a worker thread
 * reads and checks the file (import-check.ts) while this thread writes what it has checked, through
 * the same writers as the Edit Tenant dialog, so the two cores share the work. A small file is checked
 * on this thread instead (CHECKER_THREAD_FROM_BYTES), in the same steps.
 * - The checker asks for the database context of each batch; the writer answers it before it writes
 *   the batch checked last, so checking batch N + 1 overlaps with writing batch N. Batch N + 1 is
 *   therefore checked against the database with batches up to N − 1 written (the same every run); a
 *   tenant listed twice is reported by the file's own keys either way.
 * - While nothing is wrong, each checked batch is written. From the first problem on, the checker
 *   only checks, so every problem is reported; then the transaction is rolled back and nothing of
 *   the file is kept.
 */

/**
 * About how many bytes of an import file make one stored note (a file note is most of a tenant's bytes,
 * and each status note adds a Service Intent note): the bench's files have 360. An estimate that only
 * decides how the notes are indexed (src/db/notes-fts.ts), never what is written.
 */
const BYTES_PER_NOTE = 400;

/**
 * From this size on, the file is checked in a thread of its own. The thread takes 0.7–1.3 s to start (it
 * loads the rules through tsx), longer than checking and writing a file of a few hundred tenants takes;
 * a smaller file is checked on the writer's thread, by the same checker and the same messages.
 */
export const CHECKER_THREAD_FROM_BYTES = 4_000_000;

export interface StreamOptions {
  /** Bytes of the file read, of its size (a progress bar). */
  progress?: (bytes: number, size: number) => void;
  /** Tenants per checked batch (tests use tiny batches). */
  batchSize?: number;
  /** Check in a thread of its own; by default from CHECKER_THREAD_FROM_BYTES on. */
  thread?: boolean;
}

export async function importJsonFile(
  db: Knex,
  filePath: string,
  options: ImportOptions = {},
  { progress, batchSize = BATCH, thread }: StreamOptions = {},
): Promise<ImportResult> {
  const now = options.now ?? new Date();
  const opts = runOptions(options, now);
  // An unreadable file is reported by the reader, in its words.
  const size = await fs.promises.stat(filePath).then(
    (s) => s.size,
    () => 0,
  );
  const expectedNotes = Math.floor(size / BYTES_PER_NOTE);
  const inThread = thread ?? size >= CHECKER_THREAD_FROM_BYTES;
  try {
    return await db.transaction((trx) =>
      withNotesIndexedAtEnd(trx, { expectedNotes }, async () => {
        const apply = new ApplyContext(trx, { actorId: options.actorId ?? null, now, nativeNotes: false });
        const data = { filePath, opts, progress: !!progress, batchSize };
        const checker = inThread ? startCheckerThread(data) : startCheckerHere(data);
        try {
          let held: PlannedTenant[] | undefined;
          for (;;) {
            const m = await checker.next();
            if (m.type === 'progress') progress?.(m.bytes, m.size);
            else if (m.type === 'head') await applyHead(apply, m.head);
            else if (m.type === 'batch') {
              if (held) await applyTenants(apply, held);
              held = unpackBatch(m.tenants);
            } else if (m.type === 'context') {
              // Answered before the batch checked last is written: the checker works on while this thread writes.
              checker.answer({ id: m.id, ctx: await loadImportContext(trx, m.refs) });
              if (held) await applyTenants(apply, held);
              held = undefined;
            } else if (m.type === 'error') throw checkerError(m);
            else {
              // Throwing rolls back whatever was written before the first problem.
              if (m.problems.length || m.omitted) throw new ImportProblemsError(m.problems, m.omitted);
              if (held) await applyTenants(apply, held);
              return resultOf(apply.counts);
            }
          }
        } finally {
          await checker.stop();
        }
      }),
    );
  } catch (err) {
    // The reader's messages say where in the file; the CLI line says which file.
    if (err instanceof ImportSyntaxError && err.line !== undefined)
      throw new AdminInputError(`${filePath}: ${err.message}`);
    throw err;
  }
}

/** The checker's error, as the class the CLI and the callers know. */
function checkerError(m: Extract<FromChecker, { type: 'error' }>): Error {
  const err =
    m.name === 'ImportSyntaxError'
      ? new ImportSyntaxError(m.message, m.line, m.column)
      : m.name === 'AdminInputError'
        ? new AdminInputError(m.message)
        : new Error(m.message);
  if (m.stack) err.stack = m.stack;
  return err;
}

/** The writer's side of a checker: its messages in order, the answers to its context requests, and stop. */
interface Checker {
  next(): Promise<FromChecker>;
  answer(m: ToChecker): void;
  stop(): Promise<unknown> | void;
}

/** Messages as they arrive, taken in order with `next`; `fail` ends the wait with an error. */
function inbox() {
  const queue: FromChecker[] = [];
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  return {
    push(m: FromChecker) {
      queue.push(m);
      wake?.();
    },
    fail(err: Error) {
      failure ??= err;
      wake?.();
    },
    async next(): Promise<FromChecker> {
      while (!queue.length) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
      return queue.shift()!;
    },
  };
}

/** The checker on this thread, for a small file. */
function startCheckerHere(data: CheckerData): Checker {
  const box = inbox();
  const served = serveChecker(data, box.push);
  return { next: box.next, answer: served.answer, stop: served.stop };
}

/**
 * The checker thread, loaded through tsx's CommonJS hook like the CLI (bin/ftop.js), whichever way
 * this process runs TypeScript.
 */
function startCheckerThread(data: CheckerData): Checker {
  const file = require.resolve('./import-check.worker.ts');
  const worker = new Worker(`require('tsx/cjs'); require(${JSON.stringify(file)});`, {
    eval: true,
    workerData: data,
    // None of this process's flags (a profiler, a preloaded hook); a small young generation keeps the
    // thread's memory down (it holds one batch at a time) at the cost of more scavenges, off the writer's core.
    execArgv: [],
    resourceLimits: { maxYoungGenerationSizeMb: 8 },
  });
  const box = inbox();
  worker.on('message', box.push);
  worker.on('error', box.fail);
  worker.on('exit', (code) => box.fail(new Error(`the import's checker stopped (exit code ${code})`)));
  return {
    next: box.next,
    answer: (m: ToChecker) => worker.postMessage(m),
    stop: () => worker.terminate(),
  };
}
