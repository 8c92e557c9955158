/**
 * The dev cron of `npm start` (scripts/dev.ts): while `wrangler dev` runs, fires the Worker's scheduled handler once
 * a minute, because `wrangler dev` never fires Cron Triggers. Each time it makes three runs, timed at this hour's
 * :10, which folds the views into the counts, :20, which rebuilds popular posts, and :30, which rebuilds recent
 * comments (src/domain/cron-schedule.ts), so the local demo shows views and new comments within a minute. The end-to-end
 * tests fire it the same way with `fireCron`.
 */

/** The cron expression wrangler.jsonc gives the trigger. */
const CRON = '*/10 * * * *';
const HOUR_MS = 3_600_000;

/** `now`'s hour at :10: the run that folds the views (UTC); the lists follow at :20. */
export function popularityRunTime(now: number): number {
  return now - (now % HOUR_MS) + 10 * 60_000;
}

/**
 * Runs the scheduled handler of the Worker at `origin` (wrangler dev's /cdn-cgi/local/scheduled) as the fold run,
 * the ranking run and the recent-comments run that follow it.
 */
export async function fireCron(origin: string, now = Date.now()): Promise<void> {
  for (const minutes of [0, 10, 20]) await fireCronAt(origin, popularityRunTime(now) + minutes * 60_000);
}

/** Runs the scheduled handler of the Worker at `origin` once, as the run timed `time` (ms since 1970, UTC). */
export async function fireCronAt(origin: string, time: number): Promise<void> {
  const query = new URLSearchParams({ cron: CRON, time: String(time) });
  const response = await fetch(`${origin}/cdn-cgi/local/scheduled?${query}`);
  if (!response.ok) throw new Error(`the scheduled handler failed: ${response.status} ${await response.text()}`);
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
