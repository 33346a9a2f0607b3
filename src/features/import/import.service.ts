import type { Knex } from 'knex';
import { ImportProblemsError, type ImportProblem } from '../admin/admin.errors';
import { applyPlan, COUNTED, type ImportCounts } from './import-apply.service';
import { loadImportContext } from './import-context.repo';
import { today } from '../../config';
import type { RunOptions } from './import-run';
import { checkImport } from './import.rules';
import { importFileShape } from './import.schemas';
import { BAD } from './shape';
import { references } from './import-check';

export interface ImportOptions {
  actorId?: number | null;
  /** See ApplyOptions.nativeNotes: false for imports (legacy notes), true for the demo seed. */
  nativeNotes?: boolean;
  migrationSumBasis?: 'total' | 'in_progress';
  now?: Date;
  /** APP_TZ: decides "today" for V-02 (default UTC). */
  appTz?: string;
  /** the first milestone's label in forecast messages (default 15). */
  firstMilestonePct?: number;
}

export interface ImportResult {
  counts: ImportCounts;
  /** Entities named in the file, per kind. */
  totals: Record<(typeof COUNTED)[number], number>;
}

/**
 * Validates an import document as a whole and, when it is clean, writes it in one transaction.
 * Invariants: nothing is written unless every rule passes; re-importing the same document changes
 * nothing (upserts keyed by org name, user email, Tenant ID, (tenant, service code), and notes by
 * (tenant, author, createdAt)); only rows whose values differ get a new version/updated_at.
 * @throws ImportProblemsError listing every problem with its JSON path.
 */
export async function importDocument(db: Knex, doc: unknown, options: ImportOptions = {}): Promise<ImportResult> {
  const shapeErrors: ImportProblem[] = [];
  const file = importFileShape(doc, '', shapeErrors);
  if (file === BAD) throw new ImportProblemsError(shapeErrors);
  const now = options.now ?? new Date();
  return db.transaction(async (trx) => {
    const ctx = await loadImportContext(trx, references(file));
    const { problems, omitted, plan } = checkImport(file, shapeErrors, ctx, runOptions(options, now));
    if (problems.length) throw new ImportProblemsError(problems, omitted);
    const counts = await applyPlan(trx, plan, {
      actorId: options.actorId ?? null,
      now,
      nativeNotes: options.nativeNotes ?? false,
    });
    return resultOf(counts);
  });
}

export function runOptions(options: ImportOptions, now: Date): RunOptions {
  return {
    migrationSumBasis: options.migrationSumBasis ?? 'total',
    now,
    // The one switch between the entry points (src/domain/rules/entry.ts): records kept elsewhere.
    entry: { today: today({ appTz: options.appTz ?? 'UTC' }, now), imported: true },
    firstMilestonePct: options.firstMilestonePct ?? 15,
  };
}

export function resultOf(counts: ImportCounts): ImportResult {
  const totals = Object.fromEntries(
    COUNTED.map((k) => [k, counts[k].created + counts[k].updated + counts[k].unchanged]),
  ) as ImportResult['totals'];
  return { counts, totals };
}

/** `imported: 2 orgs, 5 users, 40 tenants, … (created 120, updated 0, unchanged 0)`. */
export function formatImportSummary(result: ImportResult): string {
  const parts = COUNTED.map((k) => `${result.totals[k]} ${result.totals[k] === 1 ? k.replace(/s$/, '') : k}`);
  const sum = (o: 'created' | 'updated' | 'unchanged') => COUNTED.reduce((acc, k) => acc + result.counts[k][o], 0);
  return `imported: ${parts.join(', ')} (created ${sum('created')}, updated ${sum('updated')}, unchanged ${sum('unchanged')})`;
}
