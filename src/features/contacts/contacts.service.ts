import type { Db } from '../../db/db';
import { constraintViolation } from '../../db/constraint-error';
import { NotFound, ValidationError } from '../../http/errors';
import { assertVersion } from '../../http/forms';
import { assertCanEdit, TenantContext } from '../tenants/tenants.service';
import * as repo from './contacts.repo';
import { Contact, ContactRow } from './contacts.repo';
import { fieldErrors } from '../../domain/problems';
import { checkContact, CONTACT_MESSAGES, type ContactValues } from '../../domain/rules/contact.rules';
import { CONTACT_TYPES, ContactForm, ContactType } from './contacts.schemas';
import { tenantWrite } from '../../db/locks';

export interface FormOptions {
  entitled: { code: string; name: string }[];
  languages: string[];
  skillTypes: string[];
}

export interface ContactsGrid {
  sections: { type: ContactType; contacts: Contact[] }[];
  /** C-4 (warn): the tenant has no survey-eligible Customer contact. */
  missingSurveyContact: boolean;
  serviceNames: Record<string, string>;
}

/** The grid in three sections (DOMAIN.md §5.9) and the C-4 hint. */
export async function contactsGrid(db: Db, tenant: TenantContext): Promise<ContactsGrid> {
  const [contacts, entitled] = await Promise.all([
    repo.listContacts(db, tenant.id),
    repo.entitledServices(db, tenant.id),
  ]);
  return {
    sections: CONTACT_TYPES.map((type) => ({ type, contacts: contacts.filter((c) => c.contactType === type) })),
    missingSurveyContact: !contacts.some((c) => c.contactType === 'Customer' && c.surveyEligible),
    serviceNames: Object.fromEntries(entitled.map((s) => [s.code, s.name])),
  };
}

export async function formOptions(db: Db, tenant: TenantContext): Promise<FormOptions> {
  const [entitled, languages, skillTypes] = await Promise.all([
    repo.entitledServices(db, tenant.id),
    repo.lookupValues(db, 'survey_language'),
    repo.lookupValues(db, 'skill_type'),
  ]);
  return { entitled, languages, skillTypes };
}

/** A contact of this tenant, or NotFound (another tenant's id is a parent/child mismatch, SECURITY.md case 3). */
export async function getContact(db: Db, tenant: TenantContext, contactId: string): Promise<Contact> {
  const id = /^\d{1,12}$/.test(contactId) ? Number(contactId) : NaN;
  const contact = Number.isSafeInteger(id) ? await repo.findContact(db, tenant.id, id) : undefined;
  if (!contact) throw new NotFound();
  return contact;
}

export function formFromContact(c: Contact): ContactForm {
  return {
    contact_type: c.contactType,
    name: c.name,
    email: c.email ?? '',
    phone: c.phone ?? '',
    role_title: c.roleTitle ?? '',
    country: c.country ?? '',
    is_engaged: c.isEngaged,
    survey_eligible: c.surveyEligible,
    survey_language: c.surveyLanguage ?? '',
    services: c.services,
    do_not_call: c.doNotCall,
    skill_type: c.skillType ?? '',
    ms_role: c.msRole ?? '',
    version: String(c.version),
  };
}

/** Domain names → this form's field names. */
const FORM_NAMES: Readonly<Record<string, string>> = {
  type: 'contact_type',
  roleTitle: 'role_title',
  engaged: 'is_engaged',
  surveyEligible: 'survey_eligible',
  surveyLanguage: 'survey_language',
  doNotCall: 'do_not_call',
  skillType: 'skill_type',
  msRole: 'ms_role',
};

const orNull = (v: string | null) => v || null;

/** The contact form (or a stored contact) in the domain's names; the form has no location or time zone. */
function contactValues(c: ContactForm | Contact): ContactValues {
  const f = 'contactType' in c ? formFromContact(c) : c;
  return {
    type: f.contact_type,
    name: f.name,
    email: orNull(f.email),
    phone: orNull(f.phone),
    roleTitle: orNull(f.role_title),
    country: orNull(f.country),
    location: null,
    timeZone: null,
    engaged: f.is_engaged,
    surveyEligible: f.survey_eligible,
    surveyLanguage: orNull(f.survey_language),
    services: f.services,
    doNotCall: f.do_not_call,
    skillType: orNull(f.skill_type),
    msRole: orNull(f.ms_role),
  };
}

