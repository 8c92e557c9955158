/**
 * Today's estimated use of the free plan's limits: the usage reports of every site's view batches and the cron's
 * running totals on each site's popularity state, added up.
 */
import type { PlanAllowance, UsageResponse } from '@sala/protocol';
import { dailyLimitResetAt } from '../domain/daily-limit.js';
import { addReports, FREE_PLAN, WARN_AT, type UsageReport } from '../domain/usage.js';
import { utcDay } from '../domain/utc-time.js';
import { PopularityStore } from './popularity.js';
import { ViewBatchStore } from './views.js';

/** Reads the reports of today (two list() calls per site); `unreported` is the asking isolate's own count so far. */
export async function todaysUsage(
  kv: KVNamespace,
  sites: readonly string[],
  unreported: UsageReport,
  now: number,
): Promise<UsageResponse> {
  const day = utcDay(now);
  const store = new ViewBatchStore(kv);
  const popularity = new PopularityStore(kv);
  const perSite = await Promise.all(
    sites.map(async (site) => {
      const [batches, cron] = await Promise.all([store.usageReports(site, day), popularity.cronUsage(site, day)]);
      return cron ? [...batches, cron] : batches;
    }),
  );
  const reports = perSite.flat();
  const total = addReports(day, [...reports, unreported]);
  const allowance = (used: number, limit: number): PlanAllowance => ({ used, limit });
  return {
    day,
    resetsAt: dailyLimitResetAt(now).toISOString(),
    requests: allowance(total.q, FREE_PLAN.requests),
    kvReads: allowance(total.r, FREE_PLAN.reads),
    kvWrites: allowance(total.w, FREE_PLAN.writes),
    kvDeletes: allowance(total.d, FREE_PLAN.deletes),
    kvLists: allowance(total.l, FREE_PLAN.lists),
    reports: reports.length + 1,
    warnAt: WARN_AT,
  };
}
