import type { Knex } from 'knex';
import type { BulkLoad, BulkTable } from './bulk-load.types';
import { marks } from '../../db/sql';

/** PostgreSQL binds at most 65,535 parameters per statement; 1,000 rows per INSERT is plenty. */
const MAX_PARAMS = 60_000;
const MAX_ROWS = 1000;

/** Multi-row INSERTs through the transaction (knex numbers the `?` placeholders). */
export class PgBulkTable implements BulkTable {
  private rows: unknown[] = [];
  private readonly perStatement: number;
  count = 0;

  constructor(
    private readonly trx: Knex.Transaction,
    private readonly table: string,
    private readonly columns: string[],
  ) {
    this.perStatement = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMS / columns.length)));
  }

  push(...values: unknown[]): void {
    for (const v of values) this.rows.push(v === undefined ? null : v);
    this.count++;
  }

  async flush(): Promise<void> {
    const width = this.columns.length;
    const tuple = `(${marks(this.columns)})`;
    const quoted = this.columns.map((c) => `"${c}"`).join(', ');
    for (let start = 0; start < this.rows.length; start += this.perStatement * width) {
      const values = this.rows.slice(start, start + this.perStatement * width);
      const n = values.length / width;
      await this.trx.raw(
        `INSERT INTO ${this.table} (${quoted}) VALUES ${Array(n).fill(tuple).join(', ')}`,
        values as Knex.RawBinding[],
      );
    }
    this.rows = [];
  }
}

/**
 * One transaction; `tables` are locked EXCLUSIVE (other writers wait, readers go on), so the ids taken
 * from max(id) stay free. Rows with explicit ids do not move the tables' sequences: afterwards each
 * sequence is set to its table's max(id), so the next ordinary insert gets max(id) + 1.
 */
export async function pgBulkLoad<T>(db: Knex, tables: string[], fn: (load: BulkLoad) => Promise<T>): Promise<T> {
  return db.transaction(async (trx) => {
    for (const table of tables) await trx.raw(`LOCK TABLE ${table} IN EXCLUSIVE MODE`);
    const withIds = new Set<string>();
    const result = await fn({
      table: (name, columns) => new PgBulkTable(trx, name, columns),
      async nextId(table) {
        withIds.add(table);
        const { rows } = (await trx.raw(`SELECT coalesce(max(id), 0) + 1 AS n FROM ${table}`)) as {
          rows: { n: number }[];
        };
        return Number(rows[0].n);
      },
    });
    for (const table of withIds) await resetSequence(trx, table);
    return result;
  });
}

/** Sets a table's id sequence so that the next id is max(id) + 1 (1 for an empty table). */
export async function resetSequence(db: Knex, table: string): Promise<void> {
  await db.raw(
    `SELECT setval(pg_get_serial_sequence(?, 'id'), coalesce((SELECT max(id) FROM ${table}), 0) + 1, false)`,
    [table],
  );
}
