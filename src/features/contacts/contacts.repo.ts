import type { Knex } from 'knex';
import type { Db } from '../../db/db';
import type { ContactType } from './contacts.schemas';

/**
 * Contacts data access. Every query takes the id of a tenant the param loader has already resolved
 * inside the user's scope (tenants.service loadTenant), and filters by it: a contact id of another
 * tenant is simply not found (SECURITY.md case 3).
 */
export interface Contact {
  id: number;
  tenantId: number;
  contactType: ContactType;
  name: string;
  email: string | null;
  phone: string | null;
  roleTitle: string | null;
  country: string | null;
  location: string | null;
  timeZone: string | null;
  isEngaged: boolean;
  surveyEligible: boolean;
  surveyLanguage: string | null;
  doNotCall: boolean;
  skillType: string | null;
  msRole: string | null;
  source: 'manual' | 'sync';
  version: number;
  updatedAt: string;
  services: string[];
}

/** The columns a save writes (snake_case, as stored). */
export interface ContactRow {
  contact_type: string;
  name: string;
  email: string | null;
  phone: string | null;
  role_title: string | null;
  country: string | null;
  is_engaged: boolean;
  survey_eligible: boolean;
  survey_language: string | null;
  do_not_call: boolean;
  skill_type: string | null;
  ms_role: string | null;
  /** Not on the form; the import sets them (undefined leaves them alone). */
  location?: string | null;
  time_zone?: string | null;
}

type Row = Record<string, unknown>;

function toContact(r: Row, services: string[]): Contact {
  return {
    id: Number(r.id),
    tenantId: Number(r.tenant_id),
    contactType: r.contact_type as ContactType,
    name: String(r.name),
    email: (r.email as string | null) ?? null,
    phone: (r.phone as string | null) ?? null,
    roleTitle: (r.role_title as string | null) ?? null,
    country: (r.country as string | null) ?? null,
    location: (r.location as string | null) ?? null,
    timeZone: (r.time_zone as string | null) ?? null,
    isEngaged: Boolean(r.is_engaged),
    surveyEligible: Boolean(r.survey_eligible),
    surveyLanguage: (r.survey_language as string | null) ?? null,
    doNotCall: Boolean(r.do_not_call),
    skillType: (r.skill_type as string | null) ?? null,
    msRole: (r.ms_role as string | null) ?? null,
    source: r.source as 'manual' | 'sync',
    version: Number(r.version),
    updatedAt: String(r.updated_at),
    services,
  };
}

async function servicesOf(db: Db | Knex.Transaction, contactIds: number[]): Promise<Map<number, string[]>> {
  const map = new Map<number, string[]>();
  if (contactIds.length === 0) return map;
  const rows = await db('contact_services as cs')
    .join('services as s', 's.code', 'cs.service_code')
    .whereIn('cs.contact_id', contactIds)
    .orderBy('s.sort_order')
    .select('cs.contact_id', 'cs.service_code');
  for (const r of rows) {
    const list = map.get(r.contact_id) ?? [];
    list.push(r.service_code);
    map.set(r.contact_id, list);
  }
  return map;
}

/** The tenant's contacts, by type then name. */
export async function listContacts(db: Db, tenantId: number): Promise<Contact[]> {
  const rows = await db('contacts')
    .where('tenant_id', tenantId)
    .orderBy([{ column: 'contact_type' }, { column: 'name' }, { column: 'id' }]);
  const services = await servicesOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toContact(r, services.get(r.id) ?? []));
}

/** One contact of the tenant; undefined when the id belongs to another tenant or does not exist. */
export async function findContact(
  db: Db | Knex.Transaction,
  tenantId: number,
  contactId: number,
): Promise<Contact | undefined> {
  const r = await db('contacts').where({ tenant_id: tenantId, id: contactId }).first();
  if (!r) return undefined;
  return toContact(r, (await servicesOf(db, [r.id])).get(r.id) ?? []);
}

/** The tenant's entitled services (V-14), in catalogue order. */
export function entitledServices(db: Db, tenantId: number): Promise<{ code: string; name: string }[]> {
  return db('tenant_services as ts')
    .join('services as s', 's.code', 'ts.service_code')
    .where('ts.tenant_id', tenantId)
    .orderBy('s.sort_order')
    .select('s.code', 's.name');
}

/** Active values of an admin lookup (survey_language, skill_type). */
export function lookupValues(db: Db, kind: 'survey_language' | 'skill_type'): Promise<string[]> {
  return db('lookups').where({ kind, active: true }).orderBy(['sort', 'value']).pluck('value');
}

async function writeServices(trx: Knex, contactId: number, services: string[]): Promise<void> {
  await trx('contact_services').where('contact_id', contactId).delete();
  if (services.length > 0) {
    await trx('contact_services').insert(services.map((code) => ({ contact_id: contactId, service_code: code })));
  }
}

/** A new contact of the tenant (the dialog: source manual; the import: usually sync, a contact from another system). */
export async function insertContact(
  trx: Knex,
  tenantId: number,
  userId: number | null,
  row: ContactRow,
  services: string[],
  { source = 'manual', now = new Date().toISOString() }: { source?: 'manual' | 'sync'; now?: string } = {},
): Promise<number> {
  const [{ id }] = await trx('contacts')
    .insert({
      ...row,
      tenant_id: tenantId,
      source,
      version: 1,
      created_at: now,
      created_by: userId,
      updated_at: now,
      updated_by: userId,
    })
    .returning('id');
  await writeServices(trx, id, services);
  return id;
}

/** Writes the row and bumps its version; the caller has checked the version in the same transaction. */
export async function updateContact(
  trx: Knex,
  tenantId: number,
  contactId: number,
  userId: number | null,
  row: ContactRow & { source?: 'manual' | 'sync' },
  services: string[],
  now = new Date().toISOString(),
): Promise<void> {
  await trx('contacts')
    .where({ tenant_id: tenantId, id: contactId })
    .update({ ...row, version: trx.raw('version + 1'), updated_at: now, updated_by: userId });
  await writeServices(trx, contactId, services);
}

/** Removes the contact and its contact_services rows. */
export async function deleteContact(trx: Knex.Transaction, tenantId: number, contactId: number): Promise<void> {
  await trx('contact_services').where('contact_id', contactId).delete();
  await trx('contacts').where({ tenant_id: tenantId, id: contactId }).delete();
}
