import type { SessionData } from 'express-session';
import pino from 'pino';
import type { Request } from 'express';
import { DbSessionStore, sessionReadSql, takePreloadedUser } from '../../src/auth/session-store';
import { sessionUserOf } from '../../src/auth/users.repo';
import { createOrg, createUser } from '../helpers/factories';
import type { Db } from '../../src/db/db';
import { createTestDb, rawRows } from '../helpers/db';
import { onPostgres } from '../helpers/pg';

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

  /** Decision 131: one statement reads the session and its user; passport's deserializer uses that row. */
  describe('the session read with its user', () => {
    const inflate = async (sid: string) => {
      const sess = await call<SessionData | null>((cb) => store.get(sid, cb));
      const req = {} as Request;
      if (sess) store.createSession(req, sess);
      return { sess, req, row: takePreloadedUser(req) };
    };

    it('hands the signed-in user’s row to the request, once, and keeps it out of the session’s data', async () => {
      const org = await createOrg(db);
      const ava = await createUser(db, { org, name: 'Ava Preload' });
      await call((cb) => store.set('sid-u', sessionOf(60_000, { passport: { user: ava.id } }), cb));
      const { sess, req, row } = await inflate('sid-u');
      expect(row).toMatchObject({ id: ava.id, upn: ava.upn, display_name: 'Ava Preload', org_name: org.name });
      expect(takePreloadedUser(req)).toBeUndefined();
      expect(JSON.stringify(sess)).not.toContain('Ava Preload');
      expect(JSON.stringify((req as unknown as { session: unknown }).session)).not.toContain('Ava Preload');
      expect(await sessionUserOf(db, row)).toMatchObject({ id: ava.id, orgId: org.id, orgName: org.name });
    });

    it('hands none for a session without a user or whose user is gone, and the sign-in rule still refuses a disabled user', async () => {
      await call((cb) => store.set('sid-anon', sessionOf(60_000, { returnTo: '/tenants' }), cb));
      expect((await inflate('sid-anon')).row).toBeUndefined();
      await call((cb) => store.set('sid-gone', sessionOf(60_000, { passport: { user: 987654 } }), cb));
      expect((await inflate('sid-gone')).row).toBeUndefined();
      const org = await createOrg(db);
      const ben = await createUser(db, { org });
      await db('users').where({ id: ben.id }).update({ status: 'disabled' });
      await call((cb) => store.set('sid-off', sessionOf(60_000, { passport: { user: ben.id } }), cb));
      const { row } = await inflate('sid-off');
      expect(row).toMatchObject({ id: ben.id, status: 'disabled' });
      expect(await sessionUserOf(db, row)).toBeUndefined();
    });
  });

  // SQLite's plan (shown as skipped in the postgres project, whose sessions read names no index).
  (onPostgres() ? it.skip : it)(
    'finds a session by its key, never by reading the table, whatever the planner statistics say (SQLite)',
    async () => {
      // Statistics taken with one session stored, as after a fresh install; then many sign in.
      await db('sessions').del();
      await call((cb) => store.set('plan-1', sessionOf(60_000), cb));
      await db.raw('ANALYZE');
      for (let i = 0; i < 50; i++) await call((cb) => store.set(`plan-${i + 2}`, sessionOf(60_000), cb));
      const plan = await rawRows<{ detail: string }>(db, `EXPLAIN QUERY PLAN ${sessionReadSql('sqlite')}`, ['x', 'y']);
      expect(plan.map((p) => p.detail)).toEqual(
        expect.arrayContaining([expect.stringMatching(/^SEARCH s USING INDEX/)]),
      );
      expect(plan.map((p) => p.detail).filter((d) => d.startsWith('SCAN'))).toEqual([]);
      expect(await call<SessionData | null>((cb) => store.get('plan-30', cb))).toMatchObject({ cookie: {} });
    },
  );
});
