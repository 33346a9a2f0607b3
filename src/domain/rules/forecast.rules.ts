import { Problems, type Problem } from '../problems';
import { isIsoDate, MESSAGES } from '../values';

/** The four forecast dates of a service (DOMAIN.md §2.5, §4.4), in the domain's names. */
export const FORECAST_FIELDS = ['rfaSubmitted', 'firstAu', 'fortyAu', 'maxAu'] as const;
export type ForecastField = (typeof FORECAST_FIELDS)[number];
export type ForecastDates = Record<ForecastField, string | null>;
const TARGETS: ForecastField[] = ['firstAu', 'fortyAu', 'maxAu'];

const RFA_REQUIRED = 'Submitted Date (RFA) is required before forecast dates can be saved.';

/** Field labels; the first milestone's percentage comes from config. */
export function forecastLabels(firstMilestonePct: number): Record<ForecastField, string> {
  return {
    rfaSubmitted: 'Submitted Date (RFA)',
    firstAu: `Target Date for ${firstMilestonePct}% AU`,
    fortyAu: 'Target Date for 40% AU',
    maxAu: 'Target Date for Max AU',
  };
}

export interface ForecastRuleContext {
  /** "Today" for "later than today" (V-31…V-33); null for history loaded from another system. */
  today: string | null;
  labels: Record<ForecastField, string>;
  /** V-30 / A-6: only an administrator (or the system's import) changes an RFA date once set. */
  mayChangeRfa: boolean;
}

/** V-30 / A-6: once set, the RFA date is read-only for everyone but an administrator (and the import). */
export const rfaReadOnly = (storedRfa: string | null, mayChangeRfa: boolean): boolean => !!storedRfa && !mayChangeRfa;

/**
 * V-30…V-35 over the stored dates merged with the changes (only the fields present in `changes`, a
 * null clears one). "Later than today" and the chronological order are checked for changed fields
 * only, so a stored date never blocks an unrelated save (V-35); one message per field.
 */
export function checkForecast(
  stored: ForecastDates,
  changes: Partial<ForecastDates>,
  { today, labels, mayChangeRfa }: ForecastRuleContext,
): Problem[] {
  const problems = new Problems();
  const seen = new Set<ForecastField>();
  const add = (f: ForecastField, rule: string | undefined, message: string) => {
    if (!seen.has(f)) problems.add([f], rule, message);
    seen.add(f);
  };
  const changed = (f: ForecastField) => f in changes;
  for (const f of FORECAST_FIELDS) {
    const v = changes[f];
    if (changed(f) && v !== null && !isIsoDate(v)) add(f, undefined, MESSAGES.date);
  }
  // Dates of the wrong kind are reported once and left out of the comparisons.
  const merged: ForecastDates = { ...stored };
  for (const f of FORECAST_FIELDS) if (changed(f) && !seen.has(f)) merged[f] = changes[f] ?? null;

  // V-30 / A-6: RFA is set once, never emptied, and then read-only for partners.
  if (changed('rfaSubmitted') && !seen.has('rfaSubmitted')) {
    if (!merged.rfaSubmitted) add('rfaSubmitted', 'V-30', `${labels.rfaSubmitted} cannot be emptied.`);
    else if (stored.rfaSubmitted !== merged.rfaSubmitted && rfaReadOnly(stored.rfaSubmitted, mayChangeRfa))
      add(
        'rfaSubmitted',
        'V-30',
        `${labels.rfaSubmitted} is already set (${stored.rfaSubmitted}) and only an administrator can change it.`,
      );
  }
  // V-30: no target date is saved without an RFA.
  if (!merged.rfaSubmitted) for (const f of TARGETS) if (changed(f) && merged[f]) add(f, 'V-30', RFA_REQUIRED);
  // V-31…V-33 "later than today" for the fields changed now (V-35 / A-4). V-34: empty clears.
  const rules: Record<ForecastField, string> = {
    rfaSubmitted: 'V-30',
    firstAu: 'V-31',
    fortyAu: 'V-32',
    maxAu: 'V-33',
  };
  if (today)
    for (const f of TARGETS)
      if (changed(f) && merged[f] && merged[f]! <= today)
        add(f, rules[f], `${labels[f]} must be later than today (${today}).`);
  // Chronological order (V-31, V-32, V-33 / A-5): a pair is checked when either side changed; the
  // message goes to the field being changed.
  const order: [ForecastField, ForecastField, 'later' | 'not-earlier'][] = [
    ['rfaSubmitted', 'firstAu', 'later'], // V-31
    ['firstAu', 'fortyAu', 'later'], // V-32
    ['rfaSubmitted', 'fortyAu', 'later'], // V-32 (when the 15% date is empty)
    ['rfaSubmitted', 'maxAu', 'later'], // V-33
    ['firstAu', 'maxAu', 'not-earlier'], // V-33
    ['fortyAu', 'maxAu', 'not-earlier'], // V-33
  ];
  for (const [lo, hi, kind] of order) {
    const a = merged[lo];
    const b = merged[hi];
    if (!a || !b || !(changed(lo) || changed(hi)) || (kind === 'later' ? b > a : b >= a)) continue;
    if (changed(hi))
      add(
        hi,
        rules[hi],
        `${labels[hi]} must be ${kind === 'later' ? 'later than' : 'on or after'} ${labels[lo]} (${a}).`,
      );
    else
      add(
        lo,
        rules[hi],
        `${labels[lo]} must be ${kind === 'later' ? 'earlier than' : 'on or before'} ${labels[hi]} (${b}).`,
      );
  }
  return problems.list;
}

/** C-3 (warn): Max AU missing, or a stored target date already in the past. */
export function complianceWarnings(
  dates: ForecastDates,
  today: string,
  labels: Record<ForecastField, string>,
): string[] {
  const out: string[] = [];
  if (!dates.maxAu) out.push(`${labels.maxAu} is missing; it is required for compliance.`);
  for (const f of TARGETS) {
    const d = dates[f];
    if (d && d < today) out.push(`${labels[f]} (${d}) is in the past; update the forecast.`);
  }
  return out;
}
