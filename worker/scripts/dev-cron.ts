/**
 * The dev cron of `npm start` (scripts/dev.ts): while `wrangler dev` runs, fires the Worker's scheduled handler once
 * a minute, because `wrangler dev` never fires Cron Triggers. Each time it makes two runs: one timed at this hour's
 * :10 or :40, which rebuilds popular posts, and the one ten minutes later, which rebuilds recent comments
 * (src/domain/cron-schedule.ts), so the local demo shows views and new comments within a minute. The end-to-end
 * tests fire it the same way with `fireCron`.
 */

/** The cron expression wrangler.jsonc gives the trigger. */
const CRON = '*/10 * * * *';
const HOUR_MS = 3_600_000;

/** `now`'s hour at :10, or at :40 from minute 40 on: a popularity run of the current hour (UTC). */
export function popularityRunTime(now: number): number {
  const hour = now - (now % HOUR_MS);
  return hour + (new Date(now).getUTCMinutes() >= 40 ? 40 : 10) * 60_000;
}

/**
 * Runs the scheduled handler of the Worker at `origin` (wrangler dev's /cdn-cgi/local/scheduled) as a popularity
 * run, then as the recent-comments run that follows it.
 */
export async function fireCron(origin: string, now = Date.now()): Promise<void> {
  for (const time of [popularityRunTime(now), popularityRunTime(now) + 10 * 60_000]) {
    const query = new URLSearchParams({ cron: CRON, time: String(time) });
    const response = await fetch(`${origin}/cdn-cgi/local/scheduled?${query}`);
    if (!response.ok) throw new Error(`the scheduled handler failed: ${response.status} ${await response.text()}`);
  }
}

/**
 * Fires the scheduled handler of the Worker at `origin` every `everyMs` until the returned function is called.
 * The first runs may come before wrangler listens; that is said once, not every minute.
 */
export function startDevCron(origin: string, everyMs: number): () => void {
  let warned = false;
  const timer = setInterval(() => {
    fireCron(origin).catch((error: unknown) => {
      if (!warned) console.warn(`[sala] dev cron: ${String(error)} (retrying every ${everyMs / 1000} s)`);
      warned = true;
    });
  }, everyMs);
  console.log(`[sala] dev cron: the scheduled handler runs every ${everyMs / 1000} s (wrangler dev fires no cron)`);
  return () => clearInterval(timer);
}
