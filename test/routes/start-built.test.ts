import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createTestDb } from '../helpers/db';
import { freePort, httpGet, startServer, stopChildren } from '../helpers/faults';

/**
 * `npm start` compiles the server first (scripts/build.js, docs/decisions.md 142) and runs the JavaScript
 * with plain node. Here the build goes to a folder of its own under test-results/ and that server runs as
 * a child process: it starts on a fresh database (migrations and the demo seed from dist/), finds the
 * views and stylesheets in the project's folders, signs a user in and shows the tenant list, and stops
 * on SIGTERM with exit code 0.
 */

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { build } = require('../../scripts/build.js') as { build(o: { out: string }): number };

const ROOT = path.resolve(__dirname, '..', '..');
const OUT = path.join(ROOT, 'test-results', `build-${process.pid}`);
const SIGNED_IN_AS = 'ava@northwind-partners.example'; // a demo user: the server seeds an empty database

afterEach(() => stopChildren());
afterAll(() => fs.rmSync(OUT, { recursive: true, force: true }));

function request(port: number, method: string, urlPath: string, headers: Record<string, string> = {}, body?: string) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const cookieOf = (setCookie: string[] | undefined) => (setCookie ?? []).map((c) => c.split(';')[0]).join('; ');

describe('npm start: the compiled server (scripts/build.js)', () => {
  test('every TypeScript file of src/, migrations/ and seeds/ becomes JavaScript with its source map; data files come along', () => {
    const compiled = build({ out: OUT });
    const sources = ['src', 'migrations', 'seeds'].flatMap((dir) =>
      (fs.readdirSync(path.join(ROOT, dir), { recursive: true }) as string[])
        .filter((f) => f.endsWith('.ts'))
        .map((f) => path.join(dir, f)),
    );
    expect(compiled).toBe(sources.length);
    for (const file of sources) {
      const js = path.join(OUT, file.replace(/\.ts$/, '.js'));
      expect(fs.existsSync(js)).toBe(true);
      expect(fs.existsSync(`${js}.map`)).toBe(true);
    }
    expect(fs.existsSync(path.join(OUT, 'seeds', 'services.json'))).toBe(true);
    expect(fs.existsSync(path.join(OUT, 'src', 'features', 'suggest', 'training', 'training-notes.txt'))).toBe(true);
    // Built as tsx loads a file, but without keepNames' __name() wrapper around every function.
    expect(fs.readFileSync(path.join(OUT, 'src', 'db', 'sql.js'), 'utf8')).not.toContain('__name(');
  });

  test('starts on a fresh database, serves its pages and stylesheets, signs in, and stops on SIGTERM with 0', async () => {
    if (!fs.existsSync(path.join(OUT, 'src', 'server.js'))) build({ out: OUT });
    const { db, url } = await createTestDb();
    await db.destroy();
    const port = await freePort();
    const server = await startServer(
      { PORT: String(port), DATABASE_URL: url, NODE_ENV: 'test', LOG_LEVEL: 'info' },
      30_000,
      path.join(OUT, 'src', 'server.js'),
    );
    expect(server.outcome).toBe('up');

    const login = await request(port, 'GET', '/login');
    expect(login.status).toBe(200);
    const csrf = /name="csrf-token" content="([^"]+)"/.exec(login.body)![1];
    expect((await httpGet(port, '/static/css/app.css')).status).toBe(200);

    const form = new URLSearchParams({ email: SIGNED_IN_AS, _csrf: csrf }).toString();
    const signedIn = await request(
      port,
      'POST',
      '/login/dev',
      {
        Cookie: cookieOf(login.headers['set-cookie']),
        'Content-Type': 'application/x-www-form-urlencoded',
        'Content-Length': String(Buffer.byteLength(form)),
      },
      form,
    );
    expect(signedIn.status).toBe(303);
    const list = await request(port, 'GET', '/tenants', { Cookie: cookieOf(signedIn.headers['set-cookie']) });
    expect(list.status).toBe(200);
    expect(list.body).toMatch(/<table class="grid grid-tenants" id="tenant-table">/);
    expect(
      (list.body.match(/<tr data-pane-url="\/tenants\/[0-9a-f-]{36}\/entitlements"/g) ?? []).length,
    ).toBeGreaterThan(0);

    server.signal('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('"msg":"stopped"');
  }, 60_000);
});
