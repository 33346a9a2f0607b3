import { NEW_SUBSCRIPTION } from '../../domain/taxonomy';
import { isCount, MESSAGES } from '../../domain/values';
import { GridState, RowMode, ServiceForm, StatusInput } from './services.schemas';

/**
 * The Entitlement Status grid's row changes (DOMAIN.md §5.4 B1): edit one row, add a row that takes N
 * entitlements from another, remove a row whose entitlements go to a receiver. Pure: each builds the
 * grid as it would be stored, and the section save checks it with the same rule functions as ever.
 */

/** The open part of the grid, checked against the posted rows (a stale or forged index opens nothing). */
export function checkedMode(mode: RowMode, form: ServiceForm): RowMode {
  const rows = form.statuses;
  if ((mode.kind === 'edit' || mode.kind === 'remove') && rows[mode.index]?.id) return mode;
  if (mode.kind === 'add' && rows.length > 0 && !rows[rows.length - 1].id) return mode;
  return { kind: 'view' };
}

export interface RowChoice {
  value: string;
  label: string;
}

const combo = (r: Pick<StatusInput, 'l1' | 'l2' | 'l3'>) => [r.l1, r.l2, r.l3].filter(Boolean).join(' / ');
const label = (r: StatusInput) => `${combo(r)} (${r.entitlements})`;
const isUnknown = (r: StatusInput) => r.l1 === NEW_SUBSCRIPTION.l1;
const isNewSubscription = (r: StatusInput) => isUnknown(r) && r.l2 === NEW_SUBSCRIPTION.l2 && !r.l3;

/** The receiver that creates a Status Unknown row (Remove, when the grid has none). */
export const NEW_RECEIVER = 'new';

/** Add: the rows the new row can take entitlements from; Status Unknown first choice. */
export function sourceChoices(rows: readonly StatusInput[]): { choices: RowChoice[]; preferred: string } {
  const stored = rows.filter((r) => r.id);
  const preferred = stored.find(isNewSubscription) ?? stored.find(isUnknown) ?? stored[0];
  return { choices: stored.map((r) => ({ value: r.id, label: label(r) })), preferred: preferred?.id ?? '' };
}

/**
 * Remove: the rows that can take over row `index`'s entitlements. Status Unknown is the first choice;
 * when no other row is Status Unknown, a new Status Unknown / New Subscription or Workload row is offered
 * (unless the removed row is that very row, which would only put it back).
 */
export function receiverChoices(
  rows: readonly StatusInput[],
  index: number,
): { choices: RowChoice[]; preferred: string } {
  const gone = rows[index];
  const others = rows.filter((r, j) => j !== index && r.id);
  const choices = others.map((r) => ({ value: r.id, label: label(r) }));
  const unknown = others.find(isNewSubscription) ?? others.find(isUnknown);
  if (unknown) return { choices, preferred: unknown.id };
  if (gone && isNewSubscription(gone)) return { choices, preferred: choices[0]?.value ?? '' };
  const created = { value: NEW_RECEIVER, label: `${combo({ ...NEW_SUBSCRIPTION, l3: '' })} (new row)` };
  return { choices: [created, ...choices], preferred: NEW_RECEIVER };
}

/** The grid with the pending row change applied, and where each of its rows is shown in the form. */
export interface Pending {
  statuses: StatusInput[];
  /** Index in `statuses` → index of the row in the rendered form (-1: a row the form does not show). */
  shownAt: number[];
  /** Index in `statuses` of the changed row (the receiver for a removal), -1 when none. */
  active: number;
  /** Problems with the change itself (what to take from or give to), by form field. */
  errors: Record<string, string>;
}

const whole = (v: string) => (/^\d{1,12}$/.test(v) ? Number(v) : NaN);

/**
 * Applies the open row change (`mode`) of the posted rows to `base`: the stored rows for a row commit
 * (`fromStored`), the posted rows themselves for the section's Save. Row i's edited values; the new row
 * with its entitlements taken from the source row (removed when it reaches 0); or the removal, its
 * entitlements given to the receiver (a new Status Unknown row when asked for).
 */
