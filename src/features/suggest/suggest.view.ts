import { L1_VALUES } from '../../domain/enums';
import { canonicalL2, TAXONOMY } from '../../domain/taxonomy';
import { applySuggestion, type Alternative, type Confidence, type RowStatus, type Suggestion } from './suggest.service';

/** What one row's L1/L2/L3 selects show (views/suggest/_selects.ejs). */
export interface SelectState {
  row: string;
  l1: string;
  l2: string;
  l3: string;
  suggested_l1: string;
  suggested_l2: string;
  suggested_l3: string;
  suggestion_confidence: string;
  /** L2 choices: the children of l1, or every L2 grouped by L1 while l1 is empty. */
  l2Groups: { l1: string; l2s: string[] }[];
  l3Options: string[];
  chip: Confidence | null;
  /** Why the chip says what it says (shown beside it): what to add to the note, or why nothing changed. */
  chipNote: string;
  /** The top three statuses with their probabilities, shown on request beside the chip (after Suggest). */
  alternatives: Alternative[];
}

/** Builds the select state so the dropdowns only offer valid children (V-22, V-23). */
export function selectState(
  values: Partial<Omit<SelectState, 'l2Groups' | 'l3Options' | 'chip' | 'chipNote' | 'alternatives'>> & { row: string },
  l3Map: Map<string, string[]>,
  chip: Confidence | null = null,
  chipNote = '',
  alternatives: Alternative[] = [],
): SelectState {
  const l1 = (L1_VALUES as readonly string[]).includes(values.l1 ?? '') ? values.l1! : '';
  // An L2 that is not a child of the chosen L1 is dropped: the select cannot offer it (V-22).
  const l2 = l1 && values.l2 ? (canonicalL2(l1, values.l2) ?? '') : '';
  const l2Groups = TAXONOMY.filter((t) => !l1 || t.l1 === l1)
    .map((t) => ({ l1: t.l1, l2s: t.reasons.map((r) => r.l2) }))
    .filter((g) => g.l2s.length > 0);
  return {
    row: values.row,
    l1,
    l2,
    l3: values.l3 ?? '',
    suggested_l1: values.suggested_l1 ?? '',
    suggested_l2: values.suggested_l2 ?? '',
    suggested_l3: values.suggested_l3 ?? '',
    suggestion_confidence: values.suggestion_confidence ?? '',
    l2Groups,
    l3Options: l1 && l2 ? (l3Map.get(`${l1}|${l2}`) ?? []) : [],
    chip,
    chipNote: chip ? chipNote : '',
    alternatives: chip ? alternatives : [],
  };
}

/** The chip's text: the band in words, so the colour is never the only signal. */
export const CHIP_TEXT: Record<Confidence, string> = {
  high: 'High confidence',
  marginal: 'Marginal confidence',
  poor: 'Poor confidence',
};

/** The short message beside the chip (§6): what the band means for this note and this row. */
export function chipNote(s: Suggestion, kept: boolean, current: RowStatus): string {
  if (kept)
    return current.l1
      ? 'Kept the current L1 / L2 / L3: the note does not say enough to suggest a status. Add what is happening and why.'
      : 'No suggestion: the note does not say enough. Add what is happening and why.';
  if (s.confidence === 'marginal') return 'Check the values: add the main reason to the note.';
  return '';
}

/**
 * The selects of one row after Suggest: the suggestion applied without overwriting a choice with
 * nothing (applySuggestion), the suggestion itself kept in the hidden fields for the save (§6).
 */
export function suggestedState(
  row: string,
  current: RowStatus,
  s: Suggestion,
  l3Map: Map<string, string[]>,
): SelectState {
  const applied = applySuggestion(current, s);
  return selectState(
    {
      row,
      l1: applied.l1,
      l2: applied.l2,
      l3: applied.l3,
      suggested_l1: s.l1,
      suggested_l2: s.l2,
      suggested_l3: s.l3,
      suggestion_confidence: s.confidence,
    },
    l3Map,
    s.confidence,
    chipNote(s, applied.kept, current),
    s.alternatives,
  );
}
