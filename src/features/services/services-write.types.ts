import type { Deferred } from '../../db/sql';
import type { NoteSink } from '../notes/notes-write.repo';
import type { StatusRow } from './services.repo';

/** What a section save of a tenant service writes (services-write.repo.ts), for its callers. */

/** Columns of tenant_services a section save may set; undefined leaves a column as it is. */
export interface ServiceFields {
  total_entitlements?: number;
  active_users?: number;
  engagement_scenario?: string | null;
  phase?: string | null;
  engagement_start_date?: string | null;
  rfa_submitted_date?: string | null;
  target_first_au_date?: string | null;
  target_40_au_date?: string | null;
  target_max_au_date?: string | null;
  ms_performing_migration?: boolean | null;
  migration_start_date?: string | null;
  migration_end_date?: string | null;
  migration_rejection_reason?: string | null;
  migration_rejection_note?: string | null;
}

/** A grid row to write: the stored columns of a row; the suggestion bookkeeping (§6) only when given. */
export type StatusRowWrite = Pick<
  StatusRow,
  'l1' | 'l2' | 'l3' | 'entitlements' | 'status_note' | 'target_date' | 'owner' | 'next_action_date'
> &
  Partial<Pick<StatusRow, 'suggested_l1' | 'suggested_l2' | 'suggested_l3' | 'suggestion_confidence'>> & {
    /** A stored row of this service to update; without it the row is matched by its (L1, L2, L3) or created. */
    id?: number;
    overridden?: boolean;
  };

export interface LineWrite {
  migration_type: string;
  entitlements: number;
  estimated_migration_date: string;
  notes: string | null;
  data_size_gb: number | null;
  /** V-43: only written when given. */
  status?: string | null;
}

export interface ServiceSectionWrite {
  tenantServiceId: number;
  /** The version the caller read; a different stored one is a conflict. */
  expectedVersion: number;
  actorId: number | null;
  now: string;
  fields: ServiceFields;
  /** The whole grid; rows not listed are deleted. null leaves the grid alone. */
  rows: StatusRowWrite[] | null;
  /** The whole list of migration lines (keyed by type). null leaves them alone. */
  lines: LineWrite[] | null;
  /** For the Service Intent notes. */
  note: { tenantId: number; code: string; searchTenant: string; searchServices: string };
  /** Where the notes go (default: written at once; the import queues them). */
  notes?: NoteSink;
  /** History rows and new grid rows written later, many per statement (the import); default: at once. */
  deferred?: Deferred;
}

/** A new tenant service's section: the same as an edit's, less the row and version it does not have yet. */
export type NewServiceWrite = Omit<ServiceSectionWrite, 'tenantServiceId' | 'expectedVersion'>;

export type SectionOutcome = 'written' | 'unchanged' | 'conflict';
