import type { SessionUser } from '../../auth/users.repo';
import type { Config } from '../../config';
import type { Db } from '../../db/db';
import { applySuggestion, suggest, type Alternative, type Confidence } from '../suggest/suggest.service';
import { chipNote } from '../suggest/suggest.view';
import { emptyStatus, FormAction, GridState, RowMode, ServiceForm } from './services.schemas';
import { SectionContext, storedForm, validateAndSave } from './services.service';
import {
  blockingSections,
  checkedMode,
  placeErrors,
  receiverChoices,
  sourceChoices,
  withPending,
} from './services-rows';

/**
 * The Entitlement Status grid's row editing (DOMAIN.md §5.4 B1): which part of the grid is open, and
 * the commits of one row (Update, Add, Remove) through the one section save (validateAndSave) with
 * every other row and section as stored — so V-26 and V-40…V-42, V-50 still hold on every commit.
 */

export interface GridView {
  form: ServiceForm;
  state: GridState;
  /** Suggest without JS: the confidence chip and its message for one row. */
  chips?: Record<number, { chip: Confidence; note: string; alternatives?: Alternative[] }>;
}

/**
 * The grid after an action that only re-renders (nothing saved): Edit opens a row, Cancel closes it
 * (the stored rows back), Add Entitlement Status opens the new-row editor, Remove asks for a receiver,
 * Suggest pre-fills the open row (§6: a poor note keeps the row's choice).
 */
export function openGrid(ctx: SectionContext, form: ServiceForm, action: FormAction, state: GridState): GridView {
  const mode = checkedMode(state.mode, form);
  const base = { ...state, mode };
  const closed = mode.kind === 'view';
  switch (action.kind) {
    case 'edit':
      return closed && form.statuses[action.index]?.id
        ? { form, state: { ...base, mode: { kind: 'edit', index: action.index } } }
        : { form, state: base };
    case 'cancel':
      return { form: { ...form, statuses: storedForm(ctx).statuses }, state: { ...base, mode: { kind: 'view' } } };
    case 'add_status': {
      if (!closed || form.statuses.length >= 100) return { form, state: base };
      const statuses = [...form.statuses, emptyStatus()];
      const move_from = sourceChoices(form.statuses).preferred;
      return {
        form: { ...form, statuses },
        state: { ...base, mode: { kind: 'add' }, move_from, move_entitlements: '' },
      };
    }
    case 'remove': {
      if (!closed || !form.statuses[action.index]?.id) return { form, state: base };
      const receiver = receiverChoices(form.statuses, action.index).preferred;
      return { form, state: { ...base, mode: { kind: 'remove', index: action.index }, receiver } };
    }
    case 'suggest': {
      const row = form.statuses[action.index];
      if (!row) return { form, state: base };
      const open: RowMode = closed && row.id ? { kind: 'edit', index: action.index } : mode;
      const s = suggest(row.note, { service: ctx.ts.code, l1: row.l1 });
      const applied = applySuggestion(row, s);
      const statuses = [...form.statuses];
      statuses[action.index] = {
        ...row,
        l1: applied.l1,
        l2: applied.l2,
        l3: applied.l3,
        suggested_l1: s.l1,
        suggested_l2: s.l2,
        suggested_l3: s.l3,
        suggestion_confidence: s.confidence,
      };
      const chips = {
        [action.index]: { chip: s.confidence, note: chipNote(s, applied.kept, row), alternatives: s.alternatives },
      };
      return { form: { ...form, statuses }, state: { ...base, mode: open }, chips };
    }
    default:
      return { form, state: base };
  }
}

export type GridOutcome =
  | { saved: true; warnings: string[]; changed: { l1: string; l2: string; l3: string } | null }
  | {
      saved: false;
      errors: Record<string, string>;
      warnings: string[];
      /** Only Data Migration / the scenario stop the save: the row says so and links to them. */
      blocked: { migration: boolean; scenario: boolean } | null;
    };

/**
 * Saves the section with the open row change. `oneRow` (Update, Add, Remove): that change alone, every
 * other row and section as stored; otherwise (the tab's Save) the posted form with the open change
 * applied. Every problem comes back placed where the form shows it; nothing is saved then. Throws
 * Conflict (409) on a stale version, Forbidden (403) for a read-only user.
 */
export async function saveGrid(
  db: Db,
  config: Config,
  ctx: SectionContext,
  posted: ServiceForm,
  state: GridState,
  user: SessionUser,
  oneRow: boolean,
): Promise<GridOutcome> {
  const mode = checkedMode(state.mode, posted);
  const stored = storedForm(ctx);
  const base = oneRow ? stored : posted;
  const rows = mode.kind === 'add' && !oneRow ? posted.statuses.slice(0, -1) : base.statuses;
  const pending = withPending(rows, posted.statuses, mode, state, oneRow);
  const form = { ...base, version: posted.version, statuses: pending.statuses };
  const own = Object.keys(pending.errors).length > 0;
  const checked = await validateAndSave(db, config, ctx, form, user, { dryRun: own });
  const errors = placeErrors(checked.errors, pending, mode, oneRow);
  if (Object.keys(errors).length === 0) {
    const row = pending.statuses[pending.active];
    return { saved: true, warnings: checked.warnings, changed: row ? { l1: row.l1, l2: row.l2, l3: row.l3 } : null };
  }
  return { saved: false, errors, warnings: checked.warnings, blocked: oneRow ? blockingSections(errors) : null };
}
