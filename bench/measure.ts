/** Warm-up and measurement of the routes against one server, or several instances sharing the load. */
import { autocannon } from './autocannon';
import { int } from './format';
import { CONNECTIONS, DURATION, WARMUP } from './options';
import { coresUsed, cpuSnapshot, type RssSampler } from './proc-stats';
import type { RouteResult } from './report';
import type { BenchRoute } from './routes';
import { Writer, type TenantSample } from './workload';
import { check } from './server-process';
import { LIST_PATH } from './options';
import type { Subject } from './subject';

export interface Target {
  /** One base URL per instance; the connections are shared out between them. */
  bases: string[];
  pids: number[];
  cookie: string;
  sampler: RssSampler;
  tenants: TenantSample[];
  /** Tenants the signed-in user may save (the writer's). */
  editable: TenantSample[];
}

/** Each request takes the next path; `onRequest` sees every request sent (the writer counts them). */
function rotating(r: BenchRoute, onRequest?: () => void) {
  if (r.paths.length === 1 && !onRequest) return {};
  let next = 0;
  return {
    requests: [
      {
        setupRequest: (req: { path: string }) => {
          onRequest?.();
          return { ...req, path: r.paths[next++ % r.paths.length] };
        },
      },
    ],
  };
}

const headersFor = (r: BenchRoute, cookie: string): Record<string, string> => ({
  cookie,
  ...(r.fresh ? { 'cache-control': 'no-cache' } : {}),
  ...(r.gzip ? { 'accept-encoding': 'gzip' } : {}),
  ...(r.htmx ? { 'hx-request': 'true' } : {}),
});

/** The route's connections split over the instances (at least one each). */
const share = (r: BenchRoute, instances: number) => Math.max(1, Math.round((r.connections ?? CONNECTIONS) / instances));

/** What every autocannon run of a route on one instance shares: its first path, connections and headers. */
const target = (t: Target, base: string, r: BenchRoute) => ({
  url: base + r.paths[0],
  connections: share(r, t.bases.length),
  headers: headersFor(r, t.cookie),
});

/**
 * WARMUP requests of the route on each instance, right before it is measured: V8 compiles a route's code
 * for what it last saw, and a route measured after all the others were warmed paid for its code's
 * recompilation inside its measured seconds (docs/performance.md, thirteenth session).
 */
async function warmUp(t: Target, r: BenchRoute): Promise<void> {
  t.sampler.phase = 'warm-up';
  for (const base of t.bases) {
    const w = await autocannon({ ...target(t, base, r), amount: WARMUP, ...rotating(r) });
    if (w.non2xx || w.errors) throw new Error(`warm-up of ${r.name}: ${w.non2xx} non-2xx, ${w.errors} errors`);
  }
}

/**
 * Warms each route up, then measures it for DURATION seconds. With several instances, one autocannon per
 * instance runs at the same time: req/s and totals add up, latencies are the worse instance's.
 */
