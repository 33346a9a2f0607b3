/**
 * Database faults that are not the request's fault: the database busy or locked by another writer,
 * the disk full, the file read-only, failing or damaged, the server unreachable. Each becomes a 503 with
 * Retry-After (never a 500, never a crash); the error handler asks here. Both drivers' codes are read
 * here (SQLite's `SQLITE_*`, PostgreSQL's SQLSTATE and the socket errors of `pg`), so the error handler
 * never needs to know which database it runs on.
 */
export interface DatabaseFault {
  kind: 'busy' | 'full' | 'unavailable';
  /** Seconds a client should wait before trying again. */
  retryAfter: number;
  message: string;
}

const BUSY: DatabaseFault = {
  kind: 'busy',
  retryAfter: 5,
  message: 'The database is busy. Please try again in a moment.',
};
const FULL: DatabaseFault = {
  kind: 'full',
  retryAfter: 60,
  message: 'The server has run out of disk space, so nothing could be saved. Please try again later.',
};
const UNAVAILABLE: DatabaseFault = {
  kind: 'unavailable',
  retryAfter: 60,
  message: 'The database is not available just now, so nothing was changed. Please try again later.',
};

/** SQLite result codes (an extended code such as SQLITE_BUSY_SNAPSHOT counts as its primary code). */
const SQLITE: Record<string, DatabaseFault> = {
  SQLITE_BUSY: BUSY,
  SQLITE_LOCKED: BUSY,
  SQLITE_FULL: FULL,
  SQLITE_READONLY: UNAVAILABLE,
  SQLITE_IOERR: UNAVAILABLE,
  SQLITE_CANTOPEN: UNAVAILABLE,
  SQLITE_PROTOCOL: UNAVAILABLE,
  SQLITE_CORRUPT: UNAVAILABLE,
  SQLITE_NOTADB: UNAVAILABLE,
};

/**
 * PostgreSQL SQLSTATEs. Busy: serialization failure, deadlock, lock not available (NOWAIT / lock_timeout).
 * Full: disk full. Unavailable: too many connections, the server shutting down or starting up.
 * Class 08 (connection exceptions) is matched as a class below.
 */
const POSTGRES: Record<string, DatabaseFault> = {
  '40001': BUSY,
  '40P01': BUSY,
  '55P03': BUSY,
  '53100': FULL,
  '53300': UNAVAILABLE,
  '57P01': UNAVAILABLE,
  '57P02': UNAVAILABLE,
  '57P03': UNAVAILABLE,
};

/** Socket errors of a connection to a database server that is down, unreachable or went away. */
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** `pg` reports a connection lost mid-query or a connect timeout with a message and no code. */
const PG_CONNECTION_LOST = /^Connection terminated|^Client has encountered a connection error/;

/** The fault behind an error (knex passes the driver's `code` through), or null for anything else. */
export function databaseFault(err: unknown): DatabaseFault | null {
  if (!err || typeof err !== 'object') return null;
  const { code, name, message } = err as { code?: unknown; name?: unknown; message?: unknown };
  // knex: no connection was free within acquireConnectionTimeout (every one busy, or none can be opened).
  if (name === 'KnexTimeoutError') return UNAVAILABLE;
  if (typeof code === 'string') {
    if (code.startsWith('SQLITE_')) return SQLITE[code] ?? SQLITE[code.split('_', 2).join('_')] ?? null;
    if (POSTGRES[code]) return POSTGRES[code];
    if (/^08[0-9A-Z]{3}$/.test(code)) return UNAVAILABLE;
    if (NETWORK.has(code)) return UNAVAILABLE;
  }
  if (typeof message === 'string' && PG_CONNECTION_LOST.test(message)) return UNAVAILABLE;
  return null;
}
