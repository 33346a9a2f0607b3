import type { Db } from '../../db/db';
import { readRow, readRows } from '../../db/sql';
import type { ScenarioOption } from '../../domain/rules/scenario.rules';
import type { FORECAST_HISTORY_FIELD } from '../services/services-write.repo';

/** The four forecast columns of tenant_services (DOMAIN.md §2.5). */
export type ForecastColumn = keyof typeof FORECAST_HISTORY_FIELD;
export type ForecastDates = Record<ForecastColumn, string | null>;

export interface ForecastServiceRow {
  id: number;
  code: string;
  name: string;
  effectiveTotal: number;
  /** The stored scenario with its §2.9 flag (A-16, V-51), when one is set. */
  scenario: ScenarioOption | undefined;
  version: number;
  dates: ForecastDates;
}

export interface ForecastHistoryRow {
  field: string;
  oldValue: string | null;
  newValue: string | null;
  changedBy: string | null;
  changedAt: string;
}

/**
 * One entitled service of a tenant the caller has already resolved in the user's scope (the tenantId
 * param loader); undefined when the tenant has no such service.
 */
export async function findForecastService(
  db: Db,
  tenantId: number,
  code: string,
): Promise<ForecastServiceRow | undefined> {
  const r = await readRow<{
    partner_selectable: number | boolean | null;
    id: number;
    code: string;
    name: string;
    total_entitlements: number;
    entitlement_override: number | null;
    engagement_scenario: string | null;
    version: number;
    rfa_submitted_date: string | null;
    target_first_au_date: string | null;
    target_40_au_date: string | null;
    target_max_au_date: string | null;
  }>(
    db,
    `SELECT l.partner_selectable, ts.id, s.code, s.name, ts.total_entitlements, ts.entitlement_override,
            ts.engagement_scenario, ts.version, ts.rfa_submitted_date, ts.target_first_au_date, ts.target_40_au_date,
            ts.target_max_au_date
       FROM tenant_services ts
       JOIN services s ON s.code = ts.service_code
       LEFT JOIN lookups l ON l.value = ts.engagement_scenario AND l.kind = ?
      WHERE ts.tenant_id = ? AND ts.service_code = ?
      LIMIT 1`,
    ['engagement_scenario', tenantId, code],
  );
  if (!r) return undefined;
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    effectiveTotal: r.entitlement_override ?? r.total_entitlements,
    scenario:
      r.engagement_scenario !== null && r.partner_selectable !== null
        ? { value: r.engagement_scenario, partnerSelectable: Boolean(r.partner_selectable) }
        : undefined,
    version: r.version,
    dates: {
      rfa_submitted_date: r.rfa_submitted_date,
      target_first_au_date: r.target_first_au_date,
      target_40_au_date: r.target_40_au_date,
      target_max_au_date: r.target_max_au_date,
    },
  };
}

/** The service's forecast history, newest first, with who made each change. */
export async function forecastHistory(db: Db, tenantServiceId: number, limit = 100): Promise<ForecastHistoryRow[]> {
  const rows = await readRows<{
    field: string;
    old_value: string | null;
    new_value: string | null;
    changed_at: string;
    display_name: string | null;
  }>(
    db,
    `SELECT h.field, h.old_value, h.new_value, h.changed_at, u.display_name
       FROM forecast_history h LEFT JOIN users u ON u.id = h.changed_by
      WHERE h.tenant_service_id = ?
      ORDER BY h.changed_at DESC, h.id DESC
      LIMIT ?`,
    [tenantServiceId, limit],
  );
  return rows.map((r) => ({
    field: r.field,
    oldValue: r.old_value,
    newValue: r.new_value,
    changedBy: r.display_name ?? null,
    changedAt: r.changed_at,
  }));
}
