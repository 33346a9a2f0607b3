import type { ImportProblem } from '../admin/admin.errors';
import type { ImportContext } from './import-context.repo';
import type { RunOptions } from './import-run';
import type { references } from './import-check';
import type { PlannedTenant } from './import-tenant.rules';
import type { ImportOrg, ImportUser } from './import.types';

/** The messages between the import's writer (import-stream.ts) and its checker thread (import-check.worker.ts). */

export interface CheckerData {
  filePath: string;
  opts: RunOptions;
  /** Whether to report the bytes read (a progress bar). */
  progress: boolean;
  batchSize?: number;
}

export type FromChecker =
  | { type: 'context'; id: number; refs: ReturnType<typeof references> }
  | { type: 'head'; head: { orgs: ImportOrg[]; users: ImportUser[] } }
  | { type: 'batch'; tenants: PackedBatch }
  | { type: 'progress'; bytes: number; size: number }
  | { type: 'done'; problems: ImportProblem[]; omitted: number }
  | { type: 'error'; name: string; message: string; stack?: string; line?: number; column?: number };

/**
 * A checked batch on its way to the writer: the tenants as JSON text (the file's own values; the
 * writer's JSON.parse rebuilds 20,000 tenants in about 340 ms, a structured clone in about 560 ms,
 * docs/decisions.md 111), and what was found stored for them as a structured clone (it holds Maps).
 */
export interface PackedBatch {
  json: string;
  existing: PlannedTenant['existing'][];
}

export function packBatch(tenants: PlannedTenant[]): PackedBatch {
  return {
    json: JSON.stringify(tenants.map((t) => ({ src: t.src, assignments: t.assignments }))),
    existing: tenants.map((t) => t.existing),
  };
}

export function unpackBatch(batch: PackedBatch): PlannedTenant[] {
  const tenants = JSON.parse(batch.json) as Omit<PlannedTenant, 'existing'>[];
  return tenants.map((t, i) => ({ ...t, existing: batch.existing[i] }));
}

export interface ToChecker {
  id: number;
  ctx: ImportContext;
}
