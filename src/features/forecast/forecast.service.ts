import Joi from 'joi';
import { today as todayIn, type Config } from '../../config';
import type { Db } from '../../db/db';
import { Forbidden, NotFound, ValidationError } from '../../http/errors';
import { assertVersion, field, FormBody, isoDate, validate } from '../../http/forms';
import { assertCanEdit, TenantContext } from '../tenants/tenants.service';
import {
  FORECAST_COLUMNS,
  ForecastColumn,
  ForecastDates,
  ForecastHistoryRow,
  ForecastServiceRow,
  findForecastService,
  forecastHistory,
  writeForecast,
} from './forecast.repo';

export const COLUMNS = Object.keys(FORECAST_COLUMNS) as ForecastColumn[];
const TARGETS: ForecastColumn[] = ['target_first_au_date', 'target_40_au_date', 'target_max_au_date'];
type ClockConfig = Pick<Config, 'appTz' | 'firstMilestonePct'> & Partial<Pick<Config, 'enforceScenarioOwnership'>>;
const DEFAULT_CLOCK: ClockConfig = { appTz: 'UTC', firstMilestonePct: 15 };

export const RFA_REQUIRED = 'Submitted Date (RFA) is required before forecast dates can be saved.';

/** Field labels; the first milestone's percentage comes from config. */
export function forecastLabels(firstMilestonePct: number): Record<ForecastColumn, string> {
  return {
    rfa_submitted_date: 'Submitted Date (RFA)',
    target_first_au_date: `Target Date for ${firstMilestonePct}% AU`,
    target_40_au_date: 'Target Date for 40% AU',
    target_max_au_date: 'Target Date for Max AU',
  };
}

/** Everything views/services/_forecast.ejs needs (besides csrfToken and user, which every view has). */
export type ForecastSection = {
  tenant: TenantContext;
  service: { id: number; code: string; name: string; version: number; dates: ForecastDates };
  /** What each input shows: the stored date, the user's value after a 422, or today for an empty RFA (V-30). */
  values: Record<ForecastColumn, string>;
  labels: Record<ForecastColumn, string>;
  history: (ForecastHistoryRow & { label: string })[];
  /** C-3 compliance warnings (never block a save). */
  warnings: string[];
  errors: Record<string, string>;
  canEdit: boolean;
  today: string;
};

/** Overlay for a 422 re-render: the user's submitted values and the messages per field. */
export interface SectionOverlay {
  submitted?: Partial<Record<ForecastColumn, string>>;
  errors?: Record<string, string>;
  /** The viewer's kind; without it a user holding a P- role on the tenant counts as a partner. */
  viewerKind?: string;
}

/**
 * with ENFORCE_SCENARIO_OWNERSHIP, the sections of an FTC-maintained service (a scenario partners
 * cannot pick) are read-only for partners; admins keep editing.
 */
function ownedByFtc(config: ClockConfig, row: ForecastServiceRow, isPartner: boolean): boolean {
  return Boolean(config.enforceScenarioOwnership) && isPartner && row.internallyLed;
}

/** The service, 404 when the tenant has no such entitled service or it is not eligible (V-20: effective total 0). */
async function loadService(db: Db, tenant: TenantContext, code: string): Promise<ForecastServiceRow> {
  const row = /^[A-Za-z0-9_-]{1,40}$/.test(code) ? await findForecastService(db, tenant.id, code) : undefined;
  if (!row || row.effectiveTotal <= 0) throw new NotFound();
  return row;
}

/**
 * The Forecast Dates section of one service of a tenant already resolved in the user's scope:
 * dates, version, labels, C-3 warnings and the history newest first. Throws NotFound (404) for a
 * service the tenant is not entitled to or whose effective total is 0 (V-20).
 */
export async function forecastSection(
  db: Db,
  tenant: TenantContext,
  code: string,
  config: ClockConfig = DEFAULT_CLOCK,
  overlay: SectionOverlay = {},
): Promise<ForecastSection> {
  const row = await loadService(db, tenant, code);
  const today = todayIn(config);
  const labels = forecastLabels(config.firstMilestonePct);
  const values = {} as Record<ForecastColumn, string>;
  for (const c of COLUMNS) values[c] = overlay.submitted?.[c] ?? row.dates[c] ?? '';
  // V-30 / A-6: an empty RFA is offered as today; it is only stored when the user saves it.
  if (!values.rfa_submitted_date && !row.dates.rfa_submitted_date) values.rfa_submitted_date = today;
  const byCode = Object.fromEntries(COLUMNS.map((c) => [FORECAST_COLUMNS[c], labels[c]]));
  const history = (await forecastHistory(db, row.id)).map((h) => ({ ...h, label: byCode[h.field] ?? h.field }));
  return {
    tenant,
    service: { id: row.id, code: row.code, name: row.name, version: row.version, dates: row.dates },
    values,
    labels,
    history,
    warnings: complianceWarnings(row.dates, today, labels),
    errors: overlay.errors ?? {},
    canEdit:
      tenant.access === 'edit' &&
      !ownedByFtc(config, row, overlay.viewerKind ? overlay.viewerKind === 'partner' : tenant.myRoles.length > 0),
    today,
  };
}

/** C-3 (warn): Max AU missing, or a stored target date already in the past. */
export function complianceWarnings(
  dates: ForecastDates,
  today: string,
  labels: Record<ForecastColumn, string>,
): string[] {
  const out: string[] = [];
  if (!dates.target_max_au_date) out.push(`${labels.target_max_au_date} is missing; it is required for compliance.`);
  for (const c of TARGETS) {
    const d = dates[c];
    if (d && d < today) out.push(`${labels[c]} (${d}) is in the past; update the forecast.`);
  }
  return out;
}

