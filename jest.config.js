/**
 * Jest: @swc/jest transpiles TypeScript to CommonJS (type-checking is `npm run typecheck`).
 *
 * The suite runs twice (issue 13): project `sqlite`, and project `postgres` where every test file gets
 * its own copy of a migrated PostgreSQL database (test/helpers/db.ts); the browser suites run once.
 * Without a reachable PostgreSQL (TEST_PG_URL, default the machine's own) the `postgres` project is left
 * out with a loud warning; under CI=true that is a failure. FTOP_TEST_DB=sqlite or =postgres runs one
 * project only.
 */
const { Client } = require('pg');

const TEST_PG_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function probePostgres() {
  const client = new Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (err) {
    return err.message || String(err);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const common = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { module: { type: 'commonjs' } }] },
  // openid-client 6 and its helpers are ESM-only; jest 30 on Node 20 must transpile them.
  transformIgnorePatterns: ['/node_modules/(?!(openid-client|oauth4webapi|jose)/)'],
};

module.exports = async () => {
  const only = process.env.FTOP_TEST_DB;
  let withPostgres = only !== 'sqlite';
  if (withPostgres) {
    const problem = await probePostgres();
    if (problem !== null) {
      const message = `PostgreSQL at ${TEST_PG_URL} is not reachable (${problem}): the PostgreSQL run of the suite is not possible`;
      if (process.env.CI === 'true') throw new Error(`${message}; CI needs it`);
      if (only === 'postgres') throw new Error(`${message}; FTOP_TEST_DB=postgres needs it`);
      console.warn(`\n*** ${message}. Only the SQLite run follows. ***\n`);
      withPostgres = false;
    }
  }
  // Read by test/helpers/global-setup.ts: migrate a PostgreSQL template for the `postgres` project.
  process.env.FTOP_TEST_PG_PROJECT = withPostgres ? '1' : '';
  const projects = [];
  if (only !== 'postgres')
    projects.push({
      ...common,
      displayName: 'sqlite',
      // PostgreSQL-only files (`*.pg.test.ts`) run once, in the postgres project.
      testPathIgnorePatterns: ['/node_modules/', '\\.pg\\.test\\.ts$'],
      globals: { FTOP_TEST_DB: 'sqlite' },
    });
  // The browser suites drive the pages in Chromium; what the database does under them is the route suites'
  // business, which run on both. In a run of both projects they run once, on SQLite: twice they were 69%
  // of the whole run (docs/decisions.md 120). FTOP_TEST_DB=postgres runs them on PostgreSQL.
  if (withPostgres && only !== 'postgres')
    console.log(
      'test/browser/ runs in the sqlite project only; FTOP_TEST_DB=postgres npm test runs it on PostgreSQL (docs/decisions.md 120)',
    );
  if (withPostgres)
    projects.push({
      ...common,
      displayName: 'postgres',
      testPathIgnorePatterns: only === 'postgres' ? ['/node_modules/'] : ['/node_modules/', '/test/browser/'],
      globals: { FTOP_TEST_DB: 'postgres' },
    });
  return {
    projects,
    globalSetup: '<rootDir>/test/helpers/global-setup.ts',
    globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
    testTimeout: 30000,
    maxWorkers: 2,
  };
};
