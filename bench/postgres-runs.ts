/** The PostgreSQL runs of npm run bench: the same routes on one server, then two instances; printed next to SQLite's. */
import type { Manifest } from './database';
import { stopChild } from './children';
import { int, lpad, pad } from './format';
import { checkAll, measure } from './measure';
import { ensurePgDatabase, postgresProblem, runCopy } from './postgres';
import { procMemory, RssSampler } from './proc-stats';
import type { RouteResult } from './report';
import type { BenchRoute } from './routes';
import { signIn, startServer } from './server-process';
import type { Subject } from './subject';
import type { TenantSample } from './workload';

/** The routes two instances are measured on: what many partners do at once. */
const TWO_INSTANCE_ROUTES =
  /^(GET \/healthz|Partner List, \d+ queries \+ saves, through SQL|tenant page|notes search, one word, 10)/;

export interface PostgresRuns {
  copySeconds: number | null;
  one: RouteResult[];
  two: RouteResult[];
  peakRss: number;
  failures: number;
}

export async function measurePostgres(
  sourceDb: string,
  manifest: Manifest,
  subject: Subject,
  samples: { tenants: TenantSample[]; editable: TenantSample[] },
  routes: BenchRoute[],
  sqlite: RouteResult[],
): Promise<PostgresRuns | null> {
  const problem = await postgresProblem();
  if (problem) {
    console.log(`\nPostgreSQL: not measured (${problem}); --skip-postgres leaves it out on purpose`);
    return null;
  }
  const { seconds: copySeconds } = await ensurePgDatabase(sourceDb, manifest);
  const copy = await runCopy();
  const servers = [];
  try {
    console.log('\nPostgreSQL, one server:');
    const first = await startServer(copy.url);
    servers.push(first);
    const sampler = new RssSampler(first.pid);
    const cookie = await signIn(first.base, subject.upn);
    const checks = await checkAll(first.base, cookie, routes, subject);
    const target = { bases: [first.base], pids: [first.pid], cookie, sampler, ...samples };
    const one = await measure(target, routes, (i) => checks[i].bytes);

    console.log('\nPostgreSQL, two instances on the same database (the connections shared between them):');
    const second = await startServer(copy.url);
    servers.push(second);
    const subset = routes.filter((r) => TWO_INSTANCE_ROUTES.test(r.name));
    const both = { ...target, bases: [first.base, second.base], pids: [first.pid, second.pid] };
    const two = await measure(both, subset, () => 0);
    sampler.stop();
    const peakRss = Math.max(sampler.peak, procMemory(first.pid)?.hwm ?? 0);
    const runs = {
      copySeconds,
      one,
      two,
      peakRss,
      failures: [...one, ...two].filter((r) => r.errors || r.non2xx).length,
    };
    printSideBySide(sqlite, runs);
    return runs;
  } finally {
    for (const s of servers) await stopChild(s.child);
    await copy.drop();
  }
}

function printSideBySide(sqlite: RouteResult[], pg: PostgresRuns): void {
  const cell = (r?: RouteResult) =>
    r ? `${lpad(int(r.reqPerSec), 6)} ${lpad(String(r.p50), 5)} ${lpad(String(r.p99), 6)}` : lpad('—', 19);
  const out = ['', 'side by side (req/s, p50 ms, p99 ms):'];
  out.push(`${pad('route', 58)} ${pad('SQLite', 19)}   ${pad('PostgreSQL', 19)}   PostgreSQL, 2 instances`);
  for (const r of sqlite) {
    const one = pg.one.find((x) => x.name === r.name);
    const two = pg.two.find((x) => x.name === r.name);
    out.push(`${pad(r.name, 58)} ${cell(r)}   ${cell(one)}   ${cell(two)}`);
  }
  out.push(
    `PostgreSQL: server peak RSS ${(pg.peakRss / 1048576).toFixed(0)} MB; ` +
      (pg.copySeconds === null
        ? 'database copied by an earlier run (ftop_bench)'
        : `copied with \`ftop copy-db\` in ${pg.copySeconds.toFixed(0)} s`),
  );
  for (const r of [...pg.one, ...pg.two].filter((x) => x.errors || x.non2xx))
    out.push(`ERRORS on PostgreSQL ${r.name}: errors=${r.errors} non2xx=${r.non2xx} ${JSON.stringify(r.statusCodes)}`);
  console.log(out.join('\n'));
}
