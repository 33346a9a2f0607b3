/**
 * `npm run eval:suggest`: stratified k-fold cross-validation on the Suggest training set, accuracy on
 * the held-out evaluation notes, band calibration, latency and memory; prints the report and writes
 * it to docs/suggest-eval.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import prettier from 'prettier';
import { crossValidate, scoreWith } from '../src/features/suggest/eval/metrics';
import { renderReport } from '../src/features/suggest/eval/report';
import { Classifier } from '../src/features/suggest/model/classifier';
import { readNotes, shippedTrainingSet } from '../src/features/suggest/model/notes-file';

const K = 5;
const round = (n: number, d = 3) => Math.round(n * 10 ** d) / 10 ** d;
const gc = (globalThis as { gc?: () => void }).gc;

const training = shippedTrainingSet();
const held = readNotes('eval-notes.txt');
const cv = crossValidate(training, K);

gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const started = performance.now();
const model = Classifier.build(training);
const buildMs = round(performance.now() - started, 1);
gc?.();
const heapMb = round((process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024, 1);

const scored = scoreWith(model, held);
const times: number[] = [];
for (let i = 0; i < 20; i++)
  for (const e of held) {
    const t = performance.now();
    model.predict(e.text);
    times.push(performance.now() - t);
  }
times.sort((a, b) => a - b);
const at = (q: number) => round(times[Math.min(times.length - 1, Math.floor(q * times.length))]);

const report = renderReport(K, cv, scored, {
  buildMs,
  p50Ms: at(0.5),
  p99Ms: at(0.99),
  heapMb,
  examples: training.length,
  features: model.model.logLik.size,
});
const file = path.resolve(__dirname, '..', 'docs', 'suggest-eval.md');
void (async () => {
  const formatted = await prettier.format(report, { ...(await prettier.resolveConfig(file)), filepath: file });
  fs.writeFileSync(file, formatted);
  process.stdout.write(formatted);
})();
