import { onPostgres } from '../helpers/db';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { loadConfig, today } from '../../src/config';
import { kindOf, sqliteFilename, type Db } from '../../src/db/db';
import { buildTestApp, csrfFrom, hx, loginAs, SignedIn, TestApp } from '../helpers/app';
import { addService, assign, createOrg, createTenant, createUser, TenantRef, UserRef } from '../helpers/factories';
import {
  buildAppOver,
  corruptIndexPages,
  diskIsFull,
  fillDisk,
  freePort,
  holdPgTableLock,
  holdWriteLock,
  httpGet,
  mountTmpfs,
  startServer,
  stopChildren,
  tmpfsProblem,
  unmount,
} from '../helpers/faults';

/**
 * Database faults and bad request bodies: SECURITY.md §5.3 and cases 43–48. A locked database, a full
 * disk and an unusable file at start-up answer 503 (with Retry-After) or refuse to start, never 500 or
 * a crash; bodies the app does not read answer 4xx; none of it puts a secret in the log.
 */

const TEST_TIMEOUT = 30_000;
const SESSION_SECRET = 's'.repeat(40);
/**
 * How long the app waits for a lock in these tests (DB_LOCK_TIMEOUT_MS; 5 s by default): long enough for a
 * save to outwait a lock held ~1 s (case 46), short enough not to make every refusal cost 5 s.
 */
const LOCK_WAIT = { DB_LOCK_TIMEOUT_MS: '2500' };
/**
 * Far longer than the app's wait: a refused sign-in waits for it twice (the session save at the end of
 * the response waits too). The tests let go earlier with release().
 */
const LONG_LOCK_MS = 20_000;

afterEach(() => stopChildren());

const ON_PG = onPostgres();

/**
 * Another writer holding the lock a save needs: on SQLite another process holding the database's write
 * lock; on PostgreSQL another session holding the tables a status or forecast save writes (EXCLUSIVE:
 * reads go on). Past the app's wait (busy_timeout / lock_timeout, LOCK_WAIT) the save is a 503 "busy".
 */
function holdLock(t: TestApp, ms: number) {
  return kindOf(t.db) === 'postgres'
    ? holdPgTableLock(t.config.databaseUrl, ['tenants', 'tenant_services', 'notes'], ms)
    : holdWriteLock(sqliteFilename(t.config.databaseUrl), ms);
}

// ---------------------------------------------------------------------------------------------------
// Fixtures and small helpers

interface Fixture {
  user: UserRef;
  tenant: TenantRef;
  tsId: number;
}

/** An org, a partner user assigned to a tenant (P-FE on EXO) that has EXO with an empty RFA date. */
async function fixture(db: Db): Promise<Fixture> {
  const org = await createOrg(db);
  const user = await createUser(db, { org, name: 'Ava Smith' });
  const tenant = await createTenant(db);
  await assign(db, { tenant, userId: org.queueUserId, type: 'P-RM', primary: ['TENANT'] });
  await assign(db, { tenant, userId: user.id, type: 'P-FE', scopes: ['EXO'] });
  const tsId = await addService(db, tenant, 'EXO', { total: 100 });
  return { user, tenant, tsId };
}

/** What an overall-status save changes: the tenant row and its notes and history. */
async function statusState(db: Db, tenant: TenantRef) {
  const row = await db('tenants').where('id', tenant.id).first('overall_status', 'version');
  const count = async (table: string) => Number((await db(table).where('tenant_id', tenant.id).count({ n: '*' }))[0].n);
  return {
    overallStatus: row.overall_status as string | null,
    version: row.version as number,
    notes: await count('notes'),
    history: await count('overall_status_history'),
  };
}

/** A valid overall-status form for the tenant's current version. */
async function statusForm(t: TestApp, tenant: TenantRef, note = 'Waiting for the works council.') {
  const { version } = await statusState(t.db, tenant);
  return { overall_status: 'Blocked', status_date: today(t.config), note, version: String(version) };
}

const statusUrl = (tenant: TenantRef) => `/tenants/${tenant.guid}/overall-status`;

