import { readRow, sqlOf } from '../../db/sql';
import type { Knex } from 'knex';
import type { Db } from '../../db/db';
import { insertNote, insertStatusHistory } from '../notes/notes-write.repo';

export interface StatusUpdateRecord {
  tenantId: number;
  tenantName: string;
  overallStatus: string;
  statusDate: string;
  bodyHtml: string;
  bodyText: string;
  authorId: number;
  at: string;
  source: 'edit_tenant_dialog' | 'status_tab';
}

/**
 * Writes one Engagement Management status update (DOMAIN.md §4.1, §2.14): the note with its status
 * snapshot, the tenant's overall status and date, and the history row — inside the caller's transaction.
 * The tenant row is only updated if its version is still `version`; returns false when it was not.
 */
export async function saveStatusUpdate(
  trx: Knex.Transaction,
  r: StatusUpdateRecord,
  version: number,
): Promise<boolean> {
  const updated = await trx('tenants')
    .where({ id: r.tenantId, version })
    .update({
      overall_status: r.overallStatus,
      overall_status_date: r.statusDate,
      last_os_note_at: r.at,
      version: version + 1,
      updated_at: r.at,
      updated_by: r.authorId,
    });
  if (updated !== 1) return false;
  const noteId = await insertNote(await sqlOf(trx), {
    tenant_id: r.tenantId,
    category: 'Engagement Management',
    body_html: r.bodyHtml,
    body_text: r.bodyText,
    overall_status: r.overallStatus,
    overall_status_date: r.statusDate,
    source_context: r.source,
    author_user_id: r.authorId,
    created_at: r.at,
    search_tenant: r.tenantName,
  });
  await insertStatusHistory(trx, {
    tenant_id: r.tenantId,
    overall_status: r.overallStatus,
    status_date: r.statusDate,
    note_id: noteId,
    by: r.authorId,
    at: r.at,
  });
  return true;
}

/** The tenant's current status fields and version, for re-rendering the form and conflict messages. */
export async function currentStatus(
  db: Db | Knex.Transaction,
  tenantId: number,
): Promise<{
  overallStatus: string | null;
  statusDate: string | null;
  version: number;
  updatedAt: string;
  updatedBy: string | null;
}> {
  // A prepared statement (the Status tab and the dialog read it on every view; docs/decisions.md 130).
  const row = (await readRow<Record<string, unknown>>(
    db,
    `SELECT t.overall_status, t.overall_status_date, t.version, t.updated_at, u.display_name
         FROM tenants t LEFT JOIN users u ON u.id = t.updated_by WHERE t.id = ?`,
    [tenantId],
  ))!;
  return {
    overallStatus: row.overall_status as string | null,
    statusDate: row.overall_status_date as string | null,
    version: Number(row.version),
    updatedAt: row.updated_at as string,
    updatedBy: (row.display_name as string | null) ?? null,
  };
}
