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
 * --duration SECONDS, --connections N, --warmup REQUESTS, --q TEXT, --skip-profile, --db FILE (measure an existing
 * database instead of building one; it is copied, never written), --wait-quiet SECONDS (wait up to that long for
 * other processes to leave the CPUs alone before measuring). See bench/README.md.
 */
import { ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { createDb } from '../src/db/db';
import { findSignInUser } from '../src/auth/users.repo';
import { accessScope } from '../src/auth/scope';
import { frpView, parseListQuery } from '../src/features/tenants/tenants.service';

// ---------------------------------------------------------------------------------------------------------------
// autocannon 9 ships no types; the slice of its API used here.

interface AutocannonResult {
  duration: number;
  requests: { average: number; total: number };
  latency: { p50: number; p90: number; p99: number; average: number; max: number };
  throughput: { average: number; total: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  mismatches: number;
  statusCodeStats: Record<string, { count: number }>;
}
type Autocannon = (opts: {
  url: string;
  connections: number;
  duration?: number;
  amount?: number;
  headers?: Record<string, string>;
  timeout?: number;
}) => Promise<AutocannonResult>;
const autocannon = createRequire(__filename)('autocannon') as Autocannon;

// ---------------------------------------------------------------------------------------------------------------
// Options and paths

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'bench', 'out');
const CACHE_DB = path.join(OUT, 'bench.sqlite3');
const MANIFEST = path.join(OUT, 'bench.manifest.json');
const GENERATOR = path.join(ROOT, 'seeds', 'synthetic.ts');
const CLI = path.join(ROOT, 'src', 'cli.ts');

const { values: opts } = parseArgs({
  options: {
    fresh: { type: 'boolean', default: false },
    tenants: { type: 'string', default: '100000' },
    orgs: { type: 'string', default: '200' },
    'notes-per-tenant': { type: 'string', default: '10' },
    seed: { type: 'string', default: '1' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '300' },
    q: { type: 'string' },
    db: { type: 'string' },
    'wait-quiet': { type: 'string', default: '0' },
    'skip-profile': { type: 'boolean', default: false },
  },
  strict: true,
});

function positiveInt(name: string, raw: string | undefined): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer (got ${raw})`);
  return n;
}

const params = {
  tenants: positiveInt('tenants', opts.tenants),
  orgs: positiveInt('orgs', opts.orgs),
  notesPerTenant: Number(opts['notes-per-tenant']),
  seed: String(opts.seed),
};
if (!Number.isInteger(params.notesPerTenant) || params.notesPerTenant < 0)
  throw new Error('--notes-per-tenant must be an integer ≥ 0');
const DURATION = positiveInt('duration', opts.duration);
const CONNECTIONS = positiveInt('connections', opts.connections);
const WARMUP = positiveInt('warmup', opts.warmup);
const WAIT_QUIET = Number(opts['wait-quiet']);
if (!Number.isFinite(WAIT_QUIET) || WAIT_QUIET < 0) throw new Error('--wait-quiet must be a number of seconds ≥ 0');

/** The baseline: a static 25-row table page served by bench/server.ts through the same middleware. */
const BASELINE_PATH = '/bench/baseline';
const LIST_PATH = '/tenants?tab=partner&sort=name';

// ---------------------------------------------------------------------------------------------------------------
// Child processes and clean-up (server and seed CLI are killed on exit, error, SIGINT and SIGTERM)

const children = new Set<ChildProcess>();
const tempFiles = new Set<string>();

/**
 * Children run in their own process group (detached) and are signalled as a group, so nothing they
 * start outlives the bench; the bench forwards SIGINT/SIGTERM itself.
 */
function signalChild(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

function cleanupSync(): void {
  for (const child of children) signalChild(child, 'SIGKILL');
  children.clear();
  for (const file of tempFiles) removeDbFiles(file);
  tempFiles.clear();
}

process.on('exit', cleanupSync);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping the server and removing temporary files`);
    cleanupSync();
    process.exit(130);
  });
}

function removeDbFiles(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) fs.rmSync(f, { force: true });
}

