import request from 'supertest';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/http/logger';
import { buildTestApp, type TestApp } from '../helpers/app';
import { buildAppOver } from '../helpers/faults';

/** GET /healthz (CONTRACT.md) and GET /readyz (docs/deploy.md): no sign-in, no session, JSON. */
describe('GET /readyz', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it('answers 200 ready when the database answers and every migration is applied, and stores no session', async () => {
    const res = await request(t.app).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready' });
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('answers 503 not ready, naming the pending migrations, when the schema is older than the build', async () => {
    const last = (await t.db('knex_migrations').orderBy('id', 'desc').first()) as Record<string, unknown>;
    await t.db('knex_migrations').where({ id: last.id }).delete();
    try {
      const res = await request(t.app).get('/readyz');
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ status: 'not ready', reason: '1 pending migration(s)' });
      // Liveness is another question: the process and the database are fine.
      expect((await request(t.app).get('/healthz')).status).toBe(200);
    } finally {
      await t.db('knex_migrations').insert(last);
    }
    expect((await request(t.app).get('/readyz')).status).toBe(200);
  });

  it('answers 503 while the process is shutting down', async () => {
    const app = createApp({ config: t.config, db: t.db, logger: createLogger('silent'), stopping: () => true });
    const res = await request(app).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'not ready', reason: 'shutting down' });
  });

  it('answers 503 when the database does not answer, without naming it', async () => {
    const other = buildAppOver(t.config.databaseUrl);
    await other.close(); // the pool is gone: every query fails
    const res = await request(other.app).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'not ready', reason: 'database unavailable' });
    expect(JSON.stringify(res.body)).not.toContain(t.config.databaseUrl);
    expect((await request(other.app).get('/healthz')).status).toBe(503);
  });
});
