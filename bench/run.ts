/**
 * npm run bench — load benchmark of the FRP view (GET /tenants) on a synthetic database.
 *
 * 1. Builds (or reuses) bench/out/bench.sqlite3 with the admin seed CLI
 *    (`npm run cli -- seed --tenants … --orgs … --notes-per-tenant … --seed …`), so the seed time is what admins see.
 * 2. Copies it to a throw-away file and starts the real server (src/server.ts, through bench/server.ts, which adds
 *    the baseline page) on it as a separate process,
 *    so autocannon and the server never share an event loop.
 * 3. Signs in through GET /login + POST /login/dev as a user of the largest org, warms up, then runs
 *    autocannon (10 connections × 10 s by default) against a baseline page and the Partner List.
 * 4. Prints req/s, p50, p99, the ratio to the baseline, errors, the server's peak RSS, then a per-query
 *    profile with EXPLAIN QUERY PLAN of the statements one list request runs.
 *
 * Options: --fresh (rebuild the database), --tenants N, --orgs N, --notes-per-tenant N, --seed S,
 * --duration SECONDS, --connections N, --warmup REQUESTS, --q TEXT, --only REGEX, --skip-profile, --db FILE (measure an existing
 * database instead of building one; it is copied, never written), --wait-quiet SECONDS (wait up to that long for
 * other processes to leave the CPUs alone before measuring). See bench/README.md.
 *
 * This file runs the sequence; the steps live next to it: options.ts (options and paths), database.ts (1),
 * subject.ts (who signs in, which search text), server-process.ts (server start-up, sign-in and the check request),
 * proc-stats.ts (RSS and CPU from /proc), autocannon.ts, report.ts (the printed table), profile.ts (the query
 * profile), children.ts (child processes and clean-up), format.ts (number formatting).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONNECTIONS, DURATION, opts, OUT, params, WAIT_QUIET } from './options';
import { cleanupSync, removeDbFiles, stopChild, tempFiles } from './children';
import { ensureDatabase } from './database';
import { pickSubject } from './subject';
import { signIn, startServer } from './server-process';
import { procMemory, RssSampler, waitQuiet } from './proc-stats';
import { printReport } from './report';
import { profile } from './profile';
import { benchRoutes } from './routes';
import { sampleTenants } from './workload';
import { checkAll, measure } from './measure';
import { measurePostgres } from './postgres-runs';
import { pageWeightLines, pageWeights } from './page-weight';

async function main(): Promise<void> {
  if (process.platform !== 'linux')
    console.warn('warning: RSS is read from /proc and will be missing on this platform');
  const startedAt = new Date();
  const loadBefore = os.loadavg();
  const { manifest, reused, file: sourceDb } = await ensureDatabase();

  // A throw-away copy: the server writes sessions and may apply new migrations; the source stays pristine.
  fs.mkdirSync(OUT, { recursive: true });
  const runDb = path.join(OUT, `run-${process.pid}.sqlite3`);
  tempFiles.add(runDb);
  fs.copyFileSync(sourceDb, runDb, fs.constants.COPYFILE_FICLONE);
  const subject = pickSubject(runDb);

  const server = await startServer(runDb);
  const sampler = new RssSampler(server.pid);
  const idleRss = procMemory(server.pid)?.rss ?? 0;
  const cookie = await signIn(server.base, subject.upn);

  const tenants = sampleTenants(runDb, subject.orgName);
  // --only REGEX keeps the routes it names, and /healthz, the reference every share is of.
  const only = opts.only === undefined ? null : new RegExp(opts.only, 'i');
  const routes = benchRoutes(
    subject,
    tenants,
    tenants.map((t) => t.name),
  ).filter((r, i) => i === 0 || !only || only.test(r.name));

  const checks = await checkAll(server.base, cookie, routes, subject);

  const quietLoad = await waitQuiet(server.pid, WAIT_QUIET);
  const editable = sampleTenants(runDb, subject.orgName, 50, subject.upn);
  const weights = await pageWeights(server.base, cookie, editable[0].guid);
  const target = { bases: [server.base], pids: [server.pid], cookie, sampler, tenants, editable };
  const results = await measure(target, routes, (i) => checks[i].bytes);

  sampler.sample();
  sampler.stop();
  const hwm = procMemory(server.pid)?.hwm ?? 0;
  await stopChild(server.child);

  const failures = printReport({
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
  });
  console.log(pageWeightLines(weights).join('\n'));

  let profileLines: string[] = [];
  if (!opts['skip-profile']) {
    console.log(
      '\nquery profile (each statement of one request re-run 15× with better-sqlite3 on the same database; medians):',
    );
    profileLines = await profile(runDb, subject.upn, [
      { name: 'partner list, page 1 by name', query: { tab: 'partner', sort: 'name' } },
      { name: `partner list + q=${subject.q}`, query: { tab: 'partner', sort: 'name', q: subject.q } },
    ]);
    console.log(profileLines.join('\n'));
  }

  const postgres = opts['skip-postgres']
    ? null
    : await measurePostgres(sourceDb, manifest, subject, { tenants, editable }, routes, results);

  fs.writeFileSync(
    path.join(OUT, 'last-run.json'),
    JSON.stringify(
      {
        startedAt,
        params,
        manifest,
        subject,
        connections: CONNECTIONS,
        duration: DURATION,
        idleRss,
        peakRss: sampler.peak,
        vmHwm: hwm,
        results,
        pageWeights: weights,
        postgres,
        profile: profileLines,
      },
      null,
      2,
    ) + '\n',
  );
  removeDbFiles(runDb);
  tempFiles.delete(runDb);
  if (failures.length || postgres?.failures) process.exitCode = 1;
}

main().catch((err) => {
  console.error(`\nbench failed: ${err instanceof Error ? err.message : String(err)}`);
  cleanupSync();
  process.exit(1);
});
