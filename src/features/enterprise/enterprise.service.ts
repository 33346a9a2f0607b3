import type { SessionUser } from '../../auth/users.repo';
import { today, type Config } from '../../config';
import type { Db } from '../../db/db';
import { nowIso } from '../../db/db';
import { fieldErrors } from '../../domain/problems';
import { checkEnterpriseStatus, checkEnterpriseTenant } from '../../domain/rules/enterprise-status.rules';
import { noteFromText } from '../../domain/rich-text';
import { Conflict, ValidationError } from '../../http/errors';
import { field, type FormBody } from '../../http/forms';
import { assertCanEdit, type TenantContext } from '../tenants/tenants.service';
import { appendEntry, enterpriseLog, enterpriseStatuses, type EnterpriseEntry } from './enterprise.repo';
import { tenantWrite } from '../../db/locks';

const FORM_NAMES = { statusDate: 'status_date' };

export interface EnterpriseForm {
  status: string;
  status_date: string;
  note: string;
  /** How many entries the log held when the form was drawn: the log only grows, so its length is its version. */
  version: string;
}

/** A 409: the tenant is not an enterprise customer (V-80), or the log grew under the form. */
export class EnterpriseConflict extends Conflict {
  constructor(
    message: string,
    public readonly newer: EnterpriseEntry[] = [],
  ) {
    super(message);
  }
}

/**
 * The Enterprise Status sub-tab (DOMAIN.md §5.7.3): the form (today's date by default, V-80), the lookup,
 * and the history log newest first. `form` overrides the blank form (the user's values after a refusal).
 */
export async function enterprisePanel(
  db: Db,
  config: Pick<Config, 'appTz'>,
  tenant: TenantContext,
  form: Partial<EnterpriseForm> = {},
) {
  const [log, statuses] = await Promise.all([enterpriseLog(db, tenant.id), enterpriseStatuses(db)]);
  return {
    log,
    statuses,
    isEnterprise: tenant.isEnterprise,
    canEdit: tenant.access === 'edit' && tenant.isEnterprise,
    form: {
      status: '',
      status_date: today(config),
      note: '',
      ...form,
      // The version always follows the log as shown, so saving again after a conflict is deliberate.
      version: String(log.length),
    },
  };
}

/** The posted form, as typed. */
export function postedForm(body: FormBody): EnterpriseForm {
  return {
    status: field(body, 'status'),
    status_date: field(body, 'status_date'),
    note: field(body, 'note'),
    version: field(body, 'version'),
  };
}

/**
 * Appends an enterprise status entry and its Enterprise Status note in one transaction (V-80). An empty
 * status date means today. `version` is optional (CONTRACT.md names status, status_date and note);
 * when given and the log has grown since, nothing is saved.
 * Throws Forbidden (read-only user), EnterpriseConflict (409: not an enterprise tenant, or a newer entry),
 * ValidationError (422).
 */
export async function addEnterpriseStatus(
  db: Db,
  config: Pick<Config, 'appTz'>,
  tenant: TenantContext,
  user: SessionUser,
  form: EnterpriseForm,
): Promise<void> {
  assertCanEdit(tenant);
  const notEnterprise = checkEnterpriseTenant(tenant.isEnterprise);
  if (notEnterprise.length) throw new EnterpriseConflict(notEnterprise[0].message);
  const entry = { today: today(config), imported: false };
  const values = { status: form.status, statusDate: form.status_date || entry.today, note: form.note };
  const problems = checkEnterpriseStatus(values, { statuses: await enterpriseStatuses(db), entry });
  if (problems.length) throw new ValidationError(fieldErrors(problems, FORM_NAMES));
  const note = noteFromText(values.note);
  await tenantWrite(db, tenant.id, async (trx) => {
    const log = await enterpriseLog(trx, tenant.id);
    if (form.version && form.version !== String(log.length)) {
      const seen = /^\d{1,9}$/.test(form.version) ? Number(form.version) : 0;
      const newer = log.slice(0, Math.max(1, log.length - seen));
      throw new EnterpriseConflict(
        'Someone added an enterprise status entry after you opened this form. Yours was not saved; it is kept below — save again to add it.',
        newer,
      );
    }
    await appendEntry(trx, {
      tenantId: tenant.id,
      tenantName: tenant.tenantName,
      status: values.status,
      statusDate: values.statusDate,
      noteHtml: note.html,
      noteText: values.note,
      by: user.id,
      at: nowIso(),
    });
  });
}
