import { Problems, type Problem } from '../problems';
import { isCount, isIsoDate, isSizeGb, LIMITS, MESSAGES, tooLong } from '../values';
import type { Entry } from './entry';
import type { StatusRowValues } from './status-grid.rules';

/** The Data Migration section of a migration-eligible service (DOMAIN.md §2.5, §2.8), in the domain's names. */
export interface MigrationLineValues {
  type: string;
  /** NaN when what was typed is not a number. */
  entitlements: number;
  estimatedDate: string | null;
  notes: string | null;
  /** NaN when what was typed is not a number. */
  dataSizeGb: number | null;
  /** Present only when the request sets the line's status (V-43). */
  status?: string | null;
}

export interface MigrationValues {
  /** null: not decided yet. */
  msPerforming: boolean | null;
  startDate: string | null;
  endDate: string | null;
  lines: MigrationLineValues[];
  rejectionReason: string | null;
  rejectionNote: string | null;
}

export interface MigrationContext {
  entry: Entry;
  /** The active lookup values. */
  types: readonly string[];
  rejectionReasons: readonly string[];
  statuses: readonly string[];
  /** V-43: the Migration SME or an admin (and the system's import). */
  maySetLineStatus: boolean;
  /** What the lines must add up to (migrationBasis). */
  basis: number;
  /** The section as stored: unchanged values are not checked again. */
  stored?: MigrationValues;
}

/** A-7 / V-41: the service's effective total, or with MIGRATION_SUM_BASIS=in_progress the In Progress rows. */
export function migrationBasis(
  setting: 'total' | 'in_progress',
  effectiveTotal: number,
  grid: readonly Pick<StatusRowValues, 'l1' | 'entitlements'>[],
): number {
  if (setting === 'total') return effectiveTotal;
  return grid
    .filter((r) => r.l1 === 'In Progress')
    .reduce((a, r) => a + (isCount(r.entitlements) ? r.entitlements : 0), 0);
}

/**
 * V-40…V-43 (DOMAIN.md §4.5). Returns the section as it will be stored: with Microsoft not
 * performing the migration the lines are removed (V-42) and the warning says so.
 */
export function checkMigration(
  m: MigrationValues,
  ctx: MigrationContext,
): { problems: Problem[]; warnings: Problem[]; values: MigrationValues } {
  const problems = new Problems();
  const warnings = new Problems();
  const storedLine = new Map((ctx.stored?.lines ?? []).map((l) => [l.type, l]));
  // V-40: a user's section save decides the question; an import may load a service not decided yet.
  if (m.msPerforming === null) {
    if (!ctx.entry.imported || ctx.stored?.msPerforming != null)
      problems.add(['msPerforming'], 'V-40', 'Say whether Microsoft is performing the migration.');
    return { problems: problems.list, warnings: warnings.list, values: m };
  }
  m.lines.forEach((l, i) => {
    if (l.status !== undefined && !ctx.maySetLineStatus)
      problems.add(['lines', i, 'status'], 'V-43', 'Only the Migration SME or an admin can set a line status.');
  });
  if (!m.msPerforming) {
    if (!m.rejectionReason || !ctx.rejectionReasons.includes(m.rejectionReason))
      problems.add(['rejectionReason'], 'V-42', 'Choose why the customer declined the migration.');
    if (!m.rejectionNote) problems.add(['rejectionNote'], 'V-42', 'Explain why the customer declined.');
    else if (m.rejectionNote !== ctx.stored?.rejectionNote && tooLong(m.rejectionNote, LIMITS.statusNote))
      problems.add(['rejectionNote'], 'V-42', `Keep the note to at most ${LIMITS.statusNote} characters.`);
    if (m.lines.length > 0 || (ctx.stored?.lines.length ?? 0) > 0)
      warnings.add(
        ['lines'],
        'V-42',
        'The migration type lines were removed: Microsoft is not performing the migration.',
      );
    const values = { ...m, startDate: null, endDate: null, lines: [] };
    return { problems: problems.list, warnings: warnings.list, values };
  }
  // V-41
  const { startDate: start, endDate: end } = m;
  if (!isIsoDate(start)) problems.add(['startDate'], 'V-41', 'Enter the migration start date as YYYY-MM-DD.');
  if (!isIsoDate(end)) problems.add(['endDate'], 'V-41', 'Enter the migration end date as YYYY-MM-DD.');
  else if (isIsoDate(start) && end < start)
    problems.add(['endDate'], 'V-41', 'The end date cannot be before the start date.');
  if (m.lines.length === 0) problems.add(['lines'], 'V-41', 'Add at least one migration type line.');
  const seen = new Set<string>();
  m.lines.forEach((l, i) => {
    const at = (k: keyof MigrationLineValues) => ['lines', i, k] as const;
    const old = storedLine.get(l.type);
    const changed = (k: keyof MigrationLineValues) => !old || old[k] !== l[k];
    if (!ctx.types.includes(l.type)) problems.add(at('type'), 'V-41', 'Choose a migration type.');
    else if (seen.has(l.type)) problems.add(at('type'), 'V-41', 'Each migration type can appear only once.');
    seen.add(l.type);
    if (!isCount(l.entitlements)) problems.add(at('entitlements'), 'V-41', MESSAGES.count);
    if (!isIsoDate(l.estimatedDate))
      problems.add(at('estimatedDate'), 'V-41', 'Enter the estimated migration date as YYYY-MM-DD.');
    else if (isIsoDate(start) && isIsoDate(end) && (l.estimatedDate < start || l.estimatedDate > end))
      warnings.add(
        at('estimatedDate'),
        'V-41',
        `Migration line ${i + 1}: the estimated date is outside the migration start and end dates.`,
      );
    if (changed('notes') && tooLong(l.notes, LIMITS.statusNote))
      problems.add(at('notes'), undefined, `Keep the notes to at most ${LIMITS.statusNote} characters.`);
    if (l.dataSizeGb !== null && changed('dataSizeGb') && !isSizeGb(l.dataSizeGb))
      problems.add(at('dataSizeGb'), undefined, MESSAGES.sizeGb);
    if (l.status && ctx.maySetLineStatus && !ctx.statuses.includes(l.status))
      problems.add(at('status'), 'V-43', 'Choose a migration status.');
  });
  const sum = m.lines.reduce((a, l) => a + l.entitlements, 0);
  if (m.lines.length > 0 && m.lines.every((l) => isCount(l.entitlements)) && sum !== ctx.basis)
    problems.add(['lines'], 'V-41', `Migration lines must add up to ${ctx.basis} entitlements (currently ${sum}).`);
  return { problems: problems.list, warnings: warnings.list, values: settled(m) };
}

/** The section as stored once checked: only the answer's own fields are kept (V-41 / V-42). */
export function settled(m: MigrationValues): MigrationValues {
  if (m.msPerforming === true) return { ...m, rejectionReason: null, rejectionNote: null };
  if (m.msPerforming === false) return { ...m, startDate: null, endDate: null, lines: [] };
  return m;
}
