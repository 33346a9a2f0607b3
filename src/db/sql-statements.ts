/** What src/db/sql.ts and src/db/sql-postgres.ts share: the `Sql` interface and the statements both write alike. */

export interface Sql {
  /** Whether `nextId` can hand out ids for rows queued in `Deferred` (SQLite: the transaction holds the only write lock). */
  readonly idsUpFront: boolean;
  run(sql: string, params?: readonly unknown[]): Promise<{ changes: number; lastId: number }>;
  get<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** INSERT of one row (its defined keys); returns the new row's id. */
  insert(table: string, row: Record<string, unknown>): Promise<number>;
  /** UPDATE of the defined keys of `patch` where every key of `where` matches; returns the rows changed. */
  update(table: string, where: Record<string, unknown>, patch: Record<string, unknown>): Promise<number>;
  /** The next id of a table, for rows written later by `Deferred` (the transaction holds the write lock). */
  nextId(table: string): Promise<number>;
}

// The helpers below run per statement: module-level functions, not closures made per call (decision 112).
type Entry = [string, unknown];
const isDefined = ([, v]: Entry) => v !== undefined;
const defined = (row: Record<string, unknown>) => Object.entries(row).filter(isDefined);
const columnOf = ([k]: Entry) => k;
const valueOf = ([, v]: Entry) => v;
const placeholder = () => '?';
const assignment = ([k]: Entry) => `${k} = ?`;

/** Sql.update on either database. */
export async function updateRows(
  sql: Sql,
  table: string,
  where: Record<string, unknown>,
  patch: Record<string, unknown>,
): Promise<number> {
  const set = defined(patch);
  const keys = Object.entries(where);
  if (set.length === 0) return 0;
  const text = `UPDATE ${table} SET ${set.map(assignment).join(', ')} WHERE ${keys.map(assignment).join(' AND ')}`;
  return (await sql.run(text, [...set.map(valueOf), ...keys.map(valueOf)])).changes;
}

/** The INSERT of a row's defined columns, and its values. */
export function insertText(table: string, row: Record<string, unknown>): { text: string; values: unknown[] } {
  const entries = defined(row);
  return {
    text: `INSERT INTO ${table} (${entries.map(columnOf).join(', ')}) VALUES (${entries.map(placeholder).join(', ')})`,
    values: entries.map(valueOf),
  };
}
