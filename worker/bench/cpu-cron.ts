/// <reference types="node" />
/**
 * `npm run bench:cpu:cron`: CPU time of the popularity cron against the free plan's 10 ms per invocation.
 * Runs the real cron code (storage/site-lists.ts `refreshSiteLists` and what it calls) in Node's V8 over an
 * in-memory KV, measuring process.cpuUsage() (user + system) around each invocation: the first run in a fresh
 * process that ran none of the cron's code before it, the median of warm runs, and the median of steady runs (after
 * V8 has done compiling them); beside each, the main thread's share (process.threadCpuUsage()): the rest is V8's
 * helper threads (compiling, collecting) that the process figure counts too. Why Node and not workerd:
 * worker/README.md "CPU time".
 */
// First: the Worker's module loads under workerd's global-scope rules, as an isolate starts (bench/global-scope.ts).
import { leaveGlobalScope } from './global-scope.js';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import { dirname, join } from 'node:path';
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';
import {
  aggregate,
  catchUpAsOf,
  daySumsServe,
  endsDay,
  fromV1,
  hoursToCollect,
  lastFinalHour,
  type PopularityState,
  type PopularityStateV1,
} from '../src/domain/popularity.js';
import { rankAll, rankingDocument, windowComments, windowViews } from '../src/domain/ranking.js';
import { PAGE_VERIFICATION } from '../src/domain/page-verification.js';
import { DAY_MS, HOUR_MS, hourStart, utcDay } from '../src/domain/utc-time.js';
import { ACTIVITY_DAYS, storedCountMetadata } from '../src/domain/comment-activity.js';
import type { ViewBatch } from '../src/domain/view-buffer.js';
import {
  countKey,
  popularityCountsKey,
  popularityDaySumsKey,
  popularityDaysKey,
  popularityKey,
  popularityMetaKey,
  verifiedPagesKey,
} from '../src/storage/keys.js';
import { FetchBudget, PageVerification } from '../src/storage/page-verification.js';
import { PopularityStore, encodeCounts, encodeDays, type ReadState } from '../src/storage/popularity.js';
import { MAX_BATCH_READS, type PopularityPart } from '../src/storage/popularity-job.js';
import { refreshSiteLists } from '../src/storage/site-lists.js';
import { ViewBatchStore } from '../src/storage/views.js';
import { BLOG, monthOldPopularity, postMeta, postPage, postUrl } from './blog.js';
import { v1Layout } from '../src/domain/v1-layout.js';
import { MemoryKv, type KvSnapshot } from './memory-kv.js';
// The Worker's module, as a cron isolate loads it (its warm-up runs the cron's stages on data of its own).
import '../src/index.js';
import { warmedUp } from '../src/warm.js';
import { faultCostLine, faultCostMs, minorFaults } from './page-faults.js';

// The isolate's startup, before anything is timed: the module's evaluation and its warm-up (src/warm.ts).
await warmedUp();
const startupMs = leaveGlobalScope();

const LIMIT_MS = 10;
const WARM_RUNS = 15;
/** Runs made after the warm ones before the steady ones are measured: by then V8 has optimized the run's code. */
const STEADY_AFTER = 100;
/**
 * The longest row label: '5,000 pages, rank (:20), a tenth commented, steady (median of 15)', and with
 * `BENCH_COMMENT_DAYS` its days a key.
 */
const LABEL_WIDTH = Number(process.env.BENCH_COMMENT_DAYS ?? 2) > 2 ? 80 : 66;
const SITE = 'demo';
const NOW = Date.parse('2030-03-31T12:25:00Z');

interface Scenario {
  name: string;
  pages: number;
  /** Hours from the last finalized hour to now's: 2 on a :10 run (one hour to fold), 30 after an outage. */
  backlogHours: number;
  batchesPerHour: number;
  /**
   * The state is stored as the version 1 JSON document, which the runs convert a part at a time (and do only that):
   * the run measured converts the first part, or the last (the earlier parts converted while seeding).
   */
  v1?: 'first part' | 'last part';
  /** The run measured (domain/cron-schedule.ts): the :10 fold, or a ranking run (:20, :50) after it. */
  part: PopularityPart;
  /**
   * A tenth of the posts have comments (their count keys' metadata, as the thread rebuild writes it): a ranking run
   * places each count key by the page id its metadata names (`seedComments`).
   */
  commented?: boolean;
}

