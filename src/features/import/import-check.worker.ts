import { parentPort, workerData } from 'node:worker_threads';
import type { CheckerData, FromChecker } from './import-check.messages';
import { serveChecker } from './import-check.serve';

/** The checker thread of `ftop import` (started by import-stream.ts for a large file): the checker on a port. */
const port = parentPort!;
const { answer } = serveChecker(workerData as CheckerData, (m: FromChecker) => port.postMessage(m));
port.on('message', answer);
