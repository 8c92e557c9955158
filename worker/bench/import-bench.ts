/**
 * `npm run bench:import -w worker`: importing a 10,000-comment Disqus export, end to end. A deterministic file
 * (threads of varied sizes, replies, spam, deleted posts) is (a) parsed in Chromium by the Import tab's own parser
 * (bundled with esbuild): whole (`parseImportFile`), in slices as the tab reads it (`readImportFile`), and a ~100 MB
 * file of copies in slices, each with its time and longest main-thread task; then (b) sent as the tab sends it (at most 50 threads, 50 comments and 1 MiB per
 * request) to the real Worker app in Node with an in-memory KV, and the cron's resume runs after midnight until
 * nothing waits. Prints the browser's time, requests, KV writes (against the formula and the free plan's 1,000 a day)
 * and, per invocation (requests, the last parts of posts sent in parts among them, cron runs), KV operations and CPU
 * time (median, p95, max, how many over) against the free plan's 10 ms. CPU is this thread's (user + system) around one
 * invocation and its waitUntil work, in Node's V8: indicative of workerd's, not equal. Where the kernel counts a
 * thread's CPU in scheduler ticks (4 ms on this machine; the bench prints the step), one invocation's figure is off by
 * up to a tick, so the elapsed time is printed beside it: an upper bound (every step runs on this thread, KV in
 * memory), too high when other processes share the cores.
 */
import { LIMITS, type ImportPart, type ImportRequest, type ImportResponse, type ImportThread } from '@sala/protocol';
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createWorker } from '../src/index.js';
import { warmedUp } from '../src/warm.js';
import { importBatches } from '../../packages/widgets/src/admin/import/batches.js';
import { IMPORT_LIMITS } from '../src/domain/import-input.js';
import { IMPORT_QUEUE_ALLOWANCE } from '../src/storage/import-run.js';
import { assembleParts, publishPrebuilt, readPrebuilt } from '../src/domain/prebuilt-thread.js';
import type { ImportFirstRun } from './import-first-run.js';
import { MemoryKv } from './memory-kv.js';
import { faultCostLine, faultCostMs, minorFaults } from './page-faults.js';
import { profilerFor } from './profiler.js';
import { computeOnThisThread, threadCpu } from './thread-crypto.js';
import { seededRandom, type Random } from './random.js';

// The isolate's startup first: the Worker module's warm-up (src/warm.ts), which in Node waits on WebCrypto's thread
// pool, settled on the real clock before any pass, as the Worker's own handlers wait for it (src/index.ts). The passes
// call `createWorker()` directly, and ran beside it until 2026-12-07: while it runs its big thread it splits snapshots
// at 8 KiB (`SNAPSHOT_SPLIT`, put back after), so a 3,000-comment post published meanwhile took about 600 writes, not
// 122, more than the day's import budget had left: queued, and left by each night's run while the split lasted
// (worker/docs/import.md, "The resend that stopped").
await warmedUp();

const COMMENTS = 10_000;
/** Identical runs of the Worker part: each invocation's figure is its smallest, so other processes' load drops out. */
const PASSES = Number(process.env.BENCH_PASSES ?? 3);
const SITE = 'bench';
/** (c)'s posts, in comments: BENCH_POST_SIZES=300,1000 picks others. */
const POST_SIZES = (process.env.BENCH_POST_SIZES ?? '300,1000,3000').split(',').map(Number);
const ORIGIN = 'https://sala.bench';
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

// ---------------------------------------------------------------- the file