/**
 * Days with comments in a count key's metadata (`BENCH_COMMENT_DAYS`): 2 as the bench always seeded them (3 days ago
 * and today, every newest comment an hour ago), or more, up to `ACTIVITY_DAYS`.
 */
const commentDays = Math.min(ACTIVITY_DAYS, Math.max(2, Math.floor(Number(process.env.BENCH_COMMENT_DAYS ?? 2)) || 2));

const SCENARIOS: readonly Scenario[] = [
  // The :10 run folds the hour before into the counts and writes them; the ranking run after it finds that hour
  // folded (one open hour) and writes the lists.
  { name: '300 pages, 30 days, fold (:10)', pages: 300, backlogHours: 2, batchesPerHour: 30, part: 'fold' },
  { name: '300 pages, 30 days, rank (:20)', pages: 300, backlogHours: 1, batchesPerHour: 30, part: 'rank' },
  { name: '5,000 pages, 30 days, fold (:10)', pages: 5000, backlogHours: 2, batchesPerHour: 30, part: 'fold' },
  { name: '5,000 pages, 30 days, rank (:20)', pages: 5000, backlogHours: 1, batchesPerHour: 30, part: 'rank' },
  {
    name: `5,000 pages, rank (:20), a tenth commented${commentDays === 2 ? '' : `, ${commentDays} days a key`}`,
    pages: 5000,
    backlogHours: 1,
    batchesPerHour: 30,
    part: 'rank',
    commented: true,
  },
  { name: '300 pages, 30-hour backlog', pages: 300, backlogHours: 30, batchesPerHour: 30, part: 'fold' },
  {
    name: '300 pages, v1 state, first part',
    pages: 300,
    backlogHours: 2,
    batchesPerHour: 30,
    v1: 'first part',
    part: 'fold',
  },
  {
    name: '300 pages, v1 state, last part',
    pages: 300,
    backlogHours: 2,
    batchesPerHour: 30,
    v1: 'last part',
    part: 'fold',
  },
];

/**
 * The state of a blog the cron has counted for 30 days, finalized through `backlogHours` before now's hour, as the
 * version 1 JSON document held it (the column store is made from it with `fromV1`).
 */
function monthOldState(scenario: Scenario): PopularityStateV1 {
  return monthOldPopularity(scenario.pages, Date.parse(hourStart(NOW)) - scenario.backlogHours * HOUR_MS);
}

function pageId(post: number): string {
  return postUrl(post);
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
        // A batch keeps a beacon's address and title only (domain/view-buffer.ts).
        batch.meta[pageId(post)] = { url: postUrl(post), title: postMeta(post).title, labels: [] };
      }
      batches.push(batch);
    }
  }
  return batches;
}

/**
 * The verified-pages document a month-old blog's cron keeps: every page read this week, then one run, which keeps
 * the records of the pages its lists can show.
 */
async function keptVerifiedPages(kv: MemoryKv, scenario: Scenario): Promise<string> {
  const checkedAt = new Date(NOW - HOUR_MS).toISOString();
  const verified = { version: 1, pages: {} as Record<string, unknown> };
  for (let post = 0; post < scenario.pages; post++) {
    verified.pages[pageId(post)] = { url: postUrl(post), checkedAt, meta: postMeta(post), verifiedAt: checkedAt };
  }
  const before = kv.snapshot();
  await kv.namespace.put(verifiedPagesKey(SITE), JSON.stringify(verified));
  if (!scenario.v1) await invocation(kv.namespace, 'fold and rank');
  const kept = (await kv.namespace.get(verifiedPagesKey(SITE))) as string;
  kv.restore(before);
  return kept;
}

