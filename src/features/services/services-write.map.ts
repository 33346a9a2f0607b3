import type { MigrationLineValues, MigrationValues } from '../../domain/rules/migration.rules';
import type { StatusRowValues } from '../../domain/rules/status-grid.rules';
import type { LineWrite, ServiceFields, StatusRowWrite } from './services-write.types';

/** Checked domain values → the columns the section writer stores (the dialog and the import alike). */

export function statusRowWrite(v: StatusRowValues): StatusRowWrite {
  return {
    l1: v.l1,
    l2: v.l2,
    l3: v.l3,
    entitlements: v.entitlements,
    status_note: v.note,
    target_date: v.targetDate,
    owner: v.owner,
    next_action_date: v.nextActionDate,
  };
}

export function lineWrite(l: MigrationLineValues): LineWrite {
  return {
    migration_type: l.type,
    entitlements: l.entitlements,
    estimated_migration_date: l.estimatedDate!,
    notes: l.notes,
    data_size_gb: l.dataSizeGb,
    ...(l.status !== undefined ? { status: l.status } : {}),
  };
}

export function migrationFields(m: MigrationValues): ServiceFields {
  return {
    ms_performing_migration: m.msPerforming,
    migration_start_date: m.startDate,
    migration_end_date: m.endDate,
    migration_rejection_reason: m.rejectionReason,
    migration_rejection_note: m.rejectionNote,
  };
}

/** A stored grid row in the domain's names. */
export function statusValuesOf(r: Omit<StatusRowWrite, 'id' | 'overridden'>): StatusRowValues {
  return {
    l1: r.l1,
    l2: r.l2,
    l3: r.l3,
    entitlements: r.entitlements,
    note: r.status_note,
    targetDate: r.target_date,
    owner: r.owner,
    nextActionDate: r.next_action_date,
  };
}
