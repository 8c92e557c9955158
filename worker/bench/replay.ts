/**
 * Replays one drawn day against the real Worker: every page view loads the comments thread and the popular-posts
 * list and (when the browser sends one) posts the view beacon, each to its location's isolate; comments are
 * posted; the cron fires every 10 virtual minutes in an isolate of its own (twice at once, once a day). Virtual
 * time is the fake Date.
 */
import type { PopularPostsResponse } from '@sala/protocol';
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { vi } from 'vitest';
import { rankingAccuracy, type RankingAccuracy } from '../src/domain/view-sampling.js';
import { UsageTally } from '../src/domain/usage.js';
import { createWorker } from '../src/index.js';
import { warmedUp } from '../src/warm.js';
import { todaysUsage } from '../src/storage/usage.js';
import {
  BLOG,
  beaconRequest,
  commentPreflight,
  commentRequest,
  listRequest,
  popularRequest,
  postUrl,
  probeRequest,
  threadRequest,
} from './blog.js';
import { CountingKv, type KvCounts } from './counting-kv.js';
import { IsolatePool, type IsolateModel, type IsolateStats } from './isolates.js';
import { seededRandom } from './random.js';
import { DAY, drawTraffic, trueViews, HOUR, type TrafficEvent, type TrafficModel } from './traffic.js';

const CRON_PERIOD = 10 * 60_000;

export interface Scenario {
  name: string;
  traffic: TrafficModel;
  isolates: IsolateModel;
}

export interface ReplayResult {
  scenario: Scenario;
  /** Worker invocations on the day, by what they were. */
  requests: Record<string, number>;
  kv: KvCounts;
  isolates: IsolateStats;
  pageViews: number;
  /** First views of a post by a reader that day: what the counts should count. */
  uniqueViews: number;
  beacons: number;
  /** Views still in live isolates' buffers when the lists were compared (written later, not lost). */
  inFlightViews: number;
  accuracy: { range: '24h' | 'all'; accuracy: RankingAccuracy; trueTop: number[] }[];
  /** What the admin page's estimate (GET /admin/usage) would have said at 23:59, from the isolates' reports. */
  estimate: { writes: number };
  wallSeconds: number;
}

