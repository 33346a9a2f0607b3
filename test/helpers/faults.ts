import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createDb } from '../../src/db/db';
import { createLogger } from '../../src/http/logger';
import type { TestApp } from './app';

/**
 * Fault-test helpers (SECURITY.md §5.3): a second process holding SQLite's write lock, the real server
 * as a child process, a tmpfs that can be filled, and the app over a database file of the caller's choice.
 * Every child started here is remembered; `stopChildren()` (afterEach) ends those still running.
 */

const ROOT = path.resolve(__dirname, '../..');
const children = new Set<ChildProcess>();

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Ends every child this module started that is still running (SIGKILL, by its own handle), and waits. */
export async function stopChildren(): Promise<void> {
  const running = [...children];
  for (const child of running) child.kill('SIGKILL');
  await Promise.all(running.map(exitOf));
}

let nextPort = Math.floor(Math.random() * 500);

/**
 * A port nobody listens on just now, from a block of 500 below Linux's ephemeral range (32768–60999) that
 * belongs to this jest worker alone. A port the kernel hands out with `listen(0)` is free again the moment
 * it is returned, so another worker could be handed the same one while this worker's child server is still
 * starting (about a second with tsx); that worker's server then answered this one's `/healthz`, and a
 * server that should have refused to start looked up (seen once in CI). Within a worker the ports go round
 * the block, so two calls in a row (two servers) never get the same one.
 */
