import { checked, field, FormBody, list } from '../../http/forms';
import type { PaneForm } from './assignments.types';

const unique = (values: string[]) => [...new Set(values)];

/**
 * The pane and delete forms as posted. Scope codes are upper-cased (TENANT or a catalogue code) and
 * repeated values collapse; what they may contain is for the rules (V-61…V-64) to say.
 */
export function parsePaneForm(body: FormBody): PaneForm {
  const codes = (name: string) => unique(list(body, name).map((s) => s.toUpperCase())).slice(0, 200);
  return {
    type: field(body, 'type'),
    username: field(body, 'username').toLowerCase(),
    scopes: codes('scopes'),
    primary: codes('primary'),
    replacePrimary: checked(body, 'replace_primary'),
    version: field(body, 'version'),
    confirm: checked(body, 'confirm'),
    confirmTenantName: field(body, 'confirm_tenant_name'),
  };
}

/** Domain names of problem paths → this dialog's field names. */
export const FORM_NAMES: Readonly<Record<string, string>> = {
  confirmTenantName: 'confirm_tenant_name',
  replacePrimary: 'replace_primary',
};