export function withPending(
  base: readonly StatusInput[],
  posted: readonly StatusInput[],
  mode: RowMode,
  state: GridState,
  fromStored: boolean,
): Pending {
  let rows = base.map((r, j) => ({
    r: { ...r },
    at: fromStored ? (r.id ? posted.findIndex((p) => p.id === r.id) : -1) : j,
  }));
  const find = (id: string) => (id ? rows.findIndex((x) => x.r.id === id) : -1);
  const errors: Record<string, string> = {};
  let active = -1;
  if (mode.kind === 'edit') {
    const row = posted[mode.index];
    active = row ? find(row.id) : -1;
    if (active >= 0) rows[active] = { r: { ...row }, at: mode.index };
  } else if (mode.kind === 'add') {
    const draft = posted[posted.length - 1];
    const source = find(state.move_from);
    const n = whole(state.move_entitlements);
    if (source < 0) errors.move_from = 'Choose the row the entitlements come from.';
    if (!isCount(n)) errors.move_entitlements = MESSAGES.count;
    else if (source >= 0 && n > whole(rows[source].r.entitlements))
      errors.move_entitlements = `The row ${combo(rows[source].r)} has only ${rows[source].r.entitlements} entitlements.`;
    if (source >= 0 && !errors.move_entitlements) {
      const left = whole(rows[source].r.entitlements) - n;
      if (left === 0) rows.splice(source, 1);
      else rows[source].r.entitlements = String(left);
    }
    rows.push({ r: { ...draft, id: '', entitlements: state.move_entitlements }, at: posted.length - 1 });
    active = rows.length - 1;
  } else if (mode.kind === 'remove') {
    const gone = posted[mode.index];
    const k = gone?.id ? find(gone.id) : -1;
    if (k >= 0) {
      const removed = rows[k].r;
      rows = rows.filter((_, j) => j !== k);
      active = find(state.receiver);
      if (active >= 0)
        rows[active].r.entitlements = String(whole(rows[active].r.entitlements) + whole(removed.entitlements));
      else if (state.receiver === NEW_RECEIVER && !rows.some((x) => isUnknown(x.r)) && !isNewSubscription(removed)) {
        rows.push({ r: newUnknownRow(removed), at: -1 });
        active = rows.length - 1;
      } else errors.receiver = 'Choose the row that receives the entitlements.';
    }
  }
  return { statuses: rows.map((x) => x.r), shownAt: rows.map((x) => x.at), active, errors };
}

/** The Status Unknown row a removal creates when the grid has none ("created if missing"). */
function newUnknownRow(removed: StatusInput): StatusInput {
  return {
    ...removed,
    id: '',
    ...NEW_SUBSCRIPTION,
    l3: '',
    note: `Entitlements moved here when the ${combo(removed)} row was removed.`,
    target_date: '',
    owner: '',
    next_action_date: '',
    suggested_l1: '',
    suggested_l2: '',
    suggested_l3: '',
    suggestion_confidence: '',
  };
}

/** The form field that shows a problem with the changed row's count (V-21, V-26). */
function countField(mode: RowMode): string {
  if (mode.kind === 'edit') return `statuses[${mode.index}][entitlements]`;
  return mode.kind === 'add' ? 'move_entitlements' : 'receiver';
}

const ROW_FIELD = /^statuses\[(\d{1,3})\]\[([a-z_0-9]+)\]$/;

/**
 * The section save's problems, placed where the form shows them. `oneRow` (a row commit: Update, Add,
 * Remove): everything about the grid belongs to the changed row — a duplicate combination reported on
 * another row (V-27) or the imbalance (V-26) is that row's doing. Otherwise each row's problem goes to
 * where that row is shown. The change's own problems come first; section problems stay as they are.
 */
export function placeErrors(
  errors: Record<string, string>,
  p: Pending,
  mode: RowMode,
  oneRow: boolean,
): Record<string, string> {
  const out: Record<string, string> = { ...p.errors };
  const put = (name: string, message: string) => (out[name] ??= message);
  const draftAt = mode.kind === 'add' ? p.shownAt[p.active] : -2;
  const rank = (k: string) => (k === 'statuses' ? 2 : ROW_FIELD.exec(k)?.[1] === String(p.active) ? 0 : 1);
  for (const [k, message] of Object.entries(errors).sort(([a], [b]) => rank(a) - rank(b))) {
    const m = ROW_FIELD.exec(k);
    if (k === 'statuses') put(oneRow ? countField(mode) : k, message);
    else if (!m) put(k, message);
    else {
      const at = oneRow ? p.shownAt[p.active] : p.shownAt[Number(m[1])];
      if (at === undefined || at < 0 || (oneRow && mode.kind === 'remove')) put('receiver', message);
      else if (m[2] === 'entitlements' && (at === draftAt || (oneRow && mode.kind !== 'edit')))
        put(countField(mode), message);
      else put(`statuses[${at}][${m[2]}]`, message);
    }
  }
  return out;
}

/** Which sections other than the grid stop a save (V-40…V-42 Data Migration, V-50/V-51 scenario). */
export function blockingSections(errors: Record<string, string>): { migration: boolean; scenario: boolean } | null {
  const keys = Object.keys(errors);
  const migration = keys.some((k) => k === 'ms_performing_migration' || k.startsWith('migration_'));
  const scenario = keys.includes('engagement_scenario');
  const gridOrOther = keys.some(
    (k) => k !== 'engagement_scenario' && k !== 'ms_performing_migration' && !k.startsWith('migration_'),
  );
  return keys.length > 0 && !gridOrOther ? { migration, scenario } : null;
}
