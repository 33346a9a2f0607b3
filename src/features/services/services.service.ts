import type { SessionUser } from '../../auth/users.repo';
import { today, type Config } from '../../config';
import type { Db } from '../../db/db';
import { assertVersion } from '../../http/forms';
import { Conflict, Forbidden, NotFound } from '../../http/errors';
import { l3ByL2 } from '../suggest/suggest.repo';
import type { TenantContext } from '../tenants/tenants.service';
import * as repo from './services.repo';
import { L1_VALUES } from '../../domain/enums';
import { fieldErrors } from '../../domain/problems';
import { typingDay } from '../../domain/rules/entry';
import { checkMigration, migrationBasis, type MigrationValues } from '../../domain/rules/migration.rules';
import { checkScenario, internallyLed, scenarioLocked, type ScenarioOption } from '../../domain/rules/scenario.rules';
import { checkStatusGrid, type StatusRowValues } from '../../domain/rules/status-grid.rules';
import { lineWrite, migrationFields, statusRowWrite, statusValuesOf } from './services-write.map';
import { saveServiceSection } from './services-write.repo';
import type { StatusRowWrite } from './services-write.types';
import {
  emptyLine,
  FORM_NAMES,
  FormAction,
  migrationValues,
  ServiceForm,
  StatusInput,
  statusValues,
} from './services.schemas';

/** Everything the service section shows besides the form values. */
export interface SectionContext {
  tenant: TenantContext;
  ts: repo.TenantServiceRow;
  effectiveTotal: number;
  stored: repo.StatusRow[];
  storedLines: repo.MigrationLine[];
  scenarios: ScenarioOption[];
  migrationTypes: string[];
  rejectionReasons: string[];
  migrationStatuses: string[];
  cpor: Awaited<ReturnType<typeof repo.cporClaims>>;
  primaries: { type: string; name: string; scope: string }[];
  l3Map: Map<string, string[]>;
  isPartner: boolean;
  isAdmin: boolean;
  /** the stored scenario is led internally (not partner-selectable). */
  internallyLed: boolean;
  /** V-51: a partner cannot change the stored value. */
  scenarioLocked: boolean;
  readOnly: boolean;
  migrationBasis: Config['migrationSumBasis'];
}

/**
 * Loads the section of one entitled service. V-20: a service the tenant has no eligible entitlements
 * for (effective total 0), or no such service, is NotFound (404) for both GET and POST.
 */
export async function loadSection(
  db: Db,
  config: Config,
  tenant: TenantContext,
  code: string,
  user: SessionUser,
): Promise<SectionContext> {
  const ts = /^[A-Z0-9_-]{1,20}$/.test(code) ? await repo.findTenantService(db, tenant.id, code) : undefined;
  const effectiveTotal = ts ? (ts.entitlementOverride ?? ts.totalEntitlements) : 0;
  if (!ts || effectiveTotal <= 0) throw new NotFound();
  const [stored, storedLines, lists, cpor, primaries, l3Map] = await Promise.all([
    repo.statusRows(db, ts.id),
    repo.migrationLines(db, ts.id),
    repo.lookups(db, ['engagement_scenario', 'migration_type', 'rejection_reason', 'migration_status']),
    repo.cporClaims(db, tenant.id, code),
    repo.primaries(db, tenant.id, code),
    l3ByL2(db),
  ]);
  const scenarios = lists.engagement_scenario;
  const isPartner = user.kind === 'partner';
  const ledByFtc = internallyLed(scenarios, ts.engagementScenario);
  return {
    tenant,
    ts,
    effectiveTotal,
    stored,
    storedLines,
    scenarios,
    migrationTypes: lists.migration_type.map((t) => t.value),
    rejectionReasons: lists.rejection_reason.map((r) => r.value),
    migrationStatuses: lists.migration_status.map((s) => s.value),
    cpor,
    primaries,
    l3Map,
    isPartner,
    isAdmin: user.kind === 'admin',
    internallyLed: ledByFtc,
    scenarioLocked: scenarioLocked({ options: scenarios, stored: ts.engagementScenario, isPartner }),
    // with ENFORCE_SCENARIO_OWNERSHIP, FTC-maintained services are read-only for partners.
    readOnly: tenant.access !== 'edit' || (config.enforceScenarioOwnership && isPartner && ledByFtc),
    migrationBasis: config.migrationSumBasis,
  };
}

