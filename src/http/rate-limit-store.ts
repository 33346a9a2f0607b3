import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import type { Db } from '../db/db';
import { countHit, forgetKey, purgeEnded, readCount, uncountHit } from '../auth/rate-limits.repo';

/**
 * express-rate-limit's store over the `rate_limits` table (migration 013): every instance on the same
 * database counts the same attempts, so N instances behind a load balancer allow N× nothing. A failure
 * of the database reaches express-rate-limit, which passes it on: the request answers 503 like any
 * other database fault (the limiter fails closed, never open).
 */
export class DbRateLimitStore implements Store {
  readonly localKeys = false;
  private windowMs = 60_000;
  private lastPurge = 0;

  constructor(
    private readonly db: Db,
    readonly prefix: string,
    private readonly now: () => number = Date.now,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const now = this.now();
    // Ended windows are removed now and then by whichever instance counts a hit (no timer to stop).
    if (now - this.lastPurge > this.windowMs) {
      this.lastPurge = now;
      await purgeEnded(this.db, now);
    }
    const { hits, resetAt } = await countHit(this.db, this.prefix + key, this.windowMs, now);
    return { totalHits: hits, resetTime: new Date(resetAt) };
  }

  async decrement(key: string): Promise<void> {
    await uncountHit(this.db, this.prefix + key, this.now());
  }

  async resetKey(key: string): Promise<void> {
    await forgetKey(this.db, this.prefix + key);
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const count = await readCount(this.db, this.prefix + key, this.now());
    return count && { totalHits: count.hits, resetTime: new Date(count.resetAt) };
  }
}
