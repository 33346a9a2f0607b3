import { canonicalL2 } from '../../domain/taxonomy';
import type { ExistingService } from './import-context.repo';
import type { RuleRun } from './import.rules';
import type { ImportService, ImportStatus } from './import.schemas';

/** Rules for one entitled service of a tenant in the import file: grid, forecast, migration, CPOR. */

const L2_REQUIRED = new Set(['Status Unknown', 'Blocked', 'No Intent']);

/** V-21…V-25, V-27 for each row (L2 aliases become canonical in place, A-13), then V-26 for the grid. */
function checkStatuses(run: RuleRun, rows: ImportStatus[], basis: number, p: string): void {
  const combos = new Map<string, number>();
  let allOk = true;
  let sum = 0;
  rows.forEach((row, k) => {
    const rp = `${p}.statuses[${k}]`;
    if (!run.ok(rp)) {
      allOk = false;
      return;
    }
    sum += row.entitlements;
    const l2 = row.l2 || null;
    const l3 = row.l3 || null;
    if (row.l1 === 'Duplicate/Invalid' && l2) run.add(`${rp}.l2`, 'must be empty for Duplicate/Invalid [V-22]');
    else if (L2_REQUIRED.has(row.l1) && !l2) run.add(`${rp}.l2`, `is required for ${row.l1} [V-22]`);
    else if (l2) {
      const canonical = canonicalL2(row.l1, l2);
      if (!canonical) run.add(`${rp}.l2`, `"${l2}" is not an L2 reason of ${row.l1} [V-22]`);
      else row.l2 = canonical;
    }
    row.l2 = row.l2 || null;
    if (l3 && !row.l2) run.add(`${rp}.l3`, 'may only be set together with an L2 [V-23]');
    else if (l3 && !run.ctx.l3.get(`${row.l1}|${row.l2}`)?.has(l3))
      run.add(`${rp}.l3`, `"${l3}" is not an L3 reason of ${row.l2} [V-23]`);
    row.l3 = l3;
    if (row.targetDate && row.l1 !== 'In Progress' && row.l1 !== 'Blocked') {
      run.add(`${rp}.targetDate`, 'is only allowed for In Progress and Blocked [V-24]');
    }
    if (row.owner && row.l1 === 'In Progress') run.add(`${rp}.owner`, 'must be empty for In Progress [V-25]');
    const combo = [row.l1, row.l2 ?? '', row.l3 ?? ''].join('|');
    if (combos.has(combo)) {
      run.add(
        rp,
        `the combination ${[row.l1, row.l2, row.l3].filter(Boolean).join(' / ')} is listed twice (also statuses[${combos.get(combo)}]) [V-27]`,
      );
    }
    combos.set(combo, k);
  });
  // V-26: the grid must add up to the effective total.
  if (allOk && sum !== basis) {
    run.add(`${p}.statuses`, `entitlement statuses must add up to ${basis} entitlements (currently ${sum}) [V-26]`);
  }
}

/** V-30…V-33 on the dates as they will be stored (file values over stored ones); "today" rules do not apply to imports. */
function checkForecast(run: RuleRun, svc: ImportService, existing: ExistingService | undefined, p: string): void {
  const f = svc.forecast;
  if (!f || !run.ok(`${p}.forecast`)) return;
  const stored = existing?.forecast;
  const pick = (key: 'rfaSubmitted' | 'firstAu' | 'fortyAu' | 'maxAu') =>
    f[key] !== undefined ? f[key] : (stored?.[key] ?? null);
  const rfa = pick('rfaSubmitted');
  const first = pick('firstAu');
  const forty = pick('fortyAu');
  const max = pick('maxAu');
  const fp = `${p}.forecast`;
  if (!rfa && (first || forty || max)) {
    run.add(`${fp}.rfaSubmitted`, 'Submitted Date (RFA) is required before forecast dates can be saved [V-30]');
    return;
  }
  if (first && rfa && first <= rfa) run.add(`${fp}.firstAu`, `must be later than the RFA date ${rfa} [V-31]`);
  const fortyAfter = first ?? rfa;
  if (forty && fortyAfter && forty <= fortyAfter)
    run.add(
      `${fp}.fortyAu`,
      `must be later than ${first ? 'the first milestone date' : 'the RFA date'} ${fortyAfter} [V-32]`,
    );
  if (max && rfa && max <= rfa) run.add(`${fp}.maxAu`, `must be later than the RFA date ${rfa} [V-33]`);
  else if (max) {
    const latest = [first, forty]
      .filter((d): d is string => !!d)
      .sort()
      .pop();
    if (latest && max < latest) run.add(`${fp}.maxAu`, `must not be earlier than the milestone date ${latest} [V-33]`);
  }
}

