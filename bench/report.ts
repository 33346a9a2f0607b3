/** The printed report: the results table per route, the database, memory and CPU figures, and the targets. */
import os from 'node:os';
import path from 'node:path';
import { HEAP_GROWTH_DEFAULT_PERCENT } from '../src/config';
import type { Manifest } from './database';
import { fileSize, int, lpad, mb, pad } from './format';
import { BASELINE_PATH, CONNECTIONS, DURATION, opts, params, ROOT, WARMUP } from './options';
import type { RssSampler } from './proc-stats';
import type { Server } from './server-process';
import type { Subject } from './subject';
import { targetVerdicts, type BenchRoute } from './routes';

export interface RouteResult {
  name: string;
  target?: BenchRoute['target'];
  /** Saves made alongside (workload.ts Writer): answered 200, or not. */
  saves?: { ok: number; failed: number };
  reqPerSec: number;
  p50: number;
  p90: number;
  p95: number;
  p97_5: number;
  p99: number;
  max: number;
  total: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  bytes: number;
  statusCodes: Record<string, number>;
  peakRss: number;
  /** Cores busy during the run: machine, server, this process (autocannon), other processes. */
  cpu?: { machine: number; server: number; bench: number; others: number };
  /**
   * The first server's CPU time (all its threads) per request it answered, in µs: the figure that holds
   * when the VM's speed drifts (docs/performance.md, thirteenth session). Saves alongside are not counted
   * as requests.
   */
  cpuPerRequest?: number;
  /** For a route with a share target: /healthz's req/s measured right after it. */
  healthzAfter?: number;
  /**
   * The measured seconds on the monotonic clock, in µs (process.hrtime): the clock of a server's
   * `--cpu-prof` samples, so a profile of the whole bench can be cut into its routes.
   */
  window?: { start: number; end: number };
}

/** Prints the report; returns the routes that had errors, timeouts or non-2xx answers. */
export function printReport({
  startedAt,
  loadBefore,
  manifest,
  reused,
  sourceDb,
  subject,
  server,
  sampler,
  idleRss,
  hwm,
  quietLoad,
  results,
}: {
  startedAt: Date;
  loadBefore: number[];
  manifest: Manifest;
  reused: boolean;
  sourceDb: string;
  subject: Subject;
  server: Server;
  sampler: RssSampler;
  idleRss: number;
  hwm: number;
  quietLoad: number | undefined;
  results: RouteResult[];
}): RouteResult[] {
  const base = results[0].reqPerSec;
  const out: string[] = [];
  const rows = manifest.rows;
  out.push('');
  out.push(
    `FTOP bench — ${startedAt.toISOString()} — node ${process.version}, ${os.cpus().length} CPUs, ${os.cpus()[0]?.model ?? ''}`.trim(),
  );
  out.push(
    `database: ${path.relative(ROOT, sourceDb)}, ${mb(fileSize(sourceDb))}; ${int(rows.tenants)} tenants, ${int(rows.partner_orgs)} orgs, ` +
      `${int(rows.users)} users, ${int(rows.assignments)} assignments, ${int(rows.notes)} notes (--seed ${params.seed})`,
  );
  if (opts.db) out.push(`seed time: n/a (existing database given with --db)`);
  else {
    out.push(
      `seed time: ${manifest.seedSeconds.toFixed(1)} s wall for \`${manifest.seedCommand}\`` +
        (manifest.seedSummary ? ` — CLI: "${manifest.seedSummary}"` : '') +
        (reused ? ` (cached database from ${manifest.builtAt}; --fresh rebuilds)` : ' (built in this run)'),
    );
  }
  out.push(
    `signed in as ${subject.upn} (${subject.orgName}: ${int(subject.orgTenants)} tenants in the partner tab); q=${JSON.stringify(subject.q)} matches ${subject.qMatches}`,
  );
  out.push(
    `autocannon: ${CONNECTIONS} connections, ${DURATION} s per route, after ${WARMUP} warm-up requests per route; server LOG_LEVEL=warn, HEAP_GROWTH_PERCENT=${process.env.HEAP_GROWTH_PERCENT ?? `${HEAP_GROWTH_DEFAULT_PERCENT} (the default)`}`,
  );
  out.push(
    `baseline: GET ${BASELINE_PATH}, a static 25-row table (no query of its own) rendered in the layout through the same`,
  );
  out.push(
    '          middleware (helmet, pino-http, session, passport user load, CSRF token, no-store); bench/server.ts',
  );
  out.push('');
  const header = [
    pad('route', 58),
    lpad('req/s', 8),
    lpad('p50 ms', 7),
    lpad('p95', 7),
    lpad('p97.5', 7),
    lpad('p99 ms', 7),
    lpad('max ms', 7),
    lpad('/healthz', 8),
    lpad('err/non2xx', 11),
    lpad('KB/resp', 8),
    lpad('CPU µs/req', 11),
  ];
  out.push(header.join(' '));
  out.push('-'.repeat(header.join(' ').length));
  for (const r of results) {
    out.push(
      [
        pad(r.name, 58),
        lpad(int(r.reqPerSec), 8),
        lpad(String(r.p50), 7),
        lpad(String(r.p95), 7),
        lpad(String(r.p97_5), 7),
        lpad(String(r.p99), 7),
        lpad(String(r.max), 7),
        lpad(`${((100 * r.reqPerSec) / base).toFixed(0)}%`, 8),
        lpad(`${r.errors + r.timeouts}/${r.non2xx}`, 11),
        lpad((r.bytes / 1024).toFixed(1), 8),
        lpad(r.cpuPerRequest === undefined ? 'n/a' : int(r.cpuPerRequest), 11),
      ].join(' '),
    );
  }
  out.push('');
  out.push(
    `server RSS: idle ${mb(idleRss)}, peak ${mb(sampler.peak)} of which ${mb(sampler.fileAtPeak)} file-backed (node and its libraries; the database file when SQLITE_MMAP_MB maps it) (VmRSS every 200 ms; per route: ${results.map((r) => mb(r.peakRss)).join(' / ')}), VmHWM ${mb(hwm)}`,
  );
  out.push(
    `CPU during each run (cores of ${os.cpus().length}: server / autocannon / other processes): ` +
      results
        .map((r) =>
          r.cpu ? `${r.cpu.server.toFixed(2)} / ${r.cpu.bench.toFixed(2)} / ${r.cpu.others.toFixed(2)}` : 'n/a',
        )
        .join(', ') +
      `; other processes just before warm-up ${quietLoad === undefined ? 'n/a' : quietLoad.toFixed(2)}; load average at start ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`,
  );
  for (const r of results.filter((x) => x.saves))
    out.push(`saves alongside "${r.name}": ${r.saves!.ok} answered 200, ${r.saves!.failed} did not`);
  out.push('targets (issue 14; informational, no test asserts them):');
  for (const r of results) {
    const verdicts = targetVerdicts(r, r.target, base);
    if (verdicts.length) out.push(`  ${r.name}: ${verdicts.join('; ')}`);
  }
  const failures = results.filter((r) => r.errors || r.timeouts || r.non2xx);
  for (const r of failures)
    out.push(
      `ERRORS on ${r.name}: errors=${r.errors} timeouts=${r.timeouts} non2xx=${r.non2xx} status codes=${JSON.stringify(r.statusCodes)}`,
    );
  if (server.output.length) {
    out.push(`server output during the run (warnings and errors, last ${Math.min(20, server.output.length)} lines):`);
    for (const l of server.output.slice(-20)) out.push(`  ${l.slice(0, 300)}`);
  }
  console.log(out.join('\n'));
  return failures;
}
