import type { Knex } from 'knex';
import { NEW_SUBSCRIPTION } from '../../domain/taxonomy';
import { plainTextToHtml } from './admin.validators';
import type { ImportPlan } from './import.rules';
import type { ImportNote, ImportService, ImportTenant } from './import.schemas';
import { contactKey, type PlannedTenant } from './import-tenant.rules';
import * as orgsRepo from './orgs.repo';
import { createQueuePrincipal } from './orgs.service';
import * as usersRepo from './users.repo';
import * as w from './import-write.repo';
import * as tw from './import-tenant-write.repo';

/** Applies a validated import plan inside the caller's transaction (CONTRACT.md §5: all or nothing). */

export const COUNTED = ['orgs', 'users', 'tenants', 'services', 'assignments', 'contacts', 'notes'] as const;
export type Counted = (typeof COUNTED)[number];
export type ImportCounts = Record<Counted, Record<w.Outcome, number>>;

export interface ApplyOptions {
  actorId: number | null;
  now: Date;
  /**
   * false (an import): notes are legacy history (is_legacy, source_context 'import').
   * true (the demo seed): notes look as if users wrote them in the app.
   */
  nativeNotes: boolean;
}

const LEGACY_CATEGORIES = new Set(['Service Status', 'Customer Readiness', 'Customer Satisfaction Issue']);
const NEW_ENTITLEMENTS_NOTE = 'New entitlements not yet picked up by a delivery team.';
const FORECAST_FIELDS = [
  ['rfaSubmitted', 'rfa_submitted_date', 'rfa'],
  ['firstAu', 'target_first_au_date', '15'],
  ['fortyAu', 'target_40_au_date', '40'],
  ['maxAu', 'target_max_au_date', 'max'],
] as const;

/** '' means a cleared field; undefined stays "leave alone". */
const nz = <T>(v: T | '' | undefined): T | null | undefined => (v === '' ? null : v);

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

class Applier {
  readonly counts = Object.fromEntries(
    COUNTED.map((k) => [k, { created: 0, updated: 0, unchanged: 0 }]),
  ) as ImportCounts;
  private readonly stamp: w.Stamp;
  private principals = new Map<string, { id: number; orgId: number | null }>();
  private orgIds = new Map<string, number>();
  private queueIds = new Map<string, { id: number; orgId: number }>();
  private serviceNames = new Map<string, string>();

  constructor(
    private readonly trx: Knex,
    private readonly opts: ApplyOptions,
  ) {
    this.stamp = { at: opts.now.toISOString(), actorId: opts.actorId };
  }

  count(entity: Counted, outcome: w.Outcome, n = 1): void {
    this.counts[entity][outcome] += n;
  }

  async orgs(plan: ImportPlan): Promise<void> {
    for (const org of plan.file.orgs) {
      const stored = await orgsRepo.findOrgByName(this.trx, org.name);
      if (!stored) {
        const id = await orgsRepo.insertOrg(
          this.trx,
          {
            name: org.name,
            mpnId: nz(org.mpnId) ?? null,
            entraTenantId: org.entraTenantId ?? null,
            isActive: org.active ?? true,
          },
          `FTP ${org.name}`,
          this.stamp.at,
          this.stamp.actorId,
        );
        await orgsRepo.insertDomains(this.trx, id, org.domains, this.stamp.at);
        await createQueuePrincipal(this.trx, id, org.name, this.stamp.at, this.stamp.actorId);
        this.count('orgs', 'created');
        continue;
      }
      let changed = await w.updateChanged(
        this.trx,
        'partner_orgs',
        stored as unknown as w.Row & { id: number },
        {
          mpn_id: nz(org.mpnId),
          entra_tenant_id: org.entraTenantId,
          is_active: org.active,
        },
        this.stamp,
      );
      const have = new Set(
        (await orgsRepo.listDomains(this.trx)).filter((d) => d.org_id === stored.id).map((d) => d.domain),
      );
      const missing = org.domains.filter((d) => !have.has(d));
      await orgsRepo.insertDomains(this.trx, stored.id, missing, this.stamp.at);
      if (!(await orgsRepo.findQueueUser(this.trx, stored.id))) {
        await createQueuePrincipal(this.trx, stored.id, stored.name, this.stamp.at, this.stamp.actorId);
        changed = true;
      }
      this.count('orgs', changed || missing.length ? 'updated' : 'unchanged');
    }
    for (const org of await orgsRepo.listOrgs(this.trx)) this.orgIds.set(org.name.toLowerCase(), org.id);
  }

