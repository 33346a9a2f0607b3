import http from 'node:http';
import { createTestDb } from '../helpers/db';
import { freePort, httpGet, startServer, stopChildren } from '../helpers/faults';

/**
 * Graceful shutdown (src/server.ts, docs/deploy.md): the real server as a child process. SIGTERM while a
 * request is in flight: the request still completes with 200, new connections are refused, the idle
 * keep-alive connection does not hold the process, and it exits 0 after closing the pool.
 */

const SIGNED_IN_AS = 'ava@northwind-partners.example'; // a demo user: the server seeds an empty database

afterEach(() => stopChildren());

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function send(
  port: number,
  agent: http.Agent,
  method: string,
  path: string,
  opts: { cookie?: string; form?: string } = {},
) {
  return new Promise<Answer>((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (opts.cookie) headers.Cookie = opts.cookie;
    if (opts.form !== undefined) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      headers['Content-Length'] = String(Buffer.byteLength(opts.form));
    }
    const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.form);
  });
}

const cookieOf = (a: Answer) => (a.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');

/** Signs in through the dev sign-in form and returns the session cookie. */
async function signIn(port: number, agent: http.Agent): Promise<string> {
  const login = await send(port, agent, 'GET', '/login');
  const csrf = /name="csrf-token" content="([^"]+)"/.exec(login.body)![1];
  const form = new URLSearchParams({ email: SIGNED_IN_AS, _csrf: csrf }).toString();
  const res = await send(port, agent, 'POST', '/login/dev', { cookie: cookieOf(login), form });
  expect(res.status).toBe(303);
  return cookieOf(res);
}

/** The real server with a `/test/slow` route on a fresh database, up and answering. */
async function slowServer(shutdownTimeoutMs: string) {
  const { db, url } = await createTestDb();
  await db.destroy();
  const port = await freePort();
  const server = await startServer(
    {
      PORT: String(port),
      DATABASE_URL: url,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      SHUTDOWN_TIMEOUT_MS: shutdownTimeoutMs,
    },
    60_000,
    'test/fixtures/slow-server.ts',
  );
  expect(server.outcome).toBe('up');
  return { port, server };
}

describe('graceful shutdown (SIGTERM)', () => {
  it('finishes the request in flight with 200, refuses new connections and exits 0', async () => {
    const { port, server } = await slowServer('8000');
    // One keep-alive connection carries every request, as a browser's would.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const cookie = await signIn(port, agent);
      const started = Date.now();
      const slow = send(port, agent, 'GET', '/test/slow?ms=1500', { cookie });
      await new Promise((r) => setTimeout(r, 300));
      server.signal('SIGTERM');
      await new Promise((r) => setTimeout(r, 200));
      // Not accepting any more: a new connection is refused while the slow request is still running.
      expect((await httpGet(port, '/healthz', 1000)).status).toBe(0);
      const answer = await slow;
      expect(answer.status).toBe(200);
      expect(answer.body).toBe('done');
      expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
      expect(answer.headers.connection).toBe('keep-alive'); // it began before the signal
      // The idle keep-alive connection is closed at once, not after keepAliveTimeout: the exit follows.
      const code = await server.exited;
      expect(code).toBe(0);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(server.output()).toContain('shutting down');
      expect(server.output()).toContain('"msg":"stopped"');
    } finally {
      agent.destroy();
    }
  }, 90_000);

  it('cuts a request that outlives SHUTDOWN_TIMEOUT_MS short and exits 1', async () => {
    const { port, server } = await slowServer('500');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const cookie = await signIn(port, agent);
      const slow = send(port, agent, 'GET', '/test/slow?ms=5000', { cookie }).catch((err: Error) => err);
      await new Promise((r) => setTimeout(r, 300));
      server.signal('SIGTERM');
      expect(await server.exited).toBe(1);
      expect(await slow).toMatchObject({ message: expect.stringMatching(/socket hang up|ECONNRESET/) });
      expect(server.output()).toContain('shutdown timeout');
    } finally {
      agent.destroy();
    }
  }, 90_000);
});
