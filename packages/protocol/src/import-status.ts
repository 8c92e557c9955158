/** Where a site's import stands when part of it waits for a day with KV writes to spare (the Worker's own type). */

/** 200 from GET /api/v1/admin/sites/:site/import. */
export interface ImportStatusResponse {
  /** Threads accepted with `queued` and not written yet. */
  queuedThreads: number;
  /** Comments in those threads. */
  queuedComments: number;
  /** ISO 8601: when the cron writes the next of them (the next 00:00 UTC); absent when nothing waits. */
  resumesAt?: string;
}
