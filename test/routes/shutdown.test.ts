import http from 'node:http';
import { createTestDb } from '../helpers/db';
import { freePort, httpGet, send, signIn, startServer, stopChildren } from '../helpers/faults';

/**
 * Graceful shutdown (src/server.ts, docs/deploy.md): the real server as a child process. SIGTERM while a
 * request is in flight: the request still completes with 200, new connections are refused, the idle
 * keep-alive connection does not hold the process, and it exits 0 after closing the pool.
 */

afterEach(() => stopChildren());

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
