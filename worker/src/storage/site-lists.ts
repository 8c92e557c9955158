/**
 * The cron's list work per site, after the snapshot repair: popular posts every 30 minutes, recent comments
 * whenever a comment changed and on those same runs. Both read one popularity state and one list() of count keys.
 */
import type { PopularityReport } from './popularity-job.js';
import { refreshPopularity } from './popularity-job.js';
import { listCommentActivity } from './comment-activity.js';
import type { PageVerification } from './page-verification.js';
import { PopularityStore } from './popularity.js';
import { refreshRecentComments } from './recent-comments-job.js';

export interface SiteListsWork {
  popularity: boolean;
  recentComments: boolean;
}

export interface SiteListsReport {
  site: string;
  popularity?: PopularityReport;
  recentCommentsWritten?: boolean;
}

/**
 * True on the runs of the 10-minute trigger at :10 and :40. Popularity work every 30 minutes keeps its writes
 * (state, ranking) near 72 a day; :10 is the first run more than 5 minutes after an hour ends, when that hour
 * can be finalized (domain/popularity.ts `finalizeGraceMs`).
 */
export function isPopularityRun(scheduledTime: number): boolean {
  return Math.floor(new Date(scheduledTime).getUTCMinutes() / 10) % 3 === 1;
}

export async function refreshSiteLists(
  kv: KVNamespace,
  site: string,
  now: number,
  work: SiteListsWork,
  pages: PageVerification,
): Promise<SiteListsReport> {
  const report: SiteListsReport = { site };
  if (!work.popularity && !work.recentComments) return report;

  let [state, commentActivity] = await Promise.all([
    new PopularityStore(kv).readState(site),
    listCommentActivity(kv, site),
  ]);
  if (work.popularity) {
    const result = await refreshPopularity(kv, site, now, state, commentActivity, (next) => pages.verify(next, now));
    state = result.state;
    report.popularity = result.report;
  }
  if (work.recentComments) {
    // Page titles as the pages themselves give them, like popular posts: never a beacon's.
    const shown = { ...state, meta: await pages.shown(state) };
    report.recentCommentsWritten = await refreshRecentComments(kv, site, now, shown, commentActivity);
  }
  return report;
}
