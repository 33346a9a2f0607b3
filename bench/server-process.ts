/**
 * 3. The server process, and 4. sign-in (GET /login for the CSRF token and session cookie,
 * POST /login/dev → 303 + the ftop.sid cookie).
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { children } from './children';
import { OUT, ROOT } from './options';

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

export interface Server {
  child: ChildProcess;
  pid: number;
  base: string;
  /** The server's stdout/stderr (LOG_LEVEL=warn: warnings and errors only), last 200 lines. */
  output: string[];
}

/** A secret every instance of one run shares, so a session signed in on one is valid on the others. */
const RUN_SECRET = crypto.randomBytes(32).toString('base64url');

let built: string | null = null;

/** bench/server.ts and the code it loads compiled once per run into bench/out/server/, as npm start builds dist/. */
function builtServer(): string {
  if (built) return built;
  const out = path.join(OUT, 'server');
  const r = spawnSync(process.execPath, ['scripts/build.js', '--out', out, 'bench/server.ts'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`scripts/build.js failed: ${r.stderr || r.stdout}`);
  built = path.join(out, 'bench', 'server.js');
  return built;
}

/** The bench server on a SQLite file or a postgres:// URL. */
export async function startServer(db: string): Promise<Server> {
  const port = await freePort();
  // The server runs as `npm start` runs it: compiled to JavaScript (scripts/build.js, here with this
  // server's bench/server.ts), then `node --max-semi-space-size=8 …` (package.json; docs/decisions.md 134,
  // 142), so the pid we sample for RSS is the server itself.
  // BENCH_SERVER_NODE_ARGS adds node options to the server, e.g. `--cpu-prof --cpu-prof-dir=DIR` (bench/README.md).
  const nodeArgs = [
    '--max-semi-space-size=8',
    ...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean),
  ];
  const child = spawn(process.execPath, [...nodeArgs, builtServer()], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      AUTH_MODE: 'dev',
      DATABASE_URL: db.startsWith('postgres://') ? db : `sqlite:${db}`,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      SESSION_SECRET: RUN_SECRET,
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

function sessionCookie(res: Response): string | undefined {
  for (const c of res.headers.getSetCookie()) if (c.startsWith('ftop.sid=')) return c.split(';')[0];
  return undefined;
}

function csrfFrom(html: string): string {
  const m = /<meta\s+name="csrf-token"\s+content="([^"]+)"/.exec(html);
  if (!m) throw new Error('the login page has no csrf-token meta');
  return m[1];
}

/**
 * Signs in through the login page as a browser does: GET /login sets the signed sign-in CSRF cookie
 * (`ftop.csrf`; a visitor gets no session row), POST /login/dev sends it back with the page's token
 * and answers with the session cookie.
 */
export async function signIn(base: string, upn: string): Promise<string> {
  const login = await fetch(`${base}/login`);
  const csrfCookie = login.headers
    .getSetCookie()
    .find((c) => c.startsWith('ftop.csrf='))
    ?.split(';')[0];
  if (login.status !== 200 || !csrfCookie)
    throw new Error(`GET /login answered ${login.status} without the sign-in CSRF cookie`);
  const csrf = csrfFrom(await login.text());
  const res = await fetch(`${base}/login/dev`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: csrfCookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: upn, _csrf: csrf }).toString(),
  });
  const cookie = sessionCookie(res);
  if (res.status !== 303 || !cookie)
    throw new Error(`POST /login/dev as ${upn} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return cookie;
}

/** One request to check a route answers 200 with the expected content before it is measured. */
export async function check(
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
