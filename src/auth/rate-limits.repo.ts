import type { Db } from '../db/db';

/** A limiter key's hits in its current window and when the window ends (epoch ms). */
export interface RateCount {
  hits: number;
  resetAt: number;
}

const toCount = (row: { hits: number | string; reset_at: number | string }): RateCount => ({
  hits: Number(row.hits),
  resetAt: Number(row.reset_at),
});

/**
 * Counts one hit for `key` in one statement (an upsert, the same SQL on SQLite and PostgreSQL): a key
 * whose window has ended starts a new one at 1. Concurrent hits from several instances are each counted,
 * because the row is read and written by the database in one step.
 */
export async function countHit(db: Db, key: string, windowMs: number, now: number): Promise<RateCount> {
  const rows = (await db('rate_limits')
    .insert({ key, hits: 1, reset_at: now + windowMs })
    .onConflict('key')
    .merge({
      hits: db.raw('CASE WHEN rate_limits.reset_at <= ? THEN 1 ELSE rate_limits.hits + 1 END', [now]),
      reset_at: db.raw('CASE WHEN rate_limits.reset_at <= ? THEN ? ELSE rate_limits.reset_at END', [
        now,
        now + windowMs,
      ]),
    })
    .returning(['hits', 'reset_at'])) as { hits: number; reset_at: number }[];
  return toCount(rows[0]);
}

/** Takes back one hit of a window still running (a request that turned out not to count). */
export async function uncountHit(db: Db, key: string, now: number): Promise<void> {
  await db('rate_limits').where({ key }).andWhere('reset_at', '>', now).andWhere('hits', '>', 0).decrement('hits', 1);
}

/** The key's count, or undefined when it has none or its window has ended. */
export async function readCount(db: Db, key: string, now: number): Promise<RateCount | undefined> {
  const row = await db('rate_limits').where({ key }).andWhere('reset_at', '>', now).first('hits', 'reset_at');
  return row ? toCount(row) : undefined;
}

export async function forgetKey(db: Db, key: string): Promise<void> {
  await db('rate_limits').where({ key }).delete();
}

/** Removes the rows of windows that have ended; returns how many. */
export async function purgeEnded(db: Db, now: number): Promise<number> {
  return db('rate_limits').where('reset_at', '<=', now).delete();
}
