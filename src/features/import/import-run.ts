import type { Entry } from '../../domain/rules/entry';
import { jsonPath, type Problem } from '../../domain/problems';
import type { ImportProblem } from '../admin/admin.errors';
import { queuePrincipal } from '../admin/admin.validators';
import type { ImportContext } from './import-context.repo';

/** The state of one validation run of an import file, shared by the rule files of the importer. */

export interface RunOptions {
  migrationSumBasis: 'total' | 'in_progress';
  /** "Now" for createdAt checks; `entry.today` is its date in APP_TZ. */
  now: Date;
  entry: Entry;
  /** the label of the first milestone in forecast messages. */
  firstMilestonePct: number;
}

/** Who an email in the file refers to, once orgs and users of the file and the database are merged. */
export interface Principal {
  upn: string;
  kind: 'partner' | 'internal' | 'admin' | 'queue';
  /** Org name for partner users and queues. */
  orgName: string | null;
  /** Set when the file's user entry is itself invalid for its org (reported again where it is used). */
  problem?: string;
}

/** The most problems a run keeps (and the CLI lists); the rest are only counted. */
const MAX_LISTED = 10_000;

/** `tenants[3].services[1].code` → `tenants`, `tenants[3]`, `tenants[3].services`, `tenants[3].services[1]`. */
function prefixes(path: string): string[] {
  const out: string[] = [];
  for (let i = 1; i < path.length; i++) if (path[i] === '.' || path[i] === '[') out.push(path.slice(0, i));
  return out;
}

/** Shared state of one validation run: the problem list, the shape errors and the merged directory. */
export class RuleRun {
  readonly problems: ImportProblem[] = [];
  /** Org name (as written) by lower-cased name, for orgs in the file or the database. */
  readonly orgNames = new Map<string, string>();
  /** Whitelisted domains per lower-cased org name: the file's plus the database's. */
  readonly orgDomains = new Map<string, Set<string>>();
  readonly principals = new Map<string, Principal>();
  /** Where each Tenant ID and tenant name first appears in the file (both unique in a file). */
  readonly tenantGuids = new Map<string, number>();
  readonly tenantNames = new Map<string, number>();
  /** Paths with a shape problem, and every path above one (`tenants[3]` above `tenants[3].name`). */
  private readonly shapeErrors = new Set<string>();
  private readonly aboveShapeErrors = new Set<string>();
  /** Problems found beyond MAX_LISTED: counted, not kept. */
  omitted = 0;

  constructor(
    public ctx: ImportContext,
    shapeErrors: ImportProblem[],
    readonly options: RunOptions,
  ) {
    this.addShapeErrors(shapeErrors);
  }

  addShapeErrors(shapeErrors: readonly ImportProblem[]): void {
    for (const e of shapeErrors) {
      this.shapeErrors.add(e.path);
      for (const prefix of prefixes(e.path)) this.aboveShapeErrors.add(prefix);
      this.add(e.path, e.message);
    }
  }

  /**
   * The database context of the next tenants (a file read as a stream is checked in batches): stored
   * users they name join the directory; the file's own users keep their entry.
   */
  useContext(ctx: ImportContext): void {
    this.ctx = ctx;
    for (const u of ctx.users.values())
      if (!this.principals.has(u.upn)) this.principals.set(u.upn, { upn: u.upn, kind: u.kind, orgName: u.orgName });
  }

  /** Keeps the first MAX_LISTED problems and counts the rest, so a badly broken file cannot fill memory. */
  add(path: string, message: string): void {
    if (this.problems.length < MAX_LISTED) this.problems.push({ path, message });
    else this.omitted++;
  }

  get problemCount(): number {
    return this.problems.length + this.omitted;
  }

  /** The problems of a domain rule function, at their JSON paths under `prefix`, tagged with the rule. */
  report(prefix: string, problems: readonly Problem[]): void {
    for (const p of problems) this.add(jsonPath(prefix, p.path), p.rule ? `${p.message} [${p.rule}]` : p.message);
  }

  /** True when the shape check found nothing wrong at, below or above this path, so rules can trust its shape. */
  ok(path: string): boolean {
    if (this.shapeErrors.has('(file)') || this.aboveShapeErrors.has(path)) return false;
    return ![...prefixes(path), path].some((p) => this.shapeErrors.has(p));
  }

  orgName(name: string): string | undefined {
    return this.orgNames.get(name.toLowerCase());
  }

  /** The queue principal's UPN of an org, as it is or as the writer will create it. */
  queueUpn(orgName: string): string {
    return this.ctx.orgs.get(orgName.toLowerCase())?.queueUpn ?? queuePrincipal(orgName).upn;
  }

  principal(upn: string): Principal | undefined {
    return this.principals.get(upn);
  }
}