export async function measure(t: Target, routes: BenchRoute[], bytesOf: (i: number) => number): Promise<RouteResult[]> {
  const results: RouteResult[] = [];
  for (const [i, r] of routes.entries()) {
    process.stdout.write(`measuring ${r.name}: ${r.connections ?? CONNECTIONS} connections × ${DURATION} s … `);
    await warmUp(t, r);
    t.sampler.phase = r.name;
    const cpuBefore = cpuSnapshot([t.pids[0], process.pid]);
    const started = process.hrtime.bigint();
    const writer = r.writes ? new Writer(t.bases[0], t.cookie, t.editable) : null;
    // Every response's time, for percentiles autocannon does not report (p95).
    const times: number[] = [];
    const runs = await Promise.all(
      t.bases.map((base) => {
        const run = autocannon({
          ...target(t, base, r),
          duration: DURATION,
          timeout: 10,
          ...rotating(r, writer ? () => writer.read() : undefined),
        });
        run.on('response', (_client, _status, _bytes, ms) => times.push(ms));
        return run;
      }),
    );
    await writer?.stop();
    const cpu = coresUsed(cpuBefore, cpuSnapshot([t.pids[0], process.pid]));
    const ended = process.hrtime.bigint();
    const seconds = Number(ended - started) / 1e9;
    t.sampler.sample();
    const sum = (f: (x: (typeof runs)[number]) => number) => runs.reduce((n, x) => n + f(x), 0);
    const worst = (f: (x: (typeof runs)[number]) => number) => Math.max(...runs.map(f));
    const statusCodes: Record<string, number> = {};
    for (const run of runs)
      for (const [code, s] of Object.entries(run.statusCodeStats ?? {}))
        statusCodes[code] = (statusCodes[code] ?? 0) + s.count;
    const total = sum((x) => x.requests.total);
    results.push({
      name: r.name,
      target: r.target,
      saves: writer ? { ok: writer.saves, failed: writer.failures } : undefined,
      reqPerSec: sum((x) => x.requests.average),
      p50: worst((x) => x.latency.p50),
      p90: worst((x) => x.latency.p90),
      p95: percentile(times, 0.95),
      p97_5: worst((x) => x.latency.p97_5),
      p99: worst((x) => x.latency.p99),
      max: worst((x) => x.latency.max),
      total,
      errors: sum((x) => x.errors),
      timeouts: sum((x) => x.timeouts),
      non2xx: sum((x) => x.non2xx),
      bytes: total ? sum((x) => x.throughput.total) / total : bytesOf(i),
      statusCodes,
      peakRss: t.sampler.peakByPhase.get(r.name) ?? 0,
      cpu: cpu && { machine: cpu[0], server: cpu[1], bench: cpu[2], others: cpu[3] },
      cpuPerRequest: cpu && runs[0].requests.total ? (cpu[1] * seconds * 1e6) / runs[0].requests.total : undefined,
      window: { start: Number(started / 1000n), end: Number(ended / 1000n) },
    });
    const result = results[results.length - 1];
    // A share is of /healthz in the same run; on a VM whose speed drifts by the minute, /healthz measured
    // right after the route shows whether the run's first figure still held.
    if (r.target?.share !== undefined && i > 0) result.healthzAfter = await reference(t, routes[0]);
    console.log(
      `${int(result.reqPerSec)} req/s${writer ? `, ${writer.saves} saves` : ''}` +
        (result.healthzAfter ? `; /healthz right after: ${int(result.healthzAfter)} req/s` : ''),
    );
  }
  return results;
}

/** req/s of the reference route over half the measuring time, on every instance at once (added up). */
async function reference(t: Target, r: BenchRoute): Promise<number> {
  const runs = await Promise.all(
    t.bases.map((base) => autocannon({ ...target(t, base, r), duration: Math.max(2, DURATION / 2), timeout: 10 })),
  );
  return runs.reduce((n, x) => n + x.requests.average, 0);
}

/** Correctness first: every path answers 200, and the list shows the counts the database has. */
export async function checkAll(
  base: string,
  cookie: string,
  routes: BenchRoute[],
  subject: Subject,
): Promise<{ bytes: number }[]> {
  const checks: { bytes: number }[] = [];
  for (const r of routes) {
    checks.push(await check(base, r.paths[0], cookie));
    for (const p of r.paths.slice(1, 64)) await check(base, p, cookie);
  }
  const list = await check(base, LIST_PATH, cookie);
  if (list.partnerCount !== subject.orgTenants)
    throw new Error(`the partner tab shows ${list.partnerCount} tenants, the database says ${subject.orgTenants}`);
  const q = await check(base, `${LIST_PATH}&q=${encodeURIComponent(subject.q)}`, cookie);
  if (q.partnerCount !== subject.qMatches)
    throw new Error(`q=${subject.q}: the partner tab shows ${q.partnerCount} tenants, expected ${subject.qMatches}`);
  return checks;
}

/** The `q` quantile of `times` (nearest rank), in whole ms like autocannon's figures. */
function percentile(times: number[], q: number): number {
  if (!times.length) return 0;
  const sorted = [...times].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]);
}
