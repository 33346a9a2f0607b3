/** The bulk loader's interface (src/features/admin/bulk-load.ts), apart so its implementations need not import it. */
export interface BulkTable {
  /** Queues one row: its values in the order of the columns given to `table()`. */
  push(...values: unknown[]): void;
  /** Writes the queued rows (parents before children: the caller flushes in that order). */
  flush(): void | Promise<void>;
  /** Rows pushed so far. */
  count: number;
}

export interface BulkLoad {
  table(name: string, columns: string[]): BulkTable;
  /** The first free id of a table with an id sequence; the load holds the tables it writes. */
  nextId(table: string): Promise<number>;
}
