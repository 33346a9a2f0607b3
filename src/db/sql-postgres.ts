/** PostgreSQL's `Sql` (src/db/sql.ts): in a transaction through its knex, outside one as named prepared statements. */
import type { Knex } from 'knex';
import { insertText, updateRows, type Sql } from './sql-statements';

type PgResult = { rowCount: number | null; rows: Record<string, unknown>[] };
type PgExec = (text: string, params: readonly unknown[]) => Promise<PgResult>;
/** The slice of a `pg` client used here: the pool's connection as knex hands it out. */
export interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<PgResult>;
}

const pgValues = (params: readonly unknown[]) => params.map((v) => (v === undefined ? null : v));

/** PostgreSQL: the same statements through the transaction's knex (which numbers the `?` placeholders). */
export function pgSql(trx: Knex): Sql {
  return pgSqlOver(async (text, params) => (await trx.raw(text, pgValues(params) as Knex.RawBinding[])) as PgResult);
}

/** A name per statement text: PostgreSQL parses and plans a named statement once per connection. */
const pgStatementNames = new Map<string, string>();

/**
 * PostgreSQL outside a transaction (`withSql`: every signed-in request's session and user): named
 * prepared statements on the pool's connection, without knex's runner, as SQLite's prepared statements
 * are. The `?` placeholders outside quoted literals become `$1`, `$2`, … in order.
 */
export function pgPreparedSql(conn: PgClient): Sql {
  return pgSqlOver((text, params) => {
    let name = pgStatementNames.get(text);
    if (!name) pgStatementNames.set(text, (name = `ftop_${pgStatementNames.size + 1}`));
    return conn.query({ name, text: dollarPlaceholders(text), values: pgValues(params) });
  });
}

/** `?` → `$n`, leaving quoted literals ('…') as they are. */
export function dollarPlaceholders(text: string): string {
  let n = 0;
  return text
    .split("'")
    .map((part, i) => (i % 2 === 0 ? part.replace(/\?/g, () => `$${++n}`) : part))
    .join("'");
}

/**
 * PostgreSQL's `Sql` over a way to run one statement. An INSERT's id comes from `RETURNING id`. Ids taken
 * up front for queued rows (`nextId`, the import) are not available here yet (issue 13).
 */
function pgSqlOver(exec: PgExec): Sql {
  const sql: Sql = {
    // Other instances insert notes meanwhile; ids come from the sequence, row by row (RETURNING).
    idsUpFront: false,
    async run(text, params = []) {
      return { changes: (await exec(text, params)).rowCount ?? 0, lastId: 0 };
    },
    async get<T>(text: string, params: readonly unknown[] = []) {
      return (await exec(text, params)).rows[0] as T | undefined;
    },
    async all<T>(text: string, params: readonly unknown[] = []) {
      return (await exec(text, params)).rows as T[];
    },
    async insert(table, row) {
      const { text, values } = insertText(table, row);
      // `*`: some tables (eligibility, note_services) have no id column; they answer 0.
      return Number((await exec(`${text} RETURNING *`, values)).rows[0]?.id ?? 0);
    },
    async nextId(table) {
      throw new Error(`ids taken up front (${table}) are not supported on PostgreSQL yet`);
    },
    update: (table, where, patch) => updateRows(sql, table, where, patch),
  };
  return sql;
}
