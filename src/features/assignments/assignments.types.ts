import type { PrmRemoval, ScopeFlag } from '../../domain/rules/assignment.rules';
import { Conflict, ValidationError } from '../../http/errors';

/** The Partner tab's blocks (DOMAIN.md §5.5) and the Onboarding tab's labels. */
export const PARTNER_BLOCKS = [
  { type: 'P-RM', short: 'RM', title: 'Partner Regional Manager' },
  { type: 'P-FM', short: 'FM', title: 'Partner FastTrack Manager' },
  { type: 'P-FE', short: 'FE', title: 'Partner FastTrack Engineer' },
] as const;
export type PartnerType = (typeof PARTNER_BLOCKS)[number]['type'];

export const INTERNAL_TITLES: Readonly<Record<string, string>> = {
  'Onboarding RM': 'Onboarding RM',
  FPM: 'FastTrack Partner Manager (FPM)',
};

/** The pane's fields as posted (CONTRACT.md: type, username, scopes, primary, replace_primary, version). */
export interface PaneForm {
  type: string;
  username: string;
  scopes: string[];
  primary: string[];
  replacePrimary: boolean;
  version: string;
  /** V-67: the user confirmed a removal (the delete form, or a pane with every scope unticked). */
  confirm: boolean;
  confirmTenantName: string;
}

/** The open Services/Workloads pane: a new assignee (add) or an existing assignment (edit). */
export interface PaneState {
  mode: 'add' | 'edit';
  type: string;
  assignmentId: number | null;
  /** Display name, or the typed username for someone new. */
  assigneeName: string;
  form: PaneForm;
  /** V-64: a primary the save asks for is held by someone of the same org, so "Replace primary" is offered. */
  canReplace: boolean;
  /** Every scope unticked: the save removes the assignment (V-62) and asks first (V-66, V-67). */
  removal: PrmRemoval | null;
}

export interface PanelState {
  tab: 'partner' | 'onboarding';
  pane: PaneState | null;
  /** The delete confirmation of one assignment (V-67), with what was typed. */
  deleting: { assignmentId: number; confirmTenantName: string } | null;
  /** The add form of a block, kept after a refused username. */
  adding: { type: string; username: string } | null;
  errors: Record<string, string>;
  saved: string | null;
  notice: string | null;
  conflict: { message: string; stored: ScopeFlag[] | null; yours: ScopeFlag[] } | null;
}

export const emptyPanel = (tab: PanelState['tab'] = 'partner'): PanelState => ({
  tab,
  pane: null,
  deleting: null,
  adding: null,
  errors: {},
  saved: null,
  notice: null,
  conflict: null,
});

/** A refused save (422): the messages per field, and what the pane should offer next. */
export class PaneRefusal extends ValidationError {
  constructor(
    fields: Record<string, string>,
    public readonly canReplace = false,
    public readonly removal: PrmRemoval | null = null,
  ) {
    super(fields);
  }
}

/** A stale save (409): the assignment changed, disappeared or appeared (V-65) after the form was opened. */
export class AssignmentConflict extends Conflict {
  constructor(
    message: string,
    public readonly assignmentId: number | null,
    public readonly stored: ScopeFlag[] | null,
  ) {
    super(message);
  }
}
