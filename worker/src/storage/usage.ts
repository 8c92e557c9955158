/** Today's estimated use of the free plan's limits: the usage reports of every site's view batches, added up. */
import type { PlanAllowance, UsageResponse } from '@sala/protocol';
import { dailyLimitResetAt } from '../domain/daily-limit.js';
import { addReports, FREE_PLAN, WARN_AT, type UsageReport } from '../domain/usage.js';
import { utcDay } from '../domain/utc-time.js';
import { ViewBatchStore } from './views.js';

/** Reads the reports of today (one list() per site); `unreported` is the asking isolate's own count so far. */
export async function todaysUsage(
  kv: KVNamespace,
  sites: readonly string[],
  unreported: UsageReport,
  now: number,
): Promise<UsageResponse> {
  const day = utcDay(now);
  const store = new ViewBatchStore(kv);
  const reports = (await Promise.all(sites.map((site) => store.usageReports(site, day)))).flat();
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
