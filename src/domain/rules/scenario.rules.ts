import { Problems, type Problem } from '../problems';
import type { Entry } from './entry';

/** An engagement scenario lookup value (DOMAIN.md §2.9): ✔ partners may choose it, ✘ FTC leads. */
export interface ScenarioOption {
  value: string;
  partnerSelectable: boolean;
}

export const SCENARIO_MESSAGE =
  "Your role cannot change this Engagement Scenario. Ask for the change through FTC Help using the category 'Engagement Scenario Change'.";

export interface ScenarioContext {
  entry: Entry;
  /** The active lookup values. */
  options: readonly ScenarioOption[];
  stored: string | null;
  isPartner: boolean;
}

/** a scenario FTC leads (✘ in §2.9: FTC-CSS Led, CXP). */
export const ledByFtc = (scenario: ScenarioOption | undefined): boolean => !!scenario && !scenario.partnerSelectable;

/** the stored scenario is one FTC leads. */
export function internallyLed(options: readonly ScenarioOption[], stored: string | null): boolean {
  return ledByFtc(options.find((s) => s.value === stored));
}

/** V-51: a partner cannot change an internally led scenario. */
export function scenarioLocked(ctx: Pick<ScenarioContext, 'options' | 'stored' | 'isPartner'>): boolean {
  return ctx.isPartner && internallyLed(ctx.options, ctx.stored);
}

/** V-51: whether this user may choose `option` (a partner only ✔ values, or the value already stored). */
export function mayChoose(
  option: ScenarioOption,
  ctx: Pick<ScenarioContext, 'options' | 'stored' | 'isPartner'>,
): boolean {
  if (!ctx.isPartner || option.value === ctx.stored) return true;
  return !scenarioLocked(ctx) && option.partnerSelectable;
}

/**
 * V-50, V-51 (DOMAIN.md §4.6): a section save needs a scenario from the active lookup; a partner picks
 * only ✔ values and cannot move away from a ✘ one. A decided scenario is never cleared; an import may
 * load a service whose scenario is not decided yet.
 */
export function checkScenario(value: string | null, ctx: ScenarioContext): Problem[] {
  const problems = new Problems();
  const option = ctx.options.find((s) => s.value === value);
  // Unchanged: a value that was legal when stored stays legal (a lookup value retired since then included).
  if (value === ctx.stored && (value !== null || ctx.entry.imported)) return [];
  if (!option) problems.add(['engagementScenario'], 'V-50', 'Choose an engagement scenario.');
  else if (!mayChoose(option, ctx)) problems.add(['engagementScenario'], 'V-51', SCENARIO_MESSAGE);
  return problems.list;
}