/** The forecast fields present in a body (only those: autosave posts one at a time), trimmed. */
export function submittedDates(body: FormBody): Partial<Record<ForecastColumn, string>> {
  const out: Partial<Record<ForecastColumn, string>> = {};
  for (const c of COLUMNS) if (body[c] !== undefined) out[c] = field(body, c);
  return out;
}

const dateSchema = Joi.object(Object.fromEntries(COLUMNS.map((c) => [c, isoDate().allow('')])));

/**
 * Saves the forecast fields present in `body` (autosave of one field, or all four from the no-JS
 * form). Rules V-30…V-35 are checked against the stored row merged with the request; "later than
 * today" only for fields this request changes (V-35). One transaction: read, check version, write
 * the changed columns with version+1 and one ForecastHistory row per changed field.
 * Throws Forbidden (403, read-only tenant), NotFound (404), ValidationError (422), Conflict (409).
 */
export async function saveForecast(
  db: Db,
  config: ClockConfig,
  tenant: TenantContext,
  code: string,
  body: FormBody,
  actor: { userId: number; kind: string },
): Promise<ForecastSection> {
  assertCanEdit(tenant);
  const submitted = validate(dateSchema, submittedDates(body)) as Partial<Record<ForecastColumn, string>>;
  const today = todayIn(config);
  const labels = forecastLabels(config.firstMilestonePct);
  await db.transaction(async (trx) => {
    const stored = await loadService(trx, tenant, code);
    if (ownedByFtc(config, stored, actor.kind === 'partner'))
      throw new Forbidden("FTC maintains this service's data; add notes about your activities instead.");
    assertVersion(stored.version, field(body, 'version'), { ...stored.dates });
    const changes: Partial<ForecastDates> = {};
    for (const c of COLUMNS) {
      const next = submitted[c] === undefined ? undefined : submitted[c] || null;
      if (next !== undefined && next !== stored.dates[c]) changes[c] = next;
    }
    const errors = forecastErrors(stored.dates, changes, { today, labels, isAdmin: actor.kind === 'admin' });
    if (Object.keys(errors).length) throw new ValidationError(errors);
    if (Object.keys(changes).length === 0) return;
    if (!(await writeForecast(trx, stored, changes, actor.userId, new Date().toISOString())))
      assertVersion(stored.version + 1, String(stored.version));
  });
  return forecastSection(db, tenant, code, config, { viewerKind: actor.kind });
}

interface RuleContext {
  today: string;
  labels: Record<ForecastColumn, string>;
  isAdmin: boolean;
}

/** V-30…V-35 over the stored dates merged with the changes; one message per field (the first found). */
export function forecastErrors(
  stored: ForecastDates,
  changes: Partial<ForecastDates>,
  { today, labels, isAdmin }: RuleContext,
): Record<string, string> {
  const errors: Record<string, string> = {};
  const add = (c: ForecastColumn, message: string) => (errors[c] ??= message);
  const merged: ForecastDates = { ...stored, ...changes };
  const changed = (c: ForecastColumn) => c in changes;

  // V-30 / A-6: RFA is set once (partners), never emptied; read-only for partners after that.
  if (changed('rfa_submitted_date')) {
    if (!merged.rfa_submitted_date) add('rfa_submitted_date', `${labels.rfa_submitted_date} cannot be emptied.`);
    else if (stored.rfa_submitted_date && !isAdmin)
      add(
        'rfa_submitted_date',
        `${labels.rfa_submitted_date} is already set (${stored.rfa_submitted_date}) and only an administrator can change it.`,
      );
  }
  // V-30: no target date is saved without an RFA.
  if (!merged.rfa_submitted_date) {
    for (const c of TARGETS) if (changed(c) && merged[c]) add(c, RFA_REQUIRED);
  }
  // V-31…V-33 "later than today", only for fields changed in this request (V-35 / A-4). V-34: empty clears.
  for (const c of TARGETS) {
    const d = merged[c];
    if (changed(c) && d && d <= today) add(c, `${labels[c]} must be later than today (${today}).`);
  }
  // Chronological order (V-31, V-32, V-33 / A-5). A pair is checked when either side changed, so stored
  // dates alone never block an unrelated save; the message goes to the field being changed.
  const order: [ForecastColumn, ForecastColumn, 'later' | 'not-earlier'][] = [
    ['rfa_submitted_date', 'target_first_au_date', 'later'], // V-31
    ['target_first_au_date', 'target_40_au_date', 'later'], // V-32
    ['rfa_submitted_date', 'target_40_au_date', 'later'], // V-32 (when the 15% date is empty)
    ['rfa_submitted_date', 'target_max_au_date', 'later'], // V-33
    ['target_first_au_date', 'target_max_au_date', 'not-earlier'], // V-33
    ['target_40_au_date', 'target_max_au_date', 'not-earlier'], // V-33
  ];
  for (const [lo, hi, kind] of order) {
    const a = merged[lo];
    const b = merged[hi];
    if (!a || !b || !(changed(lo) || changed(hi))) continue;
    const ok = kind === 'later' ? b > a : b >= a;
    if (ok) continue;
    if (changed(hi))
      add(hi, `${labels[hi]} must be ${kind === 'later' ? 'later than' : 'on or after'} ${labels[lo]} (${a}).`);
    else add(lo, `${labels[lo]} must be ${kind === 'later' ? 'earlier than' : 'on or before'} ${labels[hi]} (${b}).`);
  }
  return errors;
}
