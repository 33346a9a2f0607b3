import { typingDay } from '../../domain/rules/entry';
import { checkForecast, FORECAST_FIELDS, forecastLabels, type ForecastDates } from '../../domain/rules/forecast.rules';
import { checkMigration, migrationBasis, type MigrationValues } from '../../domain/rules/migration.rules';
import { checkPhase } from '../../domain/rules/phase.rules';
import { checkScenario } from '../../domain/rules/scenario.rules';
import { checkStatusGrid, rebalanceNewEntitlements, type StatusRowValues } from '../../domain/rules/status-grid.rules';
import type { ExistingService } from './import-services.repo';
import type { RuleRun } from './import-run';
import type { ImportMigration, ImportService, ImportStatus } from './import.types';

/**
 * Rules for one entitled service of a tenant in the import file: the same rule functions as the Edit
 * Tenant dialog (src/domain/rules/), with the import's Entry (history: no "not in the past").
 */

const NO_FORECAST: ForecastDates = { rfaSubmitted: null, firstAu: null, fortyAu: null, maxAu: null };

export const statusValues = (s: ImportStatus): StatusRowValues => ({
  l1: s.l1,
  l2: s.l2 || null,
  l3: s.l3 || null,
  entitlements: s.entitlements,
  note: s.note,
  targetDate: s.targetDate || null,
  owner: s.owner || null,
  nextActionDate: s.nextActionDate || null,
});

export const migrationValues = (m: ImportMigration): MigrationValues => ({
  msPerforming: m.msPerforming,
  startDate: m.startDate || null,
  endDate: m.endDate || null,
  lines: (m.lines ?? []).map((l) => ({
    type: l.type,
    entitlements: l.entitlements,
    estimatedDate: l.estimatedDate || null,
    notes: l.notes || null,
    dataSizeGb: l.dataSizeGb ?? null,
  })),
  rejectionReason: m.rejectionReason || null,
  rejectionNote: m.rejectionNote || null,
});

/** The grid as it will be stored: the file's rows, or the stored ones following the new total (§7.1). */
export function plannedGrid(svc: ImportService, existing: ExistingService | undefined): StatusRowValues[] {
  const basis = existing?.override ?? svc.entitlements;
  return svc.statuses ? svc.statuses.map(statusValues) : rebalanceNewEntitlements(existing?.rows ?? [], basis);
}

/** V-20…V-29: the file's grid (L2 aliases become canonical in place, A-13). */
function checkGrid(run: RuleRun, svc: ImportService, basis: number, p: string): void {
  if (!Array.isArray(svc.statuses) || !run.ok(`${p}.statuses`)) return;
  const l3 = run.ctx.l3;
  const grid = checkStatusGrid(
    svc.statuses.map((s) => ({ values: statusValues(s) })),
    {
      effectiveTotal: basis,
      l3Of: (l1, l2) => [...(l3.get(`${l1}|${l2}`) ?? [])],
      today: typingDay(run.options.entry),
    },
  );
  run.report(p, grid.problems);
  grid.rows.forEach((r, k) => (svc.statuses![k].l2 = r.l2));
}

/** V-30…V-35 on the forecast dates the file changes. */
function checkDates(run: RuleRun, svc: ImportService, existing: ExistingService | undefined, p: string): void {
  if (!svc.forecast || !run.ok(`${p}.forecast`)) return;
  const stored = existing?.forecast ?? NO_FORECAST;
  const changes: Partial<ForecastDates> = {};
  for (const f of FORECAST_FIELDS) {
    const v = svc.forecast[f];
    if (v !== undefined && (v || null) !== stored[f]) changes[f] = v || null;
  }
  const labels = forecastLabels(run.options.firstMilestonePct);
  // The import writes as the system: it may correct an RFA date like an administrator (V-30 / A-6).
  run.report(`${p}.forecast`, checkForecast(stored, changes, { today: null, labels, mayChangeRfa: true }));
}

/** V-40…V-43 for the Data Migration section; the section given in the file replaces the stored one. */
function checkMigrationSection(
  run: RuleRun,
  svc: ImportService,
  existing: ExistingService | undefined,
  basis: number,
  p: string,
): void {
  const mp = `${p}.migration`;
  if (!svc.migration || !run.ok(mp)) return;
  if (!run.ctx.services.get(svc.code)?.migrationEligible)
    return run.add(mp, `${svc.code} is not migration-eligible; remove the migration section`);
  const lookup = (kind: string) => [...(run.ctx.lookups.get(kind) ?? [])];
  const checked = checkMigration(migrationValues(svc.migration), {
    entry: run.options.entry,
    types: lookup('migration_type'),
    rejectionReasons: lookup('rejection_reason'),
    statuses: lookup('migration_status'),
    maySetLineStatus: true,
    basis: migrationBasis(run.options.migrationSumBasis, basis, plannedGrid(svc, existing)),
    stored: existing?.migration,
  });
  run.report(mp, checked.problems);
}

/**
 * Checks one service entry. Returns the org names of approved CPOR claims (they link the tenant to
 * the org, DOMAIN.md §2.10), so the tenant rules can add the org queue's P-RM when needed.
 */
export function checkService(
  run: RuleRun,
  svc: ImportService,
  existing: ExistingService | undefined,
  p: string,
): string[] {
  if (!run.ok(`${p}.code`)) return [];
  if (!run.ctx.services.has(svc.code)) {
    run.add(`${p}.code`, `unknown service code "${svc.code}"`);
    return [];
  }
  if (!run.ok(`${p}.entitlements`)) return [];
  // V-26 compares with the effective total: the admin override wins when one is stored.
  const basis = existing?.override ?? svc.entitlements;
  checkGrid(run, svc, basis, p);
  checkDates(run, svc, existing, p);
  checkMigrationSection(run, svc, existing, basis, p);
  if (svc.phase !== undefined && run.ok(`${p}.phase`)) run.report(p, checkPhase(svc.phase, run.options.entry)); // V-85
  if (svc.engagementScenario !== undefined && run.ok(`${p}.engagementScenario`)) {
    const options = [...(run.ctx.lookups.get('engagement_scenario') ?? [])].map((value) => ({
      value,
      partnerSelectable: true,
    }));
    const ctx = { entry: run.options.entry, options, stored: existing?.scenario ?? null, isPartner: false };
    run.report(p, checkScenario(svc.engagementScenario || null, ctx));
  }
  const linked: string[] = [];
  if (svc.cpor && run.ok(`${p}.cpor`) && svc.cpor.status === 'Approved') {
    const org = run.orgName(svc.cpor.partner);
    if (org) linked.push(org);
  }
  return linked;
}
