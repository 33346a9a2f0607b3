import crypto from 'node:crypto';
import { today, type Config } from '../../config';
import type { Db } from '../../db/db';
import { accessScope } from '../../auth/scope';
import type { SessionUser } from '../../auth/users.repo';
import { NOTE_TEMPLATES } from '../../domain/note-templates';
import { noteFromText, richTextShown, sanitizeNote, type RichTextShown } from '../../domain/rich-text';
import { EDITOR_CATEGORIES, noteErrors, SERVICE_CATEGORIES } from '../../domain/rules/note.rules';
import { BadRequest, ValidationError } from '../../http/errors';
import { assertCanEdit, loadTenant, type TenantContext } from '../tenants/tenants.service';
import { tenantPicker, type TenantPicker } from './notes-typeahead.service';
import { noteByKey, ownerOptions, saveNote, tenantGuidOf, tenantServices } from './notes-editor.repo';

/** The editor's fields as posted (CONTRACT.md POST /notes), kept as typed for a 422 re-render. */
export interface NoteFormValues {
  tenant_id: string;
  category: string;
  services: string[];
  body: string;
  escalated: boolean;
  next_action: string;
  next_action_date: string;
  next_action_owner: string;
  idempotency_key: string;
  /** The draft this note was restored from (removed when the note is saved), or ''. */
  draft_id: string;
  /** `html` when the rich-text editor posted the body (sanitised), `text` from the plain textarea. */
  body_format: 'html' | 'text';
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const list = (v: unknown) =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x) => typeof x === 'string' && x);

export function formValues(raw: Record<string, unknown>): NoteFormValues {
  return {
    tenant_id: str(raw.tenant_id ?? raw.tenant)
      .trim()
      .toLowerCase(),
    category: str(raw.category),
    services: list(raw.services ?? raw.service),
    body: str(raw.body),
    escalated: raw.escalated === 'on' || raw.escalated === '1',
    next_action: str(raw.next_action),
    next_action_date: str(raw.next_action_date).trim(),
    next_action_owner: str(raw.next_action_owner),
    idempotency_key: /^[0-9a-f-]{36}$/.test(str(raw.idempotency_key)) ? str(raw.idempotency_key) : crypto.randomUUID(),
    draft_id: /^\d{1,12}$/.test(str(raw.draft_id)) ? str(raw.draft_id) : '',
    body_format: raw.body_format === 'html' ? 'html' : 'text',
  };
}

/** The body as stored: the rich-text editor's HTML through the allow-list (§4.8), or plain text as paragraphs. */
export function noteBody(values: Pick<NoteFormValues, 'body' | 'body_format'>): { html: string; text: string } {
  return values.body_format === 'html' ? sanitizeNote(values.body) : noteFromText(values.body);
}

export interface EditorView {
  values: NoteFormValues;
  /** The body as the form shows it: readable text in the textarea, the sanitised HTML for the editor. */
  body: RichTextShown;
  tenant: TenantContext | null;
  /** Without a tenant: the picker of the tenants the user can write on. */
  picker: TenantPicker | null;
  services: { code: string; name: string }[];
  owners: string[];
  categories: readonly string[];
  serviceCategories: readonly string[];
  templates: typeof NOTE_TEMPLATES;
  today: string;
}

/**
 * The Notes Editor (DOMAIN.md §5.12.1) for these values. A tenant outside the scope is 404 and one the
 * user only reads is 403 (assertCanEdit); without a tenant the picker offers the tenants they can edit.
 */
export async function editorView(
  db: Db,
  config: Config,
  user: SessionUser,
  values: NoteFormValues,
  term = '',
): Promise<EditorView> {
  const scope = accessScope(user);
  const tenant = values.tenant_id ? await loadTenant(db, scope, values.tenant_id) : null;
  if (tenant) assertCanEdit(tenant);
  return {
    values,
    // Posted or drafted HTML is shown again only after the allow-list, and as text in the textarea.
    body: richTextShown(values.body, values.body_format),
    tenant,
    picker: tenant ? null : await tenantPicker(db, user, term, values.category),
    services: tenant ? await tenantServices(db, tenant.id) : [],
    owners: tenant ? await ownerOptions(db, tenant.id) : [],
    categories: EDITOR_CATEGORIES,
    serviceCategories: SERVICE_CATEGORIES,
    templates: NOTE_TEMPLATES,
    today: today(config),
  };
}

/**
 * Saves a note from the editor (V-70…V-73; V-76: notes are never changed afterwards). Idempotent: a
 * second post with the same idempotency key (a double click, a retried request) creates nothing and
 * returns the first note. Throws NotFound / Forbidden for the tenant, ValidationError (422) per field.
 */
export async function createNote(
  db: Db,
  config: Config,
  user: SessionUser,
  values: NoteFormValues,
): Promise<{ noteId: number; tenantGuid: string; duplicate: boolean }> {
  const existing = await noteByKey(db, values.idempotency_key);
  // The key is a random UUID the form carries; another author's key is never honoured (nor revealed).
  if (existing && existing.authorId !== user.id) throw new BadRequest('This form has expired; open the editor again.');
  if (existing) return { noteId: existing.id, tenantGuid: await tenantGuidOf(db, existing.tenantId), duplicate: true };
  const view = await editorView(db, config, user, values);
  const body = noteBody(values);
  const errors = noteErrors(
    {
      category: values.category,
      hasTenant: view.tenant !== null,
      services: values.services,
      bodyText: body.text,
      nextAction: values.next_action,
      nextActionDate: values.next_action_date,
      nextActionOwner: values.next_action_owner,
    },
    { tenantServices: view.services.map((s) => s.code), owners: view.owners, today: view.today },
  );
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const tenant = view.tenant!;
  const names = view.services.filter((s) => values.services.includes(s.code)).map((s) => s.name);
  try {
    const noteId = await saveNote(
      db,
      {
        tenant_id: tenant.id,
        category: values.category,
        body_html: body.html,
        body_text: body.text,
        source_context: 'notes_editor',
        author_user_id: user.id,
        created_at: new Date().toISOString(),
        search_tenant: tenant.tenantName,
        search_services: names.join(' '),
        is_escalated: values.escalated,
        next_action: values.next_action.trim() || null,
        next_action_date: values.next_action_date || null,
        next_action_owner: values.next_action_owner || null,
        idempotency_key: values.idempotency_key,
      },
      values.services,
      values.draft_id ? { ownerId: user.id, id: Number(values.draft_id) } : undefined,
    );
    return { noteId, tenantGuid: tenant.tenantGuid, duplicate: false };
  } catch (err) {
    // Two posts with one key at the same moment: the unique index lets one through; the other finds it.
    const raced = await noteByKey(db, values.idempotency_key);
    if (raced && raced.authorId === user.id)
      return { noteId: raced.id, tenantGuid: tenant.tenantGuid, duplicate: true };
    throw err;
  }
}
