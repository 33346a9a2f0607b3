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

/** A grid action that re-renders the form without saving (no client script needed). */
export type FormAction =
  | { kind: 'save' }
  | { kind: 'refresh' }
  | { kind: 'add_row' }
  | { kind: 'remove_row'; index: number }
  | { kind: 'add_line' }
  | { kind: 'remove_line'; index: number }
  | { kind: 'suggest'; index: number };

const INDEX = /^\d{1,3}$/;

export function parseAction(body: FormBody): FormAction {
  const action = field(body, '_action');
  const removeRow = field(body, 'remove_row');
  const removeLine = field(body, 'remove_line');
  if (INDEX.test(removeRow)) return { kind: 'remove_row', index: Number(removeRow) };
  if (INDEX.test(removeLine)) return { kind: 'remove_line', index: Number(removeLine) };
  if (action === 'refresh') return { kind: 'refresh' };
  if (action === 'add_row') return { kind: 'add_row' };
  if (action === 'add_line') return { kind: 'add_line' };
  const suggestRow = /^suggest:(\d{1,3})$/.exec(action);
  if (suggestRow) return { kind: 'suggest', index: Number(suggestRow[1]) };
  return { kind: 'save' };
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
