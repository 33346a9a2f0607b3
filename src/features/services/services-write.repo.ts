import type { Knex } from 'knex';
import { textToHtml } from '../../domain/rich-text';
import { changedColumns, sqlOf, type Deferred, type Sql } from '../../db/sql';
import { notesNow } from '../notes/notes-write.repo';
import type {
  LineWrite,
  NewServiceWrite,
  SectionOutcome,
  ServiceSectionWrite,
  StatusRowWrite,
} from './services-write.types';

/**
 * The one write path of a tenant service's section (DOMAIN.md §2.5–2.8): the Edit Tenant dialog's
 * service and forecast saves and the CLI import all call saveServiceSection, so history rows, the
 * Service Intent notes of A-37 and the version move the same way whoever writes.
 */

/** The forecast columns and their ForecastHistory `field` codes (DOMAIN.md §2.7). */
export const FORECAST_HISTORY_FIELD = {
  rfa_submitted_date: 'rfa',
  target_first_au_date: '15',
  target_40_au_date: '40',
  target_max_au_date: 'max',
} as const;

type Row = Record<string, unknown>;

/** The columns a section save may set, as a new row holds them (the table's defaults). */
const SERVICE_DEFAULTS: Row = {
  total_entitlements: 0,
  active_users: 0,
  engagement_scenario: null,
  phase: null,
  engagement_start_date: null,
  rfa_submitted_date: null,
  target_first_au_date: null,
  target_40_au_date: null,
  target_max_au_date: null,
  ms_performing_migration: null,
  migration_start_date: null,
  migration_end_date: null,
  migration_rejection_reason: null,
  migration_rejection_note: null,
};

/**
 * A new tenant service (the import; the dialog only edits entitled services) with its section, written as
 * saveServiceSection writes an edit, compared with the defaults: one INSERT of the whole row at version 1
 * (queued with the import's rows, its id taken up front), then its history, grid and lines. The phase
 * history trigger sees updates, so a service created in a phase gets its first row here. Returns the id.
 */
export async function createServiceSection(trx: Knex, w: NewServiceWrite): Promise<number> {
  const sql = await sqlOf(trx);
  const changes = changedColumns(SERVICE_DEFAULTS, { ...w.fields });
  const stamp = { created_at: w.now, created_by: w.actorId, updated_at: w.now, updated_by: w.actorId };
  // Every column, in one order: queued rows share one statement shape.
  const row: Row = {
    tenant_id: w.note.tenantId,
    service_code: w.note.code,
    ...SERVICE_DEFAULTS,
    ...changes,
    version: 1,
    ...stamp,
  };
  const queued = queueForNewRows(sql, w);
  const id = queued ? await queued.nextId('tenant_services') : await sql.insert('tenant_services', row);
  if (queued) await queued.queue('tenant_services', { id, ...row });
  const section = { ...w, tenantServiceId: id, expectedVersion: 1 };
  if (row.phase !== null)
    await historyWriter(sql, section)('service_phase_history', {
      tenant_service_id: id,
      old_phase: null,
      new_phase: row.phase,
      changed_by: w.actorId,
      changed_at: w.now,
    });
  await writeParts(sql, section, SERVICE_DEFAULTS, changes, true);
  return id;
}

const ROW_FIELDS = ['l1', 'l2', 'l3', 'entitlements', 'status_note', 'target_date', 'owner', 'next_action_date'];
const SUGGESTION_FIELDS = ['suggested_l1', 'suggested_l2', 'suggested_l3', 'suggestion_confidence', 'overridden'];
const LINE_FIELDS = ['entitlements', 'estimated_migration_date', 'notes', 'data_size_gb', 'status'];
const comboOf = (r: Row) => JSON.stringify([r.l1, r.l2 ?? null, r.l3 ?? null]);

const differs = (stored: Row, wanted: Row, keys: string[]) =>
  Object.keys(changedColumns(stored, Object.fromEntries(keys.map((k) => [k, wanted[k]])))).length > 0;

