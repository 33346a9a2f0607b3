import type { MigrationValues } from '../../domain/rules/migration.rules';
import type { StatusRowValues } from '../../domain/rules/status-grid.rules';
import { formNumber } from '../../domain/values';
import { field, FormBody, rows } from '../../http/forms';

/** Shape of the per-service form (CONTRACT.md POST /tenants/:tenantId/services/:code). All values are strings. */
export const STATUS_KEYS = [
  'id',
  'l1',
  'l2',
  'l3',
  'entitlements',
  'note',
  'target_date',
  'owner',
  'next_action_date',
  'suggested_l1',
  'suggested_l2',
  'suggested_l3',
  'suggestion_confidence',
] as const;
export const LINE_KEYS = ['type', 'entitlements', 'estimated_date', 'notes', 'data_size_gb', 'status'] as const;
export type StatusInput = Record<(typeof STATUS_KEYS)[number], string>;
export type LineInput = Record<(typeof LINE_KEYS)[number], string>;

export interface ServiceForm {
  version: string;
  engagement_scenario: string;
  statuses: StatusInput[];
  ms_performing_migration: string;
  migration_start_date: string;
  migration_end_date: string;
  lines: LineInput[];
  migration_rejection_reason: string;
  migration_rejection_note: string;
  /** Indexes of migration lines whose `status` key was posted (V-43). */
  lineStatusPosted: number[];
}

/**
 * What a post of the section form asks for (the `_action` field, or the button that submitted the
 * form; no client script needed). The grid's row actions (DOMAIN.md §5.4 B1):
 * - `edit:<i>` opens row i's editor, `cancel` closes it, `add_status` opens the new-row editor,
 *   `remove:<i>` asks which row receives row i's entitlements — these only re-render;
 * - `update:<i>`, `add` and `remove:<i>` with a `receiver` commit that one change (the rest as stored).
 */
export type FormAction =
  | { kind: 'save' }
  | { kind: 'refresh' }
  | { kind: 'add_line' }
  | { kind: 'remove_line'; index: number }
  | { kind: 'suggest'; index: number }
  | { kind: 'edit'; index: number }
  | { kind: 'cancel' }
  | { kind: 'add_status' }
  | { kind: 'update'; index: number }
  | { kind: 'add' }
  | { kind: 'remove'; index: number; receiver: string };

const INDEX = /^\d{1,3}$/;
const PLAIN = ['refresh', 'add_line', 'cancel', 'add_status', 'add'] as const;
const INDEXED = /^(suggest|edit|update|remove):(\d{1,3})$/;

export function parseAction(body: FormBody): FormAction {
  const action = field(body, '_action');
  const removeLine = field(body, 'remove_line');
  if (INDEX.test(removeLine)) return { kind: 'remove_line', index: Number(removeLine) };
  const plain = PLAIN.find((a) => a === action);
  if (plain) return { kind: plain };
  const m = INDEXED.exec(action);
  if (!m) return { kind: 'save' };
  const index = Number(m[2]);
  if (m[1] === 'remove') return { kind: 'remove', index, receiver: field(body, 'receiver') };
  return { kind: m[1] as 'suggest' | 'edit' | 'update', index };
}

/**
 * Which part of the grid is open, carried from one render to the next in the hidden `_row_mode`:
 * row i's editor, the new-row editor (the draft is the last row of the form), or row i's removal.
 */
export type RowMode =
  { kind: 'view' } | { kind: 'edit'; index: number } | { kind: 'add' } | { kind: 'remove'; index: number };

/** The grid's own fields besides the rows: the open part and the Add / Remove choices. */
export interface GridState {
  mode: RowMode;
  /** Add: the id of the row the new row takes its entitlements from. */
  move_from: string;
  /** Add: how many entitlements the new row takes. */
  move_entitlements: string;
  /** Remove: the id of the row that receives the removed row's entitlements, or `new` (Status Unknown). */
  receiver: string;
}

export const rowModeValue = (mode: RowMode): string =>
  mode.kind === 'view' ? '' : mode.kind === 'add' ? 'add' : `${mode.kind}:${mode.index}`;

