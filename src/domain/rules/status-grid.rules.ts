import { Problems, type Problem } from '../problems';
import { canonicalL2, NEW_SUBSCRIPTION, TAXONOMY } from '../taxonomy';
import { isCount, isIsoDate, LIMITS, MESSAGES, tooLong, words } from '../values';

/** One row of a service's Entitlement Status grid, in the domain's names (DOMAIN.md §2.6). */
export interface StatusRowValues {
  l1: string;
  l2: string | null;
  l3: string | null;
  /** NaN when what was typed is not a number (reported by V-21). */
  entitlements: number;
  note: string;
  targetDate: string | null;
  owner: string | null;
  nextActionDate: string | null;
}

export interface GridRow {
  values: StatusRowValues;
  /** The row as stored, when this row edits a stored one: unchanged fields are not checked again. */
  stored?: StatusRowValues;
}

export interface GridContext {
  /** QE, or the admin override when one is set (V-26). */
  effectiveTotal: number;
  /** The L3 reasons under an (L1, L2) pair (V-23). */
  l3Of: (l1: string, l2: string) => readonly string[];
  /**
   * "Today" for the rules about dates a user types (V-24, V-29); null for history loaded from another
   * system, where a past date is a fact, not a mistake (docs/decisions.md).
   */
  today: string | null;
}

export interface GridResult {
  problems: Problem[];
  warnings: Problem[];
  /** The rows as they will be stored: L2 aliases replaced by the canonical L2. */
  rows: StatusRowValues[];
}

const L2_NOT_ALLOWED = 'Duplicate/Invalid takes no L2 reason.';

/**
 * V-21…V-29 over a service's whole grid (DOMAIN.md §4.3). A field is checked when it is new or
 * changed (a stored value that was legal when written never blocks a save); V-26 and V-27 look at
 * the whole grid every time, because any change can break them.
 */