/** The plain-form save (303 on success), token in the `_csrf` field. */
function postStatus(who: SignedIn, tenant: TenantRef, form: Record<string, string>) {
  return who.agent
    .post(statusUrl(tenant))
    .type('form')
    .send({ ...form, _csrf: who.csrf });
}

/** The htmx forecast autosave of the RFA date (200 on success). */
function postForecast(who: SignedIn, tenant: TenantRef, form: Record<string, string>) {
  return hx(who.agent.post(`/tenants/${tenant.guid}/services/EXO/forecast`))
    .type('form')
    .send({ version: '1', ...form, _csrf: who.csrf });
}

const dbFaults = (t: TestApp) => t.logs.filter((l) => l.event === 'db.fault');

/** A 503 as the app promises it: Retry-After in seconds and a readable page, no driver internals. */
function expectFaultPage(res: request.Response, message: RegExp) {
  expect(res.status).toBe(503);
  expect(res.headers['retry-after']).toMatch(/^[1-9]\d*$/);
  expect(res.headers['content-type']).toMatch(/text\/html/);
  expect(res.text).toMatch(message);
  expect(res.text).not.toMatch(/SQLITE_|SqliteError|at \w+ \(|node_modules/);
}

/** The signed session cookie value an agent holds, and the store key (sid) inside it. */
function sessionCookie(agent: SignedIn['agent']): { value: string; sid: string } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { CookieAccessInfo } = require('cookiejar');
  const cookie = agent.jar.getCookies(CookieAccessInfo.All).find((c: { name: string }) => c.name === 'ftop.sid');
  if (!cookie) throw new Error('agent has no session cookie');
  return { value: cookie.value, sid: decodeURIComponent(cookie.value).slice(2).split('.')[0] };
}

// ---------------------------------------------------------------------------------------------------

