import request from 'supertest';
import { createApp } from '../../src/app';
import { buildTestApp, loginAs, memoryLogger, TestApp } from '../helpers/app';
import { createOrg, createTenant, createUser, assign } from '../helpers/factories';

type Line = Record<string, unknown> & { req?: Record<string, unknown>; res?: Record<string, unknown> };

/**
 * The request line pino-http writes when a request ends (src/http/logger.ts `httpLogger`, decision 139):
 * its id is the X-Request-Id header, the path without its query, the status, the time taken and who the
 * request was for; nothing else of the request; and only at the levels the logger writes.
 */
describe('request log lines', () => {
  let t: TestApp;
  let userId: number;
  let orgId: number;
  let upn: string;

  beforeAll(async () => {
    t = await buildTestApp();
    const org = await createOrg(t.db);
    const user = await createUser(t.db, { org });
    ({ id: userId, upn } = user);
    orgId = org.id;
    const tenant = await createTenant(t.db, { name: 'logline.onmicrosoft.com' });
    await assign(t.db, { tenant, userId: org.queueUserId, type: 'P-RM', primary: ['TENANT'] });
  });
  afterAll(() => t.close());

  const completed = (logs: Line[], id: string): Line[] =>
    logs.filter((l) => (l.req as { id?: string } | undefined)?.id === id && l.msg === 'request completed');

  it('writes one line per request with its id, method, path without the query, status, time and user', async () => {
    const { agent } = await loginAs(t.app, upn);
    const res = await agent.get('/tenants?q=logline-secret&tab=partner').set('Cookie', 'extra=cookie-secret');
    expect(res.status).toBe(200);
    const id = res.headers['x-request-id'] as string;
    const lines = completed(t.logs as Line[], id);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      req: { id, method: 'GET', path: '/tenants' },
      res: { statusCode: 200 },
      userId,
      orgId,
    });
    expect(Object.keys(lines[0].req!).sort()).toEqual(['id', 'method', 'path']);
    expect(Object.keys(lines[0].res!)).toEqual(['statusCode']);
    expect(typeof lines[0].responseTime).toBe('number');
    const logged = JSON.stringify(t.logs);
    expect(logged).not.toContain('logline-secret');
    expect(logged).not.toContain('cookie-secret');
  });

  it("writes a visitor's redirect to sign-in without a user, and a refused post as a warning", async () => {
    const redirect = await request(t.app).get('/tenants');
    expect(redirect.status).toBe(302);
    const [line] = completed(t.logs as Line[], redirect.headers['x-request-id'] as string);
    expect(line).toMatchObject({ level: 30, req: { method: 'GET', path: '/tenants' }, res: { statusCode: 302 } });
    expect(line).not.toHaveProperty('userId');
    expect(line).not.toHaveProperty('orgId');
    const refused = await request(t.app).post('/login/dev').type('form').send({ email: upn });
    expect(refused.status).toBe(403);
    expect(completed(t.logs as Line[], refused.headers['x-request-id'] as string)).toEqual([
      expect.objectContaining({ level: 40, req: { id: expect.any(String), method: 'POST', path: '/login/dev' } }),
    ]);
  });

  it('at LOG_LEVEL=warn writes no line for a 200 and the line for a 404, with the user', async () => {
    const { logs: lines, logger } = memoryLogger('warn');
    const logs = lines as Line[];
    const app = createApp({ config: t.config, db: t.db, logger });
    const { agent } = await loginAs(app, upn);
    const ok = await agent.get('/tenants');
    expect(ok.status).toBe(200);
    const missing = await agent.get('/tenants/00000000-0000-0000-0000-000000000000');
    expect(missing.status).toBe(404);
    expect(completed(logs, ok.headers['x-request-id'] as string)).toEqual([]);
    expect(completed(logs, missing.headers['x-request-id'] as string)).toEqual([
      expect.objectContaining({ level: 40, res: { statusCode: 404 }, userId, orgId }),
    ]);
  });
});
