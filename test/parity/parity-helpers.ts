import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { today } from '../../src/config';
import type { Db } from '../../src/db/db';
import { ImportProblemsError } from '../../src/features/admin/admin.errors';
import { importJsonFile } from '../../src/features/import/import-stream';
import type {
  ImportContact,
  ImportFile,
  ImportForecast,
  ImportMigration,
  ImportMigrationLine,
  ImportNote,
  ImportService,
  ImportStatus,
  ImportTenant,
} from '../../src/features/import/import.types';
import { buildTestApp, html, loginAs, type SignedIn, type TestApp } from '../helpers/app';

/**
 * Helpers of test/parity/import-dialog.test.ts: one base import document, the import's verdict, the
 * dialog's forms read from the rendered HTML as a browser would post them, and the dialog's verdict.
 */

export type Basis = 'total' | 'in_progress';
export type Surface = 'service' | 'forecast' | 'contact' | 'status';

export const USER = 'pia@parity-partners.example';

/** Today (UTC, the app's APP_TZ in tests) plus `offset` days, as YYYY-MM-DD. */
export function day(offset: number): string {
  const d = new Date(`${today({ appTz: 'UTC' })}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
}

/** An import document with handles on the parts the cases change. */
export interface Doc {
  file: ImportFile;
  tenant: ImportTenant;
  exo: ImportService;
  rows: ImportStatus[];
  forecast: ImportForecast;
  migration: ImportMigration;
  line: ImportMigrationLine;
  contact: ImportContact;
  note: ImportNote;
}

/**
 * The base tenant: EXO (migration-eligible) with 100 entitlements in a balanced grid, forecast dates in
 * order, FTC-FTP Led, Microsoft performing the migration (lines adding up to the basis), a P-RM for the
 * partner user, one survey-eligible contact and an Engagement Management note with a status; INTUNE
 * with 0 entitlements. Valid on both paths.
 */
export function baseDoc(guid: string, basis: Basis): Doc {
  const rows: ImportStatus[] = [
    { l1: 'In Progress', l2: 'Migration', entitlements: 80, note: 'Migrating mailboxes in weekly batches' },
    { l1: 'Blocked', l2: 'Legal/Regulatory', entitlements: 10, note: 'Works council approval is pending' },
    { l1: 'No Intent', l2: 'Using Competitive Solution', entitlements: 10, note: 'Stays on its mail platform' },
  ];
  rows[0].targetDate = day(30);
  rows[2].owner = 'Account Team';
  const line = {
    type: 'Mig-ExHybrid',
    entitlements: basis === 'total' ? 100 : 80,
    estimatedDate: day(50),
    notes: 'Wave one',
    dataSizeGb: 120,
  };
  const migration = { msPerforming: true, startDate: day(10), endDate: day(100), lines: [line] };
  const forecast = { rfaSubmitted: day(-30), firstAu: day(60), fortyAu: day(120), maxAu: day(200) };
  const exo = {
    code: 'EXO',
    entitlements: 100,
    engagementScenario: 'FTC-FTP Led',
    statuses: rows,
    forecast,
    migration,
  };
  const contact = {
    type: 'Customer',
    name: 'Li Wei',
    email: 'li.wei@customer.example',
    country: 'United States',
    engaged: true,
    surveyEligible: true,
    surveyLanguage: 'English',
    services: ['EXO'],
  };
  const note = {
    category: 'Engagement Management',
    author: USER,
    createdAt: `${day(-1)}T10:00:00Z`,
    body: 'Kick-off held; migration plan agreed.',
    services: ['EXO'],
    escalated: false,
    overallStatus: 'Active',
  };
  const tenant: ImportTenant = {
    tenantId: guid,
    name: `${guid}.onmicrosoft.com`,
    customer: `Customer ${guid.slice(0, 8)}`,
    services: [exo, { code: 'INTUNE', entitlements: 0 }],
    assignments: [{ type: 'P-RM', user: USER, scopes: ['TENANT', 'EXO'], primary: ['TENANT'] }],
    contacts: [contact],
    notes: [note],
  };
  const file = {
    orgs: [{ name: 'Parity Partners', domains: ['parity-partners.example'] }],
    users: [{ email: USER, name: 'Pia Parity', org: 'Parity Partners' }],
    tenants: [tenant],
  };
  return { file, tenant, exo, rows, forecast, migration, line, contact, note };
}

/** One app and database per migration sum basis, signed in as the partner user of the base document. */
export interface Env {
  t: TestApp;
  who: SignedIn;
  basis: Basis;
}

export async function openEnv(basis: Basis): Promise<Env> {
  const t = await buildTestApp(basis === 'in_progress' ? { MIGRATION_SUM_BASIS: 'in_progress' } : {});
  const env = { t, basis } as Env;
  expect(await importVerdict(env, baseDoc(crypto.randomUUID(), basis))).toBe('accepted'); // the org and the user
  env.who = await loginAs(t.app, USER);
  return env;
}

/**
 * Imports through the CLI's import function (the file read as a stream): 'accepted', or 'refused at
 * <path>' with each problem's path below its tenant / service, `+`-joined.
 */
export async function importVerdict(env: Env, doc: Doc): Promise<string> {
  const file = path.join(os.tmpdir(), `parity-${crypto.randomUUID()}.json`);
  fs.writeFileSync(file, JSON.stringify(doc.file));
  try {
    await importJsonFile(env.t.db, file, { now: new Date(), migrationSumBasis: env.basis });
    return 'accepted';
  } catch (err) {
    if (!(err instanceof ImportProblemsError)) throw err;
    const paths = err.problems.map((p) => p.path.replace(/^tenants\[0\]\.(services\[0\]\.)?/, ''));
    return `refused at ${[...new Set(paths)].join(' + ')}`;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** A fresh tenant imported from the base document, changed by `change` first; its GUID and the verdict. */
export async function importCase(env: Env, change: (d: Doc) => void, over = false) {
  const guid = crypto.randomUUID();
  if (over) expect(await importVerdict(env, baseDoc(guid, env.basis))).toBe('accepted');
  const doc = baseDoc(guid, env.basis);
  change(doc);
  return { guid, verdict: await importVerdict(env, doc) };
}

const PAGES: Record<Surface, { form: string; page: (db: Db, guid: string) => Promise<string> }> = {
  service: { form: '#svc-form-EXO', page: async (_db, g) => `/tenants/${g}/services/EXO/edit` },
  forecast: { form: 'form.forecast-form', page: async (_db, g) => `/tenants/${g}/services/EXO/edit` },
  contact: {
    form: 'form.contact-form',
    page: async (db, g) => {
      const c = await db('contacts as c').join('tenants as t', 't.id', 'c.tenant_id').where('t.tenant_guid', g).first();
      return `/tenants/${g}/contacts/${c.id}/edit`;
    },
  },
  status: { form: '#overall-status-form', page: async (_db, g) => `/tenants/${g}/overall-status` },
};

/**
 * The form's successful controls as a browser posts them: inputs (hidden included), checked
 * checkboxes and radios, selected options, textareas; those outside the form joining it with
 * `form="<id>"`; disabled controls (or inside a disabled fieldset) and buttons left out.
 */
export function formControls(page: string, selector: string): { action: string; fields: URLSearchParams } {
  const root = html(page);
  const form = root.querySelector(selector);
  if (!form) throw new Error(`no ${selector} on the page`);
  const id = form.getAttribute('id');
  const fields = new URLSearchParams();
  for (const el of root.querySelectorAll('input, select, textarea')) {
    const name = el.getAttribute('name');
    const owner = el.getAttribute('form');
    const mine = owner !== undefined ? owner === id : el.closest('form') === form;
    if (!name || !mine || el.hasAttribute('disabled') || el.closest('fieldset[disabled]')) continue;
    const tag = el.tagName.toLowerCase();
    const type = (el.getAttribute('type') ?? 'text').toLowerCase();
    if (tag === 'textarea') fields.append(name, el.text);
    else if (tag === 'select') {
      const options = el.querySelectorAll('option');
      const chosen = options.filter((o) => o.hasAttribute('selected'));
      for (const o of chosen.length || el.hasAttribute('multiple') ? chosen : options.slice(0, 1))
        fields.append(name, o.getAttribute('value') ?? o.text);
    } else if (type === 'checkbox' || type === 'radio') {
      if (el.hasAttribute('checked')) fields.append(name, el.getAttribute('value') ?? 'on');
    } else if (!['submit', 'button', 'reset', 'image', 'file'].includes(type))
      fields.append(name, el.getAttribute('value') ?? '');
  }
  return { action: form.getAttribute('action')!, fields };
}

/** The dialog form of a surface as the signed-in partner user gets it. */
export async function openForm(env: Env, on: Surface, guid: string) {
  const res = await env.who.agent.get(await PAGES[on].page(env.t.db, guid));
  expect(res.status).toBe(200);
  const form = formControls(res.text, PAGES[on].form);
  // The status update form appends an update: its note starts empty and is always typed (V-03).
  if (on === 'status') form.fields.set('note', 'Weekly check-in: the migration plan is on track.');
  return form;
}

/**
 * Posts a form as a browser does without htmx (the plain path, which works without JS): urlencoded,
 * every line break sent as CRLF (HTML › form submission). The verdict: 'accepted' (2xx, 303), or
 * 'refused at <the fields with a message>' (422).
 */
export async function postForm(env: Env, form: { action: string; fields: URLSearchParams }): Promise<string> {
  const body = new URLSearchParams([...form.fields].map(([k, v]) => [k, v.replace(/\r?\n/g, '\r\n')]));
  const res = await env.who.agent.post(form.action).type('form').send(body.toString());
  if (res.status === 303 || (res.status >= 200 && res.status < 300)) return 'accepted';
  if (res.status !== 422) return `HTTP ${res.status}`;
  const fields = html(res.text)
    .querySelectorAll('[data-field]')
    .map((el) => el.getAttribute('data-field'));
  return `refused at ${[...new Set(fields)].join(' + ')}`;
}

type Snapshot = Record<string, Record<string, unknown>[]>;
const VOLATILE = new Set(['version', 'updated_at', 'updated_by']);
/** A snapshot without versions and update stamps. */
const loose = (s: Snapshot): Snapshot =>
  Object.fromEntries(
    Object.entries(s).map(([k, rows]) => [
      k,
      rows.map((r) => Object.fromEntries(Object.entries(r).filter(([c]) => !VOLATILE.has(c)))),
    ]),
  );

/** Every row stored for a tenant: the tenant, its services, grids, lines, histories, contacts, notes. */
export async function snapshot(db: Db, guid: string): Promise<Snapshot> {
  const tenant = await db('tenants').where('tenant_guid', guid).first();
  const ts = await db('tenant_services').where('tenant_id', tenant.id).orderBy('id');
  const contacts = await db('contacts').where('tenant_id', tenant.id).orderBy('id');
  const byService = (table: string) =>
    db(table)
      .whereIn(
        'tenant_service_id',
        ts.map((r) => r.id),
      )
      .orderBy('id');
  return {
    tenant: [tenant],
    ts,
    rows: await byService('entitlement_status_rows'),
    lines: await byService('migration_type_lines'),
    statusHistory: await byService('entitlement_status_history'),
    forecastHistory: await byService('forecast_history'),
    contacts,
    contactServices: await db('contact_services')
      .whereIn(
        'contact_id',
        contacts.map((c) => c.id),
      )
      .orderBy(['contact_id', 'service_code']),
    notes: await db('notes').where('tenant_id', tenant.id).orderBy('id'),
    overallHistory: await db('overall_status_history').where('tenant_id', tenant.id).orderBy('id'),
  };
}

/**
 * Step 2: the stored values posted back unchanged through the dialog. When accepted the database is
 * unchanged but for versions and update stamps (the status form appends an update by design, so
 * there only the overall status must stay); when refused it is unchanged altogether.
 */
export async function saveUnchanged(env: Env, on: Surface, guid: string): Promise<string> {
  const before = await snapshot(env.t.db, guid);
  const verdict = await postForm(env, await openForm(env, on, guid));
  const after = await snapshot(env.t.db, guid);
  if (verdict !== 'accepted') expect(after).toEqual(before);
  else if (on === 'status') expect(after.tenant[0].overall_status).toBe(before.tenant[0].overall_status);
  else expect(loose(after)).toEqual(loose(before));
  return verdict;
}

/** Step 3: a fresh base tenant, its dialog form changed by `change` and posted; nothing stored on refusal. */
export async function dialogCase(env: Env, on: Surface, change: (f: URLSearchParams) => void) {
  const { guid, verdict: base } = await importCase(env, () => undefined);
  expect(base).toBe('accepted');
  const form = await openForm(env, on, guid);
  change(form.fields);
  const before = await snapshot(env.t.db, guid);
  const verdict = await postForm(env, form);
  if (verdict !== 'accepted') expect(await snapshot(env.t.db, guid)).toEqual(before);
  return { guid, verdict };
}
