import type { Knex } from 'knex';
import { AdminInputError } from './admin.errors';
import {
  countRows,
  quote,
  rowsByKeys,
  sampleKeys,
  sourceBatch,
  sourceColumns,
  targetForeignKeys,
  targetTables,
  updateDeferred,
  type ForeignKey,
  type TableInfo,
} from './copy-db.repo';
import { PgBulkTable, resetSequence } from './pg-bulk.repo';

/** Tables not copied: the target's own migration bookkeeping, and what is only worth minutes (sign-ins, counters). */
export const NOT_COPIED = ['knex_migrations', 'knex_migrations_lock', 'sessions', 'rate_limits'];
/** Tables the migrations fill (catalogue, lookups, taxonomy, model generation): replaced by the source's rows. */
export const REFERENCE_TABLES = ['services', 'lookups', 'taxonomy_l2', 'taxonomy_l3', 'suggest_model'];

const BATCH = 2000;
const SAMPLE = 50;

export interface CopyPlan {
  /** Parents before children. */
  order: TableInfo[];
  /** Per table, the foreign-key columns written after every table is loaded (reference cycles, self references). */
  deferred: Map<string, string[]>;
}

/**
 * The copy order from the foreign keys (pure). A table comes after the tables it references; a cycle
 * (partner_orgs ↔ users) is broken at its first table by name, whose columns pointing into the cycle
 * are written afterwards, as are self references (users.created_by).
 */
export function planCopy(tables: TableInfo[], fks: ForeignKey[]): CopyPlan {
  const names = new Set(tables.map((t) => t.name));
  const byName = new Map(tables.map((t) => [t.name, t]));
  const deferred = new Map<string, string[]>();
  const defer = (table: string, column: string) => {
    const list = deferred.get(table) ?? [];
    if (!list.includes(column)) deferred.set(table, [...list, column]);
  };
  const refs = fks.filter((f) => names.has(f.table) && names.has(f.references));
  for (const f of refs) if (f.table === f.references) defer(f.table, f.column);
  const done = new Set<string>();
  const order: TableInfo[] = [];
  const unmet = (t: string) =>
    refs.filter(
      (f) => f.table === t && f.references !== t && !done.has(f.references) && !deferred.get(t)?.includes(f.column),
    );
  while (order.length < tables.length) {
    const remaining = [...names].filter((n) => !done.has(n)).sort();
    const next = remaining.find((n) => unmet(n).length === 0);
    if (next) {
      done.add(next);
      order.push(byName.get(next)!);
      continue;
    }
    // Every table left waits for another: follow the references to a cycle and break it at its first table.
    const path: string[] = [];
    let at = remaining[0];
    while (!path.includes(at)) {
      path.push(at);
      at = unmet(at)[0].references;
    }
    const cycle = path.slice(path.indexOf(at));
    const breakAt = [...cycle].sort()[0];
    for (const f of unmet(breakAt)) if (cycle.includes(f.references)) defer(breakAt, f.column);
  }
  return { order, deferred };
}

export interface CopyResult {
  tables: number;
  rows: number;
}

/**
 * Copies the SQLite `source` into the empty, migrated PostgreSQL `target`, table by table in one
 * transaction (all or nothing); then sets each id sequence past the copied ids.
 * @throws AdminInputError when the target holds data, or a table's columns differ between the two.
 */