/** V-40…V-42 for the Data Migration section; the section given in the file replaces the stored one. */
function checkMigration(run: RuleRun, svc: ImportService, basis: number, p: string): void {
  const m = svc.migration;
  const mp = `${p}.migration`;
  if (!m || !run.ok(mp)) return;
  if (!run.ctx.services.get(svc.code)?.migrationEligible) {
    run.add(mp, `${svc.code} is not migration-eligible; remove the migration section`);
    return;
  }
  const lines = m.lines ?? [];
  if (m.msPerforming === true) {
    if (!m.startDate) run.add(`${mp}.startDate`, 'is required when Microsoft performs the migration [V-41]');
    if (!m.endDate) run.add(`${mp}.endDate`, 'is required when Microsoft performs the migration [V-41]');
    if (m.startDate && m.endDate && m.endDate < m.startDate)
      run.add(`${mp}.endDate`, 'must not be before the start date [V-41]');
    if (lines.length === 0) run.add(`${mp}.lines`, 'at least one migration type line is required [V-41]');
    const types = new Map<string, number>();
    lines.forEach((line, k) => {
      if (!run.ctx.lookups.get('migration_type')?.has(line.type))
        run.add(`${mp}.lines[${k}].type`, `unknown migration type "${line.type}"`);
      if (types.has(line.type))
        run.add(`${mp}.lines[${k}].type`, `${line.type} is listed twice (also lines[${types.get(line.type)}])`);
      types.set(line.type, k);
    });
    const sum = lines.reduce((acc, l) => acc + l.entitlements, 0);
    const migrationBasis =
      run.options.migrationSumBasis === 'in_progress'
        ? (svc.statuses ?? []).filter((s) => s.l1 === 'In Progress').reduce((acc, s) => acc + s.entitlements, 0)
        : basis;
    const canCheck = run.options.migrationSumBasis === 'total' || svc.statuses !== undefined;
    if (lines.length && canCheck && sum !== migrationBasis) {
      run.add(`${mp}.lines`, `migration lines must add up to ${migrationBasis} entitlements (currently ${sum}) [V-41]`);
    }
  } else {
    if (lines.length) run.add(`${mp}.lines`, 'are only allowed when msPerforming is true [V-42]');
    if (m.msPerforming === false) {
      if (!m.rejectionReason)
        run.add(`${mp}.rejectionReason`, 'is required when Microsoft does not perform the migration [V-42]');
      else if (!run.ctx.lookups.get('rejection_reason')?.has(m.rejectionReason)) {
        run.add(`${mp}.rejectionReason`, `unknown rejection reason "${m.rejectionReason}"`);
      }
      if (!m.rejectionNote)
        run.add(`${mp}.rejectionNote`, 'is required when Microsoft does not perform the migration [V-42]');
    }
  }
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
  if (Array.isArray(svc.statuses)) checkStatuses(run, svc.statuses, basis, p);
  checkForecast(run, svc, existing, p);
  checkMigration(run, svc, basis, p);
  const linked: string[] = [];
  if (svc.cpor && run.ok(`${p}.cpor`) && svc.cpor.status === 'Approved') {
    const org = run.orgName(svc.cpor.partner);
    if (org) linked.push(org);
  }
  return linked;
}