/**
 * Writes one section save inside the caller's transaction: the changed columns (forecast ones with a
 * ForecastHistory row each), the grid (EntitlementStatusHistory per created, changed or deleted row,
 * a Service Intent note per new or changed status note), the migration lines, and version + 1 when
 * anything changed. Returns 'conflict' when the stored version is not the expected one.
 */
export async function saveServiceSection(trx: Knex, w: ServiceSectionWrite): Promise<SectionOutcome> {
  const sql = await sqlOf(trx);
  const stored = await sql.get<Row>('SELECT * FROM tenant_services WHERE id = ?', [w.tenantServiceId]);
  if (!stored || stored.version !== w.expectedVersion) return 'conflict';
  const changes = changedColumns(stored, { ...w.fields });
  const parts = await writeParts(sql, w, stored, changes, false);
  if (Object.keys(changes).length === 0 && !parts) return 'unchanged';
  const bumped = await sql.update(
    'tenant_services',
    { id: w.tenantServiceId, version: w.expectedVersion },
    { ...changes, version: w.expectedVersion + 1, updated_at: w.now, updated_by: w.actorId },
  );
  return bumped === 1 ? 'written' : 'conflict';
}

type Write = (table: string, row: Record<string, unknown>) => Promise<unknown>;

/** The caller's queue, where new rows may wait with ids taken up front (SQLite); otherwise none. */
const queueForNewRows = (sql: Sql, w: { deferred?: Deferred }) =>
  w.deferred && sql.idsUpFront ? w.deferred : undefined;

/** History rows go to the caller's queue, or are written at once. */
const historyWriter =
  (sql: Sql, w: ServiceSectionWrite): Write =>
  (table, row) =>
    w.deferred ? w.deferred.queue(table, row) : sql.insert(table, row);

/**
 * What a section save writes besides the service's own columns: ForecastHistory for the changed forecast
 * columns, the grid and the migration lines. `created`: a new service, with no grid rows or lines stored.
 * Returns whether the grid or the lines changed.
 */
async function writeParts(sql: Sql, w: ServiceSectionWrite, stored: Row, changes: Row, created: boolean) {
  const history = historyWriter(sql, w);
  for (const [column, field] of Object.entries(FORECAST_HISTORY_FIELD))
    if (column in changes)
      await history('forecast_history', {
        tenant_service_id: w.tenantServiceId,
        field,
        old_value: stored[column] ?? null,
        new_value: changes[column] ?? null,
        changed_by: w.actorId,
        changed_at: w.now,
      });
  const grid = w.rows ? await writeGrid(sql, w, w.rows, history, created) : false;
  const lines = w.lines ? await writeLines(sql, w, w.lines, created) : false;
  return grid || lines;
}

