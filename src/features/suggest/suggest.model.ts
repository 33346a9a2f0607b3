import { Classifier } from './model/classifier';
import type { Example } from './model/nb';
import { shippedTrainingSet } from './model/notes-file';

/**
 * The model in use (one per process): built from the shipped training set on first use, rebuilt from
 * the shipped set plus the partners' corrections at start-up and by `suggest:retrain`.
 */
let current: { classifier: Classifier; size: number; corrections: number } | null = null;

export function currentModel(): Classifier {
  if (!current)
    current = { classifier: Classifier.build(shippedTrainingSet()), size: shippedTrainingSet().length, corrections: 0 };
  return current.classifier;
}

/** Rebuilds the model from the shipped set plus `corrections`; returns what it was trained on. */
export function rebuildModel(corrections: Example[] = []): { examples: number; corrections: number; ms: number } {
  const started = performance.now();
  const examples = [...shippedTrainingSet(), ...corrections];
  current = { classifier: Classifier.build(examples), size: examples.length, corrections: corrections.length };
  return { examples: examples.length, corrections: corrections.length, ms: Math.round(performance.now() - started) };
}

/** What the model in use was trained on. */
export const modelInfo = (): { examples: number; corrections: number } => {
  currentModel();
  return { examples: current!.size, corrections: current!.corrections };
};
