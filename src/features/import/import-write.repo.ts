import type { Knex } from 'knex';
import { changedColumns, sqlOf } from '../../db/sql';

/**
 * Table-level writes of the importer (and the demo seed that goes through it). Every upsert compares
 * with the stored row first and writes only what differs, so re-importing the same file leaves every
 * row, version and updated_at as it was.
 */

export type Row = Record<string, unknown>;
export type Outcome = 'created' | 'updated' | 'unchanged';

export interface Stamp {
  at: string;
  actorId: number | null;
}

/**
 * Writes the changed columns of one row; with `touch`, bumps version and updated_at/by as well
 * (optimistic locking: an open form on this record becomes stale). Returns whether it wrote.
 */
export async function updateChanged(
  trx: Knex,
  table: string,
  stored: Row & { id: number },
  patch: Row,
  stamp: Stamp,
  opts: { versioned?: boolean; force?: boolean } = {},
): Promise<boolean> {
  const changes = changedColumns(stored, patch);
  if (Object.keys(changes).length === 0 && !opts.force) return false;
  const set = Object.entries({ ...changes, updated_at: stamp.at, updated_by: stamp.actorId });
  const version = opts.versioned === false ? '' : ', version = version + 1';
  await (
    await sqlOf(trx)
  ).run(`UPDATE ${table} SET ${set.map(([k]) => `${k} = ?`).join(', ')}${version} WHERE id = ?`, [
    ...set.map(([, v]) => v),
    stored.id,
  ]);
  return true;
}

export async function insertRow(trx: Knex, table: string, row: Row): Promise<number> {
  return (await sqlOf(trx)).insert(table, row);
}

export function created(stamp: Stamp): Row {
  return { created_at: stamp.at, created_by: stamp.actorId, updated_at: stamp.at, updated_by: stamp.actorId };
}

export async function findRow(trx: Knex, table: string, where: Row): Promise<(Row & { id: number }) | undefined> {
  const keys = Object.entries(where);
  const cond = keys.map(([k, v]) => (v === null ? `${k} IS NULL` : `${k} = ?`)).join(' AND ');
  return (await sqlOf(trx)).get<Row & { id: number }>(
    `SELECT * FROM ${table} WHERE ${cond} LIMIT 1`,
    keys.filter(([, v]) => v !== null).map(([, v]) => v),
  );
}

export async function serviceNames(trx: Knex): Promise<Map<string, string>> {
  const rows = (await trx('services').select('code', 'name')) as { code: string; name: string }[];
  return new Map(rows.map((s) => [s.code, s.name]));
}

/** Eligibility has one row per tenant and no audit columns. */
export async function upsertEligibility(trx: Knex, tenantId: number, row: Row): Promise<Outcome> {
  const sql = await sqlOf(trx);
  const stored = await sql.get<Row>('SELECT * FROM eligibility WHERE tenant_id = ?', [tenantId]);
  if (!stored) {
    await sql.insert('eligibility', { tenant_id: tenantId, ...row });
    return 'created';
  }
  const changes = changedColumns(stored, row);
  if (Object.keys(changes).length === 0) return 'unchanged';
  await sql.update('eligibility', { tenant_id: tenantId }, changes);
  return 'updated';
}

/** CPOR claims are keyed by (tenant, service); they carry created_at/updated_at only. */
export async function upsertCpor(
  trx: Knex,
  tenantId: number,
  serviceCode: string | null,
  row: Row,
  at: string,
): Promise<Outcome> {
  const sql = await sqlOf(trx);
  const stored = await findRow(trx, 'cpor_claims', { tenant_id: tenantId, service_code: serviceCode });
  if (!stored) {
    await sql.insert('cpor_claims', {
      tenant_id: tenantId,
      service_code: serviceCode,
      ...row,
      created_at: at,
      updated_at: at,
    });
    return 'created';
  }
  const changes = changedColumns(stored, row);
  if (Object.keys(changes).length === 0) return 'unchanged';
  await sql.update('cpor_claims', { id: stored.id }, { ...changes, updated_at: at });
  return 'updated';
}
