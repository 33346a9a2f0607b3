import type { Knex } from 'knex';
import { Deferred, sqlOf } from '../../db/sql';
import { notesQueued, type NoteSink } from '../notes/notes-write.repo';
import type { PlannedTenant } from './import-tenant.rules';
import * as orgsRepo from '../admin/orgs.repo';
import * as tw from './import-tenant-write.repo';
import * as w from './import-write.repo';

/** State shared by the steps that apply a validated import plan (one transaction). */

export const COUNTED = ['orgs', 'users', 'tenants', 'services', 'assignments', 'contacts', 'notes'] as const;
export type Counted = (typeof COUNTED)[number];
export type ImportCounts = Record<Counted, Record<w.Outcome, number>>;

export interface ApplyOptions {
  actorId: number | null;
  now: Date;
  /**
   * false (an import): notes are legacy history (is_legacy, source_context 'import').
   * true (the demo seed): notes look as if users wrote them in the app.
   */
  nativeNotes: boolean;
}

/** '' means a cleared field; undefined stays "leave alone". */
export const nz = <T>(v: T | '' | undefined): T | null | undefined => (v === '' ? null : v);

export class ApplyContext {
  readonly counts = Object.fromEntries(
    COUNTED.map((k) => [k, { created: 0, updated: 0, unchanged: 0 }]),
  ) as ImportCounts;
  readonly stamp: w.Stamp;
  readonly principals = new Map<string, { id: number; orgId: number | null }>();
  readonly orgIds = new Map<string, number>();
  readonly serviceNames = new Map<string, string>();
  private readonly queueIds = new Map<string, { id: number; orgId: number }>();
  private deferred?: Deferred;
  private sink?: NoteSink;

  constructor(
    readonly trx: Knex,
    readonly opts: ApplyOptions,
  ) {
    this.stamp = { at: opts.now.toISOString(), actorId: opts.actorId };
  }

  count(entity: Counted, outcome: w.Outcome, n = 1): void {
    this.counts[entity][outcome] += n;
  }

  /** Notes, the rows that refer to them and history rows are queued and written many per statement by `flush`. */
  async queues(): Promise<{ notes: NoteSink; deferred: Deferred }> {
    if (!this.sink || !this.deferred) {
      const sql = await sqlOf(this.trx);
      // New services are queued too (createServiceSection): their rows go before their grids and lines.
      this.deferred = new Deferred(sql, undefined, ['tenant_services']);
      this.sink = notesQueued(sql, this.deferred);
    }
    return { notes: this.sink, deferred: this.deferred };
  }

  async flush(): Promise<void> {
    await this.deferred?.flush();
  }

  /** Loads every principal the tenants refer to, once, after orgs and users are written. */
  async directory(tenants: PlannedTenant[]): Promise<void> {
    const upns = new Set<string>();
    for (const t of tenants) {
      for (const a of t.assignments) if ('upn' in a.assignee) upns.add(a.assignee.upn);
      for (const n of t.src.notes) upns.add(n.author);
      for (const e of t.src.enterpriseStatus ?? []) upns.add(e.by);
    }
    for (const [upn, user] of await tw.findUserIds(
      this.trx,
      [...upns].filter((u) => !this.principals.has(u)),
    ))
      this.principals.set(upn, user);
    if (this.serviceNames.size === 0)
      for (const [code, name] of await w.serviceNames(this.trx)) this.serviceNames.set(code, name);
  }

  /** The queue principal of an org (created with the org, so it exists once orgs are written). */
  async queueOf(orgName: string): Promise<{ id: number; orgId: number }> {
    let queue = this.queueIds.get(orgName);
    if (!queue) {
      const orgId = this.orgIds.get(orgName.toLowerCase())!;
      queue = { id: (await orgsRepo.findQueueUser(this.trx, orgId))!.id, orgId };
      this.queueIds.set(orgName, queue);
    }
    return queue;
  }
}
