import { CONTACT_TYPES } from '../enums';
import { Problems, type Problem } from '../problems';
import { bidiInName, CONTACT_TEXT, isEmail, MESSAGES, tooLong } from '../values';

/** A tenant's contact (DOMAIN.md §2.12), in the domain's names; '' and null both mean "not given". */
export interface ContactValues {
  type: string;
  name: string;
  email: string | null;
  phone: string | null;
  roleTitle: string | null;
  country: string | null;
  location: string | null;
  timeZone: string | null;
  engaged: boolean;
  surveyEligible: boolean;
  surveyLanguage: string | null;
  services: string[];
  doNotCall: boolean;
  skillType: string | null;
  msRole: string | null;
}

export interface ContactContext {
  /** Codes of the tenant's entitled services (V-14). */
  entitled: ReadonlySet<string>;
  /** Active `survey_language` and `skill_type` lookup values. */
  languages: readonly string[];
  skillTypes: readonly string[];
  /** The contact as stored, when this edits one: unchanged values are not checked again. */
  stored?: ContactValues;
}

/** The messages of V-10 and V-13, also used when a database CHECK repeats the rule. */
export const CONTACT_MESSAGES = {
  type: 'Choose Customer, Partner or Microsoft.',
  name: 'Name is required.',
  doNotCall: 'Do not call applies to Customer contacts only.',
  skillType: 'Skill type applies to Partner contacts only.',
  msRole: 'MS role applies to Microsoft contacts only.',
} as const;

/** V-13: the contact type each type-specific field belongs to (the form shows a field for its type only). */
export const TYPE_FIELDS = { doNotCall: 'Customer', skillType: 'Partner', msRole: 'Microsoft' } as const;

/** V-11 in words, for the form's help text. */
export const SURVEY_REQUIREMENTS =
  'A contact is survey eligible when it is a Customer contact, engaged, and has a name, email, country, survey language and at least 1 service.';

const isType = (v: string) => (CONTACT_TYPES as readonly string[]).includes(v);

/**
 * V-10…V-14 (DOMAIN.md §4.2), every problem with its own path. A-30: a contact that is not survey
 * eligible needs only type and name. Lengths, the email's form, lookups and services are checked
 * when new or changed; the survey and type-specific rules on the whole contact.
 */
export function checkContact(c: ContactValues, ctx: ContactContext): Problem[] {
  const problems = new Problems();
  const changed = (k: keyof ContactValues) => !ctx.stored || ctx.stored[k] !== c[k];
  for (const [key, max] of Object.entries(CONTACT_TEXT) as [keyof typeof CONTACT_TEXT, number][]) {
    const message = changed(key) ? tooLong(c[key], max) : undefined;
    if (message) problems.add([key], undefined, message);
  }
  // V-10
  if (!c.type) problems.add(['type'], 'V-10', 'Contact type is required.');
  else if (!isType(c.type)) problems.add(['type'], 'V-10', CONTACT_MESSAGES.type);
  if (!c.name) problems.add(['name'], 'V-10', CONTACT_MESSAGES.name);
  else if (changed('name') && bidiInName(c.name)) problems.add(['name'], undefined, MESSAGES.bidi);
  // V-12
  if (c.email && changed('email') && !isEmail(c.email)) problems.add(['email'], 'V-12', MESSAGES.email);
  if (c.surveyLanguage && changed('surveyLanguage') && !ctx.languages.includes(c.surveyLanguage))
    problems.add(['surveyLanguage'], undefined, 'Choose a survey language from the list.');
  // V-11: survey eligible → an engaged Customer with email, country, language and at least 1 service.
  if (c.surveyEligible) {
    const why = 'is required for a survey-eligible contact.';
    if (isType(c.type) && c.type !== 'Customer')
      problems.add(['type'], 'V-11', 'Only Customer contacts can be survey eligible.');
    if (!c.engaged) problems.add(['engaged'], 'V-11', 'A survey-eligible contact must be engaged.');
    if (!c.email) problems.add(['email'], 'V-11', `Email ${why}`);
    if (!c.country) problems.add(['country'], 'V-11', `Country ${why}`);
    if (!c.surveyLanguage) problems.add(['surveyLanguage'], 'V-11', `Survey language ${why}`);
    if (c.services.length === 0)
      problems.add(['services'], 'V-11', 'Select at least 1 service for a survey-eligible contact.');
  }
  // V-13: type-specific fields.
  if (c.doNotCall && c.type !== TYPE_FIELDS.doNotCall) problems.add(['doNotCall'], 'V-13', CONTACT_MESSAGES.doNotCall);
  if (c.skillType && c.type !== TYPE_FIELDS.skillType) problems.add(['skillType'], 'V-13', CONTACT_MESSAGES.skillType);
  else if (c.skillType && changed('skillType') && !ctx.skillTypes.includes(c.skillType))
    problems.add(['skillType'], undefined, 'Choose a skill type from the list.');
  if (c.msRole && c.type !== TYPE_FIELDS.msRole) problems.add(['msRole'], 'V-13', CONTACT_MESSAGES.msRole);
  // V-14: only the tenant's entitled services (services kept from before stay).
  const kept = new Set(ctx.stored?.services ?? []);
  const foreign = c.services.filter((code) => !ctx.entitled.has(code) && !kept.has(code));
  if (foreign.length > 0)
    problems.add(
      ['services'],
      'V-14',
      `Only services this tenant is entitled to can be selected (not: ${foreign.join(', ')}).`,
    );
  return problems.list;
}