export async function copyDatabase(
  source: Knex,
  target: Knex,
  onProgress?: (done: number, total: number) => void,
): Promise<CopyResult & { plan: CopyPlan }> {
  const tables = (await targetTables(target)).filter((t) => !NOT_COPIED.includes(t.name));
  const plan = planCopy(tables, await targetForeignKeys(target));
  const totals = new Map<string, number>();
  for (const t of plan.order) {
    const have = new Set(await sourceColumns(source, t.name));
    const missing = t.columns.filter((c) => !have.has(c));
    if (missing.length)
      throw new AdminInputError(
        `the source has no ${t.name}.${missing.join(`, ${t.name}.`)}; are both migrated alike?`,
      );
    if (!REFERENCE_TABLES.includes(t.name)) {
      const n = await countRows(target, t.name);
      if (n > 0)
        throw new AdminInputError(
          `the target database is not empty (${t.name} has ${n} rows); copy-db fills only an empty, migrated database`,
        );
    }
    totals.set(t.name, await countRows(source, t.name));
  }
  const total = [...totals.values()].reduce((a, b) => a + b, 0);
  let copied = 0;
  await target.transaction(async (trx) => {
    for (const t of [...plan.order].reverse()) if (REFERENCE_TABLES.includes(t.name)) await trx(t.name).delete();
    const later: { table: TableInfo; columns: string[]; values: unknown[][] }[] = [];
    for (const t of plan.order) {
      const defer = plan.deferred.get(t.name) ?? [];
      const values: unknown[][] = [];
      const bulk = new PgBulkTable(trx, t.name, t.columns);
      for (let after = 0; ;) {
        const rows = await sourceBatch(source, t.name, t.columns, after, BATCH);
        if (rows.length === 0) break;
        for (const row of rows) {
          bulk.push(...t.columns.map((c) => (defer.includes(c) ? null : toTarget(row[c], t.types[c]))));
          if (defer.some((c) => row[c] !== null)) values.push([row.id, ...defer.map((c) => row[c])]);
        }
        await bulk.flush();
        after = Number(rows[rows.length - 1].__rowid);
        copied += rows.length;
        onProgress?.(copied, total);
      }
      if (defer.length) later.push({ table: t, columns: defer, values });
    }
    for (const d of later) await updateDeferred(trx, d.table, d.columns, d.values);
    for (const t of plan.order) if (t.columns.includes('id')) await resetSequence(trx, quote(t.name));
  });
  return { tables: plan.order.length, rows: copied, plan };
}

/** A SQLite value as the PostgreSQL column takes it (booleans are stored as 0/1 in SQLite). */
function toTarget(value: unknown, type: string): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'boolean') return Boolean(Number(value));
  return value;
}

/** A value in one form for comparison, whichever database read it. */
function normal(value: unknown, type: string): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'boolean') return Number(value) ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  if (['integer', 'bigint', 'numeric', 'real', 'double precision', 'smallint'].includes(type)) return Number(value);
  if (Buffer.isBuffer(value)) return value.toString('hex');
  return String(value);
}

export interface VerifyResult {
  rows: number;
  sampled: number;
  /** Table, key and column of each difference (never the values: they may be personal data). */
  problems: string[];
}

/**
 * Checks the copy: equal row counts per table, then the first, last and 50 random rows of each table
 * (by primary key) compared column by column, booleans, numbers and dates normalised.
 */
export async function verifyCopy(source: Knex, target: Knex, plan: CopyPlan): Promise<VerifyResult> {
  const problems: string[] = [];
  let rows = 0;
  let sampled = 0;
  for (const t of plan.order) {
    const [a, b] = [await countRows(source, t.name), await countRows(target, t.name)];
    rows += b;
    if (a !== b) problems.push(`${t.name}: ${a} rows in the source, ${b} in the copy`);
    const keys = [
      ...(await sampleKeys(source, t, 'first', SAMPLE)),
      ...(await sampleKeys(source, t, 'last', SAMPLE)),
      ...(await sampleKeys(source, t, 'random', SAMPLE)),
    ];
    const unique = [...new Map(keys.map((k) => [JSON.stringify(k.map(String)), k])).values()];
    const keyOf = (r: Record<string, unknown>) =>
      JSON.stringify(t.primaryKey.map((c) => String(normal(r[c], t.types[c]))));
    const copies = new Map((await rowsByKeys(target, t, unique)).map((r) => [keyOf(r), r]));
    for (const original of await rowsByKeys(source, t, unique)) {
      sampled++;
      const copy = copies.get(keyOf(original));
      if (!copy) {
        problems.push(`${t.name} ${keyOf(original)}: missing in the copy`);
        continue;
      }
      for (const c of t.columns)
        if (normal(original[c], t.types[c]) !== normal(copy[c], t.types[c]))
          problems.push(`${t.name} ${keyOf(original)}: ${c} differs`);
    }
  }
  return { rows, sampled, problems };
}
