/**
 * A database constraint failure, read the same way from SQLite and PostgreSQL errors, so that the
 * services that turn one into a user's message (a 422 or a 409) never look at a driver's error codes.
 */
export interface ConstraintViolation {
  kind: 'unique' | 'check' | 'foreign_key' | 'not_null' | 'trigger';
  /** The table, when the database says (SQLite: for unique and not-null failures). */
  table?: string;
  /** The constraint's name (PostgreSQL; SQLite CHECKs), or SQLite's `table.column` list, or a trigger's message. */
  detail: string;
}

const SQLITE_KINDS: Record<string, ConstraintViolation['kind']> = {
  SQLITE_CONSTRAINT_UNIQUE: 'unique',
  SQLITE_CONSTRAINT_PRIMARYKEY: 'unique',
  SQLITE_CONSTRAINT_CHECK: 'check',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'foreign_key',
  SQLITE_CONSTRAINT_NOTNULL: 'not_null',
  SQLITE_CONSTRAINT_TRIGGER: 'trigger',
};

const PG_KINDS: Record<string, ConstraintViolation['kind']> = {
  '23505': 'unique',
  '23514': 'check',
  '23503': 'foreign_key',
  '23502': 'not_null',
  // Raised by the append-only and insert-refusing triggers (migrations/postgres.ts).
  '23000': 'trigger',
};

export function constraintViolation(err: unknown): ConstraintViolation | null {
  const e = err as { code?: string; message?: string; constraint?: string; table?: string } | null;
  if (!e?.code) return null;
  const sqlite = SQLITE_KINDS[e.code];
  if (sqlite) {
    const detail = (e.message ?? '').replace(/^.*constraint failed: /, '');
    return { kind: sqlite, detail, table: /^(\w+)\./.exec(detail)?.[1] };
  }
  const pg = PG_KINDS[e.code];
  if (pg) return { kind: pg, detail: e.constraint ?? e.message ?? '', table: e.table };
  return null;
}
