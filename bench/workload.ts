/**
 * What partners really do, as request paths: the Partner List with many different queries, the tenant
 * pages of many tenants, and saves in between (issue 14). Deterministic: the same database gives the
 * same paths in every run.
 */
import Database from 'better-sqlite3';

const SORTS = ['name', 'customer', 'country', 'status', 'statusDate', 'lastNote', 'priority'];
const PAGE_SIZES = [25, 50, 100];

/** A small deterministic generator (mulberry32), so the query mix is the same in every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` different Partner List paths: tab, sort, direction, page size, page, and in one of three a
 * fragment of a tenant name (3–5 letters) as a partner types it.
 */
export function listPaths(tenantNames: string[], count = 2000): string[] {
  const next = random(14);
  const pick = <T>(list: T[]): T => list[Math.floor(next() * list.length)];
  const seen = new Set<string>();
  for (let tries = 0; seen.size < count && tries < count * 20; tries++) {
    const p = new URLSearchParams({ tab: 'partner', sort: pick(SORTS), dir: next() < 0.5 ? 'asc' : 'desc' });
    const size = pick(PAGE_SIZES);
    if (size !== 25) p.set('pageSize', String(size));
    if (next() < 1 / 3) {
      const word = pick(tenantNames).replace(/\..*$/, '');
      const len = 3 + Math.floor(next() * 3);
      const at = Math.floor(next() * Math.max(1, word.length - len));
      p.set('q', word.slice(at, at + len));
    } else {
      const page = 1 + Math.floor(next() * next() * 20);
      if (page > 1) p.set('page', String(page));
    }
    seen.add(`/tenants?${p}`);
  }
  return [...seen];
}

export interface TenantSample {
  guid: string;
  name: string;
  /** A service the tenant is entitled to (its tab in the Edit Tenant dialog). */
  service: string;
}

/**
 * Up to `count` tenants of the org with at least one service, spread over the org; with `editor`, only
 * tenants that user is assigned to (the ones they may save).
 */
export function sampleTenants(file: string, orgName: string, count = 200, editor?: string): TenantSample[] {
  const raw = new Database(file, { readonly: true });
  try {
    const rows = raw
      .prepare(
        `SELECT t.tenant_guid AS guid, t.tenant_name AS name, min(ts.service_code) AS service
           FROM tenants t
           JOIN assignments a ON a.tenant_id = t.id AND a.type = 'P-RM'
           JOIN partner_orgs o ON o.id = a.org_id AND o.name = ?
           JOIN tenant_services ts ON ts.tenant_id = t.id
          WHERE ? IS NULL OR t.id IN (SELECT m.tenant_id FROM assignments m JOIN users u ON u.id = m.assignee_user_id
                                       WHERE u.upn = ? AND m.is_partner_type = 1)
          GROUP BY t.id ORDER BY t.id`,
      )
      .all(orgName, editor ?? null, editor ?? null) as TenantSample[];
    const step = Math.max(1, Math.floor(rows.length / count));
    return rows.filter((_, i) => i % step === 0).slice(0, count);
  } finally {
    raw.close();
  }
}

/** The tenant pages issue 14 measures, each over the sample of tenants. */
export function tenantPaths(tenants: TenantSample[]): Record<string, string[]> {
  return {
    'tenant page (Status tab)': tenants.map((t) => `/tenants/${t.guid}`),
    'Services tab': tenants.map((t) => `/tenants/${t.guid}/services`),
    'Edit Tenant dialog': tenants.map((t) => `/tenants/${t.guid}/edit`),
    'one service tab of the dialog': tenants.map((t) => `/tenants/${t.guid}/services/${t.service}/edit`),
  };
}

/**
 * Saves while others read: one Overall Status save (the dialog's form fetched for its version and
 * CSRF token, then posted as htmx does) for every `readsPerWrite` reads, rotating over the tenants.
 * Every save changes the tenant, so the list's rows and any cached answer go stale.
 */
export class Writer {
  saves = 0;
  failures = 0;
  private reads = 0;
  private stopped = false;
  private running: Promise<void> | null = null;

  constructor(
    private readonly base: string,
    private readonly cookie: string,
    private readonly tenants: TenantSample[],
    private readonly readsPerWrite = 50,
  ) {}

  /** Called for every read request sent (autocannon's setupRequest). */
  read(): void {
    this.reads++;
    if (!this.running && this.reads >= (this.saves + this.failures + 1) * this.readsPerWrite)
      this.running = this.save().finally(() => (this.running = null));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  private async save(): Promise<void> {
    if (this.stopped) return;
    const n = this.saves + this.failures;
    const t = this.tenants[n % this.tenants.length];
    const headers = { cookie: this.cookie, 'hx-request': 'true' };
    try {
      const form = await (await fetch(`${this.base}/tenants/${t.guid}/overall-status`, { headers })).text();
      const version = /name="version" value="(\d+)"/.exec(form)?.[1];
      const csrf = /name="_csrf" value="([^"]+)"/.exec(form)?.[1];
      if (!version || !csrf) throw new Error('no version or CSRF token in the form');
      const res = await fetch(`${this.base}/tenants/${t.guid}/overall-status`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          _csrf: csrf,
          version,
          overall_status: n % 2 ? 'Active' : 'Paused',
          status_date: new Date().toISOString().slice(0, 10),
          note: `Benchmark status update number ${n + 1} for this tenant`,
        }).toString(),
      });
      await res.arrayBuffer();
      if (res.status === 200) this.saves++;
      else this.failures++;
    } catch {
      this.failures++;
    }
  }
}
