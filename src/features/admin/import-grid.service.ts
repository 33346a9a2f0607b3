import { NEW_SUBSCRIPTION } from '../../domain/taxonomy';
import type { ImportService } from './import.schemas';
import { nz, type ApplyContext } from './import-apply.context';
import * as w from './import-write.repo';

/** Applies one tenant service of an import: its row, forecast history, status grid, migration lines, CPOR claim. */

const NEW_ENTITLEMENTS_NOTE = 'New entitlements not yet picked up by a delivery team.';
const FORECAST_FIELDS = [
  ['rfaSubmitted', 'rfa_submitted_date', 'rfa'],
  ['firstAu', 'target_first_au_date', '15'],
  ['fortyAu', 'target_40_au_date', '40'],
  ['maxAu', 'target_max_au_date', 'max'],
] as const;

/**
 * §7.1 new entitlements: when the total rises by Δ, Δ goes to Status Unknown / New Subscription or
 * Workload (created when missing); when it falls, Status Unknown rows give entitlements back first.
 * A mismatch left after that stays visible as a V-26 imbalance.
 */
export function rebalanceNewEntitlements(rows: w.StatusRowValues[], total: number): w.StatusRowValues[] {
  const out = rows.map((r) => ({ ...r }));
  const sum = out.reduce((acc, r) => acc + r.entitlements, 0);
  const isNew = (r: w.StatusRowValues) => r.l1 === NEW_SUBSCRIPTION.l1 && r.l2 === NEW_SUBSCRIPTION.l2 && !r.l3;
  if (sum < total) {
    const row = out.find(isNew);
    if (row) row.entitlements += total - sum;
    else {
      out.push({
        ...NEW_SUBSCRIPTION,
        l3: null,
        entitlements: total - sum,
        status_note: NEW_ENTITLEMENTS_NOTE,
        target_date: null,
        owner: null,
        next_action_date: null,
      });
    }
  } else if (sum > total) {
    let excess = sum - total;
    for (const row of [...out.filter(isNew), ...out.filter((r) => r.l1 === 'Status Unknown' && !isNew(r))]) {
      const take = Math.min(row.entitlements, excess);
      row.entitlements -= take;
      excess -= take;
    }
  }
  return out.filter((r) => r.entitlements > 0);
}

export async function applyService(ctx: ApplyContext, tenantId: number, svc: ImportService): Promise<void> {
  const where = { tenant_id: tenantId, service_code: svc.code };
  const stored = (await w.findRow(ctx.trx, 'tenant_services', where)) as
    (w.Row & { id: number; entitlement_override: number | null }) | undefined;
  const m = svc.migration;
  const patch: w.Row = {
    total_entitlements: svc.entitlements,
    active_users: svc.activeUsers,
    engagement_scenario: svc.engagementScenario,
    phase: svc.phase,
    engagement_start_date: svc.engagementStartDate,
    ...(m && {
      ms_performing_migration: m.msPerforming,
      migration_start_date: m.msPerforming ? m.startDate : null,
      migration_end_date: m.msPerforming ? m.endDate : null,
      migration_rejection_reason: m.msPerforming === false ? nz(m.rejectionReason) : null,
      migration_rejection_note: m.msPerforming === false ? nz(m.rejectionNote) : null,
    }),
  };
  const history: w.Row[] = [];
  for (const [key, column, field] of FORECAST_FIELDS) {
    const value = svc.forecast?.[key];
    if (value === undefined) continue;
    patch[column] = value;
    const old = (stored?.[column] as string | null | undefined) ?? null;
    if (old !== value)
      history.push({
        field,
        old_value: old,
        new_value: value,
        changed_by: ctx.stamp.actorId,
        changed_at: ctx.stamp.at,
      });
  }
  let id: number;
  let wrote: boolean;
  if (stored) {
    id = stored.id;
    wrote = await w.updateChanged(ctx.trx, 'tenant_services', stored, patch, ctx.stamp);
  } else {
    id = await w.insertRow(ctx.trx, 'tenant_services', { ...where, ...patch, ...w.created(ctx.stamp) });
    wrote = true;
  }
  await w.insertForecastHistory(
    ctx.trx,
    history.map((h) => ({ tenant_service_id: id, ...h })),
  );

  const basis = stored?.entitlement_override ?? svc.entitlements;
  const desired: w.StatusRowValues[] = svc.statuses
    ? svc.statuses.map((s) => ({
        l1: s.l1,
        l2: s.l2 ?? null,
        l3: s.l3 ?? null,
        entitlements: s.entitlements,
        status_note: s.note,
        target_date: s.targetDate ?? null,
        owner: nz(s.owner) ?? null,
        next_action_date: s.nextActionDate ?? null,
      }))
    : rebalanceNewEntitlements(await w.listStatusRows(ctx.trx, id), basis).map(
        ({ l1, l2, l3, entitlements, status_note, target_date, owner, next_action_date }) => ({
          l1,
          l2,
          l3,
          entitlements,
          status_note,
          target_date,
          owner,
          next_action_date,
        }),
      );
  let children = await w.syncStatusRows(ctx.trx, id, desired, ctx.stamp);
  if (m) {
    const lines = m.msPerforming
      ? (m.lines ?? []).map((l) => ({
          migration_type: l.type,
          entitlements: l.entitlements,
          estimated_migration_date: l.estimatedDate,
          notes: nz(l.notes) ?? null,
          data_size_gb: l.dataSizeGb ?? null,
        }))
      : [];
    children = (await w.syncMigrationLines(ctx.trx, id, lines, ctx.stamp)) || children;
  }
  // A changed grid or migration plan makes any open form on this service stale (its version moves on).
  if (children && stored && !wrote)
    await w.updateChanged(ctx.trx, 'tenant_services', stored, {}, ctx.stamp, { force: true });
  if (svc.cpor) {
    const c = svc.cpor;
    await w.upsertCpor(
      ctx.trx,
      tenantId,
      svc.code,
      {
        partner_org_id: ctx.orgIds.get(c.partner.toLowerCase()) ?? null,
        partner_name: c.partner,
        mpn_id: nz(c.mpnId),
        claim_status: c.status,
        claimed_at: c.claimedAt,
        approved_at: c.approvedAt,
        source_ref: nz(c.sourceRef),
      },
      ctx.stamp.at,
    );
  }
  ctx.count('services', !stored ? 'created' : wrote || children ? 'updated' : 'unchanged');
}
