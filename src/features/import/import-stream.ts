import fs from 'node:fs';
import type { Knex } from 'knex';
import { withNotesIndexedAtEnd } from '../../db/notes-fts';
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
 * at a time, inside one transaction.
 * - Orgs and users are kept (they are few and every tenant may name them); tenants are shape-checked
 *   and rule-checked in batches against the database as it is, and only their keys are kept, so
 *   memory does not grow with the file.
 * - While nothing is wrong, each checked batch is written at once, through the same writers as the
 *   Edit Tenant dialog (orgs and users before the first batch). From the first problem on, the rest of
 *   the file is only checked, so every problem is reported; then the transaction is rolled back and
 *   nothing of the file is kept.
 * Tenants that come before the orgs and users in the file are read in a pass of their own, after them.
 */

const BATCH = 1000;
/**
 * About how many bytes of an import file make one stored note (a file note is most of a tenant's bytes,
 * and each status note adds a Service Intent note): the bench's files have 360. An estimate that only
 * decides how the notes are indexed (src/db/notes-fts.ts), never what is written.
 */
const BYTES_PER_NOTE = 400;

/** Bytes of the file read, of its size. */
export type StreamProgress = (bytes: number, size: number) => void;

type Batch = { tenant: ImportTenant; index: number }[];

export async function importJsonFile(
  db: Knex,
  filePath: string,
  options: ImportOptions = {},
  progress?: StreamProgress,
): Promise<ImportResult> {
  const now = options.now ?? new Date();
  const opts = runOptions(options, now);
  // An unreadable file is reported by the reader, in its words.
  const expectedNotes = await fs.promises.stat(filePath).then(
    (s) => Math.floor(s.size / BYTES_PER_NOTE),
    () => 0,
  );
  try {
    return await db.transaction((trx) =>
      withNotesIndexedAtEnd(trx, { expectedNotes }, async () => {
        const head = { orgs: [] as ImportOrg[], users: [] as ImportUser[] };
        const shapeErrors: ImportProblem[] = [];
        const apply = new ApplyContext(trx, { actorId: options.actorId ?? null, now, nativeNotes: false });
        let run: RuleRun | undefined;
        let taken = 0;
        let early = false;
        const seenKeys = new Set<string>();
        /** The rule run, started (and the head checked, and written when it is sound) at the first tenant. */
        const ready = async () => {
          if (run) return run;
          run = new RuleRun(await loadImportContext(trx, references({ ...head, tenants: [] })), shapeErrors, opts);
          taken = shapeErrors.length;
          checkHead(run, head);
          if (!run.problemCount) await applyHead(apply, head);
          return run;
        };
        /** Checks a batch against the database as it is now, and writes it while the file has no problem. */
        const step = async (batch: Batch) => {
          const r = await ready();
          r.useContext(await loadImportContext(trx, references({ users: [], tenants: batch.map((b) => b.tenant) })));
          const planned = checkTenants(r, batch);
          if (!r.problemCount) await applyTenants(apply, planned);
        };

        let batch: Batch = [];
        const take = async (value: unknown, index: number) => {
          batch.push(shapeTenant(value, index, run ?? (await ready())));
          if (batch.length === BATCH) {
            await step(batch);
            batch = [];
          }
        };
        for await (const e of readImportFile(filePath, { onRead: progress })) {
          if (e.kind === 'value') {
            const known = ['orgs', 'users', 'tenants'].includes(e.key);
            shapeErrors.push({ path: e.key, message: known ? 'must be an array' : 'is not allowed' });
            continue;
          }
          if (e.key === 'tenants') {
            // Orgs and users come first in the files we know; when they do not, tenants get a pass of their own.
            if (early || !(seenKeys.has('orgs') && seenKeys.has('users'))) early = true;
            else await take(e.value, e.index);
            continue;
          }
          seenKeys.add(e.key);
          // A second "orgs" or "users" key after the tenants: its entries would escape the checks above.
          if (run && (e.key === 'orgs' || e.key === 'users')) {
            if (e.index === 0) shapeErrors.push({ path: e.key, message: 'is listed twice in the file' });
          } else if (e.key === 'orgs') head.orgs.push(orgShape(e.value, `orgs[${e.index}]`, shapeErrors) as ImportOrg);
          else if (e.key === 'users')
            head.users.push(userShape(e.value, `users[${e.index}]`, shapeErrors) as ImportUser);
          else if (e.index === 0) shapeErrors.push({ path: e.key, message: 'is not allowed' });
        }
        if (early) {
          for await (const e of readImportFile(filePath))
            if (e.kind === 'element' && e.key === 'tenants') await take(e.value, e.index);
        }
        if (batch.length) await step(batch);
        const r = await ready();
        r.addShapeErrors(shapeErrors.slice(taken));
        // Throwing rolls back whatever was written before the first problem.
        if (r.problemCount) throw new ImportProblemsError(sortProblems(r.problems), r.omitted);
        return resultOf(apply.counts);
      }),
    );
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
