import { L1_VALUES } from '../../domain/enums';
import { canonicalL2, TAXONOMY } from '../../domain/taxonomy';
import type * as repo from './services.repo';
import type * as write from './services-write.repo';
import { isCount, isDate, isSize, NOTE_MAX, OWNER_MAX, ServiceForm } from './services.schemas';
import type { SectionContext } from './services.service';

/** The rules of one service save (DOMAIN.md §4.3, §4.5, §4.6); each reports into `err` / `warnings`. */
export type Report = (name: string, message: string) => void;

export const SCENARIO_MESSAGE =
  "Your role cannot change this Engagement Scenario. Ask for the change through FTC Help using the category 'Engagement Scenario Change'.";

const sum = (values: string[]) => values.reduce((a, v) => a + (isCount(v) ? Number(v) : 0), 0);
export const words = (s: string) => s.split(/\s+/).filter(Boolean).length;

/** Running totals for the footers (recomputed on every re-render). */
export function totals(ctx: SectionContext, form: ServiceForm) {
  const rowsSum = sum(form.statuses.map((r) => r.entitlements));
  const inProgress = sum(form.statuses.filter((r) => r.l1 === 'In Progress').map((r) => r.entitlements));
  return {
    rowsSum,
    linesSum: sum(form.lines.map((l) => l.entitlements)),
    basis: ctx.migrationBasis === 'in_progress' ? inProgress : ctx.effectiveTotal,
  };
}

