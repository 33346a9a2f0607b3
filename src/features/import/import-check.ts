import type { ImportProblem } from '../admin/admin.errors';
import type { ImportContext } from './import-context.repo';
import { readImportFile } from './import.reader';
import { checkHead, checkTenants, sortProblems } from './import.rules';
import { RuleRun, type RunOptions } from './import-run';
import { orgShape, tenantShape, userShape } from './import.schemas';
import type { PlannedTenant } from './import-tenant.rules';
import type { ImportFile, ImportOrg, ImportTenant, ImportUser } from './import.types';

/**
 * The checking half of `ftop import FILE` (import-stream.ts is the writing half): reads the file as a
 * stream, one element at a time, shape-checks every element and rule-checks the tenants in batches
 * against the database as the writer answers for it. It runs in a worker thread, so reading and
 * checking the next batch overlaps with writing the last one; it touches no database itself.
 * - Orgs and users are kept (they are few and every tenant may name them); of the tenants only their
 *   keys are kept, so memory does not grow with the file.
 * - While nothing is wrong, the head (orgs and users, before the first tenant) and each checked batch
 *   go to the writer. From the first problem on, the rest of the file is only checked, so every
 *   problem is reported; the writer then rolls back.
 * Tenants that come before the orgs and users in the file are read in a pass of their own, after them.
 */

export const BATCH = 500;

/** What the checker needs from the writer's side. */
export interface CheckIo {
  /** The database context of a batch's references (read in the writer's transaction). */
  context(refs: ReturnType<typeof references>): Promise<ImportContext>;
  /** The file's orgs and users, checked and sound. */
  head(head: { orgs: ImportOrg[]; users: ImportUser[] }): void;
  /** A checked batch of tenants, while the file is sound. */
  batch(tenants: PlannedTenant[]): void;
  progress?: (bytes: number, size: number) => void;
}

type Batch = { tenant: ImportTenant; index: number }[];

const strings = (values: unknown[]): string[] => values.filter((v): v is string => typeof v === 'string');

/** Every email, Tenant ID and tenant name the file (or a batch of it) mentions, read defensively (the shape may be wrong). */
export function references(file: Pick<ImportFile, 'users' | 'tenants'>): {
  upns: string[];
  tenantGuids: string[];
  tenantNames: string[];
} {
  const list = <T>(v: T[] | undefined): T[] => (Array.isArray(v) ? v : []);
  const tenants = list(file.tenants).filter((t) => t && typeof t === 'object');
  const upns = [
    ...list(file.users).map((u) => u?.email),
    ...tenants.flatMap((t) => list(t.assignments).map((a) => a?.user)),
    ...tenants.flatMap((t) => list(t.notes).map((n) => n?.author)),
    ...tenants.flatMap((t) => list(t.enterpriseStatus).map((e) => e?.by)),
  ];
  return {
    upns: [...new Set(strings(upns))],
    tenantGuids: strings(tenants.map((t) => t.tenantId)),
    tenantNames: strings(tenants.map((t) => t.name)),
  };
}

/** Checks the whole file; returns every problem (in file order) and how many were beyond the kept ones. */
export async function checkImportFile(
  filePath: string,
  opts: RunOptions,
  io: CheckIo,
  batchSize = BATCH,
): Promise<{ problems: ImportProblem[]; omitted: number }> {
  const head = { orgs: [] as ImportOrg[], users: [] as ImportUser[] };
  const shapeErrors: ImportProblem[] = [];
  let run: RuleRun | undefined;
  let taken = 0;
  let early = false;
  const seenKeys = new Set<string>();
  /** The rule run, started (and the head checked, and sent when it is sound) at the first tenant. */
  const ready = async () => {
    if (run) return run;
    run = new RuleRun(await io.context(references({ ...head, tenants: [] })), shapeErrors, opts);
    taken = shapeErrors.length;
    checkHead(run, head);
    if (!run.problemCount) io.head(head);
    return run;
  };
  /** Checks a batch against the database as the writer sees it, and sends it on while the file has no problem. */
  const step = async (batch: Batch) => {
    const r = await ready();
    r.useContext(await io.context(references({ users: [], tenants: batch.map((b) => b.tenant) })));
    const planned = checkTenants(r, batch);
    if (!r.problemCount) io.batch(planned);
  };

  let batch: Batch = [];
  const take = async (value: unknown, index: number) => {
    batch.push(shapeTenant(value, index, run ?? (await ready())));
    if (batch.length === batchSize) {
      await step(batch);
      batch = [];
    }
  };
  for await (const e of readImportFile(filePath, { onRead: io.progress })) {
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
    else if (e.key === 'users') head.users.push(userShape(e.value, `users[${e.index}]`, shapeErrors) as ImportUser);
    else if (e.index === 0) shapeErrors.push({ path: e.key, message: 'is not allowed' });
  }
  if (early) {
    for await (const e of readImportFile(filePath))
      if (e.kind === 'element' && e.key === 'tenants') await take(e.value, e.index);
  }
  if (batch.length) await step(batch);
  const r = await ready();
  r.addShapeErrors(shapeErrors.slice(taken));
  return { problems: sortProblems(r.problems), omitted: r.omitted };
}

function shapeTenant(value: unknown, index: number, run: RuleRun): Batch[number] {
  const issues: ImportProblem[] = [];
  const tenant = tenantShape(value, `tenants[${index}]`, issues) as ImportTenant;
  run.addShapeErrors(issues);
  return { tenant, index };
}
