import { KnexTimeoutError } from 'knex';
import { createDb, type Db } from '../../src/db/db';
import { databaseFault } from '../../src/db/faults';
import { createPgDatabase, describeOnPostgres } from '../helpers/pg';
import { freePort } from '../helpers/faults';

/** src/db/faults.ts: which driver errors become a 503 with Retry-After, and which stay errors. */
describe('databaseFault', () => {
  const kind = (err: unknown) => databaseFault(err)?.kind ?? null;
  const coded = (code: string) => Object.assign(new Error('x'), { code });

  it.each([
    ['SQLITE_BUSY', 'busy'],
    ['SQLITE_BUSY_SNAPSHOT', 'busy'],
    ['SQLITE_LOCKED', 'busy'],
    ['SQLITE_FULL', 'full'],
    ['SQLITE_READONLY_DBMOVED', 'unavailable'],
    ['SQLITE_IOERR_WRITE', 'unavailable'],
    ['SQLITE_CORRUPT', 'unavailable'],
  ])('SQLite %s → %s', (code, expected) => expect(kind(coded(code))).toBe(expected));

  it.each([
    ['40001', 'busy'], // serialization_failure
    ['40P01', 'busy'], // deadlock_detected
    ['55P03', 'busy'], // lock_not_available
    ['53100', 'full'], // disk_full
    ['53300', 'unavailable'], // too_many_connections
    ['57P01', 'unavailable'], // admin_shutdown
    ['57P02', 'unavailable'], // crash_shutdown
    ['57P03', 'unavailable'], // cannot_connect_now
    ['08000', 'unavailable'], // connection_exception
    ['08006', 'unavailable'], // connection_failure
    ['08P01', 'unavailable'], // protocol_violation
    ['ECONNREFUSED', 'unavailable'],
    ['ECONNRESET', 'unavailable'],
    ['ETIMEDOUT', 'unavailable'],
  ])('PostgreSQL %s → %s', (code, expected) => expect(kind(coded(code))).toBe(expected));

  it("maps knex's pool acquire timeout and pg's lost connection to unavailable", () => {
    expect(kind(new KnexTimeoutError('Knex: Timeout acquiring a connection. The pool is probably full.'))).toBe(
      'unavailable',
    );
    expect(kind(new Error('Connection terminated unexpectedly'))).toBe('unavailable');
    expect(kind(new Error('Connection terminated due to connection timeout'))).toBe('unavailable');
  });

  it.each([
    ['23505'], // unique_violation: the request's fault, a 422 or 409 elsewhere
    ['23514'], // check_violation
    ['42P01'], // undefined_table: a bug, a 500
    ['SQLITE_CONSTRAINT_UNIQUE'],
    ['SQLITE_ERROR'],
    ['ENOENT'],
  ])('leaves %s to the error handler as an error', (code) => expect(kind(coded(code))).toBeNull());

  it('leaves errors without a code, and non-errors, alone', () => {
    expect(kind(new Error('boom'))).toBeNull();
    expect(kind(null)).toBeNull();
    expect(kind('SQLITE_BUSY')).toBeNull();
    expect(kind({ code: 40001 })).toBeNull();
  });
  it('gives busy a short Retry-After and the others a long one', () => {
    expect(databaseFault(coded('40P01'))?.retryAfter).toBe(5);
    expect(databaseFault(coded('53100'))?.retryAfter).toBe(60);
  });
});

describeOnPostgres('databaseFault on real PostgreSQL errors', () => {
  let db: Db;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const pg = await createPgDatabase();
    drop = pg.drop;
    db = createDb(pg.url, { poolMax: 3 });
    await db.raw('CREATE TABLE t (id int)');
  });
  afterAll(async () => {
    await db.destroy();
    await drop();
  });

  it('a lock another transaction holds (NOWAIT) is busy', async () => {
    const trx = await db.transaction();
    try {
      await trx.raw('LOCK TABLE t IN ACCESS EXCLUSIVE MODE');
      const err = await db
        .transaction((other) => other.raw('LOCK TABLE t IN ACCESS EXCLUSIVE MODE NOWAIT'))
        .catch((e: unknown) => e);
      expect((err as { code: string }).code).toBe('55P03');
      expect(databaseFault(err)?.kind).toBe('busy');
    } finally {
      await trx.rollback();
    }
  });

  it('a server nobody listens on is unavailable, and the message does not echo the URL', async () => {
    const port = await freePort();
    const closed = createDb(`postgres://postgres:secret-password@127.0.0.1:${port}/nothing`, { poolMax: 1 });
    try {
      const err = (await closed.raw('SELECT 1').catch((e: unknown) => e)) as Error;
      expect(databaseFault(err)?.kind).toBe('unavailable');
      expect(databaseFault(err)?.message).not.toContain('secret-password');
    } finally {
      await closed.destroy();
    }
  });
});
