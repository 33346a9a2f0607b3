import type { Knex } from 'knex';
import type { ImportPlan } from './import.rules';
import type { PlannedTenant } from './import-tenant.rules';
import { ApplyContext, nz, type ApplyOptions, type ImportCounts } from './import-apply.context';
import { applyService } from './import-grid.service';
import { applyAssignments, applyContacts, applyNotes } from './import-records.service';
import * as orgsRepo from '../admin/orgs.repo';
import { createQueuePrincipal } from '../admin/orgs.service';
import * as usersRepo from '../admin/users.repo';
import * as w from './import-write.repo';

/** Applies a validated import plan inside the caller's transaction (CONTRACT.md §5: all or nothing). */

export { COUNTED, type ApplyOptions, type Counted, type ImportCounts } from './import-apply.context';

async function applyOrgs(ctx: ApplyContext, file: Pick<ImportPlan['file'], 'orgs'>): Promise<void> {
  for (const org of file.orgs) {
    const stored = await orgsRepo.findOrgByName(ctx.trx, org.name);
    if (!stored) {
      const id = await orgsRepo.insertOrg(
        ctx.trx,
        {
          name: org.name,
          mpnId: nz(org.mpnId) ?? null,
          entraTenantId: org.entraTenantId ?? null,
          isActive: org.active ?? true,
        },
        `FTP ${org.name}`,
        ctx.stamp.at,
        ctx.stamp.actorId,
      );
      await orgsRepo.insertDomains(ctx.trx, id, org.domains, ctx.stamp.at);
      await createQueuePrincipal(ctx.trx, id, org.name, ctx.stamp.at, ctx.stamp.actorId);
      ctx.count('orgs', 'created');
      continue;
    }
    let changed = await w.updateChanged(
      ctx.trx,
      'partner_orgs',
      stored as unknown as w.Row & { id: number },
      {
        mpn_id: nz(org.mpnId),
        entra_tenant_id: org.entraTenantId,
        is_active: org.active,
      },
      ctx.stamp,
    );
    const have = new Set(
      (await orgsRepo.listDomains(ctx.trx)).filter((d) => d.org_id === stored.id).map((d) => d.domain),
    );
    const missing = org.domains.filter((d) => !have.has(d));
    await orgsRepo.insertDomains(ctx.trx, stored.id, missing, ctx.stamp.at);
    if (!(await orgsRepo.findQueueUser(ctx.trx, stored.id))) {
      await createQueuePrincipal(ctx.trx, stored.id, stored.name, ctx.stamp.at, ctx.stamp.actorId);
      changed = true;
    }
    ctx.count('orgs', changed || missing.length ? 'updated' : 'unchanged');
  }
  for (const org of await orgsRepo.listOrgs(ctx.trx)) ctx.orgIds.set(org.name.toLowerCase(), org.id);
}

async function applyUsers(ctx: ApplyContext, file: Pick<ImportPlan['file'], 'users'>): Promise<void> {
  for (const user of file.users) {
    const kind = user.kind ?? 'partner';
    const orgId = kind === 'partner' && user.org ? (ctx.orgIds.get(user.org.toLowerCase()) ?? null) : null;
    const stored = await usersRepo.findUserByUpn(ctx.trx, user.email);
    let id: number;
    let outcome: w.Outcome;
    if (!stored) {
      id = await usersRepo.insertUser(
        ctx.trx,
        {
          orgId,
          upn: user.email,
          displayName: user.name,
          kind,
          internalRole: user.internalRole ?? null,
          isPartnerAdmin: user.partnerAdmin ?? false,
          status: 'active',
        },
        ctx.stamp.at,
        ctx.stamp.actorId,
      );
      outcome = 'created';
    } else {
      id = stored.id;
      const wrote = await w.updateChanged(
        ctx.trx,
        'users',
        stored as unknown as w.Row & { id: number },
        {
          display_name: user.name,
          is_partner_admin: user.partnerAdmin,
          internal_role: user.internalRole,
        },
        ctx.stamp,
      );
      outcome = wrote ? 'updated' : 'unchanged';
    }
    const managed = (user.managedOrgs ?? []).map((n) => ctx.orgIds.get(n.toLowerCase())!).filter(Boolean);
    if ((await usersRepo.addManagedOrgs(ctx.trx, id, managed)) > 0 && outcome === 'unchanged') outcome = 'updated';
    ctx.count('users', outcome);
  }
}