export function parseGridState(body: FormBody): GridState {
  const raw = field(body, '_row_mode');
  const m = /^(edit|remove):(\d{1,3})$/.exec(raw);
  const mode: RowMode = m
    ? { kind: m[1] as 'edit' | 'remove', index: Number(m[2]) }
    : raw === 'add'
      ? { kind: 'add' }
      : { kind: 'view' };
  return {
    mode,
    move_from: field(body, 'move_from').slice(0, 20),
    move_entitlements: field(body, 'move_entitlements').slice(0, 20),
    receiver: field(body, 'receiver').slice(0, 20),
  };
}

/** Reads the posted form; unknown keys are ignored (mass assignment), rows come back in index order. */
export function parseServiceForm(body: FormBody): ServiceForm {
  const lineStatusPosted: number[] = [];
  const lineKeys = Object.keys(body);
  const lines = rows(body, 'migration_lines', LINE_KEYS) as LineInput[];
  const indexes = [...new Set(lineKeys.map((k) => /^migration_lines\[(\d{1,3})\]\[/.exec(k)?.[1]).filter(Boolean))]
    .map(Number)
    .sort((a, b) => a - b);
  indexes.forEach((index, position) => {
    if (lineKeys.includes(`migration_lines[${index}][status]`)) lineStatusPosted.push(position);
  });
  return {
    version: field(body, 'version'),
    engagement_scenario: field(body, 'engagement_scenario'),
    statuses: rows(body, 'statuses', STATUS_KEYS) as StatusInput[],
    ms_performing_migration: field(body, 'ms_performing_migration'),
    migration_start_date: field(body, 'migration_start_date'),
    migration_end_date: field(body, 'migration_end_date'),
    lines,
    migration_rejection_reason: field(body, 'migration_rejection_reason'),
    migration_rejection_note: field(body, 'migration_rejection_note'),
    lineStatusPosted,
  };
}

export const emptyStatus = (): StatusInput => Object.fromEntries(STATUS_KEYS.map((k) => [k, ''])) as StatusInput;
export const emptyLine = (): LineInput => Object.fromEntries(LINE_KEYS.map((k) => [k, ''])) as LineInput;

/** Domain names → this form's field names, for turning rule paths into fields. */
export const FORM_NAMES: Readonly<Record<string, string>> = {
  targetDate: 'target_date',
  nextActionDate: 'next_action_date',
  engagementScenario: 'engagement_scenario',
  msPerforming: 'ms_performing_migration',
  startDate: 'migration_start_date',
  endDate: 'migration_end_date',
  lines: 'migration_lines',
  estimatedDate: 'estimated_date',
  dataSizeGb: 'data_size_gb',
  rejectionReason: 'migration_rejection_reason',
  rejectionNote: 'migration_rejection_note',
};

const orNull = (v: string) => v || null;

/** A grid row as typed → the domain's values (NaN for a count that is not a whole number). */
export function statusValues(r: StatusInput): StatusRowValues {
  return {
    l1: r.l1,
    l2: orNull(r.l2),
    l3: orNull(r.l3),
    entitlements: /^\d+$/.test(r.entitlements) ? Number(r.entitlements) : NaN,
    note: r.note,
    targetDate: orNull(r.target_date),
    owner: orNull(r.owner),
    nextActionDate: orNull(r.next_action_date),
  };
}

/** The Data Migration fields as typed → the domain's values; a line's status only when it was posted (V-43). */
export function migrationValues(form: ServiceForm): MigrationValues {
  const decision = form.ms_performing_migration;
  return {
    msPerforming: decision === 'yes' ? true : decision === 'no' ? false : null,
    startDate: orNull(form.migration_start_date),
    endDate: orNull(form.migration_end_date),
    lines: form.lines.map((l, i) => ({
      type: l.type,
      entitlements: /^\d+$/.test(l.entitlements) ? Number(l.entitlements) : NaN,
      estimatedDate: orNull(l.estimated_date),
      notes: orNull(l.notes),
      dataSizeGb: l.data_size_gb ? formNumber(l.data_size_gb) : null,
      ...(form.lineStatusPosted.includes(i) ? { status: orNull(l.status) } : {}),
    })),
    rejectionReason: orNull(form.migration_rejection_reason),
    rejectionNote: orNull(form.migration_rejection_note),
  };
}
