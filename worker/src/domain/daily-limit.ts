/**
 * The free plan's daily KV limits: once the account has made 1,000 writes (or 1,000 lists, 1,000 deletes,
 * 100,000 reads) in a UTC day, that operation throws until 00:00 UTC. This tells that error from an outage, so
 * the API can say "paused until 00:00 UTC" and the cron can wait for the reset instead of retrying all day.
 */
import { DAY_MS, utcDay } from './utc-time.js';

/**
 * What the binding throws (`KV put() limit exceeded for the day.`, likewise get/list/delete), and what the REST
 * API and wrangler report (code 10048, "reached the free usage limit for this operation for today").
 */
const DAILY_LIMIT_MESSAGE = /\(\) limit exceeded for the day|free usage limit for this operation|\b10048\b/i;

export function isDailyLimitError(error: unknown): boolean {
  return error instanceof Error && DAILY_LIMIT_MESSAGE.test(error.message);
}

/** When the daily limits reset: the next 00:00 UTC after `now`. */
export function dailyLimitResetAt(now: number): Date {
  return new Date((Math.floor(now / DAY_MS) + 1) * DAY_MS);
}

/**
 * Says once per UTC day (in this isolate) that the daily limit holds `work` back, instead of one stack trace per
 * page or batch that fails the same way until the reset.
 */
export class DailyLimitNotice {
  #day = '';

  constructor(private readonly work: string) {}

  /** True when `error` is the daily limit; the first one each UTC day is logged as one line. */
  handled(error: unknown, now = Date.now()): boolean {
    if (!isDailyLimitError(error)) return false;
    const day = utcDay(now);
    if (this.#day !== day) {
      this.#day = day;
      console.warn(`[sala] KV daily limit reached (${(error as Error).message}): ${this.work}`);
    }
    return true;
  }
}
