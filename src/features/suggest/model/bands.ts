/** DOMAIN.md §6 confidence bands. */
export type Confidence = 'high' | 'marginal' | 'poor';

/**
 * Confidence bands (docs/decisions.md, "Suggest bands"), calibrated by `npm run eval:suggest` on
 * held-out folds so that the L1 of a `high` suggestion is right at least 95% of the time:
 * - high: P(L1) ≥ HIGH_L1, P(L1, L2) ≥ HIGH_LEAF and the leaf leads the runner-up by ≥ HIGH_MARGIN;
 * - poor: P(L1) < POOR_L1 (or fewer than three words, or no known word: decided by the caller);
 * - marginal: everything in between (intent fairly clear, reason less so).
 */
export const BANDS = { HIGH_L1: 0.97, HIGH_LEAF: 0.8, HIGH_MARGIN: 0.5, POOR_L1: 0.5 } as const;

export function bandOf(pL1: number, pLeaf: number, margin: number): Confidence {
  if (pL1 >= BANDS.HIGH_L1 && pLeaf >= BANDS.HIGH_LEAF && margin >= BANDS.HIGH_MARGIN) return 'high';
  if (pL1 < BANDS.POOR_L1) return 'poor';
  return 'marginal';
}
