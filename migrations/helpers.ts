import type { Knex } from 'knex';

/** created/updated who-and-when columns carried by every table (DOMAIN.md §2). */
export function audit(t: Knex.CreateTableBuilder, references = true): void {
  t.string('created_at').notNullable();
  const by = (column: string) => {
    const c = t.integer(column).nullable();
    if (references) c.references('id').inTable('users');
  };
  by('created_by');
  t.string('updated_at').notNullable();
  by('updated_by');
}

/** Optimistic-locking counter on every editable record: each save increments it. */
export function version(t: Knex.CreateTableBuilder): void {
  t.integer('version').notNullable().defaultTo(1);
}

/** SQL list literal for a CHECK constraint over fixed enumeration values. */
export function inList(values: readonly string[]): string {
  return values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ');
}
