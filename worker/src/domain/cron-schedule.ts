/**
 * What each run of the 10-minute cron does. The free plan stops an invocation after 10 ms of CPU, so the heavy
 * stages (popularity, recent comments, queued imports) take turns instead of adding up in one run
 * (worker/README.md "CPU time"). The snapshot repair runs on every run: it costs a list() when nothing is dirty,
 * and it is what makes a lost rebuild visible within minutes.
 */

export interface CronRun {
  /** Fold the views, read the pages the lists can show, rank (storage/popularity-job.ts). */
  popularity: boolean;
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
 * By the run's ten minutes within its half hour: :00 and :30, :10 and :40, :20 and :50. Popularity on :10 and :40,
 * the first runs more than 5 minutes after an hour ends, when that hour can be finalized (domain/popularity.ts
 * `finalizeGraceMs`), keeps its writes near 72 a day. Recent comments of every site on :20 and :50, after the
 * popularity run has read new pages' titles; of a site with a changed thread on :00 and :30 too, so a comment
 * reaches the list within 20 minutes. Queued imports on every run but the popularity ones.
 */
const RUNS: readonly [CronRun, CronRun, CronRun] = [
  { popularity: false, imports: true, webhookRetries: true, recentComments: 'changed sites' },
  { popularity: true, imports: false, webhookRetries: false, recentComments: 'none' },
  { popularity: false, imports: true, webhookRetries: false, recentComments: 'every site' },
];

export function cronRun(scheduledTime: number): CronRun {
  return RUNS[Math.floor(new Date(scheduledTime).getUTCMinutes() / 10) % 3]!;
}
