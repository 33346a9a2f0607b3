import { today, type Config } from '../../config';
import type { Db } from '../../db/db';
import { nowIso } from '../../db/db';
import { fieldErrors } from '../../domain/problems';
import { checkOverallStatus } from '../../domain/rules/overall-status.rules';
import { noteFromText, richTextShown, sanitizeNote, type RichTextShown } from '../../domain/rich-text';
import { assertVersion, validate } from '../../http/forms';
import { ValidationError } from '../../http/errors';
import { assertCanEdit, type TenantContext } from '../tenants/tenants.service';
import { currentStatus, saveStatusUpdate } from './engagement.repo';
import { overallStatusSchema } from './engagement.schemas';
import { tenantWrite } from '../../db/locks';

const FORM_NAMES = { status: 'overall_status', statusDate: 'status_date' };

export interface StatusFormValues {
  overall_status: string;
  status_date: string;
  note: string;
  version: string;
  /** `html` when the rich-text editor posted the note, `text` from the plain textarea. */
  note_format: 'html' | 'text';
}

/** The form's values with the note as the rich-text field shows it (views/partials/_rich_text.ejs). */
export type StatusFormView = StatusFormValues & { noteShown: RichTextShown };

/** The values posted to the form, kept as typed for a 422 or 409 re-render. */
export function postedStatusForm(body: Record<string, unknown>): StatusFormView {
  return statusFormView({
    overall_status: String(body.overall_status ?? ''),
    status_date: String(body.status_date ?? ''),
    note: String(body.note ?? ''),
    version: String(body.version ?? ''),
    note_format: body.note_format === 'html' ? 'html' : 'text',
  });
}

/** Posted HTML is shown again only after the allow-list, and as readable text in the textarea. */
export function statusFormView(values: StatusFormValues): StatusFormView {
  return { ...values, noteShown: richTextShown(values.note, values.note_format) };
}

/**
 * The form's starting values: the tenant's status, today's date (V-02 default) for an editor or the
 * stored status date for a read-only viewer (who sees what is stored, not a default), an empty note.
 */
export async function statusForm(db: Db, config: Config, tenant: TenantContext): Promise<StatusFormView> {
  const current = await currentStatus(db, tenant.id);
  return statusFormView({
    overall_status: current.overallStatus ?? '',
    status_date: tenant.access === 'edit' ? today(config) : (current.statusDate ?? ''),
    note: '',
    version: String(current.version),
    note_format: 'text',
  });
}

/**
 * Saves an Engagement Management status update (DOMAIN.md §4.1; V-01…V-03 in
 * src/domain/rules/overall-status.rules.ts). The note is the rich-text editor's HTML through the §4.8
 * allow-list, or plain text kept with its paragraphs (`note_format=text`); V-03 counts its plain text.
 * Writes the note, the tenant's status and the history row in one transaction.
 * Throws Forbidden (read-only user), ValidationError (422), Conflict (409, stale version).
 */
export async function saveOverallStatus(
  db: Db,
  config: Config,
  tenant: TenantContext,
  userId: number,
  body: Record<string, unknown>,
  source: 'edit_tenant_dialog' | 'status_tab' = 'edit_tenant_dialog',
): Promise<void> {
  assertCanEdit(tenant);
  const input = validate(overallStatusSchema, body);
  // Without the editor the textarea says `note_format=text`; the editor's HTML goes through the allow-list.
  const note = body.note_format === 'text' ? noteFromText(input.note ?? '') : sanitizeNote(input.note ?? '');
  const problems = checkOverallStatus(
    { status: input.overall_status, statusDate: input.status_date, noteText: note.text },
    { today: today(config), imported: false },
  );
  if (problems.length) throw new ValidationError(fieldErrors(problems, FORM_NAMES));

  await tenantWrite(db, tenant.id, async (trx) => {
    const current = await currentStatus(trx, tenant.id);
    const describe = {
      overallStatus: current.overallStatus,
      statusDate: current.statusDate,
      updatedBy: current.updatedBy,
      updatedAt: current.updatedAt,
    };
    assertVersion(current.version, input.version, describe);
    const saved = await saveStatusUpdate(
      trx,
      {
        tenantId: tenant.id,
        tenantName: tenant.tenantName,
        overallStatus: input.overall_status,
        statusDate: input.status_date,
        bodyHtml: note.html,
        bodyText: note.text,
        authorId: userId,
        at: nowIso(),
        source,
      },
      current.version,
    );
    if (!saved) assertVersion(current.version + 1, input.version, describe);
  });
}