function waitForExit(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** SIGTERM (the server drains and closes the database), SIGKILL after 10 s. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    signalChild(child, 'SIGTERM');
    const timer = setTimeout(() => signalChild(child, 'SIGKILL'), 10_000);
    await waitForExit(child);
    clearTimeout(timer);
  }
  children.delete(child);
}

// ---------------------------------------------------------------------------------------------------------------
// Formatting

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));
const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

function fileSize(file: string): number {
  let total = 0;
  for (const f of [file, `${file}-wal`]) if (fs.existsSync(f)) total += fs.statSync(f).size;
  return total;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

// ---------------------------------------------------------------------------------------------------------------
// 1. The synthetic database (cached with a manifest)

interface Manifest {
  params: typeof params;
  /** sha256 of seeds/synthetic.ts: a changed generator invalidates the cache. */
  generatorSha256: string;
  builtAt: string;
  /** Wall time of the seed command as a child process (tsx start-up included). */
  seedSeconds: number;
  seedCommand: string;
  /** The CLI's own summary line ("seed: … in N s"). */
  seedSummary: string;
  rows: Record<string, number>;
}

function generatorHash(): string {
  return crypto.createHash('sha256').update(fs.readFileSync(GENERATOR)).digest('hex');
}

function readManifest(): Manifest | undefined {
  try {
    return JSON.parse(fs.readFileSync(MANIFEST, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

async function ensureDatabase(): Promise<{ manifest: Manifest; reused: boolean; file: string }> {
  if (opts.db) {
    const file = path.resolve(opts.db);
    if (!fs.existsSync(file)) throw new Error(`--db ${opts.db}: no such file`);
    const raw = new Database(file, { readonly: true, fileMustExist: true });
    const rows = countRows(raw);
    raw.close();
    const manifest: Manifest = {
      params,
      generatorSha256: '',
      builtAt: fs.statSync(file).mtime.toISOString(),
      seedSeconds: NaN,
      seedCommand: `(--db ${opts.db})`,
      seedSummary: '',
      rows,
    };
    return { manifest, reused: true, file };
  }
  if (!fs.existsSync(GENERATOR)) {
    throw new Error(
      'seeds/synthetic.ts is missing: the synthetic generator (seedSynthetic) is needed to build the bench database',
    );
  }
  const hash = generatorHash();
  const cached = readManifest();
  if (
    !opts.fresh &&
    cached &&
    fs.existsSync(CACHE_DB) &&
    JSON.stringify(cached.params) === JSON.stringify(params) &&
    cached.generatorSha256 === hash
  ) {
    return { manifest: cached, reused: true, file: CACHE_DB };
  }
  if (!opts.fresh && cached && fs.existsSync(CACHE_DB))
    console.log('cached database was built with other parameters or another generator: rebuilding');

  fs.mkdirSync(OUT, { recursive: true });
  const building = path.join(OUT, 'bench.building.sqlite3');
  removeDbFiles(building);
  tempFiles.add(building);

  const env = { ...process.env, DATABASE_URL: `sqlite:${building}`, LOG_LEVEL: 'warn' };
  const args = [
    'seed',
    '--tenants',
    String(params.tenants),
    '--orgs',
    String(params.orgs),
    '--notes-per-tenant',
    String(params.notesPerTenant),
    '--seed',
    params.seed,
  ];
  const seedCommand = `npm run cli -- ${args.join(' ')}`;
  // What an admin runs: `migrate` (the seed command refuses a database with pending migrations), then `seed`.
  console.log(
    `building the synthetic database in ${path.relative(ROOT, building)}: npm run cli -- migrate && ${seedCommand}`,
  );
  await runCli(['migrate'], env);
  const started = process.hrtime.bigint();
  const seedOutput = await runCli(args, env);
  const seedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const seedSummary = /seed: .* in [\d.]+ s/.exec(seedOutput)?.[0] ?? '';

  // Fold the WAL into the main file so the copy and the size are complete, then count what was built.
  const raw = new Database(building);
  raw.pragma('wal_checkpoint(TRUNCATE)');
  const rows = countRows(raw);
  raw.close();

  removeDbFiles(CACHE_DB);
  fs.renameSync(building, CACHE_DB);
  removeDbFiles(building);
  tempFiles.delete(building);
  const manifest: Manifest = {
    params,
    generatorSha256: hash,
    builtAt: new Date().toISOString(),
    seedSeconds,
    seedCommand,
    seedSummary,
    rows,
  };
  fs.writeFileSync(MANIFEST, JSON.stringify(manifest, null, 2) + '\n');
  return { manifest, reused: false, file: CACHE_DB };
}

/**
 * `npm run cli -- …` as a child process: `node --import tsx src/cli.ts …`, which is what the npm script's
 * tsx runs, minus tsx's wrapper process (one process to wait for and to kill). Output passed through and returned.
 */
async function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  if (!fs.existsSync(CLI)) throw new Error('src/cli.ts is missing: the admin CLI builds the bench database');
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  children.add(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    process.stdout.write(chunk);
  });
  const code = await waitForExit(child);
  children.delete(child);
  if (code !== 0) throw new Error(`\`npm run cli -- ${args.join(' ')}\` exited with ${code}`);
  return output;
}

function countRows(raw: Database.Database): Record<string, number> {
  const rows: Record<string, number> = {};
  for (const table of ['partner_orgs', 'users', 'tenants', 'tenant_services', 'assignments', 'notes']) {
    rows[table] = (raw.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------------------
// 2. Who signs in, and which search text

interface Subject {
  upn: string;
  orgName: string;
  orgTenants: number;
  q: string;
  qMatches: number;
}

/** The largest org (most P-RM tenants), its first active partner user, and a search text matching a few dozen of its tenants. */
function pickSubject(file: string): Subject {
  const raw = new Database(file);
  try {
    const org = raw
      .prepare(
        `SELECT a.org_id AS id, o.name AS name, count(DISTINCT a.tenant_id) AS n
           FROM assignments a JOIN partner_orgs o ON o.id = a.org_id
          WHERE a.type = 'P-RM' AND a.org_id IS NOT NULL
          GROUP BY a.org_id ORDER BY n DESC, a.org_id LIMIT 1`,
      )
      .get() as { id: number; name: string; n: number } | undefined;
    if (!org) throw new Error('the bench database has no org holding P-RM assignments');
    const user = raw
      .prepare(
        `SELECT upn FROM users WHERE org_id = ? AND kind = 'partner' AND status <> 'disabled'
          ORDER BY (upn LIKE 'user1@%') DESC, id LIMIT 1`,
      )
      .get(org.id) as { upn: string } | undefined;
    if (!user) throw new Error(`${org.name} has no active partner user to sign in as`);
    const tenants = raw
      .prepare(
        `SELECT tenant_name AS name, tenant_guid AS guid FROM tenants WHERE id IN (SELECT tenant_id FROM assignments WHERE type = 'P-RM' AND org_id = ?)`,
      )
      .all(org.id) as { name: string; guid: string }[];
    // Same semantics as the repo: case-insensitive substring of the tenant name or the Tenant ID.
    const matches = (q: string) => {
      const needle = q.toLowerCase();
      let n = 0;
      for (const t of tenants) if (t.name.toLowerCase().includes(needle) || t.guid.includes(needle)) n++;
      return n;
    };
    let q = opts.q;
    if (!q) {
      const words = new Map<string, number>();
      for (const t of tenants) {
        for (const w of new Set(t.name.toLowerCase().split(/[^a-z0-9]+/)))
          if (w.length >= 3) words.set(w, (words.get(w) ?? 0) + 1);
      }
      // Whole words first; then 3–4 letter fragments of words when no word lands in the range.
      const pick = (candidates: Iterable<string>) => {
        let best: { q: string; n: number } | undefined;
        for (const c of candidates) {
          const n = matches(c);
          if (n < 20 || n > 60) continue;
          if (
            !best ||
            Math.abs(n - 36) < Math.abs(best.n - 36) ||
            (Math.abs(n - 36) === Math.abs(best.n - 36) && c < best.q)
          )
            best = { q: c, n };
        }
        return best?.q;
      };
      const fragments = new Set<string>();
      for (const w of words.keys())
        for (let len = 3; len <= 4; len++) for (let i = 0; i + len <= w.length; i++) fragments.add(w.slice(i, i + len));
      q =
        pick([...words.keys()].filter((w) => (words.get(w) ?? 0) >= 20 && (words.get(w) ?? 0) <= 60)) ??
        pick(fragments);
      if (!q) throw new Error('found no search text matching 20–60 of the org’s tenants; pass one with --q');
    }
    return { upn: user.upn, orgName: org.name, orgTenants: org.n, q, qMatches: matches(q) };
  } finally {
    raw.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 3. The server process

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

interface Server {
  child: ChildProcess;
  pid: number;
  base: string;
  /** The server's stdout/stderr (LOG_LEVEL=warn: warnings and errors only), last 200 lines. */
  output: string[];
}

async function startServer(dbFile: string): Promise<Server> {
  const port = await freePort();
  // `node --import tsx` is what node_modules/.bin/tsx runs, minus tsx's own wrapper process: the pid we
  // sample for RSS is the server itself.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', 'server.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      AUTH_MODE: 'dev',
      DATABASE_URL: `sqlite:${dbFile}`,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      SESSION_SECRET: crypto.randomBytes(32).toString('base64url'),
      // Only the one sign-in below; the default is fine, but a stray environment value must not throttle it.
      LOGIN_RATE_LIMIT: '20',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.add(child);
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) output.push(line);
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `the server exited during start-up (${child.exitCode ?? child.signalCode}):\n${output.join('\n')}`,
      );
    }
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) return { child, pid: child.pid!, base, output };
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server did not answer /healthz within 60 s:\n${output.join('\n')}`);
}

/** VmRSS / VmHWM of a process in bytes, from /proc (Linux). */
function procMemory(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/** CPU ticks from /proc: the whole machine (busy = all but idle and iowait) and given processes (utime + stime). */
interface CpuSnapshot {
  total: number;
  busy: number;
  procs: number[];
}

function cpuSnapshot(pids: number[]): CpuSnapshot | undefined {
  try {
    const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
    const total = fields.reduce((a, b) => a + b, 0);
    const procs = pids.map((pid) => {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(after[11]) + Number(after[12]);
    });
    return { total, busy: total - fields[3] - fields[4], procs };
  } catch {
    return undefined;
  }
}

/** Cores used between two snapshots: [machine, each process…, everything else]. */
function coresUsed(a: CpuSnapshot | undefined, b: CpuSnapshot | undefined): number[] | undefined {
  if (!a || !b || b.total === a.total) return undefined;
  const elapsed = (b.total - a.total) / os.cpus().length;
  const busy = (b.busy - a.busy) / elapsed;
  const procs = b.procs.map((v, i) => (v - a.procs[i]) / elapsed);
  return [busy, ...procs, Math.max(0, busy - procs.reduce((x, y) => x + y, 0))];
}

/** Cores used by processes other than the server and the bench over a 2 s window. */
async function otherLoad(serverPid: number): Promise<number | undefined> {
  const a = cpuSnapshot([serverPid, process.pid]);
  await new Promise((r) => setTimeout(r, 2000));
  return coresUsed(a, cpuSnapshot([serverPid, process.pid]))?.[3];
}

/** Waits (up to `seconds`) until other processes use less than a quarter of a core; returns the last reading. */
async function waitQuiet(serverPid: number, seconds: number): Promise<number | undefined> {
  const deadline = Date.now() + seconds * 1000;
  let load = await otherLoad(serverPid);
  while (load !== undefined && load >= 0.25 && Date.now() < deadline) {
    process.stdout.write(`other processes are using ${load.toFixed(2)} cores; waiting for a quiet machine…\r`);
    load = await otherLoad(serverPid);
  }
  if (seconds > 0) process.stdout.write('\n');
  return load;
}

class RssSampler {
  peak = 0;
  phase = 'start-up';
  readonly peakByPhase = new Map<string, number>();
  private timer: NodeJS.Timeout;
  constructor(private readonly pid: number) {
    this.sample();
    this.timer = setInterval(() => this.sample(), 200);
  }
  sample(): void {
    const m = procMemory(this.pid);
    if (!m) return;
    this.peak = Math.max(this.peak, m.rss);
    this.peakByPhase.set(this.phase, Math.max(this.peakByPhase.get(this.phase) ?? 0, m.rss));
  }
  stop(): void {
    clearInterval(this.timer);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 4. Sign-in (GET /login for the CSRF token and session cookie, POST /login/dev → 303 + the ftop.sid cookie)

function sessionCookie(res: Response): string | undefined {
  for (const c of res.headers.getSetCookie()) if (c.startsWith('ftop.sid=')) return c.split(';')[0];
  return undefined;
}

function csrfFrom(html: string): string {
  const m = /<meta\s+name="csrf-token"\s+content="([^"]+)"/.exec(html);
  if (!m) throw new Error('the login page has no csrf-token meta');
  return m[1];
}

async function signIn(base: string, upn: string): Promise<string> {
  const login = await fetch(`${base}/login`);
  const preCookie = sessionCookie(login);
  if (login.status !== 200 || !preCookie)
    throw new Error(`GET /login answered ${login.status} without a session cookie`);
  const csrf = csrfFrom(await login.text());
  const res = await fetch(`${base}/login/dev`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: preCookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: upn, _csrf: csrf }).toString(),
  });
  const cookie = sessionCookie(res);
  if (res.status !== 303 || !cookie)
    throw new Error(`POST /login/dev as ${upn} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return cookie;
}

/** One request to check a route answers 200 with the expected content before it is measured. */
async function check(
  base: string,
  route: string,
  cookie: string,
): Promise<{ bytes: number; partnerCount?: number; rows?: number }> {
  const res = await fetch(base + route, { headers: { cookie }, redirect: 'manual' });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`GET ${route} answered ${res.status} (expected 200): ${body.slice(0, 300)}`);
  const count = /data-count="partner">([\d,]+)</.exec(body)?.[1];
  return {
    bytes: Buffer.byteLength(body),
    partnerCount: count === undefined ? undefined : Number(count.replace(/,/g, '')),
    rows: (body.match(/data-pane-url=/g) ?? []).length,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// 5. Query profile: the SQL one list request runs, each statement timed on its own, with its plan

interface Statement {
  label: string;
  sql: string;
  bindings: unknown[];
}

function labelStatements(captured: { sql: string; bindings: unknown[] }[]): Statement[] {
  const tabs = ['my-active', 'my-inactive', 'partner'];
  let counts = 0;
  return captured.map((c) => {
    const sql = c.sql;
    let label = sql.replace(/\s+/g, ' ').slice(0, 50);
    if (/count\(\*\)/i.test(sql) && /from `tenants`/i.test(sql)) label = `tab count (${tabs[counts++] ?? '?'})`;
    else if (/from `tenants`/i.test(sql)) label = 'page rows (tenants, ORDER BY … LIMIT)';
    else if (/from `tenant_services`/i.test(sql)) label = 'page figures: tenant_services';
    else if (/from `assignment_scopes`/i.test(sql)) label = 'page figures: primary P-RM';
    else if (/from `assignments`/i.test(sql)) label = 'page figures: my roles';
    return { label, sql, bindings: c.bindings };
  });
}

/** better-sqlite3 takes no booleans; knex's dialect binds them as 1/0. */
const bindable = (bindings: unknown[]) => bindings.map((b) => (typeof b === 'boolean' ? Number(b) : b));

interface PlanRow {
  id: number;
  parent: number;
  detail: string;
}

function planTree(rows: PlanRow[]): string[] {
  const depth = new Map<number, number>([[0, 0]]);
  return rows.map((r) => {
    const d = (depth.get(r.parent) ?? 0) + 1;
    depth.set(r.id, d);
    return `${'  '.repeat(d)}${r.detail}`;
  });
}

/** Median ms of a statement over `runs` executions, and its row count. */
function timeStatement(raw: Database.Database, s: Statement, runs = 15): { ms: number; rows: number } {
  const stmt = raw.prepare(s.sql);
  const args = bindable(s.bindings);
  let rows = 0;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    rows = stmt.all(...args).length;
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { ms: median(times), rows };
}

function explain(raw: Database.Database, s: Statement): string[] {
  return planTree(raw.prepare(`EXPLAIN QUERY PLAN ${s.sql}`).all(...bindable(s.bindings)) as PlanRow[]);
}

/**
 * Captures the SQL frpView() runs for each route (knex 'query' events), times every statement on its own
 * with better-sqlite3, prints its plan, then runs ANALYZE on the throw-away copy and times them again
 * (the product never runs ANALYZE, so the planner works without sqlite_stat1 statistics).
 */
async function profile(
  file: string,
  upn: string,
  routes: { name: string; query: Record<string, string> }[],
): Promise<string[]> {
  const lines: string[] = [];
  const db = createDb(`sqlite:${file}`);
  const perRoute: {
    name: string;
    whole: number;
    statements: (Statement & { ms: number; rows: number; plan: string[] })[];
  }[] = [];
  let raw = new Database(file);
  try {
    const user = await findSignInUser(db, { upn });
    if (!user) throw new Error(`profile: ${upn} cannot sign in`);
    const scope = accessScope(user);
    for (const route of routes) {
      const query = parseListQuery(route.query);
      const captured: { sql: string; bindings: unknown[] }[] = [];
      const onQuery = (q: { sql: string; bindings?: unknown[] }) =>
        captured.push({ sql: q.sql, bindings: q.bindings ?? [] });
      await frpView(db, scope, query); // warm
      db.on('query', onQuery);
      await frpView(db, scope, query);
      db.removeListener('query', onQuery);
      const whole: number[] = [];
      for (let i = 0; i < 20; i++) {
        const t = process.hrtime.bigint();
        await frpView(db, scope, query);
        whole.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
      const statements = labelStatements(captured).map((s) => ({
        ...s,
        ...timeStatement(raw, s),
        plan: explain(raw, s),
      }));
      perRoute.push({ name: route.name, whole: median(whole), statements });
    }

    // What one session-row write costs: an UPDATE of the row, one WAL commit with synchronous=FULL.
    // (src/auth/session.ts makes store.touch() a no-op; a session is re-saved at most once a minute.)
    raw.pragma('synchronous = FULL');
    const sid = `bench-${crypto.randomUUID()}`;
    raw
      .prepare('INSERT INTO sessions (sid, sess, expired) VALUES (?, ?, ?)')
      .run(sid, '{}', new Date(Date.now() + 3600_000).toISOString());
    const touch = raw.prepare('UPDATE sessions SET expired = ? WHERE sid = ? AND expired >= ?');
    const touchTimes: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t = process.hrtime.bigint();
      touch.run(new Date(Date.now() + 3600_000 + i).toISOString(), sid, new Date().toISOString());
      touchTimes.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    raw.prepare('DELETE FROM sessions WHERE sid = ?').run(sid);

    // The same statements with planner statistics (fresh connection: statistics load at open).
    const t = process.hrtime.bigint();
    raw.exec('ANALYZE');
    const analyzeMs = Number(process.hrtime.bigint() - t) / 1e6;
    raw.close();
    raw = new Database(file);
    const printedPlans = new Map<string, string>();
    for (const route of perRoute) {
      lines.push(
        '',
        `${route.name}: frpView() in-process (knex, no HTTP, no render): median ${ms(route.whole)} ms over 20 calls`,
      );
      lines.push(
        `  ${pad('statement', 40)} ${lpad('median ms', 10)} ${lpad('share', 6)} ${lpad('rows', 5)} ${lpad('after ANALYZE', 14)}`,
      );
      const total = route.statements.reduce((a, s) => a + s.ms, 0);
      let totalAnalyzed = 0;
      const changedPlans: { label: string; plan: string[] }[] = [];
      for (const s of route.statements) {
        const analyzed = timeStatement(raw, s);
        totalAnalyzed += analyzed.ms;
        const plan = explain(raw, s);
        if (plan.join('\n') !== s.plan.join('\n')) changedPlans.push({ label: s.label, plan });
        lines.push(
          `  ${pad(s.label, 40)} ${lpad(ms(s.ms), 10)} ${lpad(`${Math.round((100 * s.ms) / total)}%`, 6)} ${lpad(String(s.rows), 5)} ${lpad(ms(analyzed.ms), 14)}`,
        );
      }
      lines.push(
        `  ${pad('sum', 40)} ${lpad(ms(total), 10)} ${lpad('', 6)} ${lpad('', 5)} ${lpad(ms(totalAnalyzed), 14)}`,
      );
      // Plans are printed once: a later route whose statement has the same plan says so instead.
      let repeated = 0;
      const printPlan = (heading: string, key: string, plan: string[]) => {
        const text = plan.join('\n');
        if (printedPlans.get(key) === text) {
          repeated++;
          return;
        }
        printedPlans.set(key, text);
        lines.push(`  ${heading}:`);
        for (const l of plan) lines.push(`  ${l}`);
      };
      for (const s of route.statements) {
        if (s.label.startsWith('tab count') || s.label.startsWith('page rows'))
          printPlan(`EXPLAIN QUERY PLAN — ${s.label}`, s.label, s.plan);
      }
      for (const c of changedPlans)
        printPlan(`EXPLAIN QUERY PLAN after ANALYZE — ${c.label}`, `analyzed ${c.label}`, c.plan);
      if (repeated) lines.push(`  (${repeated} plan(s) identical to the ones printed above)`);
    }
    lines.push(
      '',
      `one session-row write (at most once a minute per session; WAL + synchronous=FULL): median ${ms(median(touchTimes))} ms over 50 commits`,
      `ANALYZE of the whole database: ${ms(analyzeMs)} ms`,
    );
  } finally {
    if (raw.open) raw.close();
    await db.destroy();
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------------------------
// Main

interface RouteResult {
  name: string;
  route: string;
  reqPerSec: number;
  p50: number;
  p90: number;
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
}

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

  const qRoute = `${LIST_PATH}&q=${encodeURIComponent(subject.q)}`;
  // The list twice: as served (the read cache answers repeated views until the data changes) and with
  // `Cache-Control: no-cache`, which makes the server run every query, as on the first view after a write.
  const routes: { name: string; route: string; fresh?: boolean }[] = [
    { name: `baseline (${BASELINE_PATH})`, route: BASELINE_PATH },
    { name: 'partner list, page 1 by name', route: LIST_PATH },
    { name: `partner list + q=${subject.q}`, route: qRoute },
    { name: 'partner list, page 1 by name, no cache', route: LIST_PATH, fresh: true },
    { name: `partner list + q=${subject.q}, no cache`, route: qRoute, fresh: true },
  ];

  const checks = [];
  for (const r of routes) checks.push(await check(server.base, r.route, cookie));
  if (checks[1].partnerCount !== subject.orgTenants) {
    throw new Error(`the partner tab shows ${checks[1].partnerCount} tenants, the database says ${subject.orgTenants}`);
  }
  if (checks[2].partnerCount !== subject.qMatches) {
    throw new Error(
      `q=${subject.q}: the partner tab shows ${checks[2].partnerCount} tenants, expected ${subject.qMatches}`,
    );
  }

  const quietLoad = await waitQuiet(server.pid, WAIT_QUIET);
  const headersFor = (r: { fresh?: boolean }): Record<string, string> =>
    r.fresh ? { cookie, 'cache-control': 'no-cache' } : { cookie };
  sampler.phase = 'warm-up';
  for (const r of routes) {
    const w = await autocannon({
      url: server.base + r.route,
      connections: CONNECTIONS,
      amount: WARMUP,
      headers: headersFor(r),
    });
    if (w.non2xx || w.errors) throw new Error(`warm-up of ${r.route}: ${w.non2xx} non-2xx, ${w.errors} errors`);
  }

  const results: RouteResult[] = [];
  for (const [i, r] of routes.entries()) {
    process.stdout.write(`measuring ${r.name}: ${CONNECTIONS} connections × ${DURATION} s … `);
    sampler.phase = r.name;
    const cpuBefore = cpuSnapshot([server.pid, process.pid]);
    const res = await autocannon({
      url: server.base + r.route,
      connections: CONNECTIONS,
      duration: DURATION,
      headers: headersFor(r),
      timeout: 10,
    });
    const cpu = coresUsed(cpuBefore, cpuSnapshot([server.pid, process.pid]));
    sampler.sample();
    const statusCodes = Object.fromEntries(
      Object.entries(res.statusCodeStats ?? {}).map(([code, s]) => [code, s.count]),
    );
    results.push({
      name: r.name,
      route: r.fresh ? `${r.route} (no-cache)` : r.route,
      reqPerSec: res.requests.average,
      p50: res.latency.p50,
      p90: res.latency.p90,
      p99: res.latency.p99,
      max: res.latency.max,
      total: res.requests.total,
      errors: res.errors,
      timeouts: res.timeouts,
      non2xx: res.non2xx,
      bytes: res.requests.total ? res.throughput.total / res.requests.total : checks[i].bytes,
      statusCodes,
      peakRss: sampler.peakByPhase.get(r.name) ?? 0,
      cpu: cpu && { machine: cpu[0], server: cpu[1], bench: cpu[2], others: cpu[3] },
    });
    console.log(`${int(res.requests.average)} req/s`);
  }

  sampler.sample();
  sampler.stop();
  const hwm = procMemory(server.pid)?.hwm ?? 0;
  await stopChild(server.child);

  // ------------------------------------------------------------------ report
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
    `autocannon: ${CONNECTIONS} connections, ${DURATION} s per route, after ${WARMUP} warm-up requests per route; server LOG_LEVEL=warn`,
  );
  out.push(
    `baseline: GET ${BASELINE_PATH}, a static 25-row table (no query of its own) rendered in the layout through the same`,
  );
  out.push(
    '          middleware (helmet, pino-http, session, passport user load, CSRF token, no-store); bench/server.ts',
  );
  out.push('');
  const header = [
    pad('route', 52),
    lpad('req/s', 8),
    lpad('p50 ms', 7),
    lpad('p99 ms', 7),
    lpad('max ms', 7),
    lpad('vs base', 8),
    lpad('err/non2xx', 11),
    lpad('KB/resp', 8),
  ];
  out.push(header.join(' '));
  out.push('-'.repeat(header.join(' ').length));
  for (const r of results) {
    out.push(
      [
        pad(`GET ${r.route}`, 52),
        lpad(int(r.reqPerSec), 8),
        lpad(String(r.p50), 7),
        lpad(String(r.p99), 7),
        lpad(String(r.max), 7),
        lpad(`${((100 * r.reqPerSec) / base).toFixed(0)}%`, 8),
        lpad(`${r.errors + r.timeouts}/${r.non2xx}`, 11),
        lpad((r.bytes / 1024).toFixed(1), 8),
      ].join(' '),
    );
  }
  out.push('');
  out.push(
    `server RSS: idle ${mb(idleRss)}, peak ${mb(sampler.peak)} (VmRSS every 200 ms; per route: ${results.map((r) => mb(r.peakRss)).join(' / ')}), VmHWM ${mb(hwm)}`,
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
  const lists = results.slice(1);
  out.push(
    `targets (informational): list p99 < 50 ms — ${lists.map((r) => `${r.p99} ms ${r.p99 < 50 ? 'yes' : 'NO'}`).join(', ')}; ` +
      `list ≥ 40% of baseline req/s — ${lists.map((r) => `${((100 * r.reqPerSec) / base).toFixed(0)}% ${r.reqPerSec >= 0.4 * base ? 'yes' : 'NO'}`).join(', ')}`,
  );
  const failures = results.filter((r) => r.errors || r.timeouts || r.non2xx);
  for (const r of failures)
    out.push(
      `ERRORS on ${r.route}: errors=${r.errors} timeouts=${r.timeouts} non2xx=${r.non2xx} status codes=${JSON.stringify(r.statusCodes)}`,
    );
  if (server.output.length) {
    out.push(`server output during the run (warnings and errors, last ${Math.min(20, server.output.length)} lines):`);
    for (const l of server.output.slice(-20)) out.push(`  ${l.slice(0, 300)}`);
  }
  console.log(out.join('\n'));

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
        profile: profileLines,
      },
      null,
      2,
    ) + '\n',
  );
  removeDbFiles(runDb);
  tempFiles.delete(runDb);
  if (failures.length) process.exitCode = 1;
}

main().catch((err) => {
  console.error(`\nbench failed: ${err instanceof Error ? err.message : String(err)}`);
  cleanupSync();
  process.exit(1);
});