export async function replay(
  scenario: Scenario,
  bindings: Env,
  siteId: string,
  dayStart: number,
): Promise<ReplayResult> {
  // The module's startup warm-up settled first, as the Worker's own handlers wait for it (index.ts): these isolates call
  // `createWorker()` directly, and the warm-up changes module state while it runs (worker/docs/import.md, "The resend
  // that stopped").
  await warmedUp();
  const started = performance.now();
  const random = seededRandom(scenario.traffic.seed + 1);
  const events = drawTraffic(scenario.traffic, dayStart);
  const countingKv = new CountingKv(bindings.SALA);
  const env: Env = {
    ...bindings,
    SALA: countingKv.kv,
    SITES: JSON.stringify({
      [siteId]: { name: 'Bench blog', origins: [BLOG], viewSampleRate: scenario.traffic.sampleRate },
    }),
  };
  const pool = new IsolatePool(scenario.isolates, scenario.traffic.locations.length, random, dayStart);
  const cronIsolate = createWorker({ views: scenario.isolates.views });
  const requests: Record<string, number> = {};

  const call = async (worker: ReturnType<typeof createWorker>, kind: string, request: Request): Promise<void> => {
    requests[kind] = (requests[kind] ?? 0) + 1;
    const ctx = createExecutionContext();
    const response = await worker.fetch(request, env, ctx);
    const text = await response.text();
    await waitOnExecutionContext(ctx); // batch writes and rebuilds finish before the next event
    if (response.status >= 400) throw new Error(`${kind}: ${response.status} ${text}`);
  };

  const probe = async (worker: ReturnType<typeof createWorker>): Promise<void> => {
    const ctx = createExecutionContext();
    const response = await worker.fetch(probeRequest(siteId), env, ctx);
    await response.arrayBuffer();
    await waitOnExecutionContext(ctx);
    if (response.status !== 404) throw new Error(`probe: ${response.status}`);
  };

  // Once a day the trigger fires twice at once (Cron Triggers are at-least-once): a second isolate runs the same
  // work concurrently, and the counts must not double.
  const overlappingRun = dayStart + 12 * HOUR + CRON_PERIOD;
  const secondCronIsolate = createWorker({ views: scenario.isolates.views });
  const runCron = async (at: number): Promise<void> => {
    vi.setSystemTime(at);
    const runs = at === overlappingRun ? [cronIsolate, secondCronIsolate] : [cronIsolate];
    requests.cron = (requests.cron ?? 0) + runs.length;
    const controller = () => createScheduledController({ scheduledTime: at, cron: '*/10 * * * *' });
    await Promise.all(runs.map((isolate) => isolate.scheduled(controller(), env)));
  };

  const handle = async (event: TrafficEvent): Promise<void> => {
    vi.setSystemTime(event.at);
    const { worker, counter } = pool.isolateFor(event.location, event.at);
    if (event.kind === 'comment') {
      await call(worker, 'comment preflight', commentPreflight(siteId, event.reader));
      await call(worker, 'comment POST', commentRequest(siteId, event.reader, event.post, scenario.name));
      return;
    }
    if (random() < scenario.traffic.replayedWidgetShare) {
      await call(worker, 'thread GET', threadRequest(siteId, event.reader, event.post));
      await call(worker, 'popular GET', popularRequest(siteId, event.reader, event.post));
    } else {
      // Not replayed: counted at the one KV read each the route tests assert. When the isolate's buffer is due,
      // one request down the same middleware stands in for them, so it flushes exactly when they would make it.
      if (counter.isDue(event.at)) await probe(worker);
      requests['thread GET'] = (requests['thread GET'] ?? 0) + 1;
      requests['popular GET'] = (requests['popular GET'] ?? 0) + 1;
      countingKv.countUnsent('read', 'v1:thread:');
      countingKv.countUnsent('read', 'v1:ranking:');
    }
    if (event.beaconWeight > 0) {
      await call(worker, 'view beacon', beaconRequest(siteId, event.reader, event.post, event.beaconWeight));
    }
  };

  // The day: events and cron runs in time order. Its requests and KV operations are the daily totals.
  const dayEnd = dayStart + DAY;
  const comparedAt = dayEnd + 2 * CRON_PERIOD; // the 00:20 run, which ranks what the 00:10 run folded
  let nextCron = dayStart;
  let nextEvent = 0;
  const runUntil = async (end: number): Promise<void> => {
    for (; nextEvent < events.length && events[nextEvent]!.at < end; nextEvent++) {
      const event = events[nextEvent]!;
      for (; nextCron <= event.at; nextCron += CRON_PERIOD) await runCron(nextCron);
      await handle(event);
    }
    for (; nextCron < end; nextCron += CRON_PERIOD) await runCron(nextCron);
  };
  await runUntil(dayEnd);
  const dayRequests = { ...requests };
  const dayKv = countingKv.reset();
  // Read from the namespace itself, so the estimate's own list() is not in the day's totals.
  const usage = await todaysUsage(bindings.SALA, [siteId], new UsageTally().peek(dayEnd - 1), dayEnd - 1);
  const estimate = { writes: usage.kvWrites.used };

  // Then the next day's first minutes and its 00:00 and 00:10 runs; the lists are compared after its 00:20 run.
  await runUntil(comparedAt);
  await runCron(comparedAt);
  pool.settle(comparedAt);

  const reported = async (range: '24h' | 'all'): Promise<Record<string, number>> => {
    const response = await cronIsolate.fetch(listRequest(siteId, range), env, createExecutionContext());
    const body = (await response.json()) as PopularPostsResponse;
    return Object.fromEntries(body.posts.map((post) => [post.pageId, post.views]));
  };
  const asCounts = (counts: Map<number, number>) =>
    Object.fromEntries([...counts].map(([post, views]) => [postUrl(post), views]));
  const truth = {
    '24h': trueViews(events, dayStart + HOUR, comparedAt),
    all: trueViews(events, dayStart, comparedAt),
  };
  const accuracy: ReplayResult['accuracy'] = [];
  for (const range of ['24h', 'all'] as const) {
    const trueCounts = asCounts(truth[range]);
    const trueTop = [...truth[range].values()].sort((a, b) => b - a).slice(0, 10);
    accuracy.push({ range, accuracy: rankingAccuracy(trueCounts, await reported(range)), trueTop });
  }

  const dayViews = events.filter((event) => event.kind === 'view' && event.at < dayEnd);
  return {
    scenario,
    requests: dayRequests,
    kv: dayKv,
    isolates: pool.stats,
    pageViews: dayViews.length,
    uniqueViews: dayViews.filter((event) => event.kind === 'view' && event.firstToday).length,
    beacons: dayRequests['view beacon'] ?? 0,
    inFlightViews: pool.bufferedViews(),
    accuracy,
    estimate,
    wallSeconds: (performance.now() - started) / 1000,
  };
}
