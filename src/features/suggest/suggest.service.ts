import type { L1 } from '../../domain/enums';
import type { Confidence } from './model/bands';
import { currentModel } from './suggest.model';

export type { Confidence };

/** One alternative status with its probability (its L2 is a child of its L1). */
export interface Alternative {
  l1: L1;
  l2: string;
  l3: string;
  probability: number;
}

export interface Suggestion {
  l1: L1 | '';
  l2: string;
  l3: string;
  confidence: Confidence;
  /** The three most probable statuses, best first (the first is the proposal unless it is poor). */
  alternatives: Alternative[];
}

export interface SuggestOptions {
  /** Service code (not used by the model yet: the training notes carry no service). */
  service?: string;
  /** The row's current L1 (not used by the model: a suggestion must not echo the row). */
  l1?: string;
}

/** The seam behind suggest(): same input, same output shape, whatever the model. */
export interface Suggester {
  suggest(text: string, opts?: SuggestOptions): Suggestion;
}

/**
 * The learned suggester (naive Bayes over the taxonomy leaves, docs/decisions.md "Suggest model"):
 * the L2 is always a child of the L1, the L3 only when the taxonomy has one under that L2. A poor note
 * proposes nothing (the row keeps its choice) but still lists the alternatives.
 */
export const learnedSuggester: Suggester = {
  suggest(text) {
    const p = currentModel().predict(text);
    const alternatives = p.ranked.map((a) => ({ ...a, l1: a.l1 as L1 }));
    if (p.confidence === 'poor') return { l1: '', l2: '', l3: '', confidence: 'poor', alternatives };
    return { l1: p.l1 as L1, l2: p.l2, l3: p.l3, confidence: p.confidence, alternatives };
  },
};

/** The suggester in use. */
export function suggest(text: string, opts: SuggestOptions = {}): Suggestion {
  return learnedSuggester.suggest(text.slice(0, 2000), opts);
}

/** A row's chosen L1 / L2 / L3, as the form holds them ('' for none). */
export interface RowStatus {
  l1: string;
  l2: string;
  l3: string;
}

/**
 * What a row shows after Suggest (DOMAIN.md §6, issue point 6): a suggestion never overwrites a
 * choice with nothing. A poor note (or no L1) keeps the row's L1 / L2 / L3 (`kept`); a suggestion for
 * the same L1 without a reason keeps the row's L2 (and its L3 under the same L2).
 */
export function applySuggestion(current: RowStatus, s: Suggestion): RowStatus & { kept: boolean } {
  if (s.confidence === 'poor' || !s.l1) return { ...current, kept: true };
  const l2 = s.l2 || (s.l1 === current.l1 ? current.l2 : '');
  const l3 = s.l3 || (s.l1 === current.l1 && l2 === current.l2 ? current.l3 : '');
  return { l1: s.l1, l2, l3, kept: false };
}
