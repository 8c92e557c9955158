/**
 * This isolate's count of what it used today of the free plan's daily limits (Worker requests and KV operations),
 * kept in memory and handed out as reports that ride on writes the Worker makes anyway (view batches), so that
 * knowing the usage costs no KV write of its own.
 */
import { utcDay } from './utc-time.js';

/** The Cloudflare free plan's daily limits, reset at 00:00 UTC. */
export const FREE_PLAN = { requests: 100_000, reads: 100_000, writes: 1_000, deletes: 1_000, lists: 1_000 } as const;

export type UsageKind = keyof typeof FREE_PLAN;

/**
 * The admin page warns from this share of any limit on, as estimated. The estimate saw 82-92% of a day's writes
 * in `npm run bench:cost`, so 70% of it is about 80% of the real use.
 */
export const WARN_AT = 0.7;

/**
 * Counts for one UTC day, under short names because a report travels in a KV key's metadata (1,024 bytes):
 * q requests, r reads, w writes, d deletes, l lists.
 */
export interface UsageReport {
  day: string;
  q: number;
  r: number;
  w: number;
  d: number;
  l: number;
}

const SHORT: Record<UsageKind, 'q' | 'r' | 'w' | 'd' | 'l'> = {
  requests: 'q',
  reads: 'r',
  writes: 'w',
  deletes: 'd',
  lists: 'l',
};

function emptyReport(day: string): UsageReport {
  return { day, q: 0, r: 0, w: 0, d: 0, l: 0 };
}

export function isUsageReport(value: unknown): value is UsageReport {
  const report = value as Partial<UsageReport> | null;
  return (
    typeof report?.day === 'string' &&
    (['q', 'r', 'w', 'd', 'l'] as const).every((name) => Number.isFinite(report[name]) && report[name]! >= 0)
  );
}

/** Reports of one day added up; reports of other days are left out. */
export function addReports(day: string, reports: readonly UsageReport[]): UsageReport {
  const total = emptyReport(day);
  for (const report of reports) {
    if (report.day !== day) continue;
    for (const name of ['q', 'r', 'w', 'd', 'l'] as const) total[name] += report[name];
  }
  return total;
}

export class UsageTally {
  #unreported = emptyReport('');

  /** Counts `amount` operations of `kind` at `now`; counts of an earlier UTC day are dropped, never reported. */
  count(kind: UsageKind, amount: number, now: number): void {
    this.#today(now)[SHORT[kind]] += amount;
  }

  /**
   * What was counted on `now`'s UTC day and not reported yet, without taking it, nor dropping other days' counts: a
   * cron fired by hand for a later midnight (`wrangler dev`) asks about that day, and the isolate's counts of today
   * must stay today's use.
   */
  peek(now: number): UsageReport {
    const day = utcDay(now);
    return this.#unreported.day === day ? { ...this.#unreported } : emptyReport(day);
  }

  /** Takes today's unreported counts to send along with a write; null when there is nothing to report. */
  take(now: number): UsageReport | null {
    const report = this.#today(now);
    if (report.q + report.r + report.w + report.d + report.l === 0) return null;
    this.#unreported = emptyReport(report.day);
    return report;
  }

  /** Forgets every count not reported yet: the tally as a new isolate has it (domain/isolate-state.ts). */
  clear(): void {
    this.#unreported = emptyReport('');
  }

  /** Puts back a report whose write failed, so the next write carries it. */
  giveBack(report: UsageReport, now: number): void {
    const today = this.#today(now);
    if (report.day !== today.day) return;
    for (const name of ['q', 'r', 'w', 'd', 'l'] as const) today[name] += report[name];
  }

  #today(now: number): UsageReport {
    const day = utcDay(now);
    if (this.#unreported.day !== day) this.#unreported = emptyReport(day);
    return this.#unreported;
  }
}
