import { OVERALL_STATUSES } from '../enums';
import { Problems, type Problem } from '../problems';
import { isIsoDate, MESSAGES } from '../values';
import type { Entry } from './entry';

/** An Engagement Management status update (DOMAIN.md §4.1), in the domain's names. */
export interface OverallStatusValues {
  status: string;
  statusDate: string;
  /** The note's text once HTML is stripped (V-03). */
  noteText: string;
}

const NOTE_REQUIRED = 'Write a short note: services under discussion, where things stand, next steps and issues.';

/** V-01 and V-02: a status from the three values with a real date that is not later than today. */
export function checkStatusAndDate(status: string, statusDate: string, entry: Entry): Problem[] {
  const problems = new Problems();
  if (!status) problems.add(['status'], 'V-01', 'Choose the overall status.');
  else if (!(OVERALL_STATUSES as readonly string[]).includes(status))
    problems.add(['status'], 'V-01', 'Choose Active, Blocked or Paused.');
  if (!statusDate) problems.add(['statusDate'], 'V-02', 'Enter the status date.');
  else if (!isIsoDate(statusDate)) problems.add(['statusDate'], 'V-02', MESSAGES.date);
  // A status date later than today is never a fact, so this holds for imported history too.
  else if (statusDate > entry.today) problems.add(['statusDate'], 'V-02', 'The status date cannot be in the future.');
  return problems.list;
}

/** V-01…V-03 for one status update with its note. */
export function checkOverallStatus(v: OverallStatusValues, entry: Entry): Problem[] {
  const problems = checkStatusAndDate(v.status, v.statusDate, entry);
  if (!v.noteText.trim()) problems.push({ path: ['note'], rule: 'V-03', message: NOTE_REQUIRED });
  return problems;
}