/** V-21…V-29 over the grid; returns the rows to write and the Service Intent notes. */
export function statusRules(ctx: SectionContext, form: ServiceForm, now: string, err: Report, warnings: string[]) {
  const storedById = new Map(ctx.stored.map((r) => [r.id, r]));
  const usedIds = new Set<number>();
  const combos = new Set<string>();
  const writes: (write.StatusRowWrite & { id?: number })[] = [];
  const notes: write.ServiceWrite['notes'] = [];

  form.statuses.forEach((r, i) => {
    const n = (k: string) => `statuses[${i}][${k}]`;
    const idNum = Number(r.id);
    // Only ids of this service's rows are honoured (mass assignment); anything else is a new row.
    const old =
      /^\d{1,12}$/.test(r.id) && storedById.has(idNum) && !usedIds.has(idNum) ? storedById.get(idNum) : undefined;
    if (old) usedIds.add(old.id);
    // V-21
    const l1 = (L1_VALUES as readonly string[]).includes(r.l1) ? r.l1 : '';
    if (!l1) err(n('l1'), 'Choose one of the five L1 statuses.');
    if (!isCount(r.entitlements)) err(n('entitlements'), 'Enter a whole number of entitlements, 1 or more.');
    const rules = TAXONOMY.find((t) => t.l1 === l1)?.rules;
    // V-22 (aliases accepted, canonical stored)
    let l2 = '';
    if (r.l2) {
      if (rules && !rules.l2_available) err(n('l2'), 'Duplicate/Invalid takes no L2 reason.');
      else if (l1) {
        l2 = canonicalL2(l1, r.l2) ?? '';
        if (!l2) err(n('l2'), `This reason is not an L2 of ${l1}.`);
      }
    } else if (rules?.l2_required) err(n('l2'), `${l1} needs an L2 reason.`);
    // V-23
    if (r.l3) {
      if (!r.l2) err(n('l3'), 'Choose an L2 before an L3.');
      else if (l2 && !(ctx.l3Map.get(`${l1}|${l2}`) ?? []).includes(r.l3))
        err(n('l3'), 'This L3 is not a child of the L2.');
    }
    // V-24
    if (r.target_date) {
      if (!isDate(r.target_date)) err(n('target_date'), 'Enter a real date as YYYY-MM-DD.');
      else if (rules && !rules.target_date_allowed)
        err(n('target_date'), 'A target date is only allowed for In Progress and Blocked.');
      else if (r.target_date !== (old?.target_date ?? '') && r.target_date < now)
        err(n('target_date'), 'The target date cannot be in the past.');
    } else if (l1 === 'In Progress')
      warnings.push(`Row ${i + 1}: In Progress rows are expected to have a target date.`);
    // V-25
    if (r.owner.length > OWNER_MAX) err(n('owner'), `Keep the owner under ${OWNER_MAX} characters.`);
    else if (r.owner && l1 === 'In Progress') err(n('owner'), 'In Progress rows have no owner.');
    // V-28 (poor confidence only warns: binding scope decision)
    if (r.note.length > NOTE_MAX) err(n('note'), `Keep the status note under ${NOTE_MAX} characters.`);
    else if (words(r.note) < 3) err(n('note'), 'Describe the situation in at least 3 words.');
    if (r.suggestion_confidence === 'poor')
      warnings.push(`Row ${i + 1}: the status note gave a poor suggestion; consider adding detail.`);
    // V-29
    if (r.next_action_date) {
      if (!isDate(r.next_action_date)) err(n('next_action_date'), 'Enter a real date as YYYY-MM-DD.');
      else if (r.next_action_date !== (old?.next_action_date ?? '') && r.next_action_date < now)
        err(n('next_action_date'), 'The next action date must be today or later.');
    }
    // V-27
    const combo = JSON.stringify([l1, l2, r.l3]);
    if (l1 && combos.has(combo)) err(n('l1'), 'This L1 / L2 / L3 combination is already used in another row.');
    combos.add(combo);

    const fromSuggestion = (L1_VALUES as readonly string[]).includes(r.suggested_l1);
    const confidence = ['high', 'marginal', 'poor'].includes(r.suggestion_confidence) ? r.suggestion_confidence : null;
    writes.push({
      ...(old ? { id: old.id } : {}),
      l1,
      l2: l2 || null,
      l3: r.l3 || null,
      entitlements: Number(r.entitlements),
      status_note: r.note,
      target_date: r.target_date || null,
      owner: r.owner || null,
      next_action_date: r.next_action_date || null,
      suggested_l1: fromSuggestion ? r.suggested_l1.slice(0, 100) : (old?.suggested_l1 ?? null),
      suggested_l2: fromSuggestion ? r.suggested_l2.slice(0, 100) || null : (old?.suggested_l2 ?? null),
      suggested_l3: fromSuggestion ? r.suggested_l3.slice(0, 100) || null : (old?.suggested_l3 ?? null),
      suggestion_confidence: fromSuggestion ? confidence : (old?.suggestion_confidence ?? null),
      overridden: fromSuggestion
        ? r.suggested_l1 !== l1 || (r.suggested_l2 || '') !== l2 || (r.suggested_l3 || '') !== r.l3
        : Boolean(old?.overridden),
    });
    // every new or changed status note becomes a Service Intent note.
    if (!old || old.status_note !== r.note)
      notes.push({
        text: r.note,
        tenantId: ctx.tenant.id,
        code: ctx.ts.code,
        searchTenant: ctx.tenant.tenantName,
        searchServices: ctx.ts.name,
      });
  });
  // V-26
  const t = totals(ctx, form);
  if (form.statuses.every((r) => isCount(r.entitlements)) && t.rowsSum !== ctx.effectiveTotal)
    err('statuses', `Entitlement statuses must add up to ${ctx.effectiveTotal} entitlements (currently ${t.rowsSum}).`);
  return { writes, notes };
}

/** V-50, V-51: returns the chosen scenario when it exists. */
export function scenarioRule(ctx: SectionContext, form: ServiceForm, err: Report): repo.LookupValue | undefined {
  const scenario = ctx.scenarios.find((s) => s.value === form.engagement_scenario);
  if (!scenario) err('engagement_scenario', 'Choose an engagement scenario.');
  else if (
    ctx.isPartner &&
    scenario.value !== ctx.ts.engagementScenario &&
    (ctx.scenarioLocked || !scenario.partnerSelectable)
  )
    err('engagement_scenario', SCENARIO_MESSAGE);
  return scenario;
}

