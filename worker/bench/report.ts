/** Formats a replay's figures for the console: totals beside the free plan's daily limits, losses, accuracy. */
import { WORKER_VIEW_FLUSH } from '../src/storage/view-counter.js';
import type { ReplayResult, Scenario } from './replay.js';

export const FREE_PLAN = { requests: 100_000, read: 100_000, write: 1_000, list: 1_000, delete: 1_000 } as const;

const number = (value: number) => value.toLocaleString('en-US');
const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

function flushAgeMinutes(scenario: Scenario): number {
  return (scenario.isolates.views.maxAgeMs ?? WORKER_VIEW_FLUSH.maxAgeMs ?? 0) / 60_000;
}

export function printResult(result: ReplayResult): void {
  const { scenario, kv } = result;
  const requests = Object.values(result.requests).reduce((sum, count) => sum + count, 0);
  const lines = [
    `\n=== ${scenario.name} ===`,
    `model: ${number(scenario.traffic.views)} page views, ${scenario.traffic.posts} posts (Zipf s=${scenario.traffic.zipfExponent}), ` +
      `${scenario.traffic.comments} comments, ${scenario.traffic.locations.length} locations × ${scenario.isolates.isolatesPerLocation} isolate(s), ` +
      `idle eviction ${scenario.isolates.idleEvictionMs / 60_000} min, mean lifetime ${scenario.isolates.meanLifetimeMs / 3_600_000} h, ` +
      `${scenario.isolates.deploys.length} deploy(s), flush age ${flushAgeMinutes(scenario)} min, sample 1 in ${scenario.traffic.sampleRate}` +
      (scenario.traffic.replayedWidgetShare < 1
        ? `, widget GETs replayed for 1 in ${Math.round(1 / scenario.traffic.replayedWidgetShare)} views (the rest counted)`
        : ''),
    `views: ${number(result.pageViews)} page views, ${number(result.uniqueViews)} first views of a post by a reader, ${number(result.beacons)} beacons`,
    `per day         used      free plan`,
    `requests   ${number(requests).padStart(9)}   ${number(FREE_PLAN.requests).padStart(9)}   ${JSON.stringify(result.requests)}`,
    ...(['read', 'write', 'list', 'delete'] as const).map(
      (operation) =>
        `${operation.padEnd(8)}   ${number(kv[operation]).padStart(9)}   ${number(FREE_PLAN[operation]).padStart(9)}   ` +
        Object.entries(kv.byKey)
          .filter(([, counts]) => counts[operation] > 0)
          .map(([key, counts]) => `${key} ${counts[operation]}`)
          .join(', '),
    ),
    `isolates: ${result.isolates.started} started, ${result.isolates.evictedIdle} evicted idle, ${result.isolates.recycled} recycled, ` +
      `${result.isolates.replacedByDeploy} replaced by the deploy; views lost with them ${number(result.isolates.lostViews)} ` +
      `(${percent(result.isolates.lostViews / Math.max(1, result.uniqueViews))}: ${JSON.stringify(result.isolates.lostBy)}), ` +
      `still buffered at the end ${result.inFlightViews}`,
    ...result.accuracy.map(
      ({ range, accuracy, trueTop }) =>
        `popular ${range.padEnd(3)}: top-10 overlap ${accuracy.overlap}/10, largest top-10 error ${percent(accuracy.largestRelativeError)} ` +
        `(true top-10 counts ${trueTop.join(', ')})`,
    ),
    // Writes only: every write comes from a replayed request, while most GETs are counted without one.
    `admin page's estimate at 23:59: ${number(result.estimate.writes)} of the day's ${number(kv.write)} writes ` +
      `(${percent(result.estimate.writes / Math.max(1, kv.write))})`,
    `replayed in ${result.wallSeconds.toFixed(0)} s`,
  ];
  console.log(lines.join('\n'));
}

/** One line per scenario, to compare the trade-offs at a glance. */
export function printSummary(results: readonly ReplayResult[]): void {
  const header =
    'scenario                          requests     reads  writes  lists  deletes  lost   24h top-10    all top-10';
  const rows = results.map((result) => {
    const requests = Object.values(result.requests).reduce((sum, count) => sum + count, 0);
    const [day, all] = result.accuracy;
    const fits =
      requests <= FREE_PLAN.requests &&
      (['read', 'write', 'list', 'delete'] as const).every((operation) => result.kv[operation] <= FREE_PLAN[operation]);
    const ranking = (entry: ReplayResult['accuracy'][number] | undefined) =>
      entry ? `${entry.accuracy.overlap}/10 ${percent(entry.accuracy.largestRelativeError).padStart(6)}` : '';
    return (
      `${result.scenario.name.padEnd(32)} ${number(requests).padStart(9)} ${number(result.kv.read).padStart(9)} ` +
      `${number(result.kv.write).padStart(7)} ${number(result.kv.list).padStart(6)} ${number(result.kv.delete).padStart(8)} ` +
      `${percent(result.isolates.lostViews / Math.max(1, result.uniqueViews)).padStart(5)}   ${ranking(day)}   ${ranking(all)}` +
      (fits ? '' : '   over the free plan')
    );
  });
  console.log(
    [
      '\n=== summary (free plan per day: 100,000 requests and reads, 1,000 writes, lists and deletes) ===',
      header,
      ...rows,
    ].join('\n'),
  );
}
