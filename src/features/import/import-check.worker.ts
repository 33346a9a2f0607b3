import { parentPort, workerData } from 'node:worker_threads';
import type { ImportContext } from './import-context.repo';
import { checkImportFile } from './import-check';
import { packBatch, type CheckerData, type FromChecker, type ToChecker } from './import-check.messages';

/**
 * The worker thread of `ftop import` (started by import-stream.ts): runs checkImportFile and talks to
 * the writer by messages. A context is asked for by id and answered by the writer; everything else
 * flows one way. Any error ends the check and is handed over with the fields the CLI prints.
 */
const port = parentPort!;
const data = workerData as CheckerData;
const send = (m: FromChecker) => port.postMessage(m);

const waiting = new Map<number, (ctx: ImportContext) => void>();
let asked = 0;
port.on('message', (m: ToChecker) => {
  waiting.get(m.id)?.(m.ctx);
  waiting.delete(m.id);
});

checkImportFile(
  data.filePath,
  data.opts,
  {
    context: (refs) =>
      new Promise((resolve) => {
        waiting.set(++asked, resolve);
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
