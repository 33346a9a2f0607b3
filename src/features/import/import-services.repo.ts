import type { Knex } from 'knex';
import type { MigrationValues } from '../../domain/rules/migration.rules';
import type { StatusRowValues } from '../../domain/rules/status-grid.rules';
import { statusValuesOf } from '../services/services-write.map';

/** The stored services of the tenants an import batch names: columns, grid and migration lines. */

const CHUNK = 500;

export async function inChunks<T>(values: string[], load: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < values.length; i += CHUNK) out.push(...(await load(values.slice(i, i + CHUNK))));
  return out;
}

export interface ExistingForecast {
  rfaSubmitted: string | null;
  firstAu: string | null;
  fortyAu: string | null;
  maxAu: string | null;
}

export interface ExistingService {
  id: number;
  code: string;
  total: number;
  override: number | null;
  version: number;
  scenario: string | null;
  forecast: ExistingForecast;
  migration: MigrationValues;
  /** The stored grid, in id order. */
  rows: StatusRowValues[];
}

/** Services by code, per tenant id, for these tenant ids. */
export async function loadExistingServices(
  db: Knex,
  tenantIds: string[],
): Promise<Map<number, Map<string, ExistingService>>> {
  const serviceRows = (await inChunks(tenantIds, (c) =>
    db('tenant_services').whereIn('tenant_id', c).select('*'),
  )) as ServiceRow[];
  const serviceIds = serviceRows.map((s) => String(s.id));
  const rows = (await inChunks(serviceIds, (c) =>
    db('entitlement_status_rows').whereIn('tenant_service_id', c).orderBy('id'),
  )) as (Parameters<typeof statusValuesOf>[0] & { tenant_service_id: number })[];
  const lines = (await inChunks(serviceIds, (c) =>
    db('migration_type_lines').whereIn('tenant_service_id', c).orderBy('id'),
  )) as LineRow[];
  const rowsOf = groupBy(rows, (r) => r.tenant_service_id);
  const linesOf = groupBy(lines, (l) => l.tenant_service_id);
  const out = new Map<number, Map<string, ExistingService>>();
  for (const s of serviceRows) {
    if (!out.has(s.tenant_id)) out.set(s.tenant_id, new Map());
    out.get(s.tenant_id)!.set(s.service_code, existingService(s, rowsOf.get(s.id) ?? [], linesOf.get(s.id) ?? []));
  }
  return out;
}

interface ServiceRow {
  id: number;
  tenant_id: number;
  service_code: string;
  total_entitlements: number;
  entitlement_override: number | null;
  version: number;
  engagement_scenario: string | null;
  rfa_submitted_date: string | null;
  target_first_au_date: string | null;
  target_40_au_date: string | null;
  target_max_au_date: string | null;
  ms_performing_migration: number | null;
  migration_start_date: string | null;
  migration_end_date: string | null;
  migration_rejection_reason: string | null;
  migration_rejection_note: string | null;
}

interface LineRow {
  tenant_service_id: number;
  migration_type: string;
  entitlements: number;
  estimated_migration_date: string;
  notes: string | null;
  data_size_gb: number | null;
}

function groupBy<T>(items: T[], key: (item: T) => number): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}

function existingService(
  s: ServiceRow,
  rows: Parameters<typeof statusValuesOf>[0][],
  lines: LineRow[],
): ExistingService {
  return {
    id: s.id,
    code: s.service_code,
    total: s.total_entitlements,
    override: s.entitlement_override,
    version: s.version,
    scenario: s.engagement_scenario,
    forecast: {
      rfaSubmitted: s.rfa_submitted_date,
      firstAu: s.target_first_au_date,
      fortyAu: s.target_40_au_date,
      maxAu: s.target_max_au_date,
    },
    migration: {
      msPerforming: s.ms_performing_migration === null ? null : !!s.ms_performing_migration,
      startDate: s.migration_start_date,
      endDate: s.migration_end_date,
      lines: lines.map((l) => ({
        type: l.migration_type,
        entitlements: l.entitlements,
        estimatedDate: l.estimated_migration_date,
        notes: l.notes,
        dataSizeGb: l.data_size_gb,
      })),
      rejectionReason: s.migration_rejection_reason,
      rejectionNote: s.migration_rejection_note,
    },
    rows: rows.map(statusValuesOf),
  };
}