interface Generated {
  text: string;
  threads: number;
  posts: number;
  spam: number;
  deleted: number;
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function message(random: Random, n: number): string {
  const sentences = [
    'Thanks for writing this up.',
    'I tried the second approach and it worked on the first go.',
    'Could you say more about <b>why</b> the cache is cold in the morning?',
    'See <a href="https://example.com/notes">my notes</a> for the longer version.',
    'We walked the same trail last spring &amp; the bridge was closed.',
    'Khmer text too: សួស្តី ពិភពលោក។',
  ];
  const parts: string[] = [];
  const length = 1 + Math.floor(random() ** 2 * 12);
  for (let i = 0; i < length; i++) parts.push(sentences[Math.floor(random() * sentences.length)]!);
  return `<p>${parts.join(' ')} (${n})</p>`;
}

/** Thread sizes drawn heavy-tailed (most posts have a few comments, a few have hundreds) until COMMENTS are drawn. */
function generatedDisqus(seed: number): Generated {
  const random = seededRandom(seed);
  const parts = [
    '<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n',
  ];
  const posts: string[] = [];
  let threads = 0;
  let total = 0;
  let spam = 0;
  let deleted = 0;
  while (total < COMMENTS) {
    threads++;
    const size = Math.min(COMMENTS - total, 1 + Math.floor(random() ** 3 * 300));
    const closed = random() < 0.05;
    parts.push(
      `<thread dsq:id="t${threads}"><id/><link>https://blog.example.com/${2010 + (threads % 15)}/0${1 + (threads % 9)}/post-${threads}.html</link><title>Post ${threads}</title><isClosed>${closed}</isClosed><isDeleted>false</isDeleted></thread>\n`,
    );
    const first = total + 1;
    for (let i = 0; i < size; i++) {
      total++;
      const isSpam = random() < 0.05;
      const isDeleted = !isSpam && random() < 0.03;
      if (isSpam) spam++;
      if (isDeleted) deleted++;
      const parent = i > 0 && random() < 0.5 ? `<parent dsq:id="p${first + Math.floor(random() * i)}"/>` : '';
      const reader = Math.floor(random() * 800);
      const createdAt = new Date(Date.UTC(2012, 0, 1) + total * 3_600_000).toISOString().replace('.000', '');
      posts.push(
        `<post dsq:id="p${total}"><id/><message><![CDATA[${message(random, total)}]]></message><createdAt>${createdAt}</createdAt><isDeleted>${isDeleted}</isDeleted><isSpam>${isSpam}</isSpam><author><email>reader${reader}@example.com</email><name>${escapeXml(`Reader ${reader}`)}</name><isAnonymous>false</isAnonymous></author><ipAddress>203.0.113.${reader % 250}</ipAddress><thread dsq:id="t${threads}"/>${parent}</post>\n`,
      );
    }
  }
  // Disqus lists every thread, then every post.
  return { text: [...parts, ...posts, '</disqus>\n'].join(''), threads, posts: total, spam, deleted };
}

// ---------------------------------------------------------------- (a) the browser

/** One way of parsing in the page: its wall time and the longest main-thread task meanwhile (`longtask`: ≥ 50 ms). */
interface PageParse {
  ms: number;
  longestTaskMs: number;
  longTasks: number;
  threads: ImportThread[];
  counts: unknown;
  comments: number;
  megabytes: number;
  progressEvents: number;
  /** The page's JS heap at its largest while reading, sampled at each progress event (0 for the whole-text parse). */
  peakHeapMb: number;
}

/** The shape of the bundle's global in the page. */
interface PageImport {
  parseImportFile: (text: string, options: unknown) => { threads: ImportThread[]; counts: unknown };
  readImportFile: (
    file: Blob,
    options: unknown,
    reading: object,
  ) => Promise<{ threads: ImportThread[]; counts: unknown }>;
  DEFAULT_IMPORT_OPTIONS: unknown;
}

/**
 * In Chromium: (1) `parseImportFile` on the whole text, as the tab did until it read in slices; (2) `readImportFile`,
 * as the tab reads a file now; (3) `readImportFile` on a ~100 MB file made in the page from `copies` copies of this
 * one (ids and addresses prefixed per copy). Each prints its time and its longest main-thread task.
 */
async function parseInChromium(
  text: string,
  copies: number,
): Promise<{ whole: PageParse; sliced: PageParse; big: PageParse | null }> {
  const bundle = await build({
    stdin: {
      contents:
        "export { parseImportFile } from './parse.ts'; export { readImportFile } from './read-file.ts'; export { DEFAULT_IMPORT_OPTIONS } from './plan.ts';",
      resolveDir: resolve(ROOT, 'packages/widgets/src/admin/import'),
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    globalName: 'SalaImport',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'warning',
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--enable-precise-memory-info',
    ],
    headless: true,
  });
  try {
    const page = await browser.newPage();
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
    await page.evaluate((file) => {
      (globalThis as unknown as { benchFile: string }).benchFile = file;
    }, text);
    const run = (way: 'whole' | 'sliced' | 'big') =>
      page.evaluate(
        async ([way, copies]) => {
          const api = (globalThis as unknown as { SalaImport: PageImport }).SalaImport;
          const file = (globalThis as unknown as { benchFile: string }).benchFile;
          let blob = new Blob([file]);
          if (way === 'big') {
            const head = file.indexOf('<thread ');
            const tail = file.lastIndexOf('</disqus>');
            const body = file.slice(head, tail);
            const parts = [file.slice(0, head)];
            for (let copy = 0; copy < copies; copy++) {
              parts.push(body.replaceAll('dsq:id="', `dsq:id="c${copy}-`).replaceAll('/post-', `/c${copy}-post-`));
            }
            parts.push(file.slice(tail));
            blob = new Blob(parts);
            // The copies live on in the Blob, not in the page's heap, as a chosen file does.
            parts.length = 0;
          }
          const tasks: number[] = [];
          const observer = new PerformanceObserver((list: { getEntries(): { duration: number }[] }) => {
            for (const entry of list.getEntries()) tasks.push(entry.duration);
          });
          observer.observe({ type: 'longtask' });
          let progressEvents = 0;
          let peakHeap = 0;
          const heap = () =>
            (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;
          const started = performance.now();
          // The whole-text parse runs in a task of the page's own, as the tab ran it: \`longtask\` sees only those.
          const plan =
            way === 'whole'
              ? await new Promise<{ threads: ImportThread[]; counts: unknown }>((done) =>
                  setTimeout(() => done(api.parseImportFile(file, api.DEFAULT_IMPORT_OPTIONS)), 0),
                )
              : await api.readImportFile(blob, api.DEFAULT_IMPORT_OPTIONS, {
                  onProgress: () => {
                    progressEvents++;
                    peakHeap = Math.max(peakHeap, heap());
                  },
                });
          const ms = performance.now() - started;
          // The last task's entry is queued after it ends.
          await new Promise((done) => setTimeout(done, 50));
          tasks.push(...observer.takeRecords().map((entry) => entry.duration));
          observer.disconnect();
          return {
            ms,
            longestTaskMs: Math.max(0, ...tasks),
            longTasks: tasks.length,
            threads: way === 'big' ? [] : plan.threads,
            counts: plan.counts,
            comments: plan.threads.reduce((sum, thread) => sum + thread.comments.length, 0),
            megabytes: blob.size / 1024 / 1024,
            progressEvents,
            peakHeapMb: peakHeap / 1024 / 1024,
          };
        },
        [way, copies] as const,
      );
    const whole = await run('whole');
    const sliced = await run('sliced');
    const big = copies > 0 ? await run('big') : null;
    return { whole, sliced, big };
  } finally {
    await browser.close();
  }
}

/** As the Import tab sends a plan: its own batcher (whole reply trees, ≤ 50 threads, 50 comments, 1 MiB each). */
function batches(threads: ImportThread[]): ImportRequest[] {
  const { batches: sent, tooLarge } = importBatches({ source: 'disqus', threads });
  if (tooLarge.length > 0) console.log(`    not sendable (one reply tree over the limits): ${tooLarge.length} threads`);
  return sent.map((batch) => batch.request);
}

// ---------------------------------------------------------------- (b) the Worker

/**
 * `BENCH_REAL_CLOCK=1` (with `BENCH_ONLY=posts` and one post size): the passes end on the real clock, the last one
 * starting at the latest 09:00 UTC at least an hour ago, so the saved last part (`.bench/import-first-run-<size>.json`)
 * reads as recent to a Worker on the real clock, as `npm run bench:cpu:workerd` runs it (its staged parts and the
 * owner's cookie in date, the day's import budget the same day's).
 */
function realClockStart(): number | undefined {
  if (process.env.BENCH_REAL_CLOCK !== '1') return undefined;
  if (process.env.BENCH_ONLY !== 'posts' || POST_SIZES.length !== 1)
    throw new Error('BENCH_REAL_CLOCK=1 needs BENCH_ONLY=posts and one size in BENCH_POST_SIZES');
  const day = 86_400_000;
  const latest = Math.floor((Date.now() - 3_600_000 - 9 * 3_600_000) / day) * day + 9 * 3_600_000;
  // importPass starts pass n at START + n x 40 days: the last pass at `latest`.
  return latest - PASSES * 40 * day;
}

/** Virtual time, so the day's budget and the cron's runs after midnight are those of the day simulated. */
const START = realClockStart() ?? Date.UTC(2026, 11, 4, 9, 0, 0);
let virtualNow = START;
let passesRun = 0;
const RealDate = Date;
class VirtualDate extends RealDate {
  constructor(...args: unknown[]) {
    if (args.length === 0) super(virtualNow);
    else super(...(args as [number]));
  }
  static override now(): number {
    return virtualNow;
  }
}
globalThis.Date = VirtualDate as DateConstructor;

interface Invocation {
  kind: string;
  /** Comments the request carried (0 for the cron). */
  comments: number;
  /** The request carries the last part of a post sent in parts: it publishes the whole post. */
  lastPart: boolean;
  cpuMs: number;
  /** Elapsed time: an upper bound of the invocation's CPU (all its work is on this thread, KV in memory). */
  wallMs: number;
  /** Minor page faults meanwhile (bench/page-faults.ts). */
  faults: number;
  ops: number;
  writes: number;
  deletes: number;
  /** Virtual time the invocation started at (a cron run's scheduled time). */
  at: number;
}

/** Counts every KV call of the invocation running now (a bulk get is one call, as the 1,000-per-invocation limit counts). */
function countedKv(inner: KVNamespace, tally: { ops: number; writes: number; deletes: number }): KVNamespace {
  return new Proxy(inner, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        tally.ops++;
        if (property === 'put') tally.writes++;
        if (property === 'delete') tally.deletes++;
        return (value as (...params: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

// SHA-256 on the calling thread and workerd's `timingSafeEqual` (bench/thread-crypto.ts).
computeOnThisThread();

const allowAll = { limit: async () => ({ success: true }) };
/** The bindings but KV and the rate limiters. */
const vars = (dailyLimit: string): Record<string, string> => ({
  SITES: JSON.stringify({ [SITE]: { name: 'Bench blog', origins: ['https://blog.example.com'] } }),
  DEFAULT_SITE: SITE,
  SALA_SECRET: 'bench-secret',
  ADMIN_PASSWORD: 'bench-password',
  IMPORT_DAILY_LIMIT: dailyLimit,
});

/**
 * `BENCH_PROFILE=<file>` writes a V8 CPU profile of each request that carries the last part of a post (it publishes
 * the post), summed by `node bench/profile-summary.ts <file>`: with `BENCH_ONLY=posts`, the big posts' last parts.
 */
const profileFile = process.env.BENCH_PROFILE;
const profiler = await profilerFor(profileFile);
const lastPartProfiles: object[] = [];
/** With BENCH_PROFILE, the resends' profiles (c) apart from the first imports' last parts: `<file>.resend.json`. */
const resendProfiles: object[] = [];
/** With BENCH_PROFILE, the resends of the published post (c): `<file>.republished.json`. */
const publishedResendProfiles: object[] = [];

/** What a minor page fault costs here (bench/page-faults.ts). */
let faultCost: number | undefined;
function faultMs(): number {
  faultCost ??= faultCostMs();
  return faultCost;
}

async function main(): Promise<void> {
  console.log(faultCostLine(faultMs()));
  // BENCH_ONLY=posts runs only (c), the big posts: what a change to publishing a post in parts moves.
  if (process.env.BENCH_ONLY === 'posts') {
    for (const size of POST_SIZES) await bigPost(size);
    if (profileFile) {
      writeFileSync(profileFile, JSON.stringify(lastPartProfiles));
      console.log(`${lastPartProfiles.length} last parts profiled: node bench/profile-summary.ts ${profileFile}`);
      writeFileSync(`${profileFile}.resend.json`, JSON.stringify(resendProfiles));
      console.log(
        `${resendProfiles.length} resends profiled: node bench/profile-summary.ts ${profileFile}.resend.json`,
      );
      writeFileSync(`${profileFile}.republished.json`, JSON.stringify(publishedResendProfiles));
      console.log(
        `${publishedResendProfiles.length} resends of the published post profiled: node bench/profile-summary.ts ${profileFile}.republished.json`,
      );
    }
    return;
  }
  const generated = generatedDisqus(9);
  console.log(
    `import: generated a Disqus export of ${(generated.text.length / 1024 / 1024).toFixed(1)} MB: ${generated.threads} threads, ${generated.posts} comments (${generated.spam} spam, ${generated.deleted} deleted)`,
  );

  // BIG_COPIES=0 skips the ~100 MB file (a minute or more on a loaded machine).
  const copies = Number(process.env.BIG_COPIES ?? Math.round((100 * 1024 * 1024) / generated.text.length));
  const { whole, sliced, big } = await parseInChromium(generated.text, copies);
  const figures = (parse: PageParse) =>
    `${parse.ms.toFixed(0)} ms, longest main-thread task ${parse.longestTaskMs.toFixed(0)} ms (${parse.longTasks} tasks over 50 ms)` +
    (parse.peakHeapMb > 0 ? `, JS heap at most ${parse.peakHeapMb.toFixed(0)} MB` : '');
  console.log(
    `(a) browser, ${whole.megabytes.toFixed(1)} MB: parseImportFile on the whole text (before slices) ${figures(whole)}`,
  );
  console.log(
    `(a) browser, ${sliced.megabytes.toFixed(1)} MB: readImportFile in slices, as the tab reads now, ${figures(sliced)}, ${sliced.progressEvents} progress events -> ${sliced.threads.length} threads, ${sliced.comments} comments to import ${JSON.stringify(sliced.counts)}`,
  );
  if (JSON.stringify(sliced.threads) !== JSON.stringify(whole.threads)) throw new Error('the two parses differ');
  if (big !== null) {
    console.log(
      `(a) browser, ${big.megabytes.toFixed(1)} MB (${copies} copies): readImportFile in slices ${figures(big)} -> ${big.comments} comments to import`,
    );
  }
  const parsed = sliced;

  // BENCH_ONLY=budget runs only the 200-write budget's import and its nights of cron runs.
  if (process.env.BENCH_ONLY !== 'budget') {
    await importIntoWorker(parsed.threads, batches(parsed.threads), 'as the tab sends them', '600');
    // One big post each: its last part publishes it whole, at one part's CPU plus copying the post's text once.
    for (const size of POST_SIZES) await bigPost(size);
  }
  // A day whose import budget is mostly spent already: most threads wait for the cron after midnight.
  await importIntoWorker(parsed.threads, batches(parsed.threads), 'as the tab sends them, 200-write budget', '200');
}

/**
 * One import of the plan and the cron's runs until nothing waits, from an empty KV; `log` gets the counts. With
 * `resend`, then the request that published the plan's one post in parts as an invocation cut after the post's
 * document leaves it (its snapshot and count gone, its staged parts there), sent again: `resend`, apart from the rest;
 * then, the post published, that request sent once more (the file imported again, or an answer lost): `republished`.
 */
async function importPass(
  threads: ImportThread[],
  requests: ImportRequest[],
  dailyLimit: string,
  log: (line: string) => void,
  {
    resend = false,
    beforePart,
  }: {
    resend?: boolean;
    /**
     * Called with the KV, the request, the sign-in's cookie and the part it carries just before each request carrying
     * a part of a post.
     */
    beforePart?: (memory: MemoryKv, request: ImportRequest, cookie: string, part: ImportPart) => void;
  } = {},
): Promise<{
  invocations: Invocation[];
  rebuilds: Invocation[];
  kv: MemoryKv;
  resend?: Invocation;
  republished?: Invocation;
}> {
  const parsed = { threads };
  // Each pass on days of its own: the isolate's per-page rebuild spacing (a virtual second) must not see time go back.
  passesRun += 1;
  virtualNow = START + passesRun * 40 * 86_400_000;
  const memory = new MemoryKv();
  const tally = { ops: 0, writes: 0, deletes: 0 };
  const env = {
    ...vars(dailyLimit),
    SALA: countedKv(memory.namespace, tally),
    COMMENT_RATE_LIMITER: allowAll,
    SIGN_IN_RATE_LIMITER: allowAll,
  } as unknown as Env;
  const worker = createWorker();
  const invocations: Invocation[] = [];

  const invoke = async (
    kind: string,
    run: (ctx: ExecutionContext) => Response | Promise<Response | void>,
    comments = 0,
    lastPart = false,
  ) => {
    const pending: Promise<unknown>[] = [];
    const ctx = { waitUntil: (p: Promise<unknown>) => pending.push(p), passThroughOnException() {}, props: {} };
    tally.ops = 0;
    tally.writes = 0;
    tally.deletes = 0;
    const at = virtualNow;
    const profiling = lastPart && profiler !== null;
    if (profiling) await profiler.post('Profiler.start');
    const faultsBefore = minorFaults();
    const started = performance.now();
    const start = threadCpu();
    const response = await run(ctx as unknown as ExecutionContext);
    await Promise.all(pending);
    const end = threadCpu();
    const faults = minorFaults() - faultsBefore;
    if (profiling) {
      const { profile } = await profiler.post('Profiler.stop');
      (kind === 'resend' ? resendProfiles : kind === 'republished' ? publishedResendProfiles : lastPartProfiles).push(
        profile,
      );
    }
    const wallMs = performance.now() - started;
    const cpuMs = (end.user - start.user + end.system - start.system) / 1000;
    invocations.push({
      kind,
      comments,
      lastPart,
      cpuMs,
      wallMs,
      faults,
      ops: tally.ops,
      writes: tally.writes,
      deletes: tally.deletes,
      at,
    });
    virtualNow += 2_000;
    return response;
  };
  const call = (method: string, path: string, body: unknown, cookie = '', kind = 'request') =>
    invoke(
      kind,
      (ctx) =>
        worker.fetch(
          new Request(`${ORIGIN}${path}`, {
            method,
            headers: {
              'Content-Type': 'application/json',
              Origin: ORIGIN,
              Cookie: cookie,
              'CF-Connecting-IP': '192.0.2.1',
            },
            body: JSON.stringify(body),
          }),
          env,
          ctx,
        ),
      (body as Partial<ImportRequest>).threads?.reduce((sum, thread) => sum + thread.comments.length, 0) ?? 0,
      (body as Partial<ImportRequest>).threads?.some(
        (thread) => thread.part !== undefined && thread.part.index === thread.part.count - 1,
      ) ?? false,
    ) as Promise<Response>;

  const signedIn = await call('POST', '/api/v1/admin/session', { password: 'bench-password' });
  const cookie = (signedIn.headers.get('Set-Cookie') ?? '').split(';')[0]!;
  invocations.length = 0;

  let imported = 0;
  let queued = 0;
  let paused = 0;
  // As the tab sends them: at an answer with paused threads it waits for 00:00 UTC, then sends those threads again
  // and goes on with the rest.
  let unsent = [...requests];
  const send = async () => {
    while (unsent.length > 0) {
      const request = unsent[0]!;
      const part = request.threads.find((thread) => thread.part !== undefined)?.part;
      if (part !== undefined) beforePart?.(memory, request, cookie, part);
      const response = await call('POST', `/api/v1/admin/sites/${SITE}/import`, request, cookie);
      if (response.status !== 200) throw new Error(`import failed: ${response.status} ${await response.text()}`);
      const answer = (await response.json()) as ImportResponse;
      imported += answer.threads.filter((thread) => thread.outcome === 'imported').length;
      queued += answer.threads.filter((thread) => thread.outcome === 'queued').length;
      const again = request.threads.filter((_, i) => answer.threads[i]?.outcome === 'paused');
      if (again.length > 0) {
        paused += again.length;
        unsent = [{ ...request, threads: again }, ...unsent.slice(1)];
        return;
      }
      unsent = unsent.slice(1);
    }
  };
  await send();
  const dayOneWrites = invocations.reduce((sum, inv) => sum + inv.writes, 0);
  const pausedOnDayOne = paused;
  log(
    `    ${requests.length} import requests (<= ${IMPORT_LIMITS.threads} threads, <= ${LIMITS.importComments} comments, <= 1 MiB each): ${imported} threads written, ${queued} queued, ${paused} paused (the tab sends them after 00:00 UTC); ${dayOneWrites} KV writes on day 1 (import budget ${dailyLimit} of the free plan's 1,000, plus ${IMPORT_QUEUE_ALLOWANCE} for the queue)`,
  );

  // The cron: every 10 minutes; queued imports resume in the runs before 02:00 UTC, day after day. The tab, still
  // open, sends what was paused a minute after 00:00 UTC.
  let day = 0;
  while (day < 30) {
    const waiting = await memory.namespace.list({ prefix: `v1:import-queue:${SITE}:` });
    if (waiting.keys.length === 0 && unsent.length === 0) break;
    day++;
    const midnight = Math.floor(virtualNow / 86_400_000 + 1) * 86_400_000;
    for (let run = 0; run < 12; run++) {
      virtualNow = midnight + run * 600_000;
      await invoke('cron', async () => {
        await worker.scheduled(
          { scheduledTime: virtualNow, cron: '*/10 * * * *', noRetry() {} } as ScheduledController,
          env,
        );
      });
      if (run === 0) {
        virtualNow = midnight + 60_000;
        await send();
      }
    }
    virtualNow = midnight + 9 * 3_600_000;
  }
  let resent: Invocation | undefined;
  let republished: Invocation | undefined;
  if (resend) {
    await cutAfterDocument(memory);
    const again = await call('POST', `/api/v1/admin/sites/${SITE}/import`, requests.at(-1)!, cookie, 'resend');
    const text = await again.text();
    const answer = (again.status === 200 ? JSON.parse(text) : {}) as Partial<ImportResponse>;
    if (answer.threads?.at(-1)?.outcome !== 'imported')
      throw new Error(`resend: ${again.status} ${text.slice(0, 500)}`);
    resent = invocations.pop()!;
    const once = await call('POST', `/api/v1/admin/sites/${SITE}/import`, requests.at(-1)!, cookie, 'republished');
    const unchanged = (await once.json()) as ImportResponse;
    if (unchanged.threads.at(-1)?.outcome !== 'unchanged')
      throw new Error(`again: ${JSON.stringify(unchanged.threads)}`);
    republished = invocations.pop()!;
  }
  // The :30 run again on the imported site, 5 nights later and warm: a cron run over 10 ms in the nights above that
  // rebuilt recent comments (a run whose imports wrote threads leaves them) is told from a cold first rebuild.
  const cronRuns = invocations.length;
  for (let night = 1; night <= 5; night++) {
    virtualNow = Math.floor(virtualNow / 86_400_000 + night) * 86_400_000 + 90 * 60_000;
    await invoke('cron', async () => {
      await worker.scheduled(
        { scheduledTime: virtualNow, cron: '*/10 * * * *', noRetry() {} } as ScheduledController,
        env,
      );
    });
  }
  const rebuilds = invocations.splice(cronRuns);
  const writes = invocations.reduce((sum, inv) => sum + inv.writes, 0);
  const deletes = invocations.reduce((sum, inv) => sum + inv.deletes, 0);
  const pendingComments = parsed.threads
    .flatMap((thread) => thread.comments)
    .filter((comment) => comment.status === 'pending').length;
  const closed = parsed.threads.filter((thread) => thread.closed === true).length;
  const staged = requests
    .flatMap((request) => request.threads)
    .filter((thread) => thread.part !== undefined && thread.part.index < thread.part.count - 1).length;
  // A big thread's snapshot is written split: each part and its sources a value of its own (worker/README.md,
  // "Importing comments", its write formula); an import retires none, so the values under the prefix are what it wrote.
  let split = 0;
  let cursor: string | undefined;
  do {
    const page = await memory.namespace.list({ prefix: `v1:thread-part:${SITE}:`, cursor });
    split += page.keys.length;
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor !== undefined);
  const formula = 3 * parsed.threads.length + pendingComments + closed + staged + split;
  log(
    `    all threads written after ${day} more day(s) of cron runs (the tab sending what was paused a minute after each 00:00 UTC: ${paused - pausedOnDayOne} threads paused again); KV writes in all: ${writes} (formula 3 x ${parsed.threads.length} threads + ${pendingComments} pending + ${closed} closed + ${staged} staged parts + ${split} split-snapshot values = ${formula}, plus one per queued thread: ${queued}, plus the cron's own work on those days: popularity, recent comments); KV deletes: ${deletes} (the free plan's own 1,000 a day)`,
  );

  return {
    invocations,
    rebuilds,
    kv: memory,
    ...(resent ? { resend: resent } : {}),
    ...(republished ? { republished } : {}),
  };
}

/**
 * The store as a request publishing a post from its pieces leaves it when cut (out of CPU time) right after the post's
 * document: no snapshot, no count; its staged parts still there (kept 3 days).
 */
async function cutAfterDocument(memory: MemoryKv): Promise<void> {
  // A post published from its parts' shares (storage/import-steps.ts) keeps them: its staging requests wrote them.
  const { keys: staged } = await memory.namespace.list<{ digest?: string }>({ prefix: `v1:import-stage:${SITE}:` });
  const shares = new Set(
    staged.flatMap(({ metadata }) => (metadata?.digest ? ['r', 's'].map((k) => k + metadata.digest) : [])),
  );
  for (const prefix of [`v1:thread:${SITE}:`, `v1:thread-part:${SITE}:`, `v1:count:${SITE}:`]) {
    const { keys } = await memory.namespace.list({ prefix });
    for (const key of keys)
      if (!shares.has(key.name.slice(key.name.lastIndexOf(':') + 1))) await memory.delete(key.name);
  }
  // RESEND_UNDIGESTED=1: the document as the version before digests wrote it (no metadata), known by its bytes.
  if (process.env.RESEND_UNDIGESTED === '1') {
    const { keys } = await memory.namespace.list({ prefix: `v1:imported:${SITE}:` });
    for (const key of keys) await memory.put(key.name, (await memory.get(key.name, 'arrayBuffer')) as ArrayBuffer);
  }
}

/** A post of `size` comments (replies to earlier ones, Khmer and Markdown in bodies) sent as the tab sends it. */
async function bigPost(size: number): Promise<void> {
  const random = seededRandom(size);
  const comments = Array.from({ length: size }, (_, i) => ({
    sourceId: `big-${i}`,
    ...(i > 0 && random() < 0.5 ? { parentSourceId: `big-${Math.floor(random() * i)}` } : {}),
    authorName: `Reader ${i % 97}`,
    authorEmail: `reader${i % 97}@example.com`,
    createdAt: new Date(Date.UTC(2015, 0, 1) + i * 3_600_000).toISOString(),
    body: `Thanks for **writing** this up, see [my notes](https://example.com/n/${i}). សួស្តី ពិភពលោក។ `.repeat(
      1 + (i % 4),
    ),
    status: 'approved' as const,
  }));
  const post: ImportThread = { pageId: `https://blog.example.com/big-${size}`, title: `Big ${size}`, comments };
  const requests = batches([post]);
  const passes: Invocation[][] = [];
  const floors: { snapshot: number; both: number }[] = [];
  const resends: Invocation[] = [];
  const republished: Invocation[] = [];
  let staged: ArrayBuffer[] = [];
  let firstRun: ImportFirstRun | undefined;
  let earlierRun: ImportFirstRun | undefined;
  for (let pass = 0; pass < PASSES; pass++) {
    const run = await importPass([post], requests, '600', () => {}, {
      resend: requests.length > 1,
      beforePart: (memory, request, cookie, part) => {
        if (pass !== PASSES - 1) return;
        if (part.index === part.count - 1) firstRun = firstRunOf(memory, request, cookie);
        // A later part than the first (the first also reads today's budget): what a publish step would cost at least.
        if (part.index === 1) earlierRun = { ...firstRunOf(memory, request, cookie), expect: 'staged' };
      },
    });
    passes.push(run.invocations);
    if (run.resend) resends.push(run.resend);
    if (run.republished) republished.push(run.republished);
    floors.push(await copyFloor(run.kv));
    staged = await stagedParts(run.kv);
  }
  const smallest = (i: number, field: 'cpuMs' | 'wallMs') => Math.min(...passes.map((pass) => pass[i]![field]));
  const last = passes.map((pass) => pass.at(-1)!).reduce((a, b) => (b.cpuMs < a.cpuMs ? b : a));
  const each = passes.map((pass) => `${pass.at(-1)!.cpuMs.toFixed(1)} ms, ${pass.at(-1)!.faults} faults`).join('; ');
  const parts = requests.length;
  const earlier = Array.from({ length: parts - 1 }, (_, i) => smallest(i, 'wallMs')).sort((a, b) => a - b);
  const floor = (field: 'snapshot' | 'both') => Math.min(...floors.map((figures) => figures[field])).toFixed(1);
  console.log(
    `(c) one post of ${size} comments in ${parts} parts: earlier parts elapsed median ${earlier[Math.floor(earlier.length / 2)]!.toFixed(1)} ms; the last part (publishes it) CPU ${smallest(parts - 1, 'cpuMs').toFixed(1)} ms, elapsed ${smallest(parts - 1, 'wallMs').toFixed(1)} ms (smallest of ${PASSES} passes); in the pass of least CPU, ${last.faults} page faults, ${(last.faults * faultMs()).toFixed(1)} ms of it here (each pass: ${each})`,
  );
  console.log(
    `    floor: reading its snapshot as bytes and putting it back costs CPU ${floor('snapshot')} ms, its snapshot and document ${floor('both')} ms (smallest of ${PASSES} passes): the least an invocation that writes them does`,
  );
  if (resends.length > 0) {
    const least = resends.reduce((a, b) => (b.cpuMs < a.cpuMs ? b : a));
    const over = resends.filter((resend) => resend.cpuMs > 10).length;
    console.log(
      `    its last part sent again after a cut past its document (no snapshot, no count; parts staged): CPU ${least.cpuMs.toFixed(1)} ms, elapsed ${Math.min(...resends.map((resend) => resend.wallMs)).toFixed(1)} ms (smallest of ${PASSES} passes), ${over} of ${resends.length} over the free plan's 10 ms; ${least.ops} KV ops, ${least.writes} writes (each pass: ${resends.map((resend) => `${resend.cpuMs.toFixed(1)} ms, ${resend.faults} faults`).join('; ')})`,
    );
  }
  if (republished.length > 0) {
    const least = republished.reduce((a, b) => (b.cpuMs < a.cpuMs ? b : a));
    const over = republished.filter((resend) => resend.cpuMs > 10).length;
    const sorted = republished.map((resend) => resend.cpuMs).sort((a, b) => a - b);
    console.log(
      `    its last part sent again once published (the file imported again): CPU ${least.cpuMs.toFixed(1)} ms, median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} ms (of ${PASSES} passes), ${over} of ${republished.length} over the free plan's 10 ms; ${least.ops} KV ops, ${least.writes} writes (each pass: ${republished.map((resend) => `${resend.cpuMs.toFixed(1)} ms, ${resend.faults} faults`).join('; ')})`,
    );
  }
  console.log(`    ${joinSteps(staged)}`);
  if (firstRun !== undefined && FIRST_RUNS > 0) await firstRuns(size, firstRun, earlierRun);
}

// ---------------------------------------------------------------- (c) the last part on a new isolate

/**
 * `BENCH_FIRST_RUNS` (5 unless given; 0 skips): fresh processes per build in which a big post's last part is a new
 * isolate's first request (bench/import-first-run.ts), the builds in turn. The passes above run in this one process,
 * whose first pass was long the "cold" figure: there the Worker's module loaded without workerd's startup rules, its
 * warm-up ran unawaited beside the first requests, and the post's earlier parts ran first on the same code.
 */
const FIRST_RUNS = Number(process.env.BENCH_FIRST_RUNS ?? 5);
const WORKER_DIR = resolve(ROOT, 'worker');

/** The KV as the earlier parts left it, the last part's request and the clock, for import-first-run.ts. */
function firstRunOf(memory: MemoryKv, request: ImportRequest, cookie: string): ImportFirstRun {
  const kv = [...memory.snapshot()].map(([key, { value, metadata }]) => [
    key,
    { bytes: Buffer.from(value).toString('base64'), metadata },
  ]) as ImportFirstRun['kv'];
  const path = `/api/v1/admin/sites/${SITE}/import`;
  return { kv, vars: vars('600'), path, origin: ORIGIN, cookie, request, at: virtualNow };
}

let firstRunBuilds: { label: string; file: string }[] | undefined;

/**
 * The builds to run in turn: this checkout's, with its startup warm-up and without (`warm-start.js` resolved to
 * `testing-warm-start.ts`, as the worker tests load it), then any given as `BENCH_FIRST_RUN_BUILDS=label=file,...`
 * (another checkout's `.bench/import-first-run.mjs`, to compare builds in the same minutes).
 */
async function builds(): Promise<{ label: string; file: string }[]> {
  if (firstRunBuilds !== undefined) return firstRunBuilds;
  const bundle = async (file: string, warmUp: boolean) => {
    await build({
      entryPoints: [resolve(WORKER_DIR, 'bench/import-first-run.ts')],
      absWorkingDir: WORKER_DIR,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      outfile: resolve(WORKER_DIR, '.bench', file),
      logLevel: 'warning',
      plugins: warmUp
        ? []
        : [
            {
              name: 'no-warm-up',
              setup(plugin) {
                plugin.onResolve({ filter: /\/warm-start\.js$/ }, () => ({
                  path: resolve(WORKER_DIR, 'src/testing-warm-start.ts'),
                }));
              },
            },
          ],
    });
    return resolve(WORKER_DIR, '.bench', file);
  };
  const given = (process.env.BENCH_FIRST_RUN_BUILDS ?? '')
    .split(',')
    .filter((entry) => entry !== '')
    .map((entry) => {
      const [label, file] = entry.split('=') as [string, string];
      return { label, file: resolve(file) };
    });
  firstRunBuilds = [
    { label: 'startup warm-up (as workerd runs it)', file: await bundle('import-first-run.mjs', true) },
    { label: 'no warm-up', file: await bundle('import-first-run-no-warm-up.mjs', false) },
    ...given,
  ];
  return firstRunBuilds;
}

/**
 * The last part (and, given, an earlier part: `.bench/import-first-run-<size>-part.json`, its second part, which a
 * step publishing a range of parts would cost at least) as a new isolate's first request, each build's fresh processes
 * in turn, the earlier part's run right after the last part's in each round.
 */
async function firstRuns(size: number, run: ImportFirstRun, earlier?: ImportFirstRun): Promise<void> {
  const file = resolve(WORKER_DIR, `.bench/import-first-run-${size}.json`);
  writeFileSync(file, JSON.stringify(run));
  const partFile = resolve(WORKER_DIR, `.bench/import-first-run-${size}-part.json`);
  if (earlier !== undefined) writeFileSync(partFile, JSON.stringify(earlier));
  const each = await builds();
  const files = earlier === undefined ? [file] : [file, partFile];
  type FirstRun = { cpuMs: number; wallMs: number; faults: number; startupMs: number };
  const results = files.map(() => each.map(() => [] as FirstRun[]));
  for (let i = 0; i < FIRST_RUNS; i++) {
    each.forEach(({ file: bundle }, b) => {
      files.forEach((saved, f) => {
        const child = spawnSync(process.execPath, ['--expose-gc', bundle, saved], {
          encoding: 'utf8',
          maxBuffer: 1 << 20,
          env: { ...process.env, BENCH_PROFILE: '' },
        });
        if (child.status !== 0) throw new Error(`first run of ${bundle} on ${saved} failed: ${child.stderr}`);
        results[f]![b]!.push(JSON.parse(child.stdout));
      });
    });
  }
  const load = loadavg()
    .map((figure) => figure.toFixed(1))
    .join(' ');
  files.forEach((_, f) => {
    const what = f === 0 ? 'its last part' : 'its second part (staged, as any part before the last)';
    console.log(
      `    ${what} as a new isolate's first request, fresh processes in turn (bench/import-first-run.ts; load ${load}):`,
    );
    printFirstRuns(each, results[f]!);
  });
}

function printFirstRuns(
  each: readonly { label: string }[],
  results: readonly { cpuMs: number; wallMs: number; faults: number; startupMs: number }[][],
): void {
  each.forEach(({ label }, b) => {
    const runs = results[b]!;
    const cpu = runs.map((r) => r.cpuMs).sort((x, y) => x - y);
    const startup = runs.map((r) => r.startupMs).sort((x, y) => x - y);
    console.log(
      `      ${label}: CPU smallest ${cpu[0]!.toFixed(1)} ms, median ${cpu[Math.floor(cpu.length / 2)]!.toFixed(1)} ms of ${runs.length} (each: ${runs.map((r) => `${r.cpuMs.toFixed(1)} ms, ${r.faults} faults`).join('; ')}); elapsed smallest ${Math.min(...runs.map((r) => r.wallMs)).toFixed(1)} ms; startup CPU median ${startup[Math.floor(startup.length / 2)]!.toFixed(0)} ms`,
    );
  });
}

/** The staged parts of the one post of the last pass (all but its last part), in part order, as bytes. */
async function stagedParts(memory: MemoryKv): Promise<ArrayBuffer[]> {
  const keys = [...memory.snapshot().keys()].filter((key) => key.startsWith('v1:import-stage:'));
  const index = (key: string) => Number(key.slice(key.lastIndexOf(':') + 1));
  keys.sort((a, b) => index(a) - index(b));
  return Promise.all(keys.map(async (key) => (await memory.get(key, 'arrayBuffer')) as ArrayBuffer));
}

/**
 * The last part's own work on the parts it read, with no KV call: cutting each part (readPrebuilt), resolving the
 * parents across parts (assembleParts) and publishing (publishPrebuilt: the document's chunks, the snapshot's fields), elapsed ms, medians
 * of 9 runs on fresh copies of the parts (assembling writes ids into them).
 */
function joinSteps(parts: ArrayBuffer[]): string {
  const runs: number[][] = [];
  for (let run = 0; run < 9; run++) {
    const copies = parts.map((part) => part.slice(0));
    const start = performance.now();
    const read = copies.map((part) => readPrebuilt(part)!);
    const cut = performance.now();
    const post = assembleParts(read, 'bench');
    const assembled = performance.now();
    publishPrebuilt(post, new Date(), false);
    runs.push([cut - start, assembled - cut, performance.now() - assembled]);
  }
  const median = (k: number) =>
    runs
      .map((run) => run[k]!)
      .sort((a, b) => a - b)[4]!
      .toFixed(1);
  return `its ${parts.length} staged parts, no KV: cut ${median(0)} ms, assembled ${median(1)} ms, published ${median(2)} ms (the document's chunks, the snapshot's fields; its sources and paging index from the parts' facts when every part has them, else made here) (elapsed, medians of 9)`;
}

/**
 * The CPU of the least any invocation that writes a published post's values can do, whatever splits the work: get
 * them as bytes (as the staged parts are read) and put them back unchanged, in one invocation. The snapshot is one
 * value, read whole by every page view, so one invocation puts it whole. Put as a view of the bytes read, which the
 * memory KV copies as it copies every value the Worker puts (a Worker's put copies its value out of the isolate).
 */
async function copyFloor(memory: MemoryKv): Promise<{ snapshot: number; both: number }> {
  const keys = [...memory.snapshot().keys()];
  const snapshot = keys.find((key) => key.startsWith('v1:thread:'))!;
  const document = keys.find((key) => key.startsWith('v1:imported:'))!;
  const copy = async (names: string[]) => {
    const start = threadCpu();
    for (const name of names) {
      const bytes = new Uint8Array((await memory.get(name, 'arrayBuffer')) as ArrayBuffer);
      await memory.put(`${name}:copy`, bytes);
    }
    const end = threadCpu();
    return (end.user - start.user + end.system - start.system) / 1000;
  };
  return { snapshot: await copy([snapshot]), both: await copy([snapshot, document]) };
}

/** Runs the import PASSES times, identical but for timing, and reports each invocation's smallest figures. */
async function importIntoWorker(
  threads: ImportThread[],
  requests: ImportRequest[],
  label: string,
  dailyLimit: string,
): Promise<void> {
  console.log(`(b) Worker, ${label}:`);
  const passes: Awaited<ReturnType<typeof importPass>>[] = [];
  for (let pass = 0; pass < PASSES; pass++) {
    passes.push(await importPass(threads, requests, dailyLimit, pass === 0 ? console.log : () => {}));
  }
  const [first] = passes;
  const invocations = first!.invocations.map((invocation, i) => ({
    ...invocation,
    cpuMs: Math.min(...passes.map((pass) => pass.invocations[i]?.cpuMs ?? invocation.cpuMs)),
    wallMs: Math.min(...passes.map((pass) => pass.invocations[i]?.wallMs ?? invocation.wallMs)),
  }));

  const figures = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!;
    const over = values.filter((value) => value > 10).length;
    return `median ${at(0.5).toFixed(1)}, p95 ${at(0.95).toFixed(1)}, max ${sorted.at(-1)!.toFixed(1)} ms; ${over} over 10 ms`;
  };
  const report = (name: string, list: Invocation[]) => {
    if (list.length === 0) return;
    const slowest = list.reduce((a, b) => (b.wallMs > a.wallMs ? b : a));
    console.log(
      `    ${name.padEnd(22)} ${String(list.length).padStart(4)}: CPU ${figures(list.map((inv) => inv.cpuMs))} | elapsed ${figures(list.map((inv) => inv.wallMs))}${slowest.comments > 0 ? ` (slowest: ${slowest.comments} comments)` : ''}; KV ops max ${Math.max(...list.map((inv) => inv.ops))} (limit 1,000)`,
    );
  };
  // The tab's requests, on day 1 and after the nights it sent what was paused, and the cron's runs.
  const requestList = invocations.filter((inv) => inv.kind === 'request');
  const cronList = invocations.filter((inv) => inv.kind === 'cron');
  console.log(
    `    per invocation, the smallest of ${PASSES} identical passes, against the free plan's 10 ms (CPU: this thread's, which the kernel here counts in steps of up to 4 ms; elapsed: an upper bound of it):`,
  );
  report('import requests', requestList);
  report(
    '  of which last parts',
    requestList.filter((inv) => inv.lastPart),
  );
  report('cron runs', cronList);
  const utc = (at: number) => new Date(at).toISOString().slice(11, 16);
  for (const run of cronList.filter((inv) => inv.cpuMs > 10)) {
    const night = Math.round((run.at - cronList[0]!.at) / 86_400_000) + 1;
    console.log(
      `      over 10 ms: night ${night}, ${utc(run.at)} UTC: CPU ${run.cpuMs.toFixed(1)} ms, ${run.ops} KV ops, ${run.writes} writes`,
    );
  }
  const rebuilds = passes.map((pass) => pass.rebuilds.map((run) => run.cpuMs.toFixed(1)).join(', '));
  console.log(
    `    the ${utc(first!.rebuilds[0]!.at)} UTC run on the nights after, CPU ms per pass: ${rebuilds.join('; ')}`,
  );
}

await main();