describe('locked database (cases 43, 46)', () => {
  let t: TestApp;
  let f: Fixture;

  beforeAll(async () => {
    t = await buildTestApp(LOCK_WAIT);
    f = await fixture(t.db);
  });
  afterAll(() => t.close());

  const sessionRows = async () => Number((await t.db('sessions').count({ n: '*' }))[0].n);

  it('waits DB_LOCK_TIMEOUT_MS for a lock (busy_timeout on SQLite, lock_timeout on PostgreSQL)', async () => {
    if (ON_PG) {
      expect(await t.db.raw('SHOW lock_timeout')).toMatchObject({ rows: [{ lock_timeout: '2500ms' }] });
    } else {
      expect(await t.db.raw('PRAGMA busy_timeout')).toEqual([{ timeout: 2500 }]);
    }
    expect(t.config.dbLockTimeoutMs).toBe(2500);
    const env = { NODE_ENV: 'development', AUTH_MODE: 'dev' };
    expect(loadConfig(env).dbLockTimeoutMs).toBe(5000);
    expect(() => loadConfig({ ...env, DB_LOCK_TIMEOUT_MS: '0' })).toThrow(/DB_LOCK_TIMEOUT_MS/);
    expect(() => loadConfig({ ...env, DB_LOCK_TIMEOUT_MS: 'soon' })).toThrow(/DB_LOCK_TIMEOUT_MS/);
  });

  // SQLite locks the whole database, so even a sign-in (a session row) waits; PostgreSQL locks tables and
  // rows, and a sign-in writes only `sessions`: there is no such refusal to test there.
  (ON_PG ? it.skip : it)(
    'answers an anonymous GET /login with 200 and a sign-in with 503 + Retry-After while another process holds the write lock (case 43, SQLite)',
    async () => {
      const agent = request.agent(t.app);
      const rowsBefore = await sessionRows();
      const faultsBefore = dbFaults(t).length;
      const lock = await holdLock(t, LONG_LOCK_MS);
      try {
        const login = await agent.get('/login');
        expect(login.status).toBe(200);
        const res = await agent
          .post('/login/dev')
          .type('form')
          .send({ email: f.user.upn, _csrf: csrfFrom(login.text) });
        expectFaultPage(res, /The database is busy/);
        expect(await sessionRows()).toBe(rowsBefore);
      } finally {
        await lock.release();
      }
      expect(dbFaults(t).slice(faultsBefore)).toEqual([expect.objectContaining({ kind: 'busy', status: 503 })]);
      // Still anonymous; once the lock is gone the same sign-in works.
      expect((await agent.get('/tenants')).status).toBe(302);
      const login = await agent.get('/login');
      const res = await agent
        .post('/login/dev')
        .type('form')
        .send({ email: f.user.upn, _csrf: csrfFrom(login.text) });
      expect(res.status).toBe(303);
      expect(await sessionRows()).toBe(rowsBefore + 1);
    },
    TEST_TIMEOUT,
  );

  it(
    'answers a signed-in save with 503 + Retry-After and writes nothing while locked; the same save succeeds after (case 43)',
    async () => {
      const ava = await loginAs(t.app, f.user.upn);
      const before = await statusState(t.db, f.tenant);
      const form = await statusForm(t, f.tenant);
      const faultsBefore = dbFaults(t).length;
      const lock = await holdLock(t, LONG_LOCK_MS);
      try {
        expect((await request(t.app).get('/healthz')).status).toBe(200);
        const res = await postStatus(ava, f.tenant, form);
        expectFaultPage(res, /The database is busy/);
        expect(await statusState(t.db, f.tenant)).toEqual(before);
      } finally {
        await lock.release();
      }
      expect(dbFaults(t).slice(faultsBefore)).toEqual([expect.objectContaining({ kind: 'busy', status: 503 })]);
      expect((await request(t.app).get('/healthz')).status).toBe(200);

      const again = await postStatus(ava, f.tenant, form);
      expect(again.status).toBe(303);
      expect(await statusState(t.db, f.tenant)).toEqual({
        overallStatus: 'Blocked',
        version: before.version + 1,
        notes: before.notes + 1,
        history: before.history + 1,
      });
      expect((await request(t.app).get('/healthz')).status).toBe(200);
    },
    TEST_TIMEOUT,
  );

  it(
    'lets an overall-status save and a forecast save wait for a write lock held ~1 s, and stores both (case 46)',
    async () => {
      const ava = await loginAs(t.app, f.user.upn);
      const before = await statusState(t.db, f.tenant);
      const form = { ...(await statusForm(t, f.tenant)), overall_status: 'Paused', note: 'Paused for the holidays.' };
      const rfa = today(t.config);
      const lock = await holdLock(t, 1000);
      const startedAt = Date.now();
      const [status, forecast] = await Promise.all([
        postStatus(ava, f.tenant, form),
        postForecast(ava, f.tenant, { rfa_submitted_date: rfa }),
      ]);
      const { releasedAt } = await lock.exited;
      // Both saves were sent while the other process still held the lock.
      expect(startedAt).toBeLessThan(releasedAt);

      expect(status.status).toBe(303);
      expect(forecast.status).toBe(200);
      expect(await statusState(t.db, f.tenant)).toEqual({
        overallStatus: 'Paused',
        version: before.version + 1,
        notes: before.notes + 1,
        history: before.history + 1,
      });
      expect(await t.db('tenant_services').where('id', f.tsId).first('rfa_submitted_date', 'version')).toEqual({
        rfa_submitted_date: rfa,
        version: 2,
      });
    },
    TEST_TIMEOUT,
  );
});

// ---------------------------------------------------------------------------------------------------

