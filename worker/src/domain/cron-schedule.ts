/**
 * What each run of the 10-minute cron does. The free plan stops an invocation after 10 ms of CPU, so the heavy
 * stages (popularity, recent comments, queued imports) take turns instead of adding up in one run
 * (worker/README.md "CPU time"). The snapshot repair runs on every run: it costs a list() when nothing is dirty,
 * and it is what makes a lost rebuild visible within minutes.
 */

export interface CronRun {
  /**
   * The popularity work (storage/popularity-job.ts), in two runs of its own: `fold` adds the view batches of the
   * hours just ended to the stored counts; `rank` reads those counts and the open hours' batches, reads the pages
   * the lists can show and writes the lists. Together they measured over 10 ms on a first run.
   */
  popularity: 'fold' | 'rank' | 'none';
  /** Resume imports queued for lack of writes (storage/import-run.ts); only runs after 00:00 UTC find any. */
  imports: boolean;
  /** Retry webhook deliveries that failed (routes/notifications.ts): twice an hour, so its list() costs 48 a day. */
  webhookRetries: boolean;
  /**
   * Rebuild recent comments: of every site, or of the sites whose threads the snapshot repair just rebuilt. A run
   * whose imports wrote threads leaves them to the next run: the imports spent its CPU time.
   */
  recentComments: 'every site' | 'changed sites' | 'none';
}

/**
 * By the run's minute: :00, :10, …, :50. The fold on :10, the first run more than 5 minutes after an hour ends, when
 * that hour can be finalized (domain/popularity.ts `finalizeGraceMs`): the counts are written once an hour. The
 * lists on :20 and :50, every 30 minutes, the :20 one from the hour just folded. Recent comments of every site on
 * :30, after a ranking run has kept new pages' titles; of a site with a changed thread on :00 and :40 too, so a
 * comment reaches the list within 30 minutes. Queued imports and webhook retries on the runs without popularity.
 */
const RUNS: readonly CronRun[] = [
  { popularity: 'none', imports: true, webhookRetries: true, recentComments: 'changed sites' },
  { popularity: 'fold', imports: false, webhookRetries: false, recentComments: 'none' },
  { popularity: 'rank', imports: false, webhookRetries: false, recentComments: 'none' },
  { popularity: 'none', imports: true, webhookRetries: true, recentComments: 'every site' },
  { popularity: 'none', imports: true, webhookRetries: false, recentComments: 'changed sites' },
  { popularity: 'rank', imports: false, webhookRetries: false, recentComments: 'none' },
];

export function cronRun(scheduledTime: number): CronRun {
  return RUNS[Math.floor(new Date(scheduledTime).getUTCMinutes() / 10) % RUNS.length]!;
}