/**
 * Rules V-10…V-14 (src/domain/rules/contact.rules.ts) for a new contact or an edit of `stored`; returns
 * the columns to write. Throws ValidationError (422) with a message per field.
 */
export function validateContact(form: ContactForm, options: FormOptions, stored?: Contact): ContactRow {
  const problems = checkContact(contactValues(form), {
    entitled: new Set(options.entitled.map((s) => s.code)),
    languages: options.languages,
    skillTypes: options.skillTypes,
    stored: stored ? contactValues(stored) : undefined,
  });
  if (problems.length > 0) throw new ValidationError(fieldErrors(problems, FORM_NAMES));
  const opt = (v: string) => v || null;
  return {
    contact_type: form.contact_type,
    name: form.name,
    email: opt(form.email),
    phone: opt(form.phone),
    role_title: opt(form.role_title),
    country: opt(form.country),
    is_engaged: form.is_engaged,
    survey_eligible: form.survey_eligible,
    survey_language: opt(form.survey_language),
    do_not_call: form.do_not_call,
    skill_type: opt(form.skill_type),
    ms_role: opt(form.ms_role),
  };
}

// The database's CHECK constraints repeat V-10, V-11 and V-13 (migrations/20261122_006): a violation that
// slips past the service rules is still a per-field 422, never a 500.
const CONSTRAINTS: Record<string, [string, string]> = {
  contacts_type: ['contact_type', CONTACT_MESSAGES.type],
  contacts_name: ['name', CONTACT_MESSAGES.name],
  contacts_survey_eligible: ['survey_eligible', 'This contact does not meet the survey-eligible requirements.'],
  contacts_do_not_call: ['do_not_call', CONTACT_MESSAGES.doNotCall],
  contacts_skill_type: ['skill_type', CONTACT_MESSAGES.skillType],
  contacts_ms_role: ['ms_role', CONTACT_MESSAGES.msRole],
};

/** Turns a CHECK / foreign-key failure into a ValidationError; anything else is rethrown. */
export function constraintError(err: unknown): unknown {
  const v = constraintViolation(err);
  if (!v) return err;
  const known = v.kind === 'check' ? CONSTRAINTS[v.detail] : undefined;
  if (known) return new ValidationError({ [known[0]]: known[1] });
  if (v.kind === 'foreign_key') return new ValidationError({ services: 'Unknown service.' });
  return err;
}

async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw constraintError(err);
  }
}

/** Creates a contact (V-10…V-14) in the loaded tenant; the tenant id never comes from the form. */
export async function createContact(db: Db, tenant: TenantContext, userId: number, form: ContactForm): Promise<number> {
  assertCanEdit(tenant);
  const row = validateContact(form, await formOptions(db, tenant));
  return guarded(() =>
    tenantWrite(db, tenant.id, (trx) => repo.insertContact(trx, tenant.id, userId, row, form.services)),
  );
}

/** Updates a contact: V-10…V-14, then the version check and the write in one transaction (409 when stale). */
export async function updateContact(
  db: Db,
  tenant: TenantContext,
  userId: number,
  contact: Contact,
  form: ContactForm,
): Promise<void> {
  assertCanEdit(tenant);
  const row = validateContact(form, await formOptions(db, tenant), contact);
  await guarded(() =>
    tenantWrite(db, tenant.id, async (trx) => {
      const stored = await repo.findContact(trx, tenant.id, contact.id);
      if (!stored) throw new NotFound();
      assertVersion(stored.version, form.version, { name: stored.name, email: stored.email });
      await repo.updateContact(trx, tenant.id, contact.id, userId, row, form.services);
    }),
  );
}

/**
 * Deletes a contact with its services once confirmed (`confirm=yes`); without the confirmation a
 * ValidationError on `confirm` (422) so the route shows the confirmation form.
 */
export async function deleteContact(db: Db, tenant: TenantContext, contact: Contact, confirm: string): Promise<void> {
  assertCanEdit(tenant);
  if (confirm !== 'yes') throw new ValidationError({ confirm: 'Confirm that this contact should be deleted.' });
  await tenantWrite(db, tenant.id, (trx) => repo.deleteContact(trx, tenant.id, contact.id));
}
