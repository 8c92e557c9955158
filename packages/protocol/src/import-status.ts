/** Where a site's import stands when part of it waits for a day with KV writes to spare (the Worker's own type). */

import type { ImportShortage } from './import.js';

/** 200 from GET /api/v1/admin/sites/:site/import. */
export interface ImportStatusResponse {
  /** Threads accepted with `queued` and not written yet. */
  queuedThreads: number;
  /** Comments in those threads. */
  queuedComments: number;
  /**
   * ISO 8601: when the cron writes the next of them: the next 00:00 UTC while today's budget is spent, else the next
   * cron run that resumes imports; absent when nothing waits.
   */
  resumesAt?: string;
  /** What today's import budget has run out of, so they wait for 00:00 UTC; absent when the next cron run can write. */
  queuedFor?: ImportShortage;
  /** ISO 8601: the server's clock when it answered (`ImportResponse.serverTime`). */
  serverTime?: string;
}