describe('request bodies on a write route (case 45)', () => {
  let t: TestApp;
  let f: Fixture;
  let ava: SignedIn;

  beforeAll(async () => {
    t = await buildTestApp();
    f = await fixture(t.db);
    ava = await loginAs(t.app, f.user.upn);
  });
  afterAll(() => t.close());

  /** An htmx POST to the overall-status route with a valid X-CSRF-Token header. */
  const post = () => hx(ava.agent.post(statusUrl(f.tenant))).set('X-CSRF-Token', ava.csrf);
  const formText = async () => new URLSearchParams(await statusForm(t, f.tenant)).toString();

  // Each sender returns the response (an async function awaits the supertest request it builds).
  const cases: [string, number, () => Promise<request.Response>][] = [
    [
      'text/plain',
      415,
      async () =>
        post()
          .set('Content-Type', 'text/plain')
          .send(await formText()),
    ],
    [
      'multipart/form-data',
      415,
      async () => {
        const req = post();
        for (const [k, v] of Object.entries(await statusForm(t, f.tenant))) req.field(k, v);
        return req;
      },
    ],
    [
      'application/xml',
      415,
      async () =>
        post()
          .set('Content-Type', 'application/xml')
          .send('<status><overall_status>Blocked</overall_status><note>x</note></status>'),
    ],
    // A Buffer body gets no Content-Type from superagent (asserted below).
    ['a body without Content-Type', 415, async () => post().send(Buffer.from(await formText()))],
    ['malformed JSON', 400, async () => post().set('Content-Type', 'application/json').send('{"a":')],
    [
      'a JSON array',
      400,
      async () =>
        post()
          .set('Content-Type', 'application/json')
          .send(JSON.stringify([await statusForm(t, f.tenant)])),
    ],
    [
      'an oversized form (200 KB)',
      413,
      async () =>
        post()
          .type('form')
          .send({ ...(await statusForm(t, f.tenant)), padding: 'p'.repeat(200 * 1024) }),
    ],
  ];

  it.each(cases)('answers %s with %i and writes nothing (case 45)', async (kind, status, send) => {
    const before = await statusState(t.db, f.tenant);
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.status).not.toBe(500);
    if (kind === 'a body without Content-Type') {
      expect(
        (res as unknown as { req: { getHeader(n: string): unknown } }).req.getHeader('content-type'),
      ).toBeUndefined();
    }
    expect(await statusState(t.db, f.tenant)).toEqual(before);
  });

  it('saves the same form sent as a JSON object with the header token, so the refusals above are about the body (case 45)', async () => {
    const before = await statusState(t.db, f.tenant);
    const res = await post()
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(await statusForm(t, f.tenant)));
    expect(res.status).toBe(200);
    expect(await statusState(t.db, f.tenant)).toMatchObject({ version: before.version + 1, notes: before.notes + 1 });
  });
});

// ---------------------------------------------------------------------------------------------------

