import type { ImportContext } from './import-context.repo';
import { checkImportFile } from './import-check';
import { packBatch, type CheckerData, type FromChecker, type ToChecker } from './import-check.messages';

/**
 * Runs the import's checker (checkImportFile) and talks to the writer by messages, wherever it runs:
 * in the checker thread (import-check.worker.ts) or, for a small file, on the writer's own thread
 * (import-stream.ts). A context is asked for by id and answered by the writer; everything else flows
 * one way. Any error ends the check and is handed over with the fields the CLI prints.
 * Returns what takes the writer's answers, and `stop`, which makes a waiting checker give up.
 */
export function serveChecker(
  data: CheckerData,
  send: (m: FromChecker) => void,
): { answer(m: ToChecker): void; stop(): void } {
  const waiting = new Map<number, { resolve(ctx: ImportContext): void; reject(err: Error): void }>();
  let asked = 0;
  let stopped = false;
  void checkImportFile(
    data.filePath,
    data.opts,
    {
      context: (refs) =>
        new Promise((resolve, reject) => {
          if (stopped) return reject(new Error('the import stopped'));
          waiting.set(++asked, { resolve, reject });
          send({ type: 'context', id: asked, refs });
        }),
      head: (head) => send({ type: 'head', head }),
      batch: (tenants) => send({ type: 'batch', tenants: packBatch(tenants) }),
      progress: data.progress ? (bytes, size) => send({ type: 'progress', bytes, size }) : undefined,
    },
    data.batchSize,
  ).then(
    (result) => send({ type: 'done', ...result }),
    (err: unknown) => {
      const e = err as Error & { line?: number; column?: number };
      send({ type: 'error', name: e.name, message: e.message, stack: e.stack, line: e.line, column: e.column });
    },
  );
  return {
    answer(m) {
      waiting.get(m.id)?.resolve(m.ctx);
      waiting.delete(m.id);
    },
    stop() {
      stopped = true;
      for (const w of waiting.values()) w.reject(new Error('the import stopped'));
      waiting.clear();
    },
  };
}
