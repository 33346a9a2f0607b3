import { TAXONOMY } from '../../../domain/taxonomy';
import { bandOf, type Confidence } from './bands';
import { posterior, train, type Example, type NbModel } from './nb';
import { splitLeaf } from './notes-file';
import { wordCount } from './features';

export type { Confidence };

/** One candidate status with its probability (the L2 is always a child of the L1). */
export interface Alternative {
  l1: string;
  l2: string;
  l3: string;
  probability: number;
}

/** The raw prediction: the best leaf of the best L1, the band inputs and the top alternatives. */
export interface Prediction {
  l1: string;
  l2: string;
  l3: string;
  confidence: Confidence;
  /** The best L2 under the L1 even when its P(L2 | L1) is too low to propose it (evaluation). */
  bestL2: string;
  /** P(L1), P(L1, L2) and the margin of the chosen leaf over the runner-up leaf. */
  pL1: number;
  pLeaf: number;
  margin: number;
  /** The three most probable leaves, best first (the first is the proposal). */
  ranked: Alternative[];
}

/** L3 only when the taxonomy has exactly one under that L2 (today it has none: always ''). */
function l3Of(l1: string, l2: string): string {
  const ers = TAXONOMY.find((t) => t.l1 === l1)?.reasons.find((r) => r.l2 === l2)?.engineering_reasons ?? [];
  return ers.length === 1 ? ers[0] : '';
}

/** Fewer known word/bigram features than this is not enough information: poor. */
const MIN_EVIDENCE = 2;
/** Below this P(L2 | L1) the reason is unclear: the L1 is proposed without an L2 (§6 marginal). */
const MIN_L2_GIVEN_L1 = 0.5;

const round = (p: number) => Math.round(p * 1000) / 1000;

/** The learned Suggest classifier (naive Bayes over taxonomy leaves; docs/decisions.md). */
export class Classifier {
  private constructor(readonly model: NbModel) {}

  static build(examples: Example[]): Classifier {
    return new Classifier(train(examples));
  }

  predict(text: string): Prediction {
    const { probs, knownWords } = posterior(this.model, text);
    const labels = this.model.labels.map(splitLeaf);
    // P(L1) sums its leaves; the proposal is the best leaf under the best L1 (child-of-parent by construction).
    const byL1 = new Map<string, number>();
    labels.forEach((lab, i) => byL1.set(lab.l1, (byL1.get(lab.l1) ?? 0) + probs[i]));
    const order = labels.map((_, i) => i).sort((a, b) => probs[b] - probs[a] || a - b);
    const bestL1 = [...byL1.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
    const top = order.find((i) => labels[i].l1 === bestL1)!;
    const runnerUp = order.find((i) => i !== top)!;
    const ranked = [top, ...order.filter((i) => i !== top)].slice(0, 3).map((i) => ({
      l1: labels[i].l1,
      l2: labels[i].l2,
      l3: l3Of(labels[i].l1, labels[i].l2),
      probability: round(probs[i]),
    }));
    const pL1 = byL1.get(bestL1)!;
    const pLeaf = probs[top];
    const margin = pLeaf - probs[runnerUp];
    const confidence = knownWords < MIN_EVIDENCE || wordCount(text) < 3 ? 'poor' : bandOf(pL1, pLeaf, margin);
    const l1 = labels[top].l1;
    const l2 = pLeaf / pL1 >= MIN_L2_GIVEN_L1 ? labels[top].l2 : '';
    return { l1, l2, l3: l2 ? l3Of(l1, l2) : '', bestL2: labels[top].l2, confidence, pL1, pLeaf, margin, ranked };
  }
}