/**
 * Count keys of every tenth post with a few comments this month, naming their page as the thread rebuild writes them;
 * `BENCH_UNNAMED_KEYS=n`: one in n names none, as written before page ids were kept (matched by page hash; 1: all of
 * them). Their page hashes are taken with node:crypto, not storage/keys.ts, so the runs measured start with none of
 * the isolate's remembered hashes. `BENCH_COMMENT_DAYS=n` (2 to 31; 2 unless set): each key has n days, as a blog
 * whose posts are commented every day keeps a month of them (domain/comment-activity.ts `ACTIVITY_DAYS`), each with
 * its own newest comment; the row's name says so.
 */
async function seedComments(kv: MemoryKv, scenario: Scenario): Promise<void> {
  const unnamedEvery = Number(process.env.BENCH_UNNAMED_KEYS ?? 0);
  for (let post = 0; post < scenario.pages; post += 10) {
    const named = !(unnamedEvery > 0 && (post / 10) % unnamedEvery === 0);
    const pageHash = createHash('sha256').update(pageId(post)).digest('hex').slice(0, 32);
    const { days, last, total } = commentDays === 2 ? twoDays(post) : monthOfDays(post, commentDays);
    // As the thread rebuild writes it (`storedCountMetadata`): its fields in that order, with when it was written.
    const metadata = storedCountMetadata({ total, days, last }, NOW - HOUR_MS, named ? pageId(post) : undefined);
    await kv.namespace.put(countKey({ site: SITE, pageHash }), String(metadata.total), { metadata });
  }
}

/** A key's days, newest comment and total. */
interface SeededActivity {
  days: Record<string, number>;
  last: string;
  total: number;
}

function twoDays(post: number): SeededActivity {
  const days = { [utcDay(NOW - 3 * DAY_MS)]: 1, [utcDay(NOW)]: 1 + (post % 3) };
  return { days, last: new Date(NOW - HOUR_MS).toISOString(), total: 4 + (post % 3) };
}

/**
 * `count` days of a key, the oldest first as the thread rebuild writes them, up to the day of its newest comment: on
 * three keys in four that is today, `(post × 7919) mod 600` minutes before an hour ago; on the fourth it is up to a
 * month earlier (`mod 43,200` minutes), so some of its days fall out of the 30 days, or all. Its total: its days' and
 * a few older comments.
 */
function monthOfDays(post: number, count: number): SeededActivity {
  const minutes = (post * 7919) % ((post / 10) % 4 === 0 ? 43_200 : 600);
  const newest = NOW - HOUR_MS - minutes * 60_000;
  const days: Record<string, number> = {};
  let total = post % 3;
  for (let ago = count - 1; ago >= 0; ago--) total += days[utcDay(newest - ago * DAY_MS)] = 1 + ((post + ago) % 4);
  return { days, last: new Date(newest).toISOString(), total };
}

