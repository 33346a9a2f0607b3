import type { Knex } from 'knex';
import { sqlOf, type Deferred, type Sql } from '../../db/sql';

/**
 * The one way a note is written (DOMAIN.md §2.13): the Engagement Management status update, the
 * Service Intent notes of A-37 and the import all insert through here. Notes are immutable (V-76,
 * database triggers) and reach the search index (notes_fts) through the insert trigger.
 */
export interface NoteWrite {
  tenant_id: number;
  category: string;
  body_html: string;
  body_text: string;
  source_context: string;
  author_user_id: number | null;
  created_at: string;
  search_tenant: string;
  search_services?: string;
  is_escalated?: boolean;
  next_action?: string | null;
  next_action_date?: string | null;
  next_action_owner?: string | null;
  overall_status?: string | null;
  overall_status_date?: string | null;
  is_legacy?: boolean;
  is_system?: boolean;
  /** The editor's double-submit guard (SECURITY.md case 41): unique, so a second insert with it fails. */
  idempotency_key?: string | null;
}

/** Inserts a note with its services inside the caller's transaction; returns its id. */
export async function insertNote(sql: Sql, note: NoteWrite, services: readonly string[] = []): Promise<number> {
  const id = await sql.insert('notes', { ...note });
  for (const code of services) await sql.run(NOTE_SERVICE, [id, code]);
  return id;
}
const NOTE_SERVICE = 'INSERT INTO note_services (note_id, service_code) VALUES (?, ?)';

/** Where a write path's notes go: into the database at once (a user's save) or queued (the import). */
export interface NoteSink {
  add(note: NoteWrite, services: readonly string[]): Promise<number>;
  /** A row that refers to a note added here (OverallStatusHistory, EnterpriseStatusEntry). */
  addChild(table: 'overall_status_history' | 'enterprise_status_entries', row: Record<string, unknown>): Promise<void>;
}

/** Notes written at once. */
export function notesNow(sql: Sql): NoteSink {
  return {
    add: (note, services) => insertNote(sql, note, services),
    addChild: async (table, row) => void (await sql.insert(table, row)),
  };
}

/** Notes queued for multi-row writes, with their ids taken up front (see Deferred in src/db/sql.ts). */
export function notesQueued(sql: Sql, deferred: Deferred): NoteSink {
  if (!sql.idsUpFront) return notesNow(sql);
  return {
    async add(note, services) {
      const id = await deferred.nextId('notes');
      await deferred.queue('notes', { id, ...NOTE_DEFAULTS, ...note });
      for (const code of services) await deferred.queue('note_services', { note_id: id, service_code: code });
      return id;
    },
    addChild: (table, row) => deferred.queue(table, row),
  };
}

/** Every optional column, so queued notes share one column list (one statement shape). */
const NOTE_DEFAULTS = {
  search_services: '',
  is_escalated: false,
  next_action: null,
  next_action_date: null,
  next_action_owner: null,
  overall_status: null,
  overall_status_date: null,
  is_legacy: false,
  is_system: false,
};

/** OverallStatusHistory (§2.14): one row per status update, written with its note. */
export async function insertStatusHistory(
  trx: Knex,
  row: {
    tenant_id: number;
    overall_status: string;
    status_date: string;
    note_id: number;
    by: number | null;
    at: string;
  },
): Promise<void> {
  await (await sqlOf(trx)).insert('overall_status_history', row);
}
