import type { Example } from './model/nb';
import { leaf, LEAVES } from './model/notes-file';
import { wordCount } from './model/features';

/** One committed status row as Suggest's training sees it (suggest_corrections in corrections.repo). */
export interface CorrectionRow {
  id: number;
  note: string;
  l1: string;
  l2: string | null;
  suggested_l1: string | null;
  suggested_l2: string | null;
  overridden: boolean;
  created_by: number | null;
  updated_at: string;
  excluded: boolean;
}

/**
 * At most this many rows per user feed the model (their newest), so one user cannot flood the
 * training set (docs/decisions.md, "Learning from corrections").
 */
export const PER_USER_CAP = 20;
/** A row counts with this weight (a shipped example counts 1). */
export const CORRECTION_WEIGHT = 1;

/** Why a row does not train the model, or '' when it does (before the per-user cap). */
export function skipReason(r: CorrectionRow): string {
  if (r.excluded) return 'excluded';
  if (wordCount(r.note) < 3) return 'note under 3 words';
  if (!LEAVES.has(leaf(r.l1, r.l2 ?? ''))) return 'no L2';
  return '';
}

/**
 * The rows that can still train the model, read page by page: per user only the `cap` newest rows that
 * pass skipReason, so memory follows the number of users, not of rows. trainingFromRows(kept()) is
 * trainingFromRows of every row added.
 */
export class TrainableRows {
  private readonly byUser = new Map<string, CorrectionRow[]>();
  constructor(private readonly cap = PER_USER_CAP) {}

  add(rows: CorrectionRow[]): void {
    for (const r of rows) {
      if (skipReason(r)) continue;
      const who = String(r.created_by ?? 'none');
      const list = this.byUser.get(who) ?? [];
      if (!list.length) this.byUser.set(who, list);
      list.push(r);
      if (list.length >= 2 * this.cap) list.splice(0, list.length, ...newest(list).slice(0, this.cap));
    }
  }

  kept(): CorrectionRow[] {
    return [...this.byUser.values()].flat();
  }
}

const newest = (rows: CorrectionRow[]) =>
  [...rows].sort((a, b) => b.updated_at.localeCompare(a.updated_at) || b.id - a.id);

/**
 * The training examples from the committed rows: notes of at least three words whose chosen L1/L2 is a
 * taxonomy leaf, not excluded, at most `cap` per user (newest first; rows without a user share one cap).
 */
export function trainingFromRows(rows: CorrectionRow[], cap = PER_USER_CAP): Example[] {
  const perUser = new Map<string, number>();
  const newestFirst = newest(rows);
  const out: Example[] = [];
  for (const r of newestFirst) {
    if (skipReason(r)) continue;
    const who = String(r.created_by ?? 'none');
    const n = perUser.get(who) ?? 0;
    if (n >= cap) continue;
    perUser.set(who, n + 1);
    out.push({ text: r.note, label: leaf(r.l1, r.l2 ?? ''), weight: CORRECTION_WEIGHT });
  }
  return out.sort((a, b) => a.label.localeCompare(b.label) || a.text.localeCompare(b.text));
}
