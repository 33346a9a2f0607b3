import { Writable } from 'node:stream';
import type { Express } from 'express';
import request from 'supertest';
import { parse } from 'node-html-parser';
import { createApp } from '../../src/app';
import type { Logger } from 'pino';
import { createLogger } from '../../src/http/logger';
import { Config, loadConfig } from '../../src/config';
import type { Db } from '../../src/db/db';
import { createTestDb } from './db';

export interface TestApp {
  app: Express;
  db: Db;
  config: Config;
  /** Every JSON log line the app wrote, parsed. */
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/** The app's logger at `level`, writing each JSON line, parsed, to `logs`. */
export function memoryLogger(level: string): { logs: Record<string, unknown>[]; logger: Logger } {
  const logs: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      cb();
    },
  });
  return { logs, logger: createLogger(level, stream) };
}

/** The app over a fresh migrated database, with logs captured in memory. `env` overrides the environment. */
export async function buildTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const lock = env.DB_LOCK_TIMEOUT_MS;
  const { db, url } = await createTestDb(lock ? { lockTimeoutMs: Number(lock) } : {});
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url,
    LOG_LEVEL: 'info',
    SESSION_SECRET: 'x'.repeat(40),
    ...env,
  });
  // The app's own logger (its serializers and redaction), writing to memory.
  const { logs, logger } = memoryLogger('info');
  const app = createApp({ config, db, logger });
  return { app, db, config, logs, close: () => db.destroy() };
}

/** The CSRF token from a page's `<meta name="csrf-token">`. */
export function csrfFrom(html: string): string {
  const token = parse(html).querySelector('meta[name="csrf-token"]')?.getAttribute('content');
  if (!token) throw new Error('page has no csrf-token meta');
  return token;
}

export interface SignedIn {
  agent: ReturnType<typeof request.agent>;
  csrf: string;
}

/** Signs in through POST /login/dev and returns the agent plus the post-sign-in CSRF token. */
export async function loginAs(app: Express, upn: string): Promise<SignedIn> {
  const agent = request.agent(app);
  const login = await agent.get('/login');
  const res = await agent
    .post('/login/dev')
    .type('form')
    .send({ email: upn, _csrf: csrfFrom(login.text) });
  if (res.status !== 303) throw new Error(`sign-in as ${upn} failed with ${res.status}`);
  const page = await agent.get('/tenants');
  return { agent, csrf: csrfFrom(page.text) };
}

/** Marks a supertest request as an htmx request. */
export function hx<T extends { set(field: string, value: string): T }>(req: T): T {
  return req.set('HX-Request', 'true');
}

export const html = (text: string) => parse(text);
