import { Problems, type Problem } from '../problems';
import { isIsoDate, LIMITS, MESSAGES } from '../values';
import type { Entry } from './entry';

/** An Enterprise Status entry (DOMAIN.md §2.15), in the domain's names. */
export interface EnterpriseStatusValues {
  status: string;
  statusDate: string;
  /** The note's plain text. */
  note: string;
}

export interface EnterpriseStatusContext {
  /** The active values of the enterprise status lookup (admin-maintained). */
  statuses: readonly string[];
  entry: Entry;
}

export const NOT_ENTERPRISE =
  'Not an enterprise customer: enterprise status can only be recorded for a tenant marked as enterprise.';

/** V-80: entries are only added to enterprise tenants. */
export function checkEnterpriseTenant(isEnterprise: boolean): Problem[] {
  return isEnterprise ? [] : [{ path: [], rule: 'V-80', message: NOT_ENTERPRISE }];
}

/**
 * V-80: a status from the lookup, a real status date that is not later than today (the entry point
 * fills in today when none is given), and a note. Entries are only ever appended, never changed.
 */
export function checkEnterpriseStatus(v: EnterpriseStatusValues, ctx: EnterpriseStatusContext): Problem[] {
  const problems = new Problems();
  if (!v.status) problems.add(['status'], 'V-80', 'Choose the enterprise status.');
  else if (!ctx.statuses.includes(v.status))
    problems.add(['status'], 'V-80', `Choose one of the enterprise statuses: ${ctx.statuses.join(', ')}.`);
  if (!v.statusDate) problems.add(['statusDate'], 'V-80', 'Enter the status date.');
  else if (!isIsoDate(v.statusDate)) problems.add(['statusDate'], 'V-80', MESSAGES.date);
  // A status as of a day that has not come yet is never a fact, typed or imported.
  else if (v.statusDate > ctx.entry.today)
    problems.add(['statusDate'], 'V-80', 'The status date cannot be in the future.');
  if (!v.note.trim()) problems.add(['note'], 'V-80', 'Write a note: what the status means for this customer now.');
  else if (v.note.length > LIMITS.noteBody) problems.add(['note'], 'V-80', MESSAGES.tooLong(LIMITS.noteBody));
  return problems.list;
}