describe('logs hold no secrets (case 47)', () => {
  const SECRET = 'SECRET-VALUE-7781';
  let t: TestApp;
  let f: Fixture;

  beforeAll(async () => {
    t = await buildTestApp(LOCK_WAIT);
    f = await fixture(t.db);
  });
  afterAll(() => t.close());

  it(
    'logs 503, 415, 400, 413, 422, 403 and 500 without the session cookie, session id, CSRF token or posted values (case 47)',
    async () => {
      const ava = await loginAs(t.app, f.user.upn);
      const cookie = sessionCookie(ava.agent);
      const form = await statusForm(t, f.tenant, `Escalated: ${SECRET}`);
      const url = statusUrl(f.tenant);
      const withToken = () => hx(ava.agent.post(url)).set('X-CSRF-Token', ava.csrf);
      const statuses: number[] = [];

      // 503: the write lock held by another process past the busy timeout.
      const lock = await holdLock(t, LONG_LOCK_MS);
      try {
        statuses.push((await postStatus(ava, f.tenant, form)).status);
      } finally {
        await lock.release();
      }
      // 415, 400, 413: bodies the app does not read, each carrying the secret.
      statuses.push((await withToken().set('Content-Type', 'text/plain').send(`note=${SECRET}`)).status);
      statuses.push((await withToken().set('Content-Type', 'application/json').send(`{"note":"${SECRET}",`)).status);
      statuses.push(
        (
          await withToken()
            .type('form')
            .send({ ...form, padding: 'p'.repeat(200 * 1024) })
        ).status,
      );
      // 422: a validation failure (unknown status) with the secret in the note.
      statuses.push((await postStatus(ava, f.tenant, { ...form, overall_status: 'Sleeping' })).status);
      // 403: a wrong CSRF token.
      statuses.push(
        (
          await ava.agent
            .post(url)
            .type('form')
            .send({ ...form, _csrf: 'not-the-token' })
        ).status,
      );
      // 500: the table the contact form writes is gone, so the INSERT with the posted name fails.
      await t.db.schema.renameTable('contacts', 'contacts_gone');
      try {
        const res = await ava.agent
          .post(`/tenants/${f.tenant.guid}/contacts`)
          .type('form')
          .send({ contact_type: 'Customer', name: `Li ${SECRET}`, _csrf: ava.csrf });
        statuses.push(res.status);
      } finally {
        await t.db.schema.renameTable('contacts_gone', 'contacts');
      }
      expect(statuses).toEqual([503, 415, 400, 413, 422, 403, 500]);

      // Each failure was logged (so the check below is about content, not absence)...
      expect(dbFaults(t)).toEqual([expect.objectContaining({ kind: 'busy', status: 503 })]);
      expect(t.logs.filter((l) => l.event === 'request.rejected').map((l) => l.status)).toEqual(
        expect.arrayContaining([415, 400, 413]),
      );
      expect(t.logs.some((l) => l.event === 'validation.failed')).toBe(true);
      expect(t.logs.some((l) => l.event === 'csrf.failed')).toBe(true);
      const failed = t.logs.find((l) => l.msg === 'request failed') as { err?: { message?: string } } | undefined;
      // ...the 500's SQL with `?` placeholders, not the bound values...
      expect(failed?.err?.message).toMatch(/insert into [`"]contacts[`"].*(\?|\$1)/i);
      expect(failed?.err?.message).toMatch(/no such table|relation "contacts" does not exist/);

      // ...and nothing secret anywhere.
      const logged = JSON.stringify(t.logs);
      expect(logged).not.toContain(SECRET);
      expect(logged).not.toContain(cookie.value);
      expect(logged).not.toContain(decodeURIComponent(cookie.value));
      expect(logged).not.toContain(cookie.sid);
      expect(logged).not.toContain(ava.csrf);
      expect(logged).not.toContain('ftop.sid=');
    },
    TEST_TIMEOUT,
  );
});

// ---------------------------------------------------------------------------------------------------

const noTmpfs = tmpfsProblem();
if (noTmpfs) console.warn(`SKIPPED: the full-disk tests (case 44) need a tmpfs mount: ${noTmpfs}`);
const itWithTmpfs = noTmpfs ? it.skip : it;

describe('full disk (case 44)', () => {
  let dir: string | undefined;
  let file: string;
  let t: TestApp | undefined;
  let f: Fixture;
  let ava: SignedIn;
  let filler: { free(): void } | undefined;

  beforeAll(async () => {
    if (noTmpfs) return;
    dir = mountTmpfs('40m');
    file = path.join(dir, 'ftop.sqlite3');
    fs.copyFileSync(process.env.FTOP_TEST_TEMPLATE_DB!, file);
    t = buildAppOver(`sqlite:${file}`);
    f = await fixture(t.db); // a tenant, so the real server below does not try to seed the demo data
    ava = await loginAs(t.app, f.user.upn);
  });
  afterEach(() => filler?.free());
  afterAll(async () => {
    await stopChildren();
    await t?.close();
    if (dir) unmount(dir);
  });

  itWithTmpfs(
    'answers a write with 503 + Retry-After and a read with 200 while the disk is full; writes resume once space is freed (case 44)',
    async () => {
      const app = t!;
      const before = await statusState(app.db, f.tenant);
      const form = await statusForm(app, f.tenant);
      filler = fillDisk(dir!);
      expect(diskIsFull(dir!)).toBe(true);

      const res = await postStatus(ava, f.tenant, form);
      expectFaultPage(res, /run out of disk space/);
      expect(dbFaults(app).at(-1)).toMatchObject({ kind: 'full', code: 'SQLITE_FULL', status: 503 });
      expect((await ava.agent.get('/tenants')).status).toBe(200);
      expect(await statusState(app.db, f.tenant)).toEqual(before);

      filler.free();
      const again = await postStatus(ava, f.tenant, form);
      expect(again.status).toBe(303);
      expect(await statusState(app.db, f.tenant)).toEqual({
        overallStatus: 'Blocked',
        version: before.version + 1,
        notes: before.notes + 1,
        history: before.history + 1,
      });
    },
    TEST_TIMEOUT,
  );

  itWithTmpfs(
    'starts the real server on a full disk and answers GET /healthz 200 (case 44)',
    async () => {
      filler = fillDisk(dir!);
      expect(diskIsFull(dir!)).toBe(true);
      const port = await freePort();
      const server = await startServer({
        NODE_ENV: 'development',
        AUTH_MODE: 'dev',
        PORT: String(port),
        DATABASE_URL: `sqlite:${file}`,
        SESSION_SECRET,
        LOG_LEVEL: 'warn',
      });
      expect({ outcome: server.outcome, output: server.output() }).toMatchObject({ outcome: 'up' });
      expect(await httpGet(port, '/healthz')).toMatchObject({ status: 200 });
      expect(diskIsFull(dir!)).toBe(true);
      await server.stop();
    },
    TEST_TIMEOUT,
  );
});

// ---------------------------------------------------------------------------------------------------

describe('NODE_ENV=production start-up (case 48)', () => {
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ftop-prod-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** What production needs besides the database (src/config.ts): a secret and Entra sign-in (never contacted at start). */
  const production = async (databaseUrl: string) => ({
    NODE_ENV: 'production',
    AUTH_MODE: 'entra',
    ENTRA_ISSUER: 'http://127.0.0.1:9/v2.0',
    ENTRA_CLIENT_ID: 'ftop-test',
    ENTRA_CLIENT_SECRET: 'not-a-real-secret',
    ENTRA_REDIRECT_URL: 'http://localhost:3000/auth/entra/callback',
    SESSION_SECRET,
    LOG_LEVEL: 'warn',
    PORT: String(await freePort()),
    DATABASE_URL: databaseUrl,
  });

  it(
    'refuses a missing database file: exit 1, a message naming the file and `ftop migrate`, no folder created (case 48)',
    async () => {
      const missing = path.join(dir, 'missing-folder', 'x.sqlite3');
      const server = await startServer(await production(`sqlite:${missing}`), 15_000);
      expect({ outcome: server.outcome, code: server.code, output: server.output() }).toMatchObject({
        outcome: 'exited',
        code: 1,
      });
      expect(server.output()).toContain(missing);
      expect(server.output()).toContain('ftop migrate');
      expect(fs.existsSync(path.join(dir, 'missing-folder'))).toBe(false);
    },
    TEST_TIMEOUT,
  );

  it(
    'refuses a database file that fails PRAGMA quick_check: exit 1 and a message saying so (case 48)',
    async () => {
      const damaged = path.join(dir, 'damaged.sqlite3');
      fs.copyFileSync(process.env.FTOP_TEST_TEMPLATE_DB!, damaged);
      const problems = corruptIndexPages(damaged, 3);
      expect(problems).not.toEqual(['ok']);
      const server = await startServer(await production(`sqlite:${damaged}`), 15_000);
      expect({ outcome: server.outcome, code: server.code, output: server.output() }).toMatchObject({
        outcome: 'exited',
        code: 1,
      });
      expect(server.output()).toContain('quick_check');
      expect(server.output()).toContain(damaged);
    },
    TEST_TIMEOUT,
  );

  it(
    'starts on a healthy migrated database and answers GET /healthz 200 (case 48)',
    async () => {
      const healthy = path.join(dir, 'healthy.sqlite3');
      fs.copyFileSync(process.env.FTOP_TEST_TEMPLATE_DB!, healthy);
      const server = await startServer(await production(`sqlite:${healthy}`));
      expect({ outcome: server.outcome, output: server.output() }).toMatchObject({ outcome: 'up' });
      expect(await httpGet(server.port, '/healthz')).toMatchObject({ status: 200 });
      await server.stop();
    },
    TEST_TIMEOUT,
  );
});
