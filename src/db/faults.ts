/**
 * Database faults that are not the request's fault: the database busy or locked by another writer,
 * the disk full, the file read-only, failing or damaged. Each becomes a 503 with Retry-After (never a
 * 500, never a crash); the error handler asks here.
 */
export interface DatabaseFault {
  kind: 'busy' | 'full' | 'unavailable';
  /** Seconds a client should wait before trying again. */
  retryAfter: number;
  message: string;
}

const FAULTS: { prefix: string; fault: DatabaseFault }[] = [
  {
    prefix: 'SQLITE_BUSY',
    fault: { kind: 'busy', retryAfter: 5, message: 'The database is busy. Please try again in a moment.' },
  },
  {
    prefix: 'SQLITE_LOCKED',
    fault: { kind: 'busy', retryAfter: 5, message: 'The database is busy. Please try again in a moment.' },
  },
  {
    prefix: 'SQLITE_FULL',
    fault: {
      kind: 'full',
      retryAfter: 60,
      message: 'The server has run out of disk space, so nothing could be saved. Please try again later.',
    },
  },
  ...['SQLITE_READONLY', 'SQLITE_IOERR', 'SQLITE_CANTOPEN', 'SQLITE_PROTOCOL', 'SQLITE_CORRUPT', 'SQLITE_NOTADB'].map(
    (prefix) => ({
      prefix,
      fault: {
        kind: 'unavailable' as const,
        retryAfter: 60,
        message: 'The database is not available just now, so nothing was changed. Please try again later.',
      },
    }),
  ),
];

/** The fault behind an error (knex passes the driver's `code` through), or null for anything else. */
export function databaseFault(err: unknown): DatabaseFault | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  return FAULTS.find((f) => code === f.prefix || code.startsWith(`${f.prefix}_`))?.fault ?? null;
}
