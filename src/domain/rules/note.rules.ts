import { NOTE_CATEGORIES } from '../enums';
import { isIsoDate, LIMITS, MESSAGES } from '../values';

/** V-70: the categories the Notes Editor creates (Enterprise Status only through its own tab). */
export const EDITOR_CATEGORIES = NOTE_CATEGORIES.slice(0, 4);
/** V-71 [interp]: categories that name at least one service. */
export const SERVICE_CATEGORIES: readonly string[] = ['Technical Enablement', 'Service Intent'];
/** V-74: categories with templates. */
export const TEMPLATE_CATEGORIES: readonly string[] = ['Engagement Management', 'Technical Enablement'];

/** A note as the editor posts it, after sanitising (bodyText is the plain-text copy). */
export interface NoteInput {
  category: string;
  hasTenant: boolean;
  services: string[];
  bodyText: string;
  nextAction: string;
  nextActionDate: string;
  nextActionOwner: string;
}

export interface NoteRuleContext {
  /** The tenant's services (V-71). */
  tenantServices: readonly string[];
  /** The offered Next Action Owners (V-73): the tenant's assigned users and contacts. */
  owners: readonly string[];
  /** Today in the app's time zone (V-73). */
  today: string;
}

/**
 * V-70…V-73 for a note saved by a user (imported history does not pass here). Returns one message per
 * field, keyed by the neutral field name (category, tenant, services, body, next_action, next_action_date,
 * next_action_owner).
 */
export function noteErrors(input: NoteInput, ctx: NoteRuleContext): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!EDITOR_CATEGORIES.includes(input.category as (typeof EDITOR_CATEGORIES)[number]))
    errors.category = `Choose a note category: ${EDITOR_CATEGORIES.join(', ')}.`; // V-70
  if (!input.hasTenant) errors.tenant = 'Choose the tenant this note is about.'; // V-70
  if (!input.bodyText.trim()) errors.body = 'Write the note.'; // V-70
  const unknown = input.services.filter((s) => !ctx.tenantServices.includes(s));
  if (input.hasTenant && unknown.length)
    errors.services = 'Choose services of this tenant only.'; // V-71
  else if (SERVICE_CATEGORIES.includes(input.category) && input.services.length === 0)
    errors.services = `Choose at least one service for a ${input.category} note.`; // V-71
  if (input.nextAction.length > LIMITS.nextAction) errors.next_action = MESSAGES.tooLong(LIMITS.nextAction); // V-72
  if (input.nextActionDate) {
    if (!isIsoDate(input.nextActionDate))
      errors.next_action_date = MESSAGES.date; // V-73
    else if (input.nextActionDate < ctx.today) errors.next_action_date = 'Choose today or a later date.';
  }
  if (input.nextActionOwner && !ctx.owners.includes(input.nextActionOwner))
    errors.next_action_owner = 'Choose an owner from the list.'; // V-73
  return errors;
}

/** V-75: at most this many drafts per user (the database refuses the 11th as well). */
export const DRAFT_LIMIT = 10;
export const DRAFT_LIMIT_MESSAGE = `Draft limit reached (${DRAFT_LIMIT}); delete or restore a draft first.`;

/**
 * A draft keeps what was typed, so only what the database could not hold is refused: a category outside
 * the editor's (V-70), a next action over the limit (V-72), and a new draft past the limit (V-75).
 */
export function draftErrors(
  input: { category: string; nextAction: string },
  existingDrafts: number,
  isNew: boolean,
): Record<string, string> {
  const errors: Record<string, string> = {};
  if (input.category && !EDITOR_CATEGORIES.includes(input.category as (typeof EDITOR_CATEGORIES)[number]))
    errors.category = `Choose a note category: ${EDITOR_CATEGORIES.join(', ')}.`;
  if (input.nextAction.length > LIMITS.nextAction) errors.next_action = MESSAGES.tooLong(LIMITS.nextAction);
  if (isNew && existingDrafts >= DRAFT_LIMIT) errors.draft = DRAFT_LIMIT_MESSAGE;
  return errors;
}
