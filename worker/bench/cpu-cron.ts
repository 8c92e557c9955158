/// <reference types="node" />
/**
 * `npm run bench:cpu:cron`: CPU time of the popularity cron against the free plan's 10 ms per invocation.
 * Runs the real cron code (storage/site-lists.ts `refreshSiteLists` and what it calls) in Node's V8 over an
 * in-memory KV, measuring process.cpuUsage() (user + system) around each invocation: the first run in a fresh
 * process, and the median of warm runs. Why Node and not workerd: worker/README.md "CPU time".
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { aggregate, hoursToCollect, type PageCounts, type PopularityState } from '../src/domain/popularity.js';
import { buildRankingDocument } from '../src/domain/ranking.js';
import { HOUR_MS, hourStart, utcDay } from '../src/domain/utc-time.js';
import type { ViewBatch } from '../src/domain/view-buffer.js';
import { popularityKey, verifiedPagesKey } from '../src/storage/keys.js';
import { FetchBudget, PageVerification } from '../src/storage/page-verification.js';
import { PopularityStore } from '../src/storage/popularity.js';
import { MAX_BATCH_READS } from '../src/storage/popularity-job.js';
import { refreshSiteLists } from '../src/storage/site-lists.js';
import { ViewBatchStore } from '../src/storage/views.js';
import { BLOG, postMeta, postPage, postUrl } from './blog.js';
import { MemoryKv, type KvSnapshot } from './memory-kv.js';

const LIMIT_MS = 10;
const WARM_RUNS = 9;
const SITE = 'demo';
const NOW = Date.parse('2030-03-31T12:25:00Z');

interface Scenario {
  name: string;
  pages: number;
  /** Hours since the last finalized hour: 1 normally, 30 after a 30-hour outage. */
  backlogHours: number;
  batchesPerHour: number;
}

const SCENARIOS: readonly Scenario[] = [
  { name: '300 pages, 30 days', pages: 300, backlogHours: 1, batchesPerHour: 30 },
  { name: '5,000 pages, 30 days', pages: 5000, backlogHours: 1, batchesPerHour: 30 },
  { name: '300 pages, 30-hour backlog', pages: 300, backlogHours: 30, batchesPerHour: 30 },
];

/** Views of a post on one day or hour: a long tail, as on a real blog (zipf-like), never zero for the top pages. */
function views(post: number, salt: number): number {
  return Math.max(1, Math.round(2000 / (post + 1) + ((post * 7 + salt * 13) % 5)));
}

function pageId(post: number): string {
  return postUrl(post);
}

function countsFor(pages: number, salt: number): PageCounts {
  const counts: PageCounts = {};
  for (let post = 0; post < pages; post++) counts[pageId(post)] = views(post, salt);
  return counts;
}

/** The state of a blog the cron has counted for 30 days, finalized through `backlogHours` before now's hour. */
function monthOldState(scenario: Scenario): PopularityState {
  const finalized = Date.parse(hourStart(NOW)) - scenario.backlogHours * HOUR_MS;
  const state: PopularityState = {
    version: 1,
    hours: {},
    days: {},
    allTime: {},
    finalizedThrough: new Date(finalized).toISOString(),
    meta: {},
  };
  for (let hour = 0; hour < 48; hour++) {
    state.hours[new Date(finalized - hour * HOUR_MS).toISOString()] = countsFor(scenario.pages, hour);
  }
  for (let day = 0; day < 30; day++)
    state.days[utcDay(finalized - day * 24 * HOUR_MS)] = countsFor(scenario.pages, day);
  state.allTime = countsFor(scenario.pages, 99);
  for (let post = 0; post < scenario.pages; post++) {
    state.meta[pageId(post)] = { ...postMeta(post), updatedAt: '2030-03-01T00:00:00.000Z' };
  }
  return state;
}

/** `batchesPerHour` batches in each open hour, each from one isolate that saw a few dozen posts. */
function openHourBatches(scenario: Scenario): ViewBatch[] {
  const batches: ViewBatch[] = [];
  const firstOpen = Date.parse(hourStart(NOW)) - (scenario.backlogHours - 1) * HOUR_MS;
  for (let hour = firstOpen; hour <= Date.parse(hourStart(NOW)); hour += HOUR_MS) {
    for (let index = 0; index < scenario.batchesPerHour; index++) {
      const flushedAt = new Date(hour + index * 60_000 + 1_000).toISOString();
      const batch: ViewBatch = {
        id: `${flushedAt.replace(/[-:.]/g, '')}-${String(index).padStart(16, '0')}`,
        flushedAt,
        views: {},
        meta: {},
      };
      for (let pick = 0; pick < 40; pick++) {
        const post = (index * 37 + pick * pick) % scenario.pages;
        batch.views[pageId(post)] = (batch.views[pageId(post)] ?? 0) + 1 + (pick % 3);
        batch.meta[pageId(post)] = postMeta(post);
      }
      batches.push(batch);
    }
  }
  return batches;
}

async function seed(scenario: Scenario): Promise<{ kv: MemoryKv; batches: ViewBatch[]; state: PopularityState }> {
  const kv = new MemoryKv();
  const state = monthOldState(scenario);
  const batches = openHourBatches(scenario);
  await new PopularityStore(kv.namespace).writeState(SITE, state);
  const batchStore = new ViewBatchStore(kv.namespace);
  for (const batch of batches) await batchStore.put(SITE, batch);
  // Every page was read by the cron this week: a month-old blog's runs fetch a page only now and then.
  const checkedAt = new Date(NOW - HOUR_MS).toISOString();
  const verified = { version: 1, pages: {} as Record<string, unknown> };
  for (let post = 0; post < scenario.pages; post++) {
    verified.pages[pageId(post)] = { url: postUrl(post), checkedAt, meta: postMeta(post), verifiedAt: checkedAt };
  }
  await kv.namespace.put(verifiedPagesKey(SITE), JSON.stringify(verified));
  return { kv, batches, state };
}

