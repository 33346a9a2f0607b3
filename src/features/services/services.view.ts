import { selectState, SelectState } from '../suggest/suggest.view';
import type { Alternative, Confidence } from '../suggest/suggest.service';
import type { ServiceForm } from './services.schemas';
import { gridLocals, type GridExtras } from './services-grid.view';
import { migrationBasis } from '../../domain/rules/migration.rules';
import { mayChoose, SCENARIO_MESSAGE } from '../../domain/rules/scenario.rules';
import { isCount } from '../../domain/values';
import { SectionContext, storedForm } from './services.service';

export interface ViewExtras {
  errors?: Record<string, string>;
  warnings?: string[];
  /** Confidence chips and their messages per row index (after a Suggest without JS). */
  chips?: Record<number, { chip: Confidence; note: string; alternatives?: Alternative[] }>;
  /** The open part of the Entitlement Status grid and what a row commit found. */
  grid?: GridExtras;
  saved?: boolean;
  conflict?: { message: string; current: SectionContext };
}

const sum = (values: string[]) =>
  values.reduce((a, v) => a + (/^\d+$/.test(v) && isCount(Number(v)) ? Number(v) : 0), 0);

/** Running totals for the footers (recomputed on every re-render; public/js keeps them live). */
export function totals(ctx: SectionContext, form: ServiceForm) {
  const grid = form.statuses.map((r) => ({ l1: r.l1, entitlements: sum([r.entitlements]) }));
  return {
    rowsSum: sum(form.statuses.map((r) => r.entitlements)),
    linesSum: sum(form.lines.map((l) => l.entitlements)),
    basis: migrationBasis(ctx.migrationBasis, ctx.effectiveTotal, grid),
  };
}

const rowSummary = (r: ServiceForm['statuses'][number]) =>
  `${[r.l1, r.l2, r.l3].filter(Boolean).join(' / ')}: ${r.entitlements}`;

/** What changed between the user's form and what is stored now (the 409 block). */
export function conflictDiffs(mine: ServiceForm, current: SectionContext): string[] {
  const now = storedForm(current);
  const diffs: string[] = [];
  if (mine.engagement_scenario !== now.engagement_scenario)
    diffs.push(
      `Engagement scenario: yours "${mine.engagement_scenario || '—'}", stored "${now.engagement_scenario || '—'}"`,
    );
  if (mine.ms_performing_migration !== now.ms_performing_migration)
    diffs.push(
      `Microsoft performing migration: yours "${mine.ms_performing_migration || '—'}", stored "${now.ms_performing_migration || '—'}"`,
    );
  const a = mine.statuses.map(rowSummary).join('; ');
  const b = now.statuses.map(rowSummary).join('; ');
  if (a !== b) diffs.push(`Entitlement statuses: yours ${a || '—'}; stored ${b || '—'}`);
  const la = mine.lines.map((l) => `${l.type}: ${l.entitlements}`).join('; ');
  const lb = now.lines.map((l) => `${l.type}: ${l.entitlements}`).join('; ');
  if (la !== lb) diffs.push(`Migration lines: yours ${la || '—'}; stored ${lb || '—'}`);
  return diffs;
}

/** Locals for views/services/_section.ejs. */
export function sectionLocals(ctx: SectionContext, form: ServiceForm, extras: ViewExtras) {
  const meta = new Map(ctx.stored.map((r) => [String(r.id), { by: r.updated_by_name, at: r.updated_at }]));
  const sels: SelectState[] = form.statuses.map((r, i) =>
    selectState(
      { ...r, row: String(i) },
      ctx.l3Map,
      extras.chips?.[i]?.chip ?? null,
      extras.chips?.[i]?.note,
      extras.chips?.[i]?.alternatives,
    ),
  );
  const conflict = extras.conflict
    ? {
        message: extras.conflict.message,
        version: extras.conflict.current.ts.version,
        by: extras.conflict.current.ts.updatedByName,
        at: extras.conflict.current.ts.updatedAt,
        diffs: conflictDiffs(form, extras.conflict.current),
      }
    : null;
  return {
    ctx,
    tenant: ctx.tenant,
    form,
    sels,
    meta,
    totals: totals(ctx, form),
    scenarioMessage: SCENARIO_MESSAGE,
    // V-51: what this user may pick; the form keeps what is stored selectable.
    scenarioOptions: ctx.scenarios.map((s) => ({
      ...s,
      disabled: !mayChoose(s, {
        options: ctx.scenarios,
        stored: form.engagement_scenario || null,
        isPartner: ctx.isPartner,
      }),
      ftcOnly: ctx.isPartner && !s.partnerSelectable,
    })),
    errors: extras.errors ?? {},
    warnings: extras.warnings ?? [],
    saved: extras.saved ?? false,
    conflict,
    action: `/tenants/${ctx.tenant.tenantGuid}/services/${encodeURIComponent(ctx.ts.code)}`,
    sid: ctx.ts.code.replace(/[^A-Za-z0-9_-]/g, '-'),
    grid: gridLocals(ctx, form, extras.grid, extras.errors),
  };
}
