/**
 * The cron's list work per site, after the snapshot repair: popular posts every 30 minutes, recent comments
 * whenever a comment changed and on those same runs. Both read one popularity state and one list() of count keys.
 */
import type { PopularityState } from '../domain/popularity.js';
import type { UsageTally } from '../domain/usage.js';
import type { PopularityReport } from './popularity-job.js';
import { refreshPopularity } from './popularity-job.js';
import { listCommentActivity } from './comment-activity.js';
import type { ListedPages, PageVerification } from './page-verification.js';
import { PopularityStore } from './popularity.js';
import { refreshRecentComments } from './recent-comments-job.js';

export interface SiteListsWork {
  popularity: boolean;
  recentComments: boolean;
  /** The cron isolate's count of the free plan's limits, reported with the popularity state it writes. */
  usage?: UsageTally;
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

  const [read, commentActivity] = await Promise.all([
    new PopularityStore(kv).readStateAndUsage(site),
    listCommentActivity(kv, site),
  ]);
  let state = read.state;
  if (work.popularity) {
    const usage = work.usage ? { tally: work.usage, carried: read.cronUsage } : undefined;
    const shownMeta = (next: PopularityState, listed: ListedPages) => pages.verify(next, now, listed);
    const result = await refreshPopularity(kv, site, now, read, commentActivity, shownMeta, usage);
    state = result.state;
    report.popularity = result.report;
  }
  // A run that converted a version 1 state spent its CPU time parsing it: recent comments wait for the next run.
  if (work.recentComments && !read.convertedFromV1) {
    // Page titles as the pages themselves give them, like popular posts: never a beacon's.
    const shown = { ...state, meta: await pages.shown(state) };
    report.recentCommentsWritten = await refreshRecentComments(kv, site, now, shown, commentActivity);
  }
  return report;
}
