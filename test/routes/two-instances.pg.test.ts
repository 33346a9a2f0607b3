import http from 'node:http';
import { freePort, startServer, stopChildren, type ServerRun } from '../helpers/faults';
import { createPgDatabase, describeOnPostgres } from '../helpers/pg';

/**
 * Stateless instances (issue 13 item 4, docs/deploy.md): two real server processes on one PostgreSQL
 * database, as behind a load balancer without sticky sessions. Whatever one instance knows, the other
 * knows at once: the session, the version a save checks, the sign-in failures, the notes search.
 */

interface Answer {
  status: number;
  cookies: string[];
  location?: string;
  body: string;
}

function send(
  port: number,
  method: string,
  path: string,
  opts: { cookie?: string; form?: Record<string, string> } = {},
) {
  const body = opts.form ? new URLSearchParams(opts.form).toString() : undefined;
  return new Promise<Answer>((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (opts.cookie) headers.Cookie = opts.cookie;
    if (body !== undefined) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    const req = http.request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          cookies: (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]),
          location: res.headers.location,
          body: text,
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

const csrfOf = (html: string) => /name="csrf-token" content="([^"]+)"/.exec(html)?.[1] ?? '';
const USER = 'ava@northwind-partners.example'; // a demo user: each instance seeds an empty database once

/** A sign-in attempt through the dev form on `port`: 303 with the session cookie, or the refusal. */
async function signIn(port: number, email: string): Promise<Answer & { session?: string }> {
  const login = await send(port, 'GET', '/login');
  const res = await send(port, 'POST', '/login/dev', {
    cookie: login.cookies.join('; '),
    form: { email, _csrf: csrfOf(login.body) },
  });
  return { ...res, session: res.cookies.find((c) => c.startsWith('ftop.sid=')) };
}

describeOnPostgres('two instances on one database', () => {
  let drop: () => Promise<void>;
  let a: ServerRun;
  let b: ServerRun;

  beforeAll(async () => {
    const pg = await createPgDatabase();
    drop = pg.drop;
    const env = (port: number) => ({
      PORT: String(port),
      DATABASE_URL: pg.url,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      SESSION_SECRET: 'one-secret-shared-by-every-instance-0123456789',
      LOGIN_RATE_LIMIT: '3',
    });
    // The first migrates and seeds; the second starts on the ready database, as in a rolling start.
    a = await startServer(env(await freePort()), 90_000);
    b = await startServer(env(await freePort()), 90_000);
    expect([a.outcome, b.outcome]).toEqual(['up', 'up']);
  }, 200_000);

  afterAll(async () => {
    await stopChildren();
    await drop?.();
  });

  it('a session signed in on one instance is valid on the other', async () => {
    const { status, session } = await signIn(a.port, USER);
    expect(status).toBe(303);
    const page = await send(b.port, 'GET', '/tenants', { cookie: session });
    expect(page.status).toBe(200);
    expect(page.body).toContain('Ava');
    const out = await send(b.port, 'POST', '/logout', { cookie: session, form: { _csrf: csrfOf(page.body) } });
    expect(out.status).toBe(303);
    expect((await send(a.port, 'GET', '/tenants', { cookie: session })).location).toMatch(/^\/login/);
  });

  it('a save on one instance makes the same form stale on the other (409), and its note is found there at once', async () => {
    const { session } = await signIn(a.port, USER);
    const list = await send(a.port, 'GET', '/tenants?tab=my-active', { cookie: session });
    const guid = /\/tenants\/([0-9a-f-]{36})/.exec(list.body)![1];
    const formOn = async (port: number) => {
      const res = await send(port, 'GET', `/tenants/${guid}/overall-status`, { cookie: session });
      expect(res.status).toBe(200);
      return {
        version: /name="version" value="(\d+)"/.exec(res.body)![1],
        csrf: /name="_csrf" value="([^"]+)"/.exec(res.body)![1],
      };
    };
    const [onA, onB] = [await formOn(a.port), await formOn(b.port)];
    expect(onA.version).toBe(onB.version);
    const save = (port: number, f: { version: string; csrf: string }, note: string) =>
      send(port, 'POST', `/tenants/${guid}/overall-status`, {
        cookie: session,
        form: { _csrf: f.csrf, version: f.version, overall_status: 'Paused', status_date: '2026-11-30', note },
      });
    expect((await save(a.port, onA, 'Paused while the customer renews quokkaline licences')).status).toBe(303);
    const stale = await save(b.port, onB, 'A second opinion written on a stale form');
    expect(stale.status).toBe(409);
    const found = await send(b.port, 'GET', '/notes/search?q=quokkaline', { cookie: session });
    expect(found.status).toBe(200);
    expect(found.body).toContain('data-note=');
    expect(found.body).toContain('renews');
  });

  it('counts failed sign-ins across both instances', async () => {
    const statuses = [];
    for (const port of [a.port, b.port, a.port, b.port]) statuses.push((await signIn(port, 'nobody@x.example')).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});