  async users(plan: ImportPlan): Promise<void> {
    for (const user of plan.file.users) {
      const kind = user.kind ?? 'partner';
      const orgId = kind === 'partner' && user.org ? (this.orgIds.get(user.org.toLowerCase()) ?? null) : null;
      const stored = await usersRepo.findUserByUpn(this.trx, user.email);
      let id: number;
      let outcome: w.Outcome;
      if (!stored) {
        id = await usersRepo.insertUser(
          this.trx,
          {
            orgId,
            upn: user.email,
            displayName: user.name,
            kind,
            internalRole: user.internalRole ?? null,
            isPartnerAdmin: user.partnerAdmin ?? false,
            status: 'active',
          },
          this.stamp.at,
          this.stamp.actorId,
        );
        outcome = 'created';
      } else {
        id = stored.id;
        const wrote = await w.updateChanged(
          this.trx,
          'users',
          stored as unknown as w.Row & { id: number },
          {
            display_name: user.name,
            is_partner_admin: user.partnerAdmin,
            internal_role: user.internalRole,
          },
          this.stamp,
        );
        outcome = wrote ? 'updated' : 'unchanged';
      }
      const managed = (user.managedOrgs ?? []).map((n) => this.orgIds.get(n.toLowerCase())!).filter(Boolean);
      if ((await usersRepo.addManagedOrgs(this.trx, id, managed)) > 0 && outcome === 'unchanged') outcome = 'updated';
      this.count('users', outcome);
    }
  }

  /** Loads every principal the tenants refer to, once, after orgs and users are written. */
  async directory(plan: ImportPlan): Promise<void> {
    const upns = new Set<string>();
    for (const t of plan.tenants) {
      for (const a of t.assignments) if ('upn' in a.assignee) upns.add(a.assignee.upn);
      for (const n of t.src.notes) upns.add(n.author);
      for (const e of t.src.enterpriseStatus ?? []) upns.add(e.by);
    }
    this.principals = await tw.findUserIds(this.trx, [...upns]);
    for (const s of (await this.trx('services').select('code', 'name')) as { code: string; name: string }[])
      this.serviceNames.set(s.code, s.name);
  }

  private async queueOf(orgName: string): Promise<{ id: number; orgId: number }> {
    let queue = this.queueIds.get(orgName);
    if (!queue) {
      const orgId = this.orgIds.get(orgName.toLowerCase())!;
      queue = { id: (await orgsRepo.findQueueUser(this.trx, orgId))!.id, orgId };
      this.queueIds.set(orgName, queue);
    }
    return queue;
  }

