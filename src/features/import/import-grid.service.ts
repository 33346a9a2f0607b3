import { lineWrite, migrationFields, statusRowWrite } from '../services/services-write.map';
import { createServiceSection, saveServiceSection } from '../services/services-write.repo';
import type { ServiceFields } from '../services/services-write.types';
import type { ImportService } from './import.types';
import { nz, type ApplyContext } from './import-apply.context';
import { migrationValues, plannedGrid } from './import-service.rules';
import { settled } from '../../domain/rules/migration.rules';
import type { ExistingService } from './import-services.repo';
import * as w from './import-write.repo';

/**
 * Applies one tenant service of an import through the section writer the Edit Tenant dialog uses
 * (src/features/services/services-write.repo.ts): columns, forecast history, the grid with its
 * history and Service Intent notes, migration lines, the version; then its CPOR claim.
 */
export async function applyService(
  ctx: ApplyContext,
  tenant: { id: number; name: string },
  svc: ImportService,
  existing: ExistingService | undefined,
): Promise<void> {
  const tenantId = tenant.id;
  const m = svc.migration ? settled(migrationValues(svc.migration)) : null;
  const f = svc.forecast;
  const fields: ServiceFields = {
    total_entitlements: svc.entitlements,
    active_users: svc.activeUsers,
    engagement_scenario: svc.engagementScenario === undefined ? undefined : svc.engagementScenario || null,
    phase: svc.phase,
    engagement_start_date: svc.engagementStartDate,
    rfa_submitted_date: f?.rfaSubmitted === undefined ? undefined : f.rfaSubmitted || null,
    target_first_au_date: f?.firstAu === undefined ? undefined : f.firstAu || null,
    target_40_au_date: f?.fortyAu === undefined ? undefined : f.fortyAu || null,
    target_max_au_date: f?.maxAu === undefined ? undefined : f.maxAu || null,
    ...(m ? migrationFields(m) : {}),
  };
  const section = {
    actorId: ctx.stamp.actorId,
    now: ctx.stamp.at,
    fields,
    rows: plannedGrid(svc, existing).map(statusRowWrite),
    lines: m ? m.lines.map(lineWrite) : null,
    note: {
      tenantId,
      code: svc.code,
      searchTenant: tenant.name,
      searchServices: ctx.serviceNames.get(svc.code) ?? svc.code,
    },
    ...(await ctx.queues()),
  };
  let outcome: 'created' | 'updated' | 'unchanged' = 'created';
  if (existing) {
    const saved = await saveServiceSection(ctx.trx, {
      ...section,
      tenantServiceId: existing.id,
      expectedVersion: existing.version,
    });
    if (saved === 'conflict') throw new Error(`tenant service ${existing.id} changed during the import`);
    outcome = saved === 'written' ? 'updated' : 'unchanged';
  } else await createServiceSection(ctx.trx, section);
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
  ctx.count('services', outcome);
}
