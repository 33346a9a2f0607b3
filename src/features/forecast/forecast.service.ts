import { today as todayIn, type Config } from '../../config';
import type { Db } from '../../db/db';
import { fieldErrors } from '../../domain/problems';
import * as rules from '../../domain/rules/forecast.rules';
import { ledByFtc } from '../../domain/rules/scenario.rules';
import { Forbidden, NotFound, ValidationError } from '../../http/errors';
import { assertVersion, field, FormBody } from '../../http/forms';
import { FORECAST_HISTORY_FIELD, saveServiceSection } from '../services/services-write.repo';
import { assertCanEdit, TenantContext } from '../tenants/tenants.service';
import {
  ForecastColumn,
  ForecastDates,
  ForecastHistoryRow,
  ForecastServiceRow,
  findForecastService,
  forecastHistory,
} from './forecast.repo';
import { tenantWrite } from '../../db/locks';

/** The form's (and the table's) column names of the domain's forecast fields. */
const COLUMN_OF: Record<rules.ForecastField, ForecastColumn> = {
  rfaSubmitted: 'rfa_submitted_date',
  firstAu: 'target_first_au_date',
  fortyAu: 'target_40_au_date',
  maxAu: 'target_max_au_date',
};
export const COLUMNS = Object.values(COLUMN_OF);
const toDomain = (dates: Partial<ForecastDates>): Partial<rules.ForecastDates> =>
  Object.fromEntries(rules.FORECAST_FIELDS.filter((f) => COLUMN_OF[f] in dates).map((f) => [f, dates[COLUMN_OF[f]]]));
type ClockConfig = Pick<Config, 'appTz' | 'firstMilestonePct'> & Partial<Pick<Config, 'enforceScenarioOwnership'>>;
const DEFAULT_CLOCK: ClockConfig = { appTz: 'UTC', firstMilestonePct: 15 };

/** Field labels by column; the first milestone's percentage comes from config. */
export function forecastLabels(firstMilestonePct: number): Record<ForecastColumn, string> {
  const labels = rules.forecastLabels(firstMilestonePct);
  return Object.fromEntries(rules.FORECAST_FIELDS.map((f) => [COLUMN_OF[f], labels[f]])) as Record<
    ForecastColumn,
    string
  >;
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
  /** V-30: the RFA input is read-only for this viewer. */
  rfaLocked: boolean;
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
  return Boolean(config.enforceScenarioOwnership) && isPartner && ledByFtc(row.scenario);
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
  const byCode = Object.fromEntries(COLUMNS.map((c) => [FORECAST_HISTORY_FIELD[c], labels[c]]));
  const history = (await forecastHistory(db, row.id)).map((h) => ({ ...h, label: byCode[h.field] ?? h.field }));
  return {
    tenant,
    service: { id: row.id, code: row.code, name: row.name, version: row.version, dates: row.dates },
    values,
    labels,
    history,
    warnings: rules.complianceWarnings(
      toDomain(row.dates) as rules.ForecastDates,
      today,
      rules.forecastLabels(config.firstMilestonePct),
    ),
    errors: overlay.errors ?? {},
    canEdit:
      tenant.access === 'edit' &&
      !ownedByFtc(config, row, overlay.viewerKind ? overlay.viewerKind === 'partner' : tenant.myRoles.length > 0),
    rfaLocked: rules.rfaReadOnly(row.dates.rfa_submitted_date, overlay.viewerKind === 'admin'),
    today,
  };
}

/** The forecast fields present in a body (only those: autosave posts one at a time), trimmed. */
export function submittedDates(body: FormBody): Partial<Record<ForecastColumn, string>> {
  const out: Partial<Record<ForecastColumn, string>> = {};
  for (const c of COLUMNS) if (body[c] !== undefined) out[c] = field(body, c);
  return out;
}

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
  const submitted = submittedDates(body);
  const today = todayIn(config);
  await tenantWrite(db, tenant.id, async (trx) => {
    const stored = await loadService(trx, tenant, code);
    if (ownedByFtc(config, stored, actor.kind === 'partner'))
      throw new Forbidden("FTC maintains this service's data; add notes about your activities instead.");
    assertVersion(stored.version, field(body, 'version'), { ...stored.dates });
    const changes: Partial<ForecastDates> = {};
    for (const c of COLUMNS) {
      const next = submitted[c] === undefined ? undefined : submitted[c] || null;
      if (next !== undefined && next !== stored.dates[c]) changes[c] = next;
    }
    const problems = rules.checkForecast(toDomain(stored.dates) as rules.ForecastDates, toDomain(changes), {
      today,
      labels: rules.forecastLabels(config.firstMilestonePct),
      mayChangeRfa: actor.kind === 'admin',
    });
    if (problems.length) throw new ValidationError(fieldErrors(problems, COLUMN_OF));
    if (Object.keys(changes).length === 0) return;
    const outcome = await saveServiceSection(trx, {
      tenantServiceId: stored.id,
      expectedVersion: stored.version,
      actorId: actor.userId,
      now: new Date().toISOString(),
      fields: changes,
      rows: null,
      lines: null,
      note: { tenantId: tenant.id, code: stored.code, searchTenant: tenant.tenantName, searchServices: stored.name },
    });
    if (outcome === 'conflict') assertVersion(stored.version + 1, String(stored.version));
  });
  return forecastSection(db, tenant, code, config, { viewerKind: actor.kind });
}
