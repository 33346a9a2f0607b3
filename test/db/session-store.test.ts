import type { SessionData } from 'express-session';
import pino from 'pino';
import { DbSessionStore } from '../../src/auth/session-store';
import type { Db } from '../../src/db/db';
import { createTestDb } from '../helpers/db';

/** The sessions table as express-session's store (src/auth/session-store.ts), on both databases. */
describe('DbSessionStore', () => {
  let db: Db;
  let store: DbSessionStore;
  const warnings: unknown[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line)) });

  const call = <T>(fn: (cb: (err?: unknown, value?: T) => void) => void) =>
    new Promise<T | undefined>((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));
  const sessionOf = (maxAge: number, extra: Record<string, unknown> = {}) =>
    ({ cookie: { maxAge, originalMaxAge: maxAge }, ...extra }) as unknown as SessionData;

  beforeAll(async () => {
    ({ db } = await createTestDb());
    store = new DbSessionStore(db, logger, 0);
  });
  afterAll(() => db.destroy());

  it('gives back what it stored, replaces it on a second save, and forgets it when destroyed', async () => {
    await call((cb) => store.set('sid-1', sessionOf(60_000, { signedInAt: 1, passport: { user: 7 } }), cb));
    expect(await call<SessionData | null>((cb) => store.get('sid-1', cb))).toMatchObject({
      signedInAt: 1,
      passport: { user: 7 },
    });
    await call((cb) => store.set('sid-1', sessionOf(60_000, { signedInAt: 2 }), cb));
    expect(await call<SessionData | null>((cb) => store.get('sid-1', cb))).toMatchObject({ signedInAt: 2 });
    expect(await db('sessions').where({ sid: 'sid-1' }).count({ n: '*' }).first()).toEqual({ n: 1 });
    await call((cb) => store.destroy('sid-1', cb));
    expect(await call((cb) => store.get('sid-1', cb))).toBeNull();
  });

  it('never returns an expired session, and the purge removes it', async () => {
    await call((cb) => store.set('sid-old', sessionOf(-1_000), cb));
    await call((cb) => store.set('sid-new', sessionOf(60_000), cb));
    expect(await call((cb) => store.get('sid-old', cb))).toBeNull();
    await store.purge();
    expect((await db('sessions').select('sid')).map((r) => r.sid)).toEqual(['sid-new']);
  });

  it('hands a database failure to the callback (a 503 upstream), and a failed purge is a warning', async () => {
    const broken = await createTestDb();
    const failing = new DbSessionStore(broken.db, logger, 0);
    await broken.db.schema.dropTable('sessions');
    // Errors from the SQLite driver come from another realm than jest's: matched by message, not toThrow.
    await expect(call((cb) => failing.get('sid-1', cb))).rejects.toHaveProperty(
      'message',
      expect.stringMatching(/sessions/),
    );
    await expect(call((cb) => failing.set('sid-1', sessionOf(60_000), cb))).rejects.toHaveProperty(
      'message',
      expect.stringMatching(/sessions/),
    );
    await expect(call((cb) => failing.destroy('sid-1', cb))).rejects.toHaveProperty(
      'message',
      expect.stringMatching(/sessions/),
    );
    await failing.purge();
    expect(warnings).toEqual([expect.objectContaining({ msg: 'expired sessions not purged' })]);
    await broken.db.destroy();
  });
});