async function writeGrid(
  sql: Sql,
  w: ServiceSectionWrite,
  rows: StatusRowWrite[],
  write: Write,
  created: boolean,
): Promise<boolean> {
  const existing = created
    ? []
    : await sql.all<Row & { id: number; version: number }>(
        'SELECT * FROM entitlement_status_rows WHERE tenant_service_id = ? ORDER BY id',
        [w.tenantServiceId],
      );
  const byId = new Map(existing.map((r) => [r.id, r]));
  // Rows name a stored row by id (the dialog, only this service's ids) or by combination (the import).
  const claimed = new Set(rows.flatMap((r) => (r.id !== undefined && byId.has(r.id) ? [r.id] : [])));
  const plan = rows.map((r) => {
    let old = r.id !== undefined ? byId.get(r.id) : undefined;
    if (!old) old = existing.find((e) => !claimed.has(e.id) && comboOf(e) === comboOf(r as unknown as Row));
    if (old) claimed.add(old.id);
    return { r, old };
  });
  const history: Row[] = [];
  const snap = (row_id: number, action: string, values: Row) =>
    history.push({
      tenant_service_id: w.tenantServiceId,
      row_id,
      action,
      snapshot_json: JSON.stringify(values),
      changed_by: w.actorId,
      changed_at: w.now,
    });
  for (const old of existing.filter((e) => !claimed.has(e.id))) {
    await sql.run('DELETE FROM entitlement_status_rows WHERE id = ?', [old.id]);
    snap(old.id, 'delete', old);
  }
  const changed = plan.filter(
    ({ r, old }) => !old || differs(old, r as unknown as Row, [...ROW_FIELDS, ...SUGGESTION_FIELDS]),
  );
  // Changed rows are taken out first and put back with the same id, so a swap of two combinations
  // never trips the unique index (V-27) half-way through.
  for (const { old } of changed) if (old) await sql.run('DELETE FROM entitlement_status_rows WHERE id = ?', [old.id]);
  const notes: string[] = [];
  for (const { r, old } of changed) {
    const { id: _id, ...values } = r;
    const row = {
      ...(old ? { ...old, id: old.id } : {}),
      ...Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)),
      tenant_service_id: w.tenantServiceId,
      version: old ? old.version + 1 : 1,
      created_at: old?.created_at ?? w.now,
      created_by: old ? old.created_by : w.actorId,
      updated_at: w.now,
      updated_by: w.actorId,
    };
    // A new row of a queued write takes its id up front and waits for the flush, like the notes.
    const queued = old ? undefined : queueForNewRows(sql, w);
    const id = queued
      ? await queued.nextId('entitlement_status_rows')
      : await sql.insert('entitlement_status_rows', row);
    if (queued) await queued.queue('entitlement_status_rows', { id, ...row });
    snap(id, old ? 'update' : 'create', { ...row, id });
    // every new or changed status note becomes a Service Intent note.
    if (!old || old.status_note !== r.status_note) notes.push(r.status_note);
  }
  for (const h of history) await write('entitlement_status_history', h);
  for (const text of notes) {
    const note = {
      tenant_id: w.note.tenantId,
      category: 'Service Intent',
      body_html: textToHtml(text),
      body_text: text,
      source_context: 'entitlement_status',
      author_user_id: w.actorId,
      created_at: w.now,
      search_tenant: w.note.searchTenant,
      search_services: w.note.searchServices,
    };
    await (w.notes ?? notesNow(sql)).add(note, [w.note.code]);
  }
  return history.length > 0;
}

async function writeLines(sql: Sql, w: ServiceSectionWrite, lines: LineWrite[], created: boolean): Promise<boolean> {
  const stored = created
    ? []
    : await sql.all<Row & { id: number; version: number }>(
        'SELECT * FROM migration_type_lines WHERE tenant_service_id = ?',
        [w.tenantServiceId],
      );
  const old = new Map(stored.map((l) => [l.migration_type as string, l]));
  const wanted = new Set(lines.map((l) => l.migration_type));
  let changed = false;
  for (const [type, l] of old)
    if (!wanted.has(type)) {
      await sql.run('DELETE FROM migration_type_lines WHERE id = ?', [l.id]);
      changed = true;
    }
  for (const l of lines) {
    const stored = old.get(l.migration_type);
    const values = Object.fromEntries(Object.entries(l).filter(([, v]) => v !== undefined));
    const stamp = { updated_at: w.now, updated_by: w.actorId };
    if (!stored) {
      const line = {
        ...values,
        tenant_service_id: w.tenantServiceId,
        created_at: w.now,
        created_by: w.actorId,
        ...stamp,
      };
      // A new service's lines wait for its row when that is queued.
      const queued = created ? queueForNewRows(sql, w) : undefined;
      if (queued) await queued.queue('migration_type_lines', line);
      else await sql.insert('migration_type_lines', line);
      changed = true;
    } else if (differs(stored, l as unknown as Row, LINE_FIELDS)) {
      await sql.update('migration_type_lines', { id: stored.id }, { ...values, version: stored.version + 1, ...stamp });
      changed = true;
    }
  }
  return changed;
}
