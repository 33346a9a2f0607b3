import { freePort, httpGet, startServer, stopChildren } from '../helpers/faults';
import { createPgDatabase, describeOnPostgres } from '../helpers/pg';

/** The real server starting on PostgreSQL (src/db/open.ts): migrations at start-up, a clear refusal otherwise. */
afterEach(() => stopChildren());

describeOnPostgres('server start-up', () => {
  it('migrates an empty database, seeds the demo data (not production) and answers /readyz 200', async () => {
    const pg = await createPgDatabase();
    try {
      const port = await freePort();
      const server = await startServer(
        { PORT: String(port), DATABASE_URL: pg.url, NODE_ENV: 'test', LOG_LEVEL: 'info' },
        60_000,
      );
      expect(server.outcome).toBe('up');
      expect(server.output()).toContain('migrations applied');
      expect(await httpGet(port, '/readyz')).toEqual({ status: 200, body: '{"status":"ready"}' });
      await server.stop();
    } finally {
      await pg.drop();
    }
  }, 90_000);

  it('refuses to start when PostgreSQL cannot be reached: exit 1, one clear line, no URL or password', async () => {
    const port = await freePort();
    const dbPort = await freePort();
    const url = `postgres://ftop:Sup3r-Secret@127.0.0.1:${dbPort}/ftop`;
    const server = await startServer(
      {
        PORT: String(port),
        DATABASE_URL: url,
        NODE_ENV: 'production',
        SESSION_SECRET: 's'.repeat(40),
        AUTH_MODE: 'entra',
        ENTRA_ISSUER: 'http://127.0.0.1:1/',
        ENTRA_CLIENT_ID: 'x',
        ENTRA_CLIENT_SECRET: 'y',
        ENTRA_REDIRECT_URL: 'http://127.0.0.1/cb',
      },
      20_000,
    );
    expect(server.outcome).toBe('exited');
    expect(server.code).toBe(1);
    expect(server.output()).toContain('PostgreSQL (DATABASE_URL) cannot be reached: connect ECONNREFUSED');
    expect(server.output()).not.toContain('Sup3r-Secret');
    expect(server.output()).not.toContain(url);
  }, 30_000);
});
