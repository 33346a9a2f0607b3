import type { Knex } from 'knex';
import { postgresDdl } from './postgres';
import { sqliteDdl } from './sqlite';

/**
 * The DDL that differs between SQLite and PostgreSQL, behind one interface; each migration asks for it
 * once (`const d = ddl(knex)`) and never tests the database itself.
 */
export interface Ddl {
  /** A boolean column as a condition (CHECKs, partial indexes): SQLite stores 0/1. */
  isTrue(column: string): string;
  isFalse(column: string): string;
  /** Whether a table may reference `users` before it exists (SQLite checks foreign keys on use only). */
  forwardReferences: boolean;
  /** Adds the created_by/updated_by references a table created before `users` could not declare. */
  addUserReferences(table: string): Promise<void>;
  /** Drops them again, so that `users` can be dropped first (down migrations). */
  dropUserReferences(table: string): Promise<void>;
  /** A unique index, optionally partial (WHERE) — used for V-64 "one primary per (tenant, scope, type)". */
  uniqueIndex(name: string, table: string, columns: string, where?: string): Promise<void>;
  /** Refuses UPDATE and/or DELETE on an append-only table with a constraint error naming the rule. */
  appendOnly(table: string, message: string, ops?: ('UPDATE' | 'DELETE')[]): Promise<void>;
  /** Drops appendOnly's triggers (before the table, whose rows they would protect from DROP). */
  dropAppendOnly(table: string): Promise<void>;
  /**
   * Refuses an INSERT when `condition` (SQL over `new.<column>`) holds. `lock`: a statement run first on
   * PostgreSQL so that concurrent inserts are checked one after the other (SQLite has one writer).
   */
  refuseInsert(name: string, table: string, condition: string, message: string, lock?: string): Promise<void>;
  /** The full-text index over notes (body, next action, tenant and service names); `stemmed`: English stems. */
  createNotesSearch(stemmed: boolean): Promise<void>;
  dropNotesSearch(): Promise<void>;
  /**
   * Replaces the notes index with one that also holds each note's scope words (SQLite,
   * migrations/sqlite-search-scope.ts); PostgreSQL's search reads the scope first and needs none.
   */
  scopeNotesSearch(): Promise<void>;
  /** Back to the index of migration 010. */
  unscopeNotesSearch(): Promise<void>;
  /** Service phase history written by a trigger on tenant_services.phase (DOMAIN.md §5.7.2). */
  createPhaseHistoryTrigger(): Promise<void>;
  dropPhaseHistoryTrigger(): Promise<void>;
}

export function ddl(knex: Knex): Ddl {
  // The same test as kindOf() in src/db/db.ts, which imports the migrations and so cannot be imported here.
  return knex.client.config.client === 'pg' ? postgresDdl(knex) : sqliteDdl(knex);
}