export function checkStatusGrid(rows: readonly GridRow[], ctx: GridContext): GridResult {
  const problems = new Problems();
  const warnings = new Problems();
  const combos = new Set<string>();
  const out = rows.map(({ values: r, stored }, i) => {
    const at = (key: keyof StatusRowValues) => ['statuses', i, key] as const;
    const changed = (...keys: (keyof StatusRowValues)[]) => !stored || keys.some((k) => stored[k] !== r[k]);
    const rules = TAXONOMY.find((t) => t.l1 === r.l1)?.rules;
    // V-21
    if (!rules) problems.add(at('l1'), 'V-21', 'Choose one of the five L1 statuses.');
    if (!isCount(r.entitlements)) problems.add(at('entitlements'), 'V-21', MESSAGES.count);
    // V-22 (aliases accepted, the canonical L2 stored: A-13)
    let l2 = r.l2;
    if (rules && changed('l1', 'l2')) {
      if (r.l2 && !rules.l2_available) problems.add(at('l2'), 'V-22', L2_NOT_ALLOWED);
      else if (r.l2) {
        const canonical = canonicalL2(r.l1, r.l2);
        if (canonical) l2 = canonical;
        else problems.add(at('l2'), 'V-22', `This reason is not an L2 of ${r.l1}.`);
      } else if (rules.l2_required) problems.add(at('l2'), 'V-22', `${r.l1} needs an L2 reason.`);
    }
    // V-23
    if (r.l3 && changed('l1', 'l2', 'l3')) {
      if (!r.l2) problems.add(at('l3'), 'V-23', 'Choose an L2 before an L3.');
      else if (rules && l2 && !ctx.l3Of(r.l1, l2).includes(r.l3))
        problems.add(at('l3'), 'V-23', 'This L3 is not a child of the L2.');
    }
    // V-24
    if (r.targetDate) {
      if (changed('targetDate') && !isIsoDate(r.targetDate)) problems.add(at('targetDate'), 'V-24', MESSAGES.date);
      else if (rules && !rules.target_date_allowed && changed('l1', 'targetDate'))
        problems.add(at('targetDate'), 'V-24', 'A target date is only allowed for In Progress and Blocked.');
      else if (ctx.today && changed('targetDate') && r.targetDate < ctx.today)
        problems.add(at('targetDate'), 'V-24', 'The target date cannot be in the past.');
    } else if (r.l1 === 'In Progress')
      warnings.add(at('targetDate'), 'V-24', `Row ${i + 1}: In Progress rows are expected to have a target date.`);
    // V-25
    if (r.owner && changed('owner') && tooLong(r.owner, LIMITS.owner))
      problems.add(at('owner'), 'V-25', `Keep the owner to at most ${LIMITS.owner} characters.`);
    else if (r.owner && rules && !rules.owner_allowed && changed('l1', 'owner'))
      problems.add(at('owner'), 'V-25', `${r.l1} rows have no owner.`);
    // V-28 (a poor suggestion only warns: binding scope decision)
    if (changed('note')) {
      if (tooLong(r.note, LIMITS.statusNote))
        problems.add(at('note'), 'V-28', `Keep the status note to at most ${LIMITS.statusNote} characters.`);
      else if (words(r.note) < LIMITS.statusNoteWords)
        problems.add(at('note'), 'V-28', `Describe the situation in at least ${LIMITS.statusNoteWords} words.`);
    }
    // V-29
    if (r.nextActionDate && changed('nextActionDate')) {
      if (!isIsoDate(r.nextActionDate)) problems.add(at('nextActionDate'), 'V-29', MESSAGES.date);
      else if (ctx.today && r.nextActionDate < ctx.today)
        problems.add(at('nextActionDate'), 'V-29', 'The next action date must be today or later.');
    }
    // V-27
    const combo = JSON.stringify([r.l1, l2 ?? '', r.l3 ?? '']);
    if (rules && combos.has(combo))
      problems.add(at('l1'), 'V-27', 'This L1 / L2 / L3 combination is already used in another row.');
    combos.add(combo);
    return { ...r, l2 };
  });
  // V-26
  if (out.every((r) => isCount(r.entitlements))) {
    const sum = out.reduce((a, r) => a + r.entitlements, 0);
    if (sum !== ctx.effectiveTotal)
      problems.add(
        ['statuses'],
        'V-26',
        `Entitlement statuses must add up to ${ctx.effectiveTotal} entitlements (currently ${sum}).`,
      );
  }
  return { problems: problems.list, warnings: warnings.list, rows: out };
}

const NEW_ENTITLEMENTS_NOTE = 'New entitlements not yet picked up by a delivery team.';

const isNewSubscription = (r: StatusRowValues) => r.l1 === NEW_SUBSCRIPTION.l1 && r.l2 === NEW_SUBSCRIPTION.l2 && !r.l3;

/**
 * §7.1 new entitlements: when the total rises by Δ, Δ goes to Status Unknown / New Subscription or
 * Workload (created when missing); when it falls, Status Unknown rows give entitlements back first.
 * A mismatch left after that stays visible as a V-26 imbalance.
 */
export function rebalanceNewEntitlements(rows: readonly StatusRowValues[], total: number): StatusRowValues[] {
  const out = rows.map((r) => ({ ...r }));
  const sum = out.reduce((acc, r) => acc + r.entitlements, 0);
  if (sum < total) {
    const row = out.find(isNewSubscription);
    if (row) row.entitlements += total - sum;
    else
      out.push({
        ...NEW_SUBSCRIPTION,
        l3: null,
        entitlements: total - sum,
        note: NEW_ENTITLEMENTS_NOTE,
        targetDate: null,
        owner: null,
        nextActionDate: null,
      });
  } else if (sum > total) {
    let excess = sum - total;
    for (const row of [
      ...out.filter(isNewSubscription),
      ...out.filter((r) => r.l1 === 'Status Unknown' && !isNewSubscription(r)),
    ]) {
      const take = Math.min(row.entitlements, excess);
      row.entitlements -= take;
      excess -= take;
    }
  }
  return out.filter((r) => r.entitlements > 0);
}
