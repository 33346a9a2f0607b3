import { PHASES } from '../enums';
import { Problems, type Problem } from '../problems';
import type { Entry } from './entry';

export type Phase = (typeof PHASES)[number];

/** V-85 helper text: Adoption from this share of active users (in %)… */
export const ADOPTION_FROM_PCT = 1;
/** …and Operation (onboarding complete) above this one. */
export const OPERATION_ABOVE_PCT = 10;

export const isPhase = (value: unknown): value is Phase => (PHASES as readonly unknown[]).includes(value);

/**
 * V-85 (DOMAIN.md §4.10): the phase of a service is one of the seven values. A user saving the Status
 * tab always chooses one; an import may leave it undecided (null), as its source system can.
 */
export function checkPhase(value: string | null, entry: Entry): Problem[] {
  const problems = new Problems();
  if (value === null || value === '') {
    if (!entry.imported) problems.add(['phase'], 'V-85', 'Choose the phase of this service.');
  } else if (!isPhase(value)) {
    problems.add(['phase'], 'V-85', `Choose one of the phases: ${PHASES.join(', ')}.`);
  }
  return problems.list;
}

/**
 * V-85 hint: the phase the share of active users points to — Adoption from 1% to 10%, Operation above
 * 10% — or null when AU is lower (or the service has no entitlements). Only a hint: the user decides.
 */
export function phaseHint(activeUsers: number, effectiveTotal: number): Phase | null {
  if (effectiveTotal <= 0) return null;
  const pct = (activeUsers / effectiveTotal) * 100;
  if (pct > OPERATION_ABOVE_PCT) return 'Operation';
  if (pct >= ADOPTION_FROM_PCT) return 'Adoption';
  return null;
}
