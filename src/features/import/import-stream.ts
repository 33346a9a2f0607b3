import type { Knex } from 'knex';
import { AdminInputError, ImportProblemsError, type ImportProblem } from '../admin/admin.errors';
import { ApplyContext } from './import-apply.context';
import { applyHead, applyTenants } from './import-apply.service';
import { loadImportContext } from './import-context.repo';
import { readImportFile, ImportSyntaxError } from './import.reader';
import { checkHead, checkTenants, sortProblems } from './import.rules';
import { RuleRun } from './import-run';
import { orgShape, tenantShape, userShape } from './import.schemas';
import type { ImportOrg, ImportTenant, ImportUser } from './import.types';
import { references, resultOf, runOptions, type ImportOptions, type ImportResult } from './import.service';

/**
 * `ftop import FILE` for files of any size (CONTRACT.md §5): the file is read as a stream, one element
 * at a time, twice, inside one transaction.
 * 1. Check: orgs and users are kept (they are few and every tenant may name them); tenants are
 *    shape-checked and rule-checked in batches against the database and only their keys are kept, so
 *    memory does not grow with the file. Every problem is reported; nothing has been written.
 * 2. Write (only when the check found nothing): orgs and users, then the tenants again, batch by
 *    batch, through the same writers as the Edit Tenant dialog.
 * Tenants that come before the orgs and users in the file are checked in a pass of their own.
 */

const BATCH = 1000;

export interface StreamProgress {
  /** Pass 1: bytes of the file read. */
  checking(bytes: number, size: number): void;
  /** Pass 2: tenants written of all. */
  writing(done: number, total: number): void;
}

type Batch = { tenant: ImportTenant; index: number }[];

export async function importJsonFile(
  db: Knex,
  filePath: string,
  options: ImportOptions = {},
  progress?: StreamProgress,
): Promise<ImportResult> {
  const now = options.now ?? new Date();
  const opts = runOptions(options, now);
  try {
    return await db.transaction(async (trx) => {
      const head = { orgs: [] as ImportOrg[], users: [] as ImportUser[] };
      const shapeErrors: ImportProblem[] = [];
      let run: RuleRun | undefined;
      let taken = 0;
      let early = false;
      let tenants = 0;
      const seenKeys = new Set<string>();
      const ready = async () => {
        if (run) return run;
        run = new RuleRun(await loadImportContext(trx, references({ ...head, tenants: [] })), shapeErrors, opts);
        taken = shapeErrors.length;
        checkHead(run, head);
        return run;
      };
      /** Checks a batch against the database as it is now; returns the batch's plan. */
      const check = async (batch: Batch) => {
        const r = await ready();
        r.useContext(await loadImportContext(trx, references({ users: [], tenants: batch.map((b) => b.tenant) })));
        return checkTenants(r, batch);
      };

      // Pass 1: check everything.
      let batch: Batch = [];
      for await (const e of readImportFile(filePath, { onRead: progress?.checking })) {
        if (e.kind === 'value') {
          const known = ['orgs', 'users', 'tenants'].includes(e.key);
          shapeErrors.push({ path: e.key, message: known ? 'must be an array' : 'is not allowed' });
          continue;
        }
        if (e.key === 'tenants') {
          tenants++;
          // Orgs and users come first in the files we know; when they do not, tenants get a pass of their own.
          if (early || !(seenKeys.has('orgs') && seenKeys.has('users'))) {
            early = true;
            continue;
          }
          batch.push(shapeTenant(e.value, e.index, run ?? (await ready())));
          if (batch.length === BATCH) {
            await check(batch);
            batch = [];
          }
          continue;
        }
        seenKeys.add(e.key);
        // A second "orgs" or "users" key after the tenants: its entries would escape the checks above.
        if (run && (e.key === 'orgs' || e.key === 'users')) {
          if (e.index === 0) shapeErrors.push({ path: e.key, message: 'is listed twice in the file' });
        } else if (e.key === 'orgs') head.orgs.push(orgShape(e.value, `orgs[${e.index}]`, shapeErrors) as ImportOrg);
        else if (e.key === 'users') head.users.push(userShape(e.value, `users[${e.index}]`, shapeErrors) as ImportUser);
        else if (e.index === 0) shapeErrors.push({ path: e.key, message: 'is not allowed' });
      }
      if (batch.length) await check(batch);
      const r = await ready();
      r.addShapeErrors(shapeErrors.slice(taken));
      if (early) await eachBatch(filePath, r, check);
      if (r.problemCount) throw new ImportProblemsError(sortProblems(r.problems), r.omitted);

      // Pass 2: write, checking each batch again for its plan (the database now holds the earlier batches).
      const apply = new ApplyContext(trx, { actorId: options.actorId ?? null, now, nativeNotes: false });
      await applyHead(apply, head);
      let written = 0;
      await eachBatch(filePath, r, async (b) => {
        const planned = await check(b);
        if (r.problemCount) throw new ImportProblemsError(sortProblems(r.problems), r.omitted);
        await applyTenants(apply, planned);
        progress?.writing((written += b.length), tenants);
      });
      return resultOf(apply.counts);
    });
  } catch (err) {
    // The reader's messages say where in the file; the CLI line says which file.
    if (err instanceof ImportSyntaxError && err.line !== undefined)
      throw new AdminInputError(`${filePath}: ${err.message}`);
    throw err;
  }
}

function shapeTenant(value: unknown, index: number, run: RuleRun): Batch[number] {
  const issues: ImportProblem[] = [];
  const tenant = tenantShape(value, `tenants[${index}]`, issues) as ImportTenant;
  run.addShapeErrors(issues);
  return { tenant, index };
}

/** Reads the file's tenants again, in batches. */
async function eachBatch(filePath: string, run: RuleRun, fn: (batch: Batch) => Promise<unknown>): Promise<void> {
  let batch: Batch = [];
  for await (const e of readImportFile(filePath)) {
    if (e.kind !== 'element' || e.key !== 'tenants') continue;
    batch.push(shapeTenant(e.value, e.index, run));
    if (batch.length === BATCH) {
      await fn(batch);
      batch = [];
    }
  }
  if (batch.length) await fn(batch);
}