async function applyTenant(ctx: ApplyContext, pt: PlannedTenant): Promise<void> {
  const t = pt.src;
  // A tenant the batch's context did not find is new: nothing of it is stored yet, so nothing is read.
  const stored = pt.existing
    ? ((await w.findRow(ctx.trx, 'tenants', { id: pt.existing.id })) as w.Row & {
        id: number;
        last_os_note_at: string | null;
      })
    : undefined;
  const patch: w.Row = {
    tenant_name: t.name,
    customer_name: t.customer,
    tpid: nz(t.tpid),
    country: nz(t.country),
    segment: nz(t.segment),
    subsidiary: nz(t.subsidiary),
    is_enterprise: t.enterprise,
    enterprise_level: nz(t.enterpriseLevel),
    is_active: t.active,
    is_volume_licensing: t.volumeLicensing,
    total_seats: t.totalSeats,
    priority: t.priority,
    entered_ftc_at: t.enteredFtcAt,
    overall_status: t.overallStatus,
    overall_status_date: t.overallStatusDate,
    eligible: t.eligibility?.eligible,
  };
  // The latest Engagement Management status note sets the tenant's overall status (§5.4 A1) unless the file sets it.
  const latest = t.notes
    .filter((n) => n.overallStatus)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .pop();
  if (latest && (!stored?.last_os_note_at || latest.createdAt >= stored.last_os_note_at)) {
    patch.last_os_note_at = latest.createdAt;
    if (t.overallStatus === undefined) {
      patch.overall_status = latest.overallStatus;
      patch.overall_status_date = latest.overallStatusDate;
    }
  }
  let tenantId: number;
  if (stored) {
    tenantId = stored.id;
    ctx.count(
      'tenants',
      (await w.updateChanged(ctx.trx, 'tenants', stored, patch, ctx.stamp)) ? 'updated' : 'unchanged',
    );
  } else {
    tenantId = await w.insertRow(ctx.trx, 'tenants', {
      tenant_guid: t.tenantId,
      ...patch,
      ...w.created(ctx.stamp),
    });
    ctx.count('tenants', 'created');
  }
  if (t.eligibility) {
    const e = t.eligibility;
    await w.upsertEligibility(ctx.trx, tenantId, {
      is_eligible: e.eligible,
      customer_type: e.customerType,
      eligible_seats: e.eligibleSeats,
      eligible_plans: e.eligiblePlans ? JSON.stringify(e.eligiblePlans) : undefined,
      evaluated_at: e.evaluatedAt,
    });
  }
  for (const svc of t.services)
    await applyService(ctx, { id: tenantId, name: t.name }, svc, pt.existing?.services.get(svc.code));
  await applyAssignments(ctx, tenantId, pt);
  await applyContacts(ctx, tenantId, t, !stored);
  await applyNotes(ctx, tenantId, t, !stored);
}

/** Writes the orgs and users of the file; the caller owns the transaction. */
export async function applyHead(ctx: ApplyContext, file: Pick<ImportPlan['file'], 'orgs' | 'users'>): Promise<void> {
  await applyOrgs(ctx, file);
  await applyUsers(ctx, file);
}

/** Writes planned tenants (all of them, or one batch of a file read as a stream). */
export async function applyTenants(ctx: ApplyContext, tenants: PlannedTenant[]): Promise<void> {
  await ctx.directory(tenants);
  for (const tenant of tenants) await applyTenant(ctx, tenant);
  await ctx.flush();
}

/** Writes the plan; the caller owns the transaction. Returns per-entity created/updated/unchanged counts. */
export async function applyPlan(trx: Knex, plan: ImportPlan, opts: ApplyOptions): Promise<ImportCounts> {
  const ctx = new ApplyContext(trx, opts);
  await applyHead(ctx, plan.file);
  await applyTenants(ctx, plan.tenants);
  return ctx.counts;
}