/** Throws Forbidden (403) when the user may only view this section. */
export function assertCanSave(ctx: SectionContext): void {
  if (ctx.readOnly) throw new Forbidden('You can view this service but not change it.');
}

/** The stored state as form values. */
export function storedForm(ctx: SectionContext): ServiceForm {
  const ts = ctx.ts;
  const s = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  return {
    version: String(ts.version),
    engagement_scenario: s(ts.engagementScenario),
    statuses: ctx.stored.map((r) => ({
      id: String(r.id),
      l1: r.l1,
      l2: s(r.l2),
      l3: s(r.l3),
      entitlements: String(r.entitlements),
      note: r.status_note,
      target_date: s(r.target_date),
      owner: s(r.owner),
      next_action_date: s(r.next_action_date),
      suggested_l1: s(r.suggested_l1),
      suggested_l2: s(r.suggested_l2),
      suggested_l3: s(r.suggested_l3),
      suggestion_confidence: s(r.suggestion_confidence),
    })),
    ms_performing_migration: ts.msPerformingMigration === null ? '' : ts.msPerformingMigration ? 'yes' : 'no',
    migration_start_date: s(ts.migrationStartDate),
    migration_end_date: s(ts.migrationEndDate),
    lines: ctx.storedLines.map((l) => ({
      type: l.migration_type,
      entitlements: String(l.entitlements),
      estimated_date: l.estimated_migration_date,
      notes: s(l.notes),
      data_size_gb: s(l.data_size_gb),
      status: s(l.status),
    })),
    migration_rejection_reason: s(ts.migrationRejectionReason),
    migration_rejection_note: s(ts.migrationRejectionNote),
    lineStatusPosted: [],
  };
}

/** Add/remove a migration line: the form comes back with the change, nothing is saved. */
export function applyAction(form: ServiceForm, action: FormAction): ServiceForm {
  const f = { ...form, lines: [...form.lines] };
  if (action.kind === 'add_line' && f.lines.length < 50) f.lines.push(emptyLine());
  if (action.kind === 'remove_line') f.lines.splice(action.index, 1);
  return f;
}

/** Grid rows as typed, each with the stored row it edits (only this service's ids count: mass assignment). */
function gridRows(ctx: SectionContext, form: ServiceForm) {
  const storedById = new Map(ctx.stored.map((r) => [String(r.id), r]));
  const used = new Set<number>();
  return form.statuses.map((r) => {
    const old = storedById.get(r.id);
    const row = old && !used.has(old.id) ? old : undefined;
    if (row) used.add(row.id);
    return { input: r, old: row, values: statusValues(r), stored: row ? statusValuesOf(row) : undefined };
  });
}

/** Suggestion bookkeeping (§6): what Suggest proposed for a row and whether the user overrode it. */
function suggestionOf(r: StatusInput, saved: StatusRowValues): Partial<StatusRowWrite> {
  if (!(L1_VALUES as readonly string[]).includes(r.suggested_l1)) return {};
  return {
    suggested_l1: r.suggested_l1.slice(0, 100),
    suggested_l2: r.suggested_l2.slice(0, 100) || null,
    suggested_l3: r.suggested_l3.slice(0, 100) || null,
    suggestion_confidence: CONFIDENCES.includes(r.suggestion_confidence) ? r.suggestion_confidence : null,
    overridden:
      r.suggested_l1 !== saved.l1 || (r.suggested_l2 || null) !== saved.l2 || (r.suggested_l3 || null) !== saved.l3,
  };
}
const CONFIDENCES = ['high', 'marginal', 'poor'];