async function seed(scenario: Scenario): Promise<{ kv: MemoryKv; batches: ViewBatch[] }> {
  const kv = new MemoryKv();
  const state = monthOldState(scenario);
  const batches = openHourBatches(scenario);
  if (scenario.v1) await kv.namespace.put(popularityKey(SITE), JSON.stringify(state));
  else await new PopularityStore(kv.namespace).writeState(SITE, fromV1(state));
  const batchStore = new ViewBatchStore(kv.namespace);
  for (const batch of batches) await batchStore.put(SITE, batch);
  if (scenario.commented) await seedComments(kv, scenario);
  // Every page the lists can show was read by the cron this week, and the cron keeps only those
  // (domain/page-verification.ts `keptDepth`): the document is what a run kept, from `keptVerifiedPages`.
  await kv.namespace.put(verifiedPagesKey(SITE), await keptVerifiedPages(kv, scenario));
  if (scenario.v1 === 'last part') {
    // The conversion's runs up to the one that writes the state, the run measured.
    for (;;) {
      const before = kv.snapshot();
      await invocation(kv.namespace, scenario.part);
      if ((await kv.namespace.get(popularityKey(SITE))) !== null) continue;
      kv.restore(before);
      break;
    }
  }
  return { kv, batches };
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

/**
 * One popularity run for the site, as the Worker's scheduled handler makes it (page reads served locally): recent
 * comments have runs of their own (domain/cron-schedule.ts).
 */
async function invocation(kv: KVNamespace, part: PopularityPart): Promise<void> {
  const fetchPage = async (url: string) => {
    const html = postPage(url);
    return new Response(html, { status: html === null ? 404 : 200, headers: { 'Content-Type': 'text/html' } });
  };
  const pages = new PageVerification(kv, { id: SITE, origins: [BLOG] }, new FetchBudget(), fetchPage);
  await refreshSiteLists(kv, SITE, NOW, { popularity: part, recentComments: false }, pages);
}

interface Stages {
  read: number;
  aggregate: number;
  ranking: number;
  write: number;
  invocation: number;
  /** CPU of the whole invocation on this (the main) thread only: `invocation` less V8's helper threads. */
  mainThread: number;
  /** KV operations of the whole invocation, and how many of them were writes (puts and deletes). */
  operations: number;
  writes: number;
  /** Minor page faults during the whole invocation (bench/page-faults.ts). */
  faults: number;
}

type StageTimes = Pick<Stages, 'read' | 'aggregate' | 'ranking' | 'write'>;
type WholeTimes = Pick<Stages, 'invocation' | 'mainThread' | 'operations' | 'writes' | 'faults'>;

/** CPU of the whole invocation on the KV as `snapshot` holds it, and its KV operations. */
async function measureWhole(kv: MemoryKv, snapshot: KvSnapshot, part: PopularityPart): Promise<WholeTimes> {
  kv.restore(snapshot);
  kv.resetCounts();
  const faultsBefore = minorFaults();
  const threadBefore = process.threadCpuUsage();
  const invocationMs = await cpuOf(() => invocation(kv.namespace, part));
  const thread = process.threadCpuUsage(threadBefore);
  const faults = minorFaults() - faultsBefore;
  const mainThread = (thread.user + thread.system) / 1000;
  return { invocation: invocationMs, mainThread, operations: kv.operations, writes: kv.writes, faults };
}

/** CPU per stage of one run: the stages alone on the run's own inputs. */
async function measureStages(
  kv: MemoryKv,
  snapshot: KvSnapshot,
  batches: ViewBatch[],
  part: PopularityPart,
): Promise<StageTimes> {
  kv.restore(snapshot);
  let read: ReadState | undefined;
  const store = new PopularityStore(kv.namespace);
  let readMs = await cpuOf(async () => {
    read = await store.readCountsAndUsage(SITE);
    // The day ring or its sums, as the run reads them (popularity-job.ts): a ranking run the sums, and the ring when
    // they do not serve; a fold the ring when it ends a day.
    const { state } = read;
    if (state.days === null && part !== 'fold') state.daySums = await store.readDaySums(SITE);
    const ring = part === 'fold' ? endsDay(state, NOW) : !daySumsServe(state, state.daySums, NOW);
    if (state.days === null && ring) state.days = await store.readDays(SITE);
  });
  const state = read!.state;
  let aggregateMs = 0;
  let rankingMs = 0;
  let writeMs = 0;
  if (read!.v1 !== null) {
    // A converting run finds the document's layout, then parses and writes one part (storage/popularity-job.ts
    // `convertV1Part`): the read column is the document's read and its layout; the rest is in "whole".
    readMs += await cpuOf(() => v1Layout(read!.v1!));
  } else {
    // The batches a run takes: oldest open hours first, whole hours up to the read budget (popularity-job.ts).
    // A fold takes the final hours only (popularity-job.ts).
    const hours = hoursToCollect(state, NOW).filter((hour) => part !== 'fold' || hour <= lastFinalHour(NOW));
    let taken: ViewBatch[] = [];
    let collected = 0;
    for (const hour of hours) {
      const inHour = batches.filter((batch) => hourStart(Date.parse(batch.flushedAt)) === hour);
      if (collected >= 2 && taken.length + inHour.length > MAX_BATCH_READS) break;
      taken = taken.concat(inHour);
      collected += 1;
    }
    const catchingUp = collected < hours.length;
    const asOf = catchingUp ? catchUpAsOf(hours[collected - 1]!, NOW) : NOW;
    let result: ReturnType<typeof aggregate> | undefined;
    aggregateMs = await cpuOf(() => {
      result = aggregate(state, taken, asOf, { ownsCounts: true });
    });
    const next = result!.state;
    if (!catchingUp && part !== 'fold') {
      // As the run ranks: the windows once, every ranking to the depth of the pages kept, then the lists shown.
      const hints = await new PopularityStore(kv.namespace).readMeta(SITE);
      const hasHint = (pageId: string) => hints[pageId] !== undefined;
      rankingMs = await cpuOf(() => {
        const rankings = rankAll(
          windowViews(next, NOW),
          windowComments(0, [], NOW),
          hasHint,
          PAGE_VERIFICATION.keptDepth,
        );
        rankingDocument(rankings, hints, NOW);
      });
    }
    writeMs = await cpuOf(() => {
      if (part === 'rank' && !catchingUp) return;
      if (result!.daysChanged) encodeDays(next.days!);
      if (result!.countsChanged || result!.metaChanged) encodeCounts(next, read!.hints ?? undefined, read!.pageHashes);
      // (Encoded in place when no page was added: the counts the read gave, folded in place.)
      if (result!.metaChanged) JSON.stringify({ version: 2, meta: next.meta });
    });
  }
  return { read: readMs, aggregate: aggregateMs, ranking: rankingMs, write: writeMs };
}

/** One warm run: the whole invocation first, then its stages on the same inputs. */
async function measure(
  kv: MemoryKv,
  snapshot: KvSnapshot,
  batches: ViewBatch[],
  part: PopularityPart,
): Promise<Stages> {
  const whole = await measureWhole(kv, snapshot, part);
  return { ...(await measureStages(kv, snapshot, batches, part)), ...whole };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Each column's median over `runs`, the KV operations of the first (every run makes the same). */
function medians(runs: readonly Stages[]): Stages {
  const of = (column: (run: Stages) => number) => median(runs.map(column));
  return {
    read: of((r) => r.read),
    aggregate: of((r) => r.aggregate),
    ranking: of((r) => r.ranking),
    write: of((r) => r.write),
    invocation: of((r) => r.invocation),
    mainThread: of((r) => r.mainThread),
    operations: runs[0]!.operations,
    writes: runs[0]!.writes,
    faults: of((r) => r.faults),
  };
}

/**
 * Seeding built the month of counts as objects (megabytes at 5,000 pages): collect that garbage before measuring,
 * or the first measured run pays for a collection a cron isolate would never make.
 */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function runScenario(scenario: Scenario, runs: number): Promise<Stages[]> {
  const { kv, batches } = await seed(scenario);
  const snapshot = kv.snapshot();
  collectGarbage();
  const results: Stages[] = [];
  for (let run = 0; run < runs; run++) results.push(await measure(kv, snapshot, batches, scenario.part));
  return results;
}

/** What a minor page fault costs here (bench/page-faults.ts), measured by the parent before its first scenario. */
let faultMs = 0;

function verdict(ms: number): string {
  if (ms <= LIMIT_MS / 2) return 'fits';
  if (ms <= LIMIT_MS) return 'tight';
  return 'OVER';
}

function row(label: string, stages: Stages, stateBytes: string): string {
  const times = [stages.read, stages.aggregate, stages.ranking, stages.write, stages.invocation, stages.mainThread];
  const cells = times.map((ms) => ms.toFixed(1).padStart(10));
  const operations = `${stages.operations} (${stages.writes})`.padStart(10);
  const faults = `${stages.faults} (${(stages.faults * faultMs).toFixed(1)})`.padStart(16);
  return `${label.padEnd(LABEL_WIDTH)}${cells.join('')}${operations}${faults}${stateBytes.padStart(54)}   ${verdict(stages.invocation)}`;
}

/** Bytes of the state as stored: the counts, the day ring, its sums, the metadata (or the version 1 document). */
async function stateSize(kv: MemoryKv, scenario: Scenario): Promise<string> {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  if (scenario.v1) return `v1 ${kb(((await kv.namespace.get(popularityKey(SITE))) as string).length)}`;
  const counts = (await kv.namespace.get(popularityCountsKey(SITE), 'arrayBuffer')) as ArrayBuffer;
  const days = (await kv.namespace.get(popularityDaysKey(SITE), 'arrayBuffer')) as ArrayBuffer;
  const sums = (await kv.namespace.get(popularityDaySumsKey(SITE), 'arrayBuffer')) as ArrayBuffer;
  const meta = (await kv.namespace.get(popularityMetaKey(SITE))) as string;
  const verified = (await kv.namespace.get(verifiedPagesKey(SITE))) as string;
  const sizes = [counts.byteLength, days.byteLength, sums.byteLength, meta.length, verified.length];
  return sizes.map(kb).join(' + ');
}

/**
 * The seeded KV of a scenario, as the parent wrote it (`saveSeed`): seeding runs the cron's own code (the state's
 * encoding, a run that keeps the verified pages), so a first run's process loads the result instead, and the
 * invocation it measures is the first of the cron's code to run there.
 */
function loadSeed(file: string): MemoryKv {
  const kv = new MemoryKv();
  kv.restore(deserialize(readFileSync(file)) as KvSnapshot);
  return kv;
}

function saveSeed(kv: MemoryKv, file: string): void {
  writeFileSync(file, serialize(kv.snapshot()));
}

/**
 * `--first-run <scenario> <seed file> whole|stages`: in a fresh process, the whole invocation alone, or the stages
 * alone (each the first of its code to run), so neither warms the other.
 */
async function firstRun(scenario: Scenario, seedFile: string, what: string): Promise<Partial<Stages>> {
  const kv = loadSeed(seedFile);
  const snapshot = kv.snapshot();
  collectGarbage();
  if (what === 'whole') return measureWhole(kv, snapshot, scenario.part);
  return measureStages(kv, snapshot, openHourBatches(scenario), scenario.part);
}

function spawnFirstRun(self: string, index: number, seedFile: string, what: 'whole' | 'stages'): Partial<Stages> {
  const child = spawnSync(process.execPath, ['--expose-gc', self, '--first-run', String(index), seedFile, what], {
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`first run of ${SCENARIOS[index]!.name} failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as Partial<Stages>;
}

/**
 * `--profile <scenario> warm`, or `--profile <scenario> first .bench/kv-<scenario>.bin` (written by a full run): a
 * V8 CPU profile of one whole invocation only (not the seeding), the first in this process or the one after 5
 * warm-up runs, written to `.bench/cron-<scenario>-<first|warm>.cpuprofile` for Chrome DevTools or
 * `npx speedscope`.
 */
async function profile(index: number, warm: boolean, seedFile?: string): Promise<void> {
  const scenario = SCENARIOS[index]!;
  const kv = seedFile === undefined ? (await seed(scenario)).kv : loadSeed(seedFile);
  const snapshot = kv.snapshot();
  collectGarbage();
  for (let run = 0; run < (warm ? 5 : 0); run++) {
    kv.restore(snapshot);
    await invocation(kv.namespace, scenario.part);
  }
  kv.restore(snapshot);
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 50 });
  await session.post('Profiler.start');
  await invocation(kv.namespace, scenario.part);
  const { profile: result } = await session.post('Profiler.stop');
  const file = join(dirname(fileURLToPath(import.meta.url)), `cron-${index}-${warm ? 'warm' : 'first'}.cpuprofile`);
  writeFileSync(file, JSON.stringify(result));
  console.log(`${scenario.name}: profile of one ${warm ? 'warm' : 'first'} invocation in ${file}`);
}

async function main(): Promise<void> {
  const self = fileURLToPath(import.meta.url);
  const profiled = process.argv.indexOf('--profile');
  if (profiled !== -1) {
    const [scenario, mode, seedFile] = process.argv.slice(profiled + 1);
    await profile(Number(scenario), mode === 'warm', mode === 'warm' ? undefined : seedFile);
    return;
  }
  // A first run in a fresh process: nothing compiled, nothing cached, as on a cron isolate's first event.
  const only = process.argv.indexOf('--first-run');
  if (only !== -1) {
    const [index, seedFile, what] = process.argv.slice(only + 1);
    process.stdout.write(
      JSON.stringify({ ...(await firstRun(SCENARIOS[Number(index)]!, seedFile!, what!)), startupMs }),
    );
    return;
  }

  console.log(`Popularity cron CPU per invocation (ms, process.cpuUsage user+system, Node ${process.version});`);
  console.log(`free plan limit ${LIMIT_MS} ms. Stages run alone on the invocation's inputs (on a first run, in a`);
  console.log('fresh process of their own; warm, after the whole invocation); "whole" is the real');
  console.log('popularity run (refreshSiteLists: state, batches, aggregate, page metadata, ranking, writes): a fold');
  console.log('run writes the counts, a ranking run the lists (domain/cron-schedule.ts), each in its own invocation;');
  console.log(
    '"KV ops (writes)" counts its KV operations, puts and deletes in brackets; "faults (ms)" the whole invocation\'s\n' +
      'minor page faults and what they cost on this machine; "state" is counts + day ring + its sums + metadata + pages read (the\n' +
      'verified-pages document).',
  );
  console.log(
    `"main" is the whole invocation's CPU on the main thread alone: "whole" less V8's helper threads (compiling,\n` +
      `collecting), which a process's CPU counts too. "warm" is the median of ${WARM_RUNS} runs after one discarded, "steady" of ${WARM_RUNS}\n` +
      `more after ${STEADY_AFTER} further runs, when V8 has compiled and optimized the run's code.`,
  );
  faultMs = faultCostMs();
  console.log(`${faultCostLine(faultMs)}\n`);
  console.log(
    `${'scenario'.padEnd(LABEL_WIDTH)}${['read', 'aggregate', 'ranking', 'write', 'whole', 'main'].map((h) => h.padStart(10)).join('')}${'KV ops (writes)'.padStart(16)}${'faults (ms)'.padStart(16)}${'state'.padStart(54)}   verdict`,
  );
  // `BENCH_ONLY=3,4` runs those scenarios alone (by index in SCENARIOS), to compare builds in turn sooner.
  const chosen = process.env.BENCH_ONLY?.split(',').map(Number);
  for (const [index, scenario] of SCENARIOS.entries()) {
    if (chosen !== undefined && !chosen.includes(index)) continue;
    const { kv } = await seed(scenario);
    const stateBytes = await stateSize(kv, scenario);
    const seedFile = join(dirname(self), `kv-${index}.bin`);
    saveSeed(kv, seedFile);
    const whole = spawnFirstRun(self, index, seedFile, 'whole') as Partial<Stages> & { startupMs: number };
    const first = { ...whole, ...spawnFirstRun(self, index, seedFile, 'stages') };
    console.log(row(`${scenario.name}, first run`, first as Stages, stateBytes));
    console.log(
      `  startup of that process (module evaluation and warm-up, before the clock): ${whole.startupMs.toFixed(1)} ms`,
    );
    const runs = await runScenario(scenario, 1 + WARM_RUNS + STEADY_AFTER + WARM_RUNS);
    const warm = medians(runs.slice(1, 1 + WARM_RUNS));
    console.log(row(`${scenario.name}, warm (median of ${WARM_RUNS})`, warm, stateBytes));
    const steady = medians(runs.slice(-WARM_RUNS));
    console.log(row(`${scenario.name}, steady (median of ${WARM_RUNS})`, steady, stateBytes));
  }
  console.log('\nverdict: fits = at most half the limit, tight = within it, OVER = the invocation would fail.');
}

await main();