  async tenant(pt: PlannedTenant): Promise<void> {
    const t = pt.src;
    const stored = (await this.trx('tenants').where({ tenant_guid: t.tenantId }).first()) as
      (w.Row & { id: number; last_os_note_at: string | null }) | undefined;
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
      this.count(
        'tenants',
        (await w.updateChanged(this.trx, 'tenants', stored, patch, this.stamp)) ? 'updated' : 'unchanged',
      );
    } else {
      tenantId = await w.insertRow(this.trx, 'tenants', {
        tenant_guid: t.tenantId,
        ...patch,
        ...w.created(this.stamp),
      });
      this.count('tenants', 'created');
    }
    if (t.eligibility) {
      const e = t.eligibility;
      await w.upsertEligibility(this.trx, tenantId, {
        is_eligible: e.eligible,
        customer_type: e.customerType,
        eligible_seats: e.eligibleSeats,
        eligible_plans: e.eligiblePlans ? JSON.stringify(e.eligiblePlans) : undefined,
        evaluated_at: e.evaluatedAt,
      });
    }
    for (const svc of t.services) await this.service(tenantId, svc);
    await this.assignments(tenantId, pt);
    await this.contacts(tenantId, t);
    await this.notes(tenantId, t);
  }

  private async service(tenantId: number, svc: ImportService): Promise<void> {
    const where = { tenant_id: tenantId, service_code: svc.code };
    const stored = (await this.trx('tenant_services').where(where).first()) as
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
          changed_by: this.stamp.actorId,
          changed_at: this.stamp.at,
        });
    }
    let id: number;
    let wrote: boolean;
    if (stored) {
      id = stored.id;
      wrote = await w.updateChanged(this.trx, 'tenant_services', stored, patch, this.stamp);
    } else {
      id = await w.insertRow(this.trx, 'tenant_services', { ...where, ...patch, ...w.created(this.stamp) });
      wrote = true;
    }
    await w.insertForecastHistory(
      this.trx,
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
      : rebalanceNewEntitlements(await w.listStatusRows(this.trx, id), basis).map(
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
    let children = await w.syncStatusRows(this.trx, id, desired, this.stamp);
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
      children = (await w.syncMigrationLines(this.trx, id, lines, this.stamp)) || children;
    }
    // A changed grid or migration plan makes any open form on this service stale (its version moves on).
    if (children && stored && !wrote)
      await w.updateChanged(this.trx, 'tenant_services', stored, {}, this.stamp, { force: true });
    if (svc.cpor) {
      const c = svc.cpor;
      await w.upsertCpor(
        this.trx,
        tenantId,
        svc.code,
        {
          partner_org_id: this.orgIds.get(c.partner.toLowerCase()) ?? null,
          partner_name: c.partner,
          mpn_id: nz(c.mpnId),
          claim_status: c.status,
          claimed_at: c.claimedAt,
          approved_at: c.approvedAt,
          source_ref: nz(c.sourceRef),
        },
        this.stamp.at,
      );
    }
    this.count('services', !stored ? 'created' : wrote || children ? 'updated' : 'unchanged');
  }

  private async assignments(tenantId: number, pt: PlannedTenant): Promise<void> {
    const desired: tw.DesiredAssignment[] = [];
    for (const a of pt.assignments) {
      const user = 'upn' in a.assignee ? this.principals.get(a.assignee.upn)! : await this.queueOf(a.assignee.queueOf);
      desired.push({ userId: user.id, orgId: user.orgId, type: a.type, scopes: a.scopes });
    }
    const counts = await tw.syncAssignments(this.trx, tenantId, desired, this.stamp);
    for (const outcome of ['created', 'updated', 'unchanged'] as const)
      this.count('assignments', outcome, counts[outcome]);
  }

  private async contacts(tenantId: number, t: ImportTenant): Promise<void> {
    if (t.contacts.length === 0) return;
    const stored = new Map(
      (await tw.listContacts(this.trx, tenantId)).map((c) => [
        contactKey({ type: c.contact_type, email: c.email, name: c.name }),
        c,
      ]),
    );
    for (const c of t.contacts) {
      const values: w.Row = {
        contact_type: c.type,
        name: c.name,
        email: nz(c.email),
        phone: nz(c.phone),
        role_title: nz(c.roleTitle),
        country: nz(c.country),
        location: nz(c.location),
        time_zone: nz(c.timeZone),
        is_engaged: c.engaged,
        survey_eligible: c.surveyEligible,
        survey_language: nz(c.surveyLanguage),
        do_not_call: c.doNotCall,
        skill_type: nz(c.skillType),
        ms_role: nz(c.msRole),
        source: c.source,
      };
      const outcome = await tw.upsertContact(
        this.trx,
        tenantId,
        stored.get(contactKey(c)),
        values,
        { source: this.opts.nativeNotes ? 'manual' : 'sync' },
        c.services,
        this.stamp,
      );
      this.count('contacts', outcome);
    }
  }

  private noteRow(tenantId: number, t: ImportTenant, n: ImportNote, authorId: number): w.Row {
    const native = this.opts.nativeNotes;
    // Imports and legacy categories come from another system; native notes name the screen that makes them.
    const source =
      !native || LEGACY_CATEGORIES.has(n.category)
        ? 'import'
        : n.category === 'Enterprise Status'
          ? 'enterprise_status'
          : n.category === 'System Message'
            ? 'system'
            : n.overallStatus
              ? 'status_tab'
              : 'notes_editor';
    return {
      tenant_id: tenantId,
      category: n.category,
      body_html: plainTextToHtml(n.body),
      body_text: n.body.trim(),
      is_escalated: n.escalated,
      next_action: nz(n.nextAction) ?? null,
      next_action_date: n.nextActionDate ?? null,
      next_action_owner: nz(n.nextActionOwner) ?? null,
      overall_status: n.overallStatus ?? null,
      overall_status_date: n.overallStatus ? n.overallStatusDate : null,
      source_context: source,
      is_legacy: !native || LEGACY_CATEGORIES.has(n.category),
      is_system: n.category === 'System Message',
      author_user_id: authorId,
      created_at: n.createdAt,
      search_tenant: t.name,
      search_services: n.services.map((code) => this.serviceNames.get(code) ?? code).join(', '),
    };
  }

  /** Notes are immutable and keyed by (tenant, author, createdAt): a note already stored is left alone. */
  private async notes(tenantId: number, t: ImportTenant): Promise<void> {
    const keys = await tw.listNoteKeys(this.trx, tenantId);
    for (const n of t.notes) {
      const authorId = this.principals.get(n.author)!.id;
      if (keys.has(`${authorId}|${n.createdAt}`)) {
        this.count('notes', 'unchanged');
        continue;
      }
      const noteId = await tw.insertNote(this.trx, this.noteRow(tenantId, t, n, authorId), n.services);
      keys.set(`${authorId}|${n.createdAt}`, noteId);
      if (n.overallStatus) {
        await tw.insertOverallStatusHistory(this.trx, {
          tenant_id: tenantId,
          overall_status: n.overallStatus,
          status_date: n.overallStatusDate,
          note_id: noteId,
          by: authorId,
          at: n.createdAt,
        });
      }
      this.count('notes', 'created');
    }
    // Enterprise status entries are appended once (keyed by time); each comes with its Enterprise Status note.
    const times = await tw.listEnterpriseEntryTimes(this.trx, tenantId);
    for (const e of t.enterpriseStatus ?? []) {
      if (times.has(e.at)) continue;
      const by = this.principals.get(e.by)!.id;
      const note: ImportNote = {
        category: 'Enterprise Status',
        author: e.by,
        createdAt: e.at,
        body: e.note,
        services: [],
        escalated: false,
      };
      const noteId =
        keys.get(`${by}|${e.at}`) ?? (await tw.insertNote(this.trx, this.noteRow(tenantId, t, note, by), []));
      await tw.insertEnterpriseEntry(this.trx, {
        tenant_id: tenantId,
        status: e.status,
        status_date: e.statusDate,
        note: e.note,
        note_id: noteId,
        by,
        at: e.at,
      });
    }
  }
}

/** Writes the plan; the caller owns the transaction. Returns per-entity created/updated/unchanged counts. */
export async function applyPlan(trx: Knex, plan: ImportPlan, opts: ApplyOptions): Promise<ImportCounts> {
  const applier = new Applier(trx, opts);
  await applier.orgs(plan);
  await applier.users(plan);
  await applier.directory(plan);
  for (const tenant of plan.tenants) await applier.tenant(tenant);
  return applier.counts;
}
