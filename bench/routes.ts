/** The routes npm run bench measures, in order, with issue 14's targets (printed, never asserted). */
import { BASELINE_PATH, CONNECTIONS, LIST_PATH } from './options';
import { searchPaths } from './search-queries';
import type { Subject } from './subject';
import { listPaths, tenantPaths, type TenantSample } from './workload';

export interface BenchRoute {
  name: string;
  /** One path, or many taken in turn (so no response cache can answer them). */
  paths: string[];
  /** Sent with `Cache-Control: no-cache`: the server runs every query (the list's read cache is bypassed). */
  fresh?: boolean;
  /** Sent with `Accept-Encoding: gzip`, as a browser asks (the other rows ask for no encoding). */
  gzip?: boolean;
  /** Sent with `HX-Request: true`, as the dialog's links ask: the server answers the fragment, not the page. */
  htmx?: boolean;
  connections?: number;
  /** One Overall Status save for every 50 requests, alongside (workload.ts Writer). */
  writes?: boolean;
  /** Targets: p99 and p95 in ms, and throughput as a share of /healthz's in the same run. */
  target?: { p99?: number; p95?: number; share?: number };
}

export const HEALTHZ = '/healthz';

export function benchRoutes(subject: Subject, tenants: TenantSample[], tenantNames: string[]): BenchRoute[] {
  const varied = listPaths(tenantNames);
  const tenantRoutes = Object.entries(tenantPaths(tenants));
  return [
    { name: 'GET /healthz (the reference)', paths: [HEALTHZ] },
    { name: `GET ${BASELINE_PATH} (signed in, no data)`, paths: [BASELINE_PATH], target: { share: 0.5 } },
    { name: `GET ${BASELINE_PATH}, gzip as a browser asks`, paths: [BASELINE_PATH], gzip: true },
    { name: 'Partner List, the same URL', paths: [LIST_PATH] },
    {
      name: `Partner List, ${varied.length} queries + saves`,
      paths: varied,
      writes: true,
      target: { p99: 50, share: 0.2 },
    },
    // What a browser gets: the same run with the pages gzipped (no target; the row above sets it).
    {
      name: `Partner List, ${varied.length} queries + saves, gzip as a browser asks`,
      paths: varied,
      writes: true,
      gzip: true,
    },
    {
      name: `Partner List, ${varied.length} queries + saves, through SQL (Refresh)`,
      paths: varied,
      writes: true,
      fresh: true,
      target: { p99: 50, share: 0.2 },
    },
    ...tenantRoutes.map(([name, paths]) => ({
      name: `${name}, ${paths.length} tenants`,
      paths,
      target: { p99: 50 },
    })),
    // The rows above fetch the dialog's URLs as pages (a link opened directly, or without JavaScript); in
    // the list, the dialog and its tabs are htmx requests for the fragment alone.
    ...tenantRoutes
      .filter(([name]) => /dialog/.test(name))
      .map(([name, paths]) => ({
        name: `${name} as htmx loads it, ${paths.length} tenants`,
        paths,
        htmx: true,
        target: { p99: 50 },
      })),
    ...[1, CONNECTIONS].flatMap((connections) =>
      (['one', 'three'] as const).map((w) => ({
        name: `notes search, ${w === 'one' ? 'one word' : 'three words'}, ${connections} conn. (64 queries)`,
        paths: searchPaths(w),
        connections,
        target: { p95: 100 },
      })),
    ),
  ];
}

/**
 * The targets line of the report for one result. A share is of the run's /healthz; where /healthz was
 * measured again right after the route, the share of that figure follows in brackets.
 */
export function targetVerdicts(
  r: { p99: number; p95: number; reqPerSec: number; healthzAfter?: number },
  target: BenchRoute['target'],
  healthz: number,
): string[] {
  if (!target) return [];
  const out: string[] = [];
  const yes = (ok: boolean) => (ok ? 'yes' : 'NO');
  const pct = (share: number) => `${(100 * share).toFixed(0)}%`;
  if (target.p99 !== undefined) out.push(`p99 ${r.p99} ms < ${target.p99}: ${yes(r.p99 < target.p99)}`);
  if (target.p95 !== undefined) out.push(`p95 ${r.p95} ms < ${target.p95}: ${yes(r.p95 < target.p95)}`);
  if (target.share !== undefined) {
    const share = r.reqPerSec / healthz;
    const after = r.healthzAfter ? ` (${pct(r.reqPerSec / r.healthzAfter)} of /healthz measured right after it)` : '';
    out.push(`${pct(share)} of /healthz ≥ ${pct(target.share)}: ${yes(share >= target.share)}${after}`);
  }
  return out;
}
