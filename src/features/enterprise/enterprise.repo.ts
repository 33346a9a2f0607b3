import type { Knex } from 'knex';
import type { Db } from '../../db/db';
import { sqlOf } from '../../db/sql';
import { notesNow } from '../notes/notes-write.repo';

export interface EnterpriseEntry {
  id: number;
  status: string;
  statusDate: string;
  note: string;
  by: string | null;
  at: string;
}

/** The tenant's enterprise status log, newest first (DOMAIN.md §2.15; entries are append-only). */
export async function enterpriseLog(db: Db | Knex.Transaction, tenantId: number): Promise<EnterpriseEntry[]> {
  const rows = await db('enterprise_status_entries as e')
    .leftJoin('users as u', 'u.id', 'e.by')
    .where('e.tenant_id', tenantId)
    .orderBy([
      { column: 'e.at', order: 'desc' },
      { column: 'e.id', order: 'desc' },
    ])
    .select('e.id', 'e.status', 'e.status_date', 'e.note', 'e.at', 'u.display_name');
  return rows.map((r: Record<string, unknown>) => ({
    id: r.id as number,
    status: r.status as string,
    statusDate: r.status_date as string,
    note: r.note as string,
    by: (r.display_name as string | null) ?? null,
    at: r.at as string,
  }));
}

/** The active values of the enterprise status lookup (admin-maintained, A-26). */
export function enterpriseStatuses(db: Db): Promise<string[]> {
  return db('lookups').where({ kind: 'enterprise_status', active: true }).orderBy('sort').pluck('value');
}

export interface EntryWrite {
  tenantId: number;
  tenantName: string;
  status: string;
  statusDate: string;
  noteHtml: string;
  noteText: string;
  by: number;
  at: string;
}

/**
 * Appends one entry with its Enterprise Status note (V-80, DOMAIN.md §2.15) inside the caller's
 * transaction, through the one note writer (the import appends its entries the same way).
 */
export async function appendEntry(trx: Knex.Transaction, e: EntryWrite): Promise<void> {
  const notes = notesNow(await sqlOf(trx));
  const noteId = await notes.add(
    {
      tenant_id: e.tenantId,
      category: 'Enterprise Status',
      body_html: e.noteHtml,
      body_text: e.noteText,
      source_context: 'enterprise_status',
      author_user_id: e.by,
      created_at: e.at,
      search_tenant: e.tenantName,
    },
    [],
  );
  await notes.addChild('enterprise_status_entries', {
    tenant_id: e.tenantId,
    status: e.status,
    status_date: e.statusDate,
    note: e.noteText,
    note_id: noteId,
    by: e.by,
    at: e.at,
  });
}
