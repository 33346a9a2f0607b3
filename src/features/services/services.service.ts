import type { SessionUser } from '../../auth/users.repo';
import { today, type Config } from '../../config';
import type { Db } from '../../db/db';
import { assertVersion } from '../../http/forms';
import { Conflict, Forbidden, NotFound } from '../../http/errors';
import { l3ByL2 } from '../suggest/suggest.repo';
import type { TenantContext } from '../tenants/tenants.service';
import * as repo from './services.repo';
import { saveService } from './services-write.repo';
import { emptyLine, emptyStatus, FormAction, ServiceForm } from './services.schemas';
import { migrationRules, scenarioRule, statusRules } from './services.rules';

/** Everything the service section shows besides the form values. */
export interface SectionContext {
  tenant: TenantContext;
  ts: repo.TenantServiceRow;
  effectiveTotal: number;
  stored: repo.StatusRow[];
  storedLines: repo.MigrationLine[];
  scenarios: repo.LookupValue[];
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
  const [stored, storedLines, scenarios, types, reasons, statuses, cpor, primaries, l3Map] = await Promise.all([
    repo.statusRows(db, ts.id),
    repo.migrationLines(db, ts.id),
    repo.lookups(db, 'engagement_scenario'),
    repo.lookups(db, 'migration_type'),
    repo.lookups(db, 'rejection_reason'),
    repo.lookups(db, 'migration_status'),
    repo.cporClaims(db, tenant.id, code),
    repo.primaries(db, tenant.id, code),
    l3ByL2(db),
  ]);
  const isPartner = user.kind === 'partner';
  const internallyLed = scenarios.some((s) => s.value === ts.engagementScenario && !s.partnerSelectable);
  return {
    tenant,
    ts,
    effectiveTotal,
    stored,
    storedLines,
    scenarios,
    migrationTypes: types.map((t) => t.value),
    rejectionReasons: reasons.map((r) => r.value),
    migrationStatuses: statuses.map((s) => s.value),
    cpor,
    primaries,
    l3Map,
    isPartner,
    isAdmin: user.kind === 'admin',
    internallyLed,
    scenarioLocked: isPartner && internallyLed,
    // with ENFORCE_SCENARIO_OWNERSHIP, FTC-maintained services are read-only for partners.
    readOnly: tenant.access !== 'edit' || (config.enforceScenarioOwnership && isPartner && internallyLed),
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

/** Add/remove a grid row or migration line: the form comes back with the change, nothing is saved. */
export function applyAction(form: ServiceForm, action: FormAction): ServiceForm {
  const f = { ...form, statuses: [...form.statuses], lines: [...form.lines] };
  if (action.kind === 'add_row' && f.statuses.length < 100) f.statuses.push(emptyStatus());
  if (action.kind === 'remove_row') f.statuses.splice(action.index, 1);
  if (action.kind === 'add_line' && f.lines.length < 50) f.lines.push(emptyLine());
  if (action.kind === 'remove_line') f.lines.splice(action.index, 1);
  return f;
}

export interface SaveResult {
  warnings: string[];
}

/**
 * Validates the whole section (V-20…V-29, V-40…V-43, V-50, V-51) and saves it in one transaction.
 * Returns every rule problem at once in `errors` (the route answers 422, nothing saved); throws
 * Forbidden (403) for a read-only user and Conflict (409) on a stale version. Keeps: rows add up to the effective total, one row per combination.
 */
export async function validateAndSave(
  db: Db,
  config: Config,
  ctx: SectionContext,
  form: ServiceForm,
  user: SessionUser,
): Promise<{ errors: Record<string, string>; warnings: string[] }> {
  assertCanSave(ctx);
  const current = { version: ctx.ts.version, updatedBy: ctx.ts.updatedByName, updatedAt: ctx.ts.updatedAt };
  assertVersion(ctx.ts.version, form.version, current);
  const errors: Record<string, string> = {};
  const warnings: string[] = [];
  const err = (name: string, message: string) => (errors[name] ??= message);
  const { writes, notes } = statusRules(ctx, form, today(config), err, warnings);
  const scenario = scenarioRule(ctx, form, err);
  const { migration, lines } = migrationRules(ctx, form, err, warnings);

  if (Object.keys(errors).length > 0) return { errors, warnings };

  const ok = await saveService(
    db,
    {
      tenantServiceId: ctx.ts.id,
      userId: user.id,
      now: new Date().toISOString(),
      scenario: scenario!.value,
      migration,
      rows: writes,
      lines,
      notes,
    },
    ctx.ts.version,
  );
  if (!ok)
    throw new Conflict('Someone else saved this service while you were saving. Your changes were not saved.', current);
  return { errors, warnings };
}
