import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb } from '../../src/db/db';
import { asAdmin, pgUrl, probePostgres, TEST_PG_URL } from './pg';

/** Migrates one template database per jest run; each test file copies it (test/helpers/db.ts). */
export default async function globalSetup(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ftop-test-'));
  const template = path.join(dir, 'template.sqlite3');
  const db = createDb(`sqlite:${template}`);
  await db.migrate.latest();
  await db.raw('PRAGMA wal_checkpoint(TRUNCATE)');
  await db.destroy();
  process.env.FTOP_TEST_TEMPLATE_DB = template;

  // PostgreSQL (issue 13): its tests run when the server answers; never a silent skip.
  process.env.FTOP_TEST_RUN = String(process.pid); // names this run's PostgreSQL databases
  const pgProblem = await probePostgres();
  if (pgProblem === null) {
    process.env.FTOP_TEST_PG = '1';
    // The `postgres` project (jest.config.js): every test file gets a copy of one migrated PostgreSQL template.
    if (process.env.FTOP_TEST_PG_PROJECT === '1') {
      const template = `ftop_template_${process.pid}`;
      await asAdmin(async (admin) => {
        await admin.raw(`DROP DATABASE IF EXISTS ${template}`);
        await admin.raw(`CREATE DATABASE ${template}`);
      });
      const tpl = createDb(pgUrl(template), { poolMax: 1 });
      await tpl.migrate.latest();
      await tpl.destroy();
      process.env.FTOP_TEST_PG_TEMPLATE = template;
    }
  } else {
    const message = `PostgreSQL at ${TEST_PG_URL} is not reachable (${pgProblem}): the PostgreSQL tests cannot run`;
    if (process.env.CI === 'true') throw new Error(`${message}; CI needs them`);
    // A run asked for on PostgreSQL never quietly runs on SQLite instead.
    if (process.env.FTOP_TEST_DB === 'postgres') throw new Error(`${message}; FTOP_TEST_DB=postgres needs it`);
    console.warn(`\n*** ${message} and are reported as skipped. ***\n`);
  }
}
