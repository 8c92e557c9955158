/**
 * The cron's list work per site, after the snapshot repair: popular posts or recent comments, on the runs
 * domain/cron-schedule.ts gives them. Recent comments read no popularity state: the titles they show are the pages'
 * own, kept by the popularity run (storage/page-verification.ts).
 */
import type { PopularityState } from '../domain/popularity.js';
import type { UsageTally } from '../domain/usage.js';
import type { PopularityPart, PopularityReport } from './popularity-job.js';
import { refreshPopularity } from './popularity-job.js';
import { listCommentActivity } from './comment-activity.js';
import type { ListedPages, PageHints, PageVerification } from './page-verification.js';
import { PopularityStore } from './popularity.js';
import { refreshRecentComments } from './recent-comments-job.js';

export interface SiteListsWork {
  /** The popularity work of this run (domain/cron-schedule.ts), or none. */
  popularity: PopularityPart | 'none';
  recentComments: boolean;
  /** The cron isolate's count of the free plan's limits, reported with the popularity state it writes. */
  usage?: UsageTally;
}

export interface SiteListsReport {
  site: string;
  popularity?: PopularityReport;
  recentCommentsWritten?: boolean;
}

export async function refreshSiteLists(
  kv: KVNamespace,
  site: string,
  now: number,
  work: SiteListsWork,
  pages: PageVerification,
): Promise<SiteListsReport> {
  const report: SiteListsReport = { site };
  if (work.popularity === 'none' && !work.recentComments) return report;

  // Comment activity is listed once, by the runs that rank or rebuild recent comments; a fold needs none.
  const activity =
    work.popularity === 'fold' && !work.recentComments ? Promise.resolve([]) : listCommentActivity(kv, site);
  if (work.popularity !== 'none') {
    // The counts only: the pages' hints are read if the run needs them (storage/popularity-job.ts).
    const [read, commentActivity] = await Promise.all([new PopularityStore(kv).readCountsAndUsage(site), activity]);
    const usage = work.usage ? { tally: work.usage, carried: read.cronUsage } : undefined;
    const shownMeta = (next: PopularityState, listed: ListedPages, hints: PageHints) =>
      pages.verify(next, now, listed, hints);
    const result = await refreshPopularity(kv, site, now, read, commentActivity, shownMeta, usage, work.popularity);
    report.popularity = result.report;
    // A run that converted a part of a version 1 state spent its CPU time on it: recent comments wait for the next run.
    if (read.v1 !== null) return report;
  }
  if (work.recentComments) {
    // Page titles as the pages themselves give them, like popular posts: never a beacon's. The pages read are the
    // pages the last popularity run counted and listed, those with the newest comments among them.
    const [shown, commentActivity] = await Promise.all([pages.shown(), activity]);
    report.recentCommentsWritten = await refreshRecentComments(kv, pages.site, now, shown, commentActivity);
  }
  return report;
}
