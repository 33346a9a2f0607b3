import { features } from './features';

/** One labelled note: `label` is a leaf of the taxonomy, `L1|L2` (`Duplicate/Invalid|`). */
export interface Example {
  text: string;
  label: string;
  /** Weight of the example in the counts (1 for shipped and written notes). */
  weight?: number;
}

/** A trained multinomial naive Bayes model over feature bags (binary counts, Laplace smoothing). */
export interface NbModel {
  labels: string[];
  logPrior: Float64Array;
  /** feature → log P(feature | label) for every label. */
  logLik: Map<string, Float64Array>;
  /** log P(unseen-in-class feature | label). */
  logUnseen: Float64Array;
  /** Softmax temperature per feature: posteriors are computed from log-joint / (1 + n·TEMP). */
  temp: number;
}

const ALPHA = 0.1;
/** Softens naive Bayes' overconfidence: the log-joint is divided by 1 + TEMP × (number of features). */
const TEMP = 0.15;

/** Trains the model; labels are sorted so the same examples always give the same model. */
export function train(examples: Example[]): NbModel {
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  const index = new Map(labels.map((l, i) => [l, i]));
  const k = labels.length;
  const docs = new Float64Array(k);
  const totals = new Float64Array(k);
  const counts = new Map<string, Float64Array>();
  for (const e of examples) {
    const c = index.get(e.label)!;
    const w = e.weight ?? 1;
    docs[c] += w;
    for (const f of features(e.text)) {
      let row = counts.get(f);
      if (!row) counts.set(f, (row = new Float64Array(k)));
      row[c] += w;
      totals[c] += w;
    }
  }
  const vocab = counts.size;
  const nDocs = docs.reduce((a, b) => a + b, 0);
  // Uniform-ish prior: the shipped examples are balanced by design, real rows are not.
  const logPrior = docs.map((d) => Math.log((d + 1) / (nDocs + k)) * 0.2);
  const denom = totals.map((t) => Math.log(t + ALPHA * vocab));
  const logUnseen = denom.map((d) => Math.log(ALPHA) - d);
  const logLik = new Map<string, Float64Array>();
  for (const [f, row] of counts)
    logLik.set(
      f,
      row.map((n, c) => Math.log(n + ALPHA) - denom[c]),
    );
  return { labels, logPrior, logLik, logUnseen, temp: TEMP };
}

/**
 * Posterior probability of every label for a note (sums to 1) from the features the model knows;
 * `knownWords` counts the known word and bigram features (character n-grams alone are not evidence).
 */
export function posterior(model: NbModel, text: string): { probs: Float64Array; known: number; knownWords: number } {
  const k = model.labels.length;
  const score = Float64Array.from(model.logPrior);
  let known = 0;
  let knownWords = 0;
  for (const f of features(text)) {
    const row = model.logLik.get(f);
    if (!row) continue;
    known++;
    if (!f.startsWith('c:')) knownWords++;
    for (let c = 0; c < k; c++) score[c] += row[c];
  }
  const t = 1 + model.temp * known;
  let max = -Infinity;
  for (let c = 0; c < k; c++) max = Math.max(max, score[c] / t);
  let sum = 0;
  const probs = new Float64Array(k);
  for (let c = 0; c < k; c++) sum += probs[c] = Math.exp(score[c] / t - max);
  for (let c = 0; c < k; c++) probs[c] /= sum;
  return { probs, known, knownWords };
}
