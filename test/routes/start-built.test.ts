import fs from 'node:fs';
import path from 'node:path';
import { createTestDb } from '../helpers/db';
import { freePort, httpGet, send, signIn, startServer, stopChildren } from '../helpers/faults';

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

afterEach(() => stopChildren());
afterAll(() => fs.rmSync(OUT, { recursive: true, force: true }));

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

    expect((await httpGet(port, '/login')).status).toBe(200);
    expect((await httpGet(port, '/static/css/app.css')).status).toBe(200);
    const cookie = await signIn(port);
    const list = await send(port, undefined, 'GET', '/tenants', { cookie });
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
