import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb } from '../../src/db/db';

/** Migrates one template database per jest run; each test file copies it (test/helpers/db.ts). */
export default async function globalSetup(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ftop-test-'));
  const template = path.join(dir, 'template.sqlite3');
  const db = createDb(`sqlite:${template}`);
  await db.migrate.latest();
  await db.raw('PRAGMA wal_checkpoint(TRUNCATE)');
  await db.destroy();
  process.env.FTOP_TEST_TEMPLATE_DB = template;
}
