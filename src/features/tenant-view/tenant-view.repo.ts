import type { Db } from '../../db/db';
import { readRow, readRows } from '../../db/sql';
import type { TenantHeader } from '../tenants/tenants.repo';

/**
 * Read-only data of the detailed tenant view (DOMAIN.md §5.6–5.11). Every query takes the id of a
 * tenant the tenantId param loader has already resolved inside the user's scope.
 */

export interface RoleHolder {
  type: string;
  /** The tenant-level primary, or null when nobody holds it. */
  primary: string | null;
  /** The primary's partner org (split delivery: another org's holder is named with their org). */
  primaryOrg: string | null;
  /** How many people or queues hold this type on the tenant (any scope). */
  assigned: number;
}

/**
 * Every assignment type present on the tenant with its tenant-level primary holder and head count. Every
 * page of the tenant view shows them: prepared statements, not knex's builder (docs/decisions.md 130).
 */
export async function roleHolders(db: Db, tenantId: number): Promise<RoleHolder[]> {
  const counts = await readRows<{ type: string; n: number }>(
    db,
    'SELECT type, count(*) AS n FROM assignments WHERE tenant_id = ? GROUP BY type ORDER BY type',
    [tenantId],
  );
  const primaries = await readRows<{ type: string; display_name: string; org_name: string | null }>(
    db,
    `SELECT s.type, u.display_name, o.name AS org_name
       FROM assignment_scopes s
       JOIN assignments a ON a.id = s.assignment_id
       JOIN users u ON u.id = a.assignee_user_id
       LEFT JOIN partner_orgs o ON o.id = a.org_id
      WHERE s.tenant_id = ? AND s.scope = ? AND s.is_primary = ?`,
    [tenantId, 'TENANT', true],
  );
  return counts.map((c) => {
    const p = primaries.find((r) => r.type === c.type);
    return {
      type: c.type,
      primary: p?.display_name ?? null,
      primaryOrg: p?.org_name ?? null,
      assigned: Number(c.n),
    };
  });
}

export interface TenantFacts {
  createdAt: string;
  updatedAt: string;
  totalSeats: number | null;
  enteredFtcAt: string | null;
  isVolumeLicensing: boolean;
  eligible: boolean;
  enterpriseLevel: string | null;
  serviceCount: number;
}

/** The summary panel's "General" facts (read-only, DOMAIN.md §5.6): the tenant's row as loaded, and its services counted. */
export async function tenantFacts(db: Db, tenant: TenantHeader): Promise<TenantFacts> {
  const n = await readRow<{ n: number }>(db, 'SELECT count(*) AS n FROM tenant_services WHERE tenant_id = ?', [
    tenant.id,
  ]);
  return {
    createdAt: tenant.createdAt,
    updatedAt: tenant.updatedAt,
    totalSeats: tenant.totalSeats,
    enteredFtcAt: tenant.enteredFtcAt,
    isVolumeLicensing: tenant.isVolumeLicensing,
    eligible: tenant.eligible,
    enterpriseLevel: tenant.enterpriseLevel,
    serviceCount: Number(n?.n ?? 0),
  };
}

export interface EligibilityRecord {
  isEligible: boolean;
  customerType: string;
  eligibleSeats: number;
  eligiblePlans: string[];
  evaluatedAt: string;
}

/** The tenant's eligibility record (DOMAIN.md §2.16), or null when the feed has not delivered one. */
export async function eligibility(db: Db, tenantId: number): Promise<EligibilityRecord | null> {
  const r = await db('eligibility').where('tenant_id', tenantId).first();
  if (!r) return null;
  let plans: unknown;
  try {
    plans = JSON.parse(r.eligible_plans);
  } catch {
    plans = [];
  }
  return {
    isEligible: Boolean(r.is_eligible),
    customerType: r.customer_type,
    eligibleSeats: r.eligible_seats,
    eligiblePlans: Array.isArray(plans) ? plans.map(String) : [],
    evaluatedAt: r.evaluated_at,
  };
}

export interface ReasonCount {
  code: string;
  l1: string;
  l2: string | null;
  entitlements: number;
}

/** Entitlements per (service, L1, L2) of the tenant: the Services tab's expanded rows. */
export async function reasonCounts(db: Db, tenantId: number): Promise<ReasonCount[]> {
  const rows = await readRows<{ code: string; l1: string; l2: string | null; n: number | string }>(
    db,
    `SELECT ts.service_code AS code, r.l1, r.l2, sum(r.entitlements) AS n
       FROM entitlement_status_rows r JOIN tenant_services ts ON ts.id = r.tenant_service_id
      WHERE ts.tenant_id = ?
      GROUP BY ts.service_code, r.l1, r.l2
      ORDER BY ts.service_code, r.l2`,
    [tenantId],
  );
  return rows.map((r) => ({
    code: r.code,
    l1: r.l1,
    l2: r.l2,
    entitlements: Number(r.n),
  }));
}
