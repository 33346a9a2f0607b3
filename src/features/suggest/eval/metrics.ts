import { Classifier, type Prediction } from '../model/classifier';
import type { Example } from '../model/nb';
import { leaf, splitLeaf } from '../model/notes-file';

/** One scored prediction of a held-out note. */
export interface Scored {
  truth: { l1: string; l2: string };
  pred: Prediction;
}

/** Stratified k folds: each label's examples dealt round-robin in a fixed order (deterministic). */
export function stratifiedFolds(examples: Example[], k: number): Example[][] {
  const folds: Example[][] = Array.from({ length: k }, () => []);
  const byLabel = new Map<string, Example[]>();
  for (const e of examples) byLabel.set(e.label, [...(byLabel.get(e.label) ?? []), e]);
  let offset = 0;
  for (const label of [...byLabel.keys()].sort()) {
    byLabel.get(label)!.forEach((e, i) => folds[(i + offset) % k].push(e));
    offset++;
  }
  return folds;
}

/** Cross-validated predictions: each fold scored by a model trained on the others. */
export function crossValidate(examples: Example[], k: number): Scored[] {
  const folds = stratifiedFolds(examples, k);
  return folds.flatMap((test, i) => {
    const model = Classifier.build(folds.filter((_, j) => j !== i).flat());
    return test.map((e) => ({ truth: splitLeaf(e.label), pred: model.predict(e.text) }));
  });
}

export const scoreWith = (model: Classifier, examples: Example[]): Scored[] =>
  examples.map((e) => ({ truth: splitLeaf(e.label), pred: model.predict(e.text) }));

const pct = (n: number, d: number) => (d ? Math.round((1000 * n) / d) / 10 : 0);
const l1Right = (s: Scored) => s.pred.l1 === s.truth.l1;
const leafRight = (s: Scored) => l1Right(s) && s.pred.bestL2 === s.truth.l2;

/** Accuracy of L1 and of L2 (L1 and L2 both right), in percent. */
export function accuracy(scored: Scored[]): { l1: number; l2: number; n: number } {
  return {
    l1: pct(scored.filter(l1Right).length, scored.length),
    l2: pct(scored.filter(leafRight).length, scored.length),
    n: scored.length,
  };
}

/** Recall per class: per L1 and per leaf (`L1|L2`). */
export function recall(scored: Scored[], level: 'l1' | 'leaf'): { label: string; recall: number; n: number }[] {
  const key = (t: { l1: string; l2: string; bestL2?: string }) =>
    level === 'l1' ? t.l1 : leaf(t.l1, t.bestL2 ?? t.l2);
  const labels = [...new Set(scored.map((s) => key(s.truth)))].sort();
  return labels.map((label) => {
    const mine = scored.filter((s) => key(s.truth) === label);
    return { label, recall: pct(mine.filter((s) => key(s.pred) === label).length, mine.length), n: mine.length };
  });
}

/** L1 confusion counts: truth → predicted → count. */
export function confusion(scored: Scored[]): Map<string, Map<string, number>> {
  const m = new Map<string, Map<string, number>>();
  for (const s of scored) {
    const row = m.get(s.truth.l1) ?? new Map<string, number>();
    row.set(s.pred.l1, (row.get(s.pred.l1) ?? 0) + 1);
    m.set(s.truth.l1, row);
  }
  return m;
}

/** Calibration of each band: how many predictions fall in it and how often L1 and L2 are right. */
export function bandCalibration(scored: Scored[]): { band: string; n: number; l1: number; l2: number }[] {
  return (['high', 'marginal', 'poor'] as const).map((band) => {
    const mine = scored.filter((s) => s.pred.confidence === band);
    return {
      band,
      n: mine.length,
      l1: pct(mine.filter(l1Right).length, mine.length),
      l2: pct(mine.filter(leafRight).length, mine.length),
    };
  });
}
