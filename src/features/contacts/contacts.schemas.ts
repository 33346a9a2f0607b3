import { CONTACT_TYPES } from '../../domain/enums';
import { checked, field, FormBody, list } from '../../http/forms';

export { CONTACT_TYPES };
export type ContactType = (typeof CONTACT_TYPES)[number];

export const isContactType = (v: string): v is ContactType => (CONTACT_TYPES as readonly string[]).includes(v);

/** The contact form as the user typed it: re-rendered as is on 422. */
export interface ContactForm {
  contact_type: string;
  name: string;
  email: string;
  phone: string;
  role_title: string;
  country: string;
  is_engaged: boolean;
  survey_eligible: boolean;
  survey_language: string;
  services: string[];
  do_not_call: boolean;
  skill_type: string;
  ms_role: string;
  version: string;
}

/**
 * Reads only the known fields of a posted contact form. Anything else (an injected `tenant_id`,
 * `partner_org_id`, `source`) is never read (SECURITY.md case 6); `version` is only compared, never stored.
 */
export function parseContactForm(body: FormBody): ContactForm {
  return {
    contact_type: field(body, 'contact_type'),
    name: field(body, 'name'),
    email: field(body, 'email'),
    phone: field(body, 'phone'),
    role_title: field(body, 'role_title'),
    country: field(body, 'country'),
    is_engaged: checked(body, 'is_engaged'),
    survey_eligible: checked(body, 'survey_eligible'),
    survey_language: field(body, 'survey_language'),
    services: [...new Set(list(body, 'services').map((s) => s.toUpperCase()))].slice(0, 100),
    do_not_call: checked(body, 'do_not_call'),
    skill_type: field(body, 'skill_type'),
    ms_role: field(body, 'ms_role'),
    version: field(body, 'version'),
  };
}

/** An empty form for a new contact of the given type. */
export function blankForm(type: ContactType): ContactForm {
  return {
    contact_type: type,
    name: '',
    email: '',
    phone: '',
    role_title: '',
    country: '',
    is_engaged: false,
    survey_eligible: false,
    survey_language: '',
    services: [],
    do_not_call: false,
    skill_type: '',
    ms_role: '',
    version: '',
  };
}
