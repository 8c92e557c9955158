/**
 * The accuracy model of view counting, for the cost benchmark and for choosing a sample rate: what 1-in-N
 * sampling costs in precision, and how far a reported ranking is from the true one.
 */
import type { PageCounts } from './popularity.js';

/**
 * The weight a sampled view is sent with: N for 1 in N views, 0 for a view not sent. The expected weight is 1
 * per view, so summed weights are unbiased totals.
 */
export function sampleView(sampleRate: number, random: () => number = Math.random): number {
  if (sampleRate <= 1) return 1;
  return random() < 1 / sampleRate ? sampleRate : 0;
}

/**
 * Relative standard error of a page's count under 1-in-N sampling: the estimate is N × Binomial(views, 1/N),
 * whose standard deviation over its mean is √((N − 1) / views). 0 when nothing is sampled.
 */
export function samplingRelativeError(trueViews: number, sampleRate: number): number {
  if (sampleRate <= 1 || trueViews <= 0) return 0;
  return Math.sqrt((sampleRate - 1) / trueViews);
}

/** The largest sample rate that keeps a page with `trueViews` views within `relativeError` (one standard error). */
export function largestSampleRate(trueViews: number, relativeError: number): number {
  return Math.max(1, Math.floor(1 + relativeError * relativeError * trueViews));
}

export interface RankingAccuracy {
  /** How many of the true top k pages the reported top k also holds. */
  overlap: number;
  /** Largest |reported − true| / true among the true top k pages (a page missing from the report is off by 1). */
  largestRelativeError: number;
}

/** How well reported counts reproduce the true top k: what `npm run bench:cost` prints. */
export function rankingAccuracy(trueCounts: PageCounts, reported: PageCounts, k = 10): RankingAccuracy {
  const top = (counts: PageCounts) =>
    Object.entries(counts)
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
      .slice(0, k)
      .map(([pageId]) => pageId);
  const trueTop = top(trueCounts);
  const reportedTop = new Set(top(reported));
  return {
    overlap: trueTop.filter((pageId) => reportedTop.has(pageId)).length,
    largestRelativeError: Math.max(
      0,
      ...trueTop.map((pageId) => Math.abs((reported[pageId] ?? 0) - trueCounts[pageId]!) / trueCounts[pageId]!),
    ),
  };
}