function cpuMs(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

async function cpuOf(work: () => Promise<unknown> | unknown): Promise<number> {
  const start = process.cpuUsage();
  await work();
  return cpuMs(start);
}

/** One cron invocation for the site, as the Worker's scheduled handler makes it (page reads served locally). */
async function invocation(kv: KVNamespace): Promise<void> {
  const fetchPage = async (url: string) => {
    const html = postPage(url);
    return new Response(html, { status: html === null ? 404 : 200, headers: { 'Content-Type': 'text/html' } });
  };
  const pages = new PageVerification(kv, { id: SITE, origins: [BLOG] }, new FetchBudget(), fetchPage);
  await refreshSiteLists(kv, SITE, NOW, { popularity: true, recentComments: true }, pages);
}

interface Stages {
  read: number;
  aggregate: number;
  ranking: number;
  write: number;
  invocation: number;
}

/** CPU per stage of one run: the stages on the run's own inputs, then the whole invocation on the same KV. */
async function measure(kv: MemoryKv, snapshot: KvSnapshot, batches: ViewBatch[]): Promise<Stages> {
  kv.restore(snapshot);
  let state: PopularityState | undefined;
  const read = await cpuOf(async () => {
    state = (await new PopularityStore(kv.namespace).readStateAndUsage(SITE)).state;
  });
  // The batches a run takes: oldest open hours first, up to the read budget (storage/popularity-job.ts).
  const hours = new Set(hoursToCollect(state!, NOW));
  const taken = batches.filter((batch) => hours.has(hourStart(Date.parse(batch.flushedAt)))).slice(0, MAX_BATCH_READS);
  const asOf = taken.length < batches.length ? Date.parse(taken.at(-1)!.flushedAt) : NOW;
  let next: PopularityState | undefined;
  const aggregateMs = await cpuOf(() => {
    next = aggregate(state!, taken, asOf).state;
  });
  const ranking = await cpuOf(() => buildRankingDocument(next!, {}, NOW));
  const write = await cpuOf(() => JSON.stringify(next));
  kv.restore(snapshot);
  const whole = await cpuOf(() => invocation(kv.namespace));
  return { read, aggregate: aggregateMs, ranking, write, invocation: whole };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function runScenario(scenario: Scenario, runs: number): Promise<Stages[]> {
  const { kv, batches } = await seed(scenario);
  const snapshot = kv.snapshot();
  const results: Stages[] = [];
  for (let run = 0; run < runs; run++) results.push(await measure(kv, snapshot, batches));
  return results;
}

function verdict(ms: number): string {
  if (ms <= LIMIT_MS / 2) return 'fits';
  if (ms <= LIMIT_MS) return 'tight';
  return 'OVER';
}

function row(label: string, stages: Stages, stateBytes: string): string {
  const cells = [stages.read, stages.aggregate, stages.ranking, stages.write, stages.invocation].map((ms) =>
    ms.toFixed(1).padStart(10),
  );
  return `${label.padEnd(48)}${cells.join('')}${stateBytes.padStart(11)}   ${verdict(stages.invocation)}`;
}

async function main(): Promise<void> {
  const self = fileURLToPath(import.meta.url);
  // A first run in a fresh process: nothing compiled, nothing cached, as on a cron isolate's first event.
  const only = process.argv.indexOf('--first-run');
  if (only !== -1) {
    const scenario = SCENARIOS[Number(process.argv[only + 1])]!;
    const [first] = await runScenario(scenario, 1);
    process.stdout.write(JSON.stringify(first));
    return;
  }

  console.log(`Popularity cron CPU per invocation (ms, process.cpuUsage user+system, Node ${process.version});`);
  console.log(`free plan limit ${LIMIT_MS} ms. Stages run alone on the invocation's inputs; "whole" is the real`);
  console.log('cron invocation (refreshSiteLists: state, batches, aggregate, page metadata, ranking, writes).\n');
  console.log(
    `${'scenario'.padEnd(48)}${['read', 'aggregate', 'ranking', 'write', 'whole'].map((h) => h.padStart(10)).join('')}${'state'.padStart(11)}   verdict`,
  );
  for (const [index, scenario] of SCENARIOS.entries()) {
    const { kv } = await seed(scenario);
    const stateBytes = `${Math.round((((await kv.namespace.get(popularityKey(SITE))) as string).length / 1024) * 10) / 10} KB`;
    const child = spawnSync(process.execPath, [self, '--first-run', String(index)], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`first run of ${scenario.name} failed: ${child.stderr}`);
    console.log(row(`${scenario.name}, first run`, JSON.parse(child.stdout) as Stages, stateBytes));
    const warm = await runScenario(scenario, WARM_RUNS + 1);
    const runs = warm.slice(1);
    const medians: Stages = {
      read: median(runs.map((r) => r.read)),
      aggregate: median(runs.map((r) => r.aggregate)),
      ranking: median(runs.map((r) => r.ranking)),
      write: median(runs.map((r) => r.write)),
      invocation: median(runs.map((r) => r.invocation)),
    };
    console.log(row(`${scenario.name}, warm (median of ${WARM_RUNS})`, medians, stateBytes));
  }
  console.log('\nverdict: fits = at most half the limit, tight = within it, OVER = the invocation would fail.');
}

await main();
