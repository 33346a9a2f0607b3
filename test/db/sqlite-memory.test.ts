import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { openServerDb } from '../../src/db/open';
import { onPostgres } from '../helpers/db';

/**
 * The server's SQLite memory (issue 14 item 5, docs/performance.md › Memory): a 16 MiB page cache and no
 * memory map unless SQLITE_CACHE_MB / SQLITE_MMAP_MB say otherwise. SQLite only: PostgreSQL has neither.
 */
const sqliteOnly = onPostgres() ? describe.skip : describe;

sqliteOnly('SQLite page cache and memory map of the server', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ftop-mem-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function pragmas(env: Record<string, string>) {
    const config = loadConfig({
      NODE_ENV: 'development',
      AUTH_MODE: 'dev',
      DATABASE_URL: `sqlite:${path.join(dir, `db-${Object.values(env).join('-') || 'default'}.sqlite3`)}`,
      ...env,
    });
    const db = await openServerDb(config, pino({ level: 'silent' }));
    try {
      const [cache] = (await db.raw('PRAGMA cache_size')) as { cache_size: number }[];
      const [mmap] = (await db.raw('PRAGMA mmap_size')) as { mmap_size: number }[];
      return { cache: cache.cache_size, mmap: mmap.mmap_size };
    } finally {
      await db.destroy();
    }
  }

  it('defaults to a 16 MiB page cache and no memory map', async () => {
    expect(await pragmas({})).toEqual({ cache: -16 * 1024, mmap: 0 });
  });

  it('takes SQLITE_CACHE_MB and SQLITE_MMAP_MB', async () => {
    expect(await pragmas({ SQLITE_CACHE_MB: '48', SQLITE_MMAP_MB: '8' })).toEqual({
      cache: -48 * 1024,
      mmap: 8 * 1024 * 1024,
    });
  });

  it('refuses values that are not whole MiB in range, naming the variable', () => {
    const env = { NODE_ENV: 'development', AUTH_MODE: 'dev' };
    expect(() => loadConfig({ ...env, SQLITE_CACHE_MB: '0' })).toThrow(/SQLITE_CACHE_MB/);
    expect(() => loadConfig({ ...env, SQLITE_MMAP_MB: '-1' })).toThrow(/SQLITE_MMAP_MB/);
    expect(() => loadConfig({ ...env, SQLITE_CACHE_MB: 'lots' })).toThrow(/SQLITE_CACHE_MB/);
  });
});
