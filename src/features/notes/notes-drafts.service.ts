import type { Db } from '../../db/db';
import { accessScope } from '../../auth/scope';
import type { SessionUser } from '../../auth/users.repo';
import { sanitizeNote } from '../../domain/rich-text';
import { DRAFT_LIMIT, DRAFT_LIMIT_MESSAGE, draftErrors } from '../../domain/rules/note.rules';
import { NotFound, ValidationError } from '../../http/errors';
import { assertCanEdit, loadTenant } from '../tenants/tenants.service';
import { countDrafts, deleteDraft, findDraft, listDrafts, writeDraft, type DraftRow } from './notes-drafts.repo';
import { formValues, noteBody, type NoteFormValues } from './notes-editor.service';

export { DRAFT_LIMIT };

/**
 * Saves the editor's values as one of the user's drafts (DOMAIN.md §5.12.2, V-75), or overwrites the
 * draft `values.draft_id` (Save Draft again, the autosave). A tenant must be one the user can write on
 * (404 / 403). Returns the draft id. Throws ValidationError (422) with DRAFT_LIMIT_MESSAGE for an 11th.
 */
export async function saveDraft(db: Db, user: SessionUser, values: NoteFormValues): Promise<number> {
  const tenant = values.tenant_id ? await loadTenant(db, accessScope(user), values.tenant_id) : null;
  if (tenant) assertCanEdit(tenant);
  const existing = values.draft_id ? Number(values.draft_id) : undefined;
  const errors = draftErrors(
    { category: values.category, nextAction: values.next_action },
    await countDrafts(db, user.id),
    existing === undefined,
  );
  if (Object.keys(errors).length) throw new ValidationError(errors);
  try {
    const id = await writeDraft(
      db,
      user.id,
      {
        tenant_id: tenant?.id ?? null,
        category: values.category || null,
        service_codes: values.services,
        body_html: values.body.trim() ? noteBody(values).html : '',
        is_escalated: values.escalated,
        next_action: values.next_action || null,
        next_action_date: values.next_action_date || null,
        next_action_owner: values.next_action_owner || null,
      },
      existing,
    );
    if (id === undefined) throw new NotFound();
    return id;
  } catch (err) {
    // The database's own V-75 guard (two saves at once).
    if (String(err).includes('draft limit reached')) throw new ValidationError({ draft: DRAFT_LIMIT_MESSAGE });
    throw err;
  }
}

/** The editor's values from one of the user's drafts (GET /notes/new?draft=); another user's is 404. */
export async function draftValues(db: Db, user: SessionUser, draftId: string): Promise<NoteFormValues> {
  const draft = /^\d{1,12}$/.test(draftId) ? await findDraft(db, user.id, Number(draftId)) : undefined;
  if (!draft) throw new NotFound();
  return formValues({
    tenant_id: draft.tenantGuid ?? '',
    category: draft.category ?? '',
    services: draft.serviceCodes,
    // The draft's sanitised HTML goes back into the rich-text editor with its formatting.
    body: draft.bodyHtml,
    body_format: 'html',
    escalated: draft.isEscalated ? 'on' : '',
    next_action: draft.nextAction ?? '',
    next_action_date: draft.nextActionDate ?? '',
    next_action_owner: draft.nextActionOwner ?? '',
    draft_id: String(draft.id),
  });
}

export type DraftView = DraftRow & { bodyText: string };

/** The user's drafts, newest first, each with its text for the details. */
export async function userDrafts(db: Db, user: SessionUser): Promise<DraftView[]> {
  return (await listDrafts(db, user.id)).map((d) => ({ ...d, bodyText: sanitizeNote(d.bodyHtml).text }));
}

/** Deletes one of the user's drafts; another user's (or a missing) draft is 404. */
export async function removeDraft(db: Db, user: SessionUser, draftId: string): Promise<void> {
  if (!/^\d{1,12}$/.test(draftId) || !(await deleteDraft(db, user.id, Number(draftId)))) throw new NotFound();
}