/** V-40…V-43 for migration-eligible services; `lines` null leaves the stored lines alone. */
export function migrationRules(ctx: SectionContext, form: ServiceForm, err: Report, warnings: string[]) {
  const t = totals(ctx, form);
  let migration: write.ServiceWrite['migration'] = {
    ms_performing_migration: ctx.ts.msPerformingMigration,
    migration_start_date: ctx.ts.migrationStartDate,
    migration_end_date: ctx.ts.migrationEndDate,
    migration_rejection_reason: ctx.ts.migrationRejectionReason,
    migration_rejection_note: ctx.ts.migrationRejectionNote,
  };
  let lines: write.LineWrite[] | null = null;
  if (ctx.ts.migrationEligible) {
    const decision = form.ms_performing_migration;
    if (decision !== 'yes' && decision !== 'no')
      err('ms_performing_migration', 'Say whether Microsoft is performing the migration.');
    for (const i of form.lineStatusPosted)
      if (!ctx.isAdmin)
        err(`migration_lines[${i}][status]`, 'Only the Migration SME or an admin can set a line status.');
    if (decision === 'yes') {
      const { migration_start_date: start, migration_end_date: end } = form;
      if (!isDate(start)) err('migration_start_date', 'Enter the migration start date as YYYY-MM-DD.');
      if (!isDate(end)) err('migration_end_date', 'Enter the migration end date as YYYY-MM-DD.');
      else if (isDate(start) && end < start) err('migration_end_date', 'The end date cannot be before the start date.');
      if (form.lines.length === 0) err('migration_lines', 'Add at least one migration type line.');
      const seen = new Set<string>();
      lines = form.lines.map((l, i) => {
        const n = (k: string) => `migration_lines[${i}][${k}]`;
        if (!ctx.migrationTypes.includes(l.type)) err(n('type'), 'Choose a migration type.');
        else if (seen.has(l.type)) err(n('type'), 'Each migration type can appear only once.');
        seen.add(l.type);
        if (!isCount(l.entitlements)) err(n('entitlements'), 'Enter a whole number of entitlements, 1 or more.');
        if (!isDate(l.estimated_date)) err(n('estimated_date'), 'Enter the estimated migration date as YYYY-MM-DD.');
        else if (isDate(start) && isDate(end) && (l.estimated_date < start || l.estimated_date > end))
          warnings.push(`Migration line ${i + 1}: the estimated date is outside the migration start and end dates.`);
        if (l.notes.length > NOTE_MAX) err(n('notes'), `Keep the notes under ${NOTE_MAX} characters.`);
        if (l.data_size_gb && !isSize(l.data_size_gb))
          err(n('data_size_gb'), 'Enter the data size in GB, e.g. 120 or 120.5.');
        if (ctx.isAdmin && l.status && !ctx.migrationStatuses.includes(l.status))
          err(n('status'), 'Choose a migration status.');
        return {
          migration_type: l.type,
          entitlements: Number(l.entitlements),
          estimated_migration_date: l.estimated_date,
          notes: l.notes || null,
          data_size_gb: l.data_size_gb ? Number(l.data_size_gb) : null,
          ...(ctx.isAdmin && form.lineStatusPosted.includes(i) ? { status: l.status || null } : {}),
        };
      });
      if (lines.length > 0 && form.lines.every((l) => isCount(l.entitlements)) && t.linesSum !== t.basis)
        err('migration_lines', `Migration lines must add up to ${t.basis} entitlements (currently ${t.linesSum}).`);
      migration = {
        ms_performing_migration: true,
        migration_start_date: start,
        migration_end_date: end,
        migration_rejection_reason: null,
        migration_rejection_note: null,
      };
    } else if (decision === 'no') {
      if (!ctx.rejectionReasons.includes(form.migration_rejection_reason))
        err('migration_rejection_reason', 'Choose why the customer declined the migration.');
      if (!form.migration_rejection_note) err('migration_rejection_note', 'Explain why the customer declined.');
      else if (form.migration_rejection_note.length > NOTE_MAX)
        err('migration_rejection_note', `Keep the note under ${NOTE_MAX} characters.`);
      lines = []; // V-42: lines are removed
      migration = {
        ms_performing_migration: false,
        migration_start_date: null,
        migration_end_date: null,
        migration_rejection_reason: form.migration_rejection_reason,
        migration_rejection_note: form.migration_rejection_note,
      };
    }
  }
  return { migration, lines };
}
