import { TAXONOMY } from '../../domain/taxonomy';
import { GridState, RowMode, rowModeValue, STATUS_KEYS, type ServiceForm } from './services.schemas';
import { checkedMode, receiverChoices, sourceChoices } from './services-rows';
import type { SectionContext } from './services.service';

export interface GridExtras {
  state?: GridState;
  /** A row commit stopped only by Data Migration / the Engagement Scenario (V-40…V-42, V-50). */
  blocked?: { migration: boolean; scenario: boolean } | null;
  /** The row a commit just changed or gave entitlements to (highlighted after the save). */
  changed?: { l1: string; l2: string; l3: string } | null;
}

const CLOSED: GridState = { mode: { kind: 'view' }, move_from: '', move_entitlements: '', receiver: '' };

/**
 * What an L1 allows, for the browser's help only (public/js/grid.js hides and disables the fields an
 * L1 cannot have): read from the taxonomy's rule flags, the same ones checkStatusGrid enforces (V-24, V-25).
 */
const L1_FIELDS = Object.fromEntries(
  TAXONOMY.map((t) => [t.l1, { target_date: t.rules.target_date_allowed, owner: t.rules.owner_allowed }]),
);
const listed = (l1s: string[]) => l1s.join(l1s.length > 2 ? ', ' : ' and ');
const FIELD_HINTS = {
  target_date: `Only for ${listed(TAXONOMY.filter((t) => t.rules.target_date_allowed).map((t) => t.l1))}.`,
  owner: `Not for ${listed(TAXONOMY.filter((t) => !t.rules.owner_allowed).map((t) => t.l1))}.`,
};

/** The first row with a problem, opened after a 422 of the tab's Save so its messages sit at inputs. */
function firstRowWithError(form: ServiceForm, errors: Record<string, string>): RowMode {
  const i = form.statuses.findIndex((r, j) => r.id && Object.keys(errors).some((k) => k.startsWith(`statuses[${j}][`)));
  return i >= 0 ? { kind: 'edit', index: i } : { kind: 'view' };
}

/** Locals for views/services/_grid.ejs (available there as `grid`). */
export function gridLocals(
  ctx: SectionContext,
  form: ServiceForm,
  extras: GridExtras = {},
  errors: Record<string, string> = {},
) {
  const state = extras.state ?? CLOSED;
  let mode = checkedMode(state.mode, form);
  if (mode.kind === 'view' && !ctx.readOnly) mode = firstRowWithError(form, errors);
  const adding = mode.kind === 'add';
  const rows = adding ? form.statuses.slice(0, -1) : form.statuses;
  const changed = extras.changed;
  return {
    mode,
    modeValue: rowModeValue(mode),
    defaultAction:
      mode.kind === 'view'
        ? 'save'
        : mode.kind === 'add'
          ? 'add'
          : `${mode.kind === 'edit' ? 'update' : 'remove'}:${mode.index}`,
    open: mode.kind !== 'view',
    editing: mode.kind === 'edit' ? mode.index : -1,
    removing: mode.kind === 'remove' ? mode.index : -1,
    draftIndex: adding ? form.statuses.length - 1 : -1,
    rowCount: rows.length,
    state,
    sources: adding ? sourceChoices(rows) : null,
    receivers: mode.kind === 'remove' ? receiverChoices(form.statuses, mode.index) : null,
    /** Rows that can be removed: some other row (or a new Status Unknown row) can take their entitlements. */
    removable: rows.map((_, i) => receiverChoices(rows, i).choices.length > 0),
    highlight: changed ? rows.findIndex((r) => r.l1 === changed.l1 && r.l2 === changed.l2 && r.l3 === changed.l3) : -1,
    /** The hidden fields of a read-only row (the tab's Save posts every row). */
    keys: STATUS_KEYS,
    l1Fields: JSON.stringify(L1_FIELDS),
    hints: FIELD_HINTS,
    blocked: extras.blocked ?? null,
  };
}