/**
 * Validates the whole section (V-20…V-29, V-40…V-43, V-50, V-51, through the domain's rule functions)
 * and saves it in one transaction through the one section writer. Returns every problem at once in
 * `errors` (the route answers 422, nothing saved); throws Forbidden (403) for a read-only user and
 * Conflict (409) on a stale version. `dryRun`: check only (the caller has found a problem of its own).
 */
export async function validateAndSave(
  db: Db,
  config: Config,
  ctx: SectionContext,
  form: ServiceForm,
  user: SessionUser,
  { dryRun = false } = {},
): Promise<{ errors: Record<string, string>; warnings: string[] }> {
  assertCanSave(ctx);
  const current = { version: ctx.ts.version, updatedBy: ctx.ts.updatedByName, updatedAt: ctx.ts.updatedAt };
  assertVersion(ctx.ts.version, form.version, current);
  const entry = { today: today(config), imported: false };
  const rows = gridRows(ctx, form);
  const grid = checkStatusGrid(rows, {
    effectiveTotal: ctx.effectiveTotal,
    l3Of: (l1, l2) => ctx.l3Map.get(`${l1}|${l2}`) ?? [],
    today: typingDay(entry),
  });
  const scenario = form.engagement_scenario || null;
  const problems = [
    ...grid.problems,
    ...checkScenario(scenario, {
      entry,
      options: ctx.scenarios,
      stored: ctx.ts.engagementScenario,
      isPartner: ctx.isPartner,
    }),
  ];
  const warnings = grid.warnings.map((w) => w.message);
  form.statuses.forEach((r, i) => {
    if (r.suggestion_confidence === 'poor')
      warnings.push(`Row ${i + 1}: the status note gave a poor suggestion; consider adding detail.`);
  });
  let migration: MigrationValues | null = null;
  if (ctx.ts.migrationEligible) {
    const checked = checkMigration(migrationValues(form), {
      entry,
      types: ctx.migrationTypes,
      rejectionReasons: ctx.rejectionReasons,
      statuses: ctx.migrationStatuses,
      maySetLineStatus: ctx.isAdmin,
      basis: migrationBasis(ctx.migrationBasis, ctx.effectiveTotal, grid.rows),
      stored: storedMigration(ctx),
    });
    problems.push(...checked.problems);
    warnings.push(...checked.warnings.map((w) => w.message));
    migration = checked.values;
  }
  if (problems.length > 0 || dryRun) return { errors: fieldErrors(problems, FORM_NAMES), warnings };

  const outcome = await db.transaction((trx) =>
    saveServiceSection(trx, {
      tenantServiceId: ctx.ts.id,
      expectedVersion: ctx.ts.version,
      actorId: user.id,
      now: new Date().toISOString(),
      fields: { engagement_scenario: scenario, ...(migration ? migrationFields(migration) : {}) },
      rows: grid.rows.map((v, i) => ({
        ...(rows[i].old ? { id: rows[i].old!.id } : {}),
        ...statusRowWrite(v),
        ...suggestionOf(rows[i].input, v),
      })),
      lines: migration ? migration.lines.map(lineWrite) : null,
      note: {
        tenantId: ctx.tenant.id,
        code: ctx.ts.code,
        searchTenant: ctx.tenant.tenantName,
        searchServices: ctx.ts.name,
      },
    }),
  );
  if (outcome === 'conflict')
    throw new Conflict('Someone else saved this service while you were saving. Your changes were not saved.', current);
  return { errors: {}, warnings };
}

function storedMigration(ctx: SectionContext): MigrationValues {
  const ts = ctx.ts;
  return {
    msPerforming: ts.msPerformingMigration,
    startDate: ts.migrationStartDate,
    endDate: ts.migrationEndDate,
    lines: ctx.storedLines.map((l) => ({
      type: l.migration_type,
      entitlements: l.entitlements,
      estimatedDate: l.estimated_migration_date,
      notes: l.notes,
      dataSizeGb: l.data_size_gb,
    })),
    rejectionReason: ts.migrationRejectionReason,
    rejectionNote: ts.migrationRejectionNote,
  };
}