export async function freePort(): Promise<number> {
  const worker = Number(process.env.JEST_WORKER_ID ?? 1);
  const base = 20_000 + (worker % 25) * 500;
  for (let i = 0; i < 500; i++) {
    const port = base + (nextPort++ % 500);
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port in ${base}–${base + 499}`);
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

/** The app (as buildTestApp builds it, logs captured) over an existing, migrated database at `databaseUrl`. */
export function buildAppOver(databaseUrl: string, env: Record<string, string> = {}): TestApp {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'info',
    SESSION_SECRET: 'x'.repeat(40),
    ...env,
  });
  const db = createDb(databaseUrl);
  const logs: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      cb();
    },
  });
  const app = createApp({ config, db, logger: createLogger('info', stream) });
  return { app, db, config, logs, close: () => db.destroy() };
}

// ---------------------------------------------------------------------------------------------------
// Another process holding the write lock

const LOCK_SCRIPT = `
const Database = require('better-sqlite3');
const db = new Database(process.env.LOCK_FILE, { timeout: 10000 });
db.exec('BEGIN IMMEDIATE');
console.log('locked ' + Date.now());
let done = false;
const release = () => {
  if (done) return;
  done = true;
  db.exec('COMMIT');
  db.close();
  console.log('released ' + Date.now());
  process.exit(0);
};
setTimeout(release, Number(process.env.HOLD_MS));
process.stdin.on('data', release);
process.stdin.on('end', release);
`;

export interface WriteLock {
  /** Epoch ms at which the child held the lock. */
  lockedAt: number;
  /** Resolves when the child has committed, closed and exited: when (epoch ms) it let go, and its exit code. */
  exited: Promise<{ code: number | null; releasedAt: number }>;
  /** Lets go now (before `ms` is up) and waits for the child to exit. */
  release(): Promise<{ code: number | null; releasedAt: number }>;
}

/**
 * Spawns a separate process (`node -e`, better-sqlite3) that runs `BEGIN IMMEDIATE` on `file` and holds
 * SQLite's write lock for `ms` (or until `release()`). Resolves once the child says it holds the lock.
 * It must be another process: better-sqlite3 is synchronous, so while this process's app waits for the
 * lock its event loop is blocked.
 */
export function holdWriteLock(file: string, ms: number): Promise<WriteLock> {
  const child = track(
    spawn(process.execPath, ['-e', LOCK_SCRIPT], {
      cwd: ROOT,
      env: { ...process.env, LOCK_FILE: file, HOLD_MS: String(ms) },
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
  );
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; releasedAt: number }>((resolve) => {
    // 'close', not 'exit': stdout is complete only once the child's pipes have closed.
    child.once('close', (code) => {
      const released = /released (\d+)/.exec(stdout);
      resolve({ code, releasedAt: released ? Number(released[1]) : Date.now() });
    });
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the lock holder did not take the lock within 15 s: ${stderr}`));
    }, 15_000);
    child.stdout!.on('data', (d) => {
      stdout += d;
      const locked = /locked (\d+)/.exec(stdout);
      if (!locked) return;
      clearTimeout(timer);
      resolve({
        lockedAt: Number(locked[1]),
        exited,
        release() {
          if (child.exitCode === null && child.stdin!.writable) child.stdin!.end('release\n');
          return exited;
        },
      });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the lock holder exited (${code}) before taking the lock: ${stderr}`));
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// The real server as a child process

export interface ServerRun {
  /** 'up': GET /healthz answered 200; 'exited': the process ended first; 'timeout': neither in time. */
  outcome: 'up' | 'exited' | 'timeout';
  code: number | null;
  /** Milliseconds from spawn to the outcome. */
  ms: number;
  port: number;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM, then SIGKILL after 5 s; waits for the exit. */
  stop(): Promise<void>;
  /** Sends `signal` and returns at once. */
  signal(signal: NodeJS.Signals): void;
  /** Resolves with the exit code (null when a signal ended the process) once it has exited. */
  exited: Promise<number | null>;
}

/** GET on 127.0.0.1:port (status and body; status 0 when nothing answered). */
export function httpGet(port: number, urlPath: string, timeoutMs = 2000): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve({ status: 0, body }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ status: 0, body: '' }));
  });
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request to a server started by startServer, through `agent` (a keep-alive one, say) or a new connection. */
export function send(
  port: number,
  agent: http.Agent | undefined,
  method: string,
  urlPath: string,
  opts: { cookie?: string; form?: string } = {},
): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (opts.cookie) headers.Cookie = opts.cookie;
    if (opts.form !== undefined) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      headers['Content-Length'] = String(Buffer.byteLength(opts.form));
    }
    const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, agent, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.form);
  });
}

/** The cookies an answer sets, as a Cookie header. */
export const cookieOf = (a: Answer) => (a.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');

/**
 * Signs in through the dev sign-in form as `upn` (by default a demo user: the server seeds an empty
 * database) and returns the session cookie.
 */
export async function signIn(
  port: number,
  agent?: http.Agent,
  upn = 'ava@northwind-partners.example',
): Promise<string> {
  const login = await send(port, agent, 'GET', '/login');
  const csrf = /name="csrf-token" content="([^"]+)"/.exec(login.body)![1];
  const form = new URLSearchParams({ email: upn, _csrf: csrf }).toString();
  const res = await send(port, agent, 'POST', '/login/dev', { cookie: cookieOf(login), form });
  expect(res.status).toBe(303);
  return cookieOf(res);
}

/**
 * Starts `node --require tsx/cjs src/server.ts` (or `entry`, a script that calls its start(); a compiled
 * `.js` one without tsx's hook) with only `env` (plus PATH and HOME) and resolves on the first GET /healthz
 * that answers 200, on the process's exit, or after `timeoutMs`. `env.PORT` must be set.
 */
export async function startServer(
  env: Record<string, string>,
  timeoutMs = 20_000,
  entry = 'src/server.ts',
): Promise<ServerRun> {
  const port = Number(env.PORT);
  const started = Date.now();
  const child = track(
    spawn(process.execPath, entry.endsWith('.ts') ? ['--require', 'tsx/cjs', entry] : [entry], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = exitOf(child);
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  let outcome: ServerRun['outcome'] = 'timeout';
  while (Date.now() - started < timeoutMs) {
    if (hasExited) {
      outcome = 'exited';
      break;
    }
    if ((await httpGet(port, '/healthz', 1000)).status === 200) {
      outcome = 'up';
      break;
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 150))]);
  }
  return {
    outcome,
    code: child.exitCode,
    ms: Date.now() - started,
    port,
    output: () => output,
    signal: (signal) => void child.kill(signal),
    exited: exited.then(() => child.exitCode),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// A small disk that can be filled

/** Why a tmpfs cannot be mounted here (not root, not Linux, mount refused), or null when it can. */
export function tmpfsProblem(): string | null {
  if (process.platform !== 'linux') return `mounting a tmpfs needs Linux (this is ${process.platform})`;
  const uid = process.getuid?.();
  if (uid !== 0) return `mounting a tmpfs needs root (running as uid ${uid})`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ftop-probe-'));
  try {
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { encoding: 'utf8' });
    if (r.error || r.status !== 0)
      return `mount -t tmpfs failed: ${(r.error?.message ?? r.stderr ?? '').trim() || `exit ${r.status}`}`;
    unmount(dir);
    return null;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Mounts a tmpfs of `size` (e.g. '40m') on a new temporary folder and returns the folder. */
export function mountTmpfs(size: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ftop-full-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`mount -t tmpfs failed: ${r.error?.message ?? r.stderr}`);
  return dir;
}

/** Unmounts (lazily if something still holds a file there) and removes the folder. */
export function unmount(dir: string): void {
  if (spawnSync('umount', [dir]).status !== 0) spawnSync('umount', ['-l', dir]);
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Writes a filler file into `dir` until not one more byte fits; `free()` deletes it. */
export function fillDisk(dir: string): { file: string; bytes: number; free(): void } {
  const file = path.join(dir, 'filler.bin');
  const block = Buffer.alloc(1 << 20, 0xab);
  const fd = fs.openSync(file, 'w');
  let bytes = 0;
  try {
    for (let chunk = block.length; chunk >= 1;) {
      try {
        bytes += fs.writeSync(fd, block, 0, chunk);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
        chunk = Math.floor(chunk / 2);
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return { file, bytes, free: () => fs.rmSync(file, { force: true }) };
}

/** True when not even one new 4 KiB block can be written in `dir`. */
export function diskIsFull(dir: string): boolean {
  const probe = path.join(dir, `probe-${process.pid}`);
  try {
    fs.writeFileSync(probe, Buffer.alloc(8192));
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOSPC';
  } finally {
    fs.rmSync(probe, { force: true });
  }
}

// ---------------------------------------------------------------------------------------------------
// A damaged database file

/**
 * Overwrites `count` index pages from the middle of a (checkpointed) database file with garbage and
 * returns what `PRAGMA quick_check` then says. Index pages, not table or schema pages: SQLite still
 * opens the file and quick_check reports the damage as rows instead of failing outright.
 */
export function corruptIndexPages(file: string, count = 3): string[] {
  const db = new Database(file, { readonly: true });
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pages = (
    db
      .prepare(
        `SELECT s.pageno FROM dbstat s JOIN sqlite_schema m ON m.name = s.name
         WHERE m.type = 'index' AND s.pagetype = 'leaf' ORDER BY s.pageno`,
      )
      .all() as { pageno: number }[]
  ).map((r) => r.pageno);
  db.close();
  const middle = Math.max(0, Math.floor(pages.length / 2) - Math.floor(count / 2));
  const fd = fs.openSync(file, 'r+');
  try {
    for (const page of pages.slice(middle, middle + count)) {
      const garbage = Buffer.alloc(pageSize);
      for (let i = 0; i < pageSize; i++) garbage[i] = (i * 37 + page * 11) & 0xff;
      fs.writeSync(fd, garbage, 0, pageSize, (page - 1) * pageSize);
    }
  } finally {
    fs.closeSync(fd);
  }
  const check = new Database(file);
  try {
    return (check.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check);
  } finally {
    check.close();
  }
}

// ---------------------------------------------------------------------------------------------------
// PostgreSQL: another session holding table locks

/**
 * PostgreSQL's counterpart of holdWriteLock: another session (its own pool) takes `LOCK TABLE … IN
 * EXCLUSIVE MODE` on `tables` (readers go on, writers wait: past the app's lock_timeout they get 55P03)
 * and holds it for `ms` or until `release()`. No child process is needed: the pg driver does not block
 * this process's event loop while the app waits.
 */
export async function holdPgTableLock(url: string, tables: string[], ms: number): Promise<WriteLock> {
  const db = createDb(url, { poolMax: 1 });
  const trx = await db.transaction();
  await trx.raw(`LOCK TABLE ${tables.join(', ')} IN EXCLUSIVE MODE`);
  const lockedAt = Date.now();
  let resolveExit!: (v: { code: number | null; releasedAt: number }) => void;
  const exited = new Promise<{ code: number | null; releasedAt: number }>((resolve) => (resolveExit = resolve));
  let done = false;
  const release = async () => {
    if (!done) {
      done = true;
      clearTimeout(timer);
      await trx.rollback();
      const releasedAt = Date.now();
      await db.destroy();
      resolveExit({ code: 0, releasedAt });
    }
    return exited;
  };
  const timer = setTimeout(() => void release(), ms);
  return { lockedAt, exited, release };
}
