/// <reference types="node" />
/**
 * `npm run bench:cpu:workerd`: a fresh isolate's first request, measured in workerd itself rather than in Node. For
 * each scenario and each round, a fresh workerd (Miniflare, from the installed wrangler's `miniflare`) runs Sala's
 * Worker bundled as wrangler bundles it; the scenario's KV is put into the local KV through Miniflare, the bench waits
 * until the process is idle (the isolate started at load: module evaluation and its warm-up, src/warm.ts), then sends
 * ONE request and waits until the process is idle again (its waitUntil work done). The CPU is each workerd thread's
 * time on CPU from `/proc/<pid>/task/<tid>/schedstat` (first field, ns), read before and after: the runtime's own
 * threads included (V8's compiler and collector threads, the KV's storage).
 *
 * In turn with each Sala round, the same request in the same setup to a bare Worker (it reads the request's body and
 * answers a body of Sala's answer's size, no KV): what a request costs the local runtime's plumbing (Miniflare's
 * entry Worker in front, the HTTP from Node, the local KV's storage being a Worker in the same process) without
 * Sala. Sala's row minus the bare one is Sala's, with the KV calls' local cost still in it (in production KV is
 * another machine's). A calibration first: the bare Worker runs a loop Node timed first (a fresh Node process's
 * first call, as workerd's), the figure read is compared with Node's.
 *
 * The scenarios' data: the first-run rows of the route bench saved by
 * `BENCH_FIRST_RUNS_DIR=worker/.bench/runs BENCH_ROWS='...' npm run bench:cpu:routes -w worker` (its KV and request),
 * read from `.bench/runs/<row>.json`, the cron bench's scenarios 0 to 4 (`BENCH_ONLY=0,1,2,3,4 npm run
 * bench:cpu:cron -w worker` leaves their KV in `.bench/kv-<n>.bin`), sent as a scheduled event, and the last part of a
 * 1,000- and a 3,000-comment post sent in parts (import-bench.ts's saved run, `.bench/import-first-run-<size>.json`,
 * made on the real clock: `BENCH_REAL_CLOCK=1 BIG_COPIES=0 BENCH_ONLY=posts BENCH_PASSES=2 BENCH_FIRST_RUNS=1
 * BENCH_POST_SIZES=1000 npm run bench:import -w worker`, then 3000; its answer must say the post was imported);
 * scenarios whose data are absent are skipped and named, with the commands that make them. The admin Posts tab's rows (`BENCH_ROWS='admin
 * posts.*first run'`) carry the owner's cookie: it is signed again, as the Worker signs it with the bench's SALA_SECRET,
 * to expire a week from now on the real clock, its session already in the saved KV, so no sign-in request goes to the
 * measured isolate first. Beside each, the Node bench's own first run of
 * the same saved request, cron scenario or last part in a fresh process, in turn (if its bundle is in `.bench/`).
 *
 * The big posts' last parts keep their KV in the isolate, the Node bench's in-memory KV (bench/workerd-kv-memory.ts,
 * seeded by a request of its own before the measured one, the bare Worker's too): their 43 and 123 puts cost
 * Miniflare's local KV 0.2 to 1 s of CPU, ±100 ms from run to run. Sala less the KV calls' Worker is then Sala's own
 * part, and Sala less the bare one compares with Node's figure, which counts the same in-memory KV.
 *
 * Env: BENCH_ROUNDS (5) fresh processes per scenario and build; BENCH_ONLY=<regexp> scenarios by name;
 * BENCH_EACH=1 prints each round's per-thread figures; BENCH_MEMORY_KV=1 keeps every scenario's KV in the isolate.
 */
import { spawnSync } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname } from 'node:path';
import { deserialize } from 'node:v8';
import { fileURLToPath } from 'node:url';
import { build, type PluginBuild } from 'esbuild';
import type { ImportResponse } from '@sala/protocol';
import type { ImportFirstRun } from './import-first-run.js';
import type { KvCall } from './workerd-kv-log.js';
import { convertV4MiniflareOptions, Miniflare, type MiniflareOptions } from 'miniflare';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
const ONLY = process.env['BENCH_ONLY'] ? new RegExp(process.env['BENCH_ONLY']) : null;
const EACH = process.env['BENCH_EACH'] === '1';
/** BENCH_MEMORY_KV=1: every scenario's KV in the isolate (bench/workerd-kv-memory.ts), as the big posts' always is. */
const MEMORY_KV = process.env['BENCH_MEMORY_KV'] === '1';
const workerDir = `${dirname(dirname(fileURLToPath(import.meta.url)))}/`;
const benchDir = `${workerDir}.bench/`;
const runsDir = `${benchDir}runs/`;

// The route bench's site and bindings (bench/routes-cpu.ts).
const SITE = 'blog';
const BLOG = 'https://blog.example.com';
const ORIGIN = 'https://sala.example.workers.dev';
const salaBindings = {
  DEFAULT_SITE: SITE,
  SITES: JSON.stringify({
    [SITE]: { name: 'Mekong Notes', origins: [BLOG] },
    blog300: { name: 'Big', origins: [BLOG] },
    blog5000: { name: 'Big', origins: [BLOG] },
  }),
  SALA_SECRET: 'bench-secret-0123456789abcdef0123456789abcdef',
  ADMIN_PASSWORD: 'correct horse battery staple',
  IMPORT_DAILY_LIMIT: String(1e9),
  // The saved requests were made minutes or hours before: an edit must still be in its window.
  EDIT_WINDOW_SECONDS: String(30 * 24 * 3600),
};

// ----------------------------------------------------------------------------------------------- workerd's threads

/** workerd processes that are children of this one (Miniflare spawns one per instance). */
function workerdChildren(): Set<number> {
  const pids = new Set<number>();
  for (const tid of readdirSync(`/proc/${process.pid}/task`)) {
    let children = '';
    try {
      children = readFileSync(`/proc/${process.pid}/task/${tid}/children`, 'utf8');
    } catch {
      continue;
    }
    for (const pid of children.trim().split(/\s+/).filter(Boolean).map(Number)) {
      try {
        if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'workerd') pids.add(pid);
      } catch {
        // gone
      }
    }
  }
  return pids;
}

/** Each thread's time on CPU in ns, by tid, with its name. */
function threadsOf(pid: number): Map<number, { name: string; ns: number }> {
  const threads = new Map<number, { name: string; ns: number }>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const ns = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      threads.set(Number(tid), { name, ns });
    } catch {
      // a thread that ended between the listing and the read
    }
  }
  return threads;
}

const totalNs = (threads: Map<number, { ns: number }>) => [...threads.values()].reduce((sum, t) => sum + t.ns, 0);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the process spent under 0.05 ms of CPU in each of three 100 ms windows in a row (at most 30 s). */
async function idle(pid: number): Promise<void> {
  let quiet = 0;
  let last = totalNs(threadsOf(pid));
  for (let i = 0; i < 300 && quiet < 3; i++) {
    await sleep(100);
    const now = totalNs(threadsOf(pid));
    quiet = now - last < 50_000 ? quiet + 1 : 0;
    last = now;
  }
  if (quiet < 3) throw new Error(`workerd ${pid} never went idle`);
}

interface Measured {
  /** ms of CPU of all threads; of the thread that spent most; of the others. */
  totalMs: number;
  topMs: number;
  topName: string;
  otherMs: number;
  status: number;
  bytes: number;
}

function difference(
  before: Map<number, { name: string; ns: number }>,
  after: Map<number, { name: string; ns: number }>,
): Omit<Measured, 'status' | 'bytes'> {
  const spent = [...after].map(([tid, { name, ns }]) => ({
    name: `${name}/${tid}`,
    ns: ns - (before.get(tid)?.ns ?? 0),
  }));
  spent.sort((a, b) => b.ns - a.ns);
  const total = spent.reduce((sum, t) => sum + t.ns, 0) / 1e6;
  const top = spent[0]!;
  return { totalMs: total, topMs: top.ns / 1e6, topName: top.name, otherMs: total - top.ns / 1e6 };
}

// --------------------------------------------------------------------------------------------------- the Workers

/** A Worker bundled as wrangler bundles one (esbuild, workerd's conditions, ES module), as module text. */
async function bundle(
  entry: string,
  name: string,
  define: Record<string, string> = {},
  /** For bench/workerd-kv-memory.ts: the Worker its `../src/index.js` resolves to (Sala's unless given). */
  target?: string,
): Promise<string> {
  // BENCH_NO_WARM_UP=1: Sala without its startup warm-up (warm-start.js as the worker tests load it), to see what the
  // warm-up saves in workerd.
  const noWarmUp = process.env['BENCH_NO_WARM_UP'] === '1';
  const outfile = `${benchDir}workerd/${name}.mjs`;
  await build({
    entryPoints: [`${workerDir}${entry}`],
    absWorkingDir: workerDir,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2024',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['workerd', 'worker', 'browser', 'module', 'main'],
    external: ['cloudflare:*', 'node:*'],
    define,
    plugins: [
      ...(noWarmUp
        ? [
            {
              name: 'no-warm-up',
              setup(plugin: PluginBuild) {
                plugin.onResolve({ filter: /\/warm-start\.js$/ }, () => ({
                  path: `${workerDir}src/testing-warm-start.ts`,
                }));
              },
            },
          ]
        : []),
      ...(target !== undefined
        ? [
            {
              name: 'kv-memory-target',
              setup(plugin: PluginBuild) {
                plugin.onResolve({ filter: /^\.\.\/src\/index\.js$/ }, (args) =>
                  args.importer.endsWith('workerd-kv-memory.ts') ? { path: `${workerDir}${target}` } : undefined,
                );
              },
            },
          ]
        : []),
    ],
    outfile,
    logLevel: 'warning',
  });
  return readFileSync(outfile, 'utf8');
}

/** A loop of known length: the calibration. Its source runs in Node and, as text, in the bare Worker. */
const burnSource = `function burn(n) {
  let x = 0;
  for (let i = 0; i < n; i++) x = (x * 31 + i) % 1000003;
  return x;
}`;

/** The baseline: reads the request's body, answers `?bytes=` bytes (Sala's answer's size); `?burn=` loops first. */
const bareSource = `${burnSource}
export default {
  async fetch(request) {
    const url = new URL(request.url);
    await request.text();
    const n = Number(url.searchParams.get('burn') ?? 0);
    const x = n > 0 ? burn(n) : 0;
    const bytes = Number(url.searchParams.get('bytes') ?? 2);
    return new Response('x'.repeat(bytes - 1) + (x % 10), { headers: { 'Content-Type': 'application/json' } });
  },
  async scheduled() {},
};
`;

/** Node's CPU time for the burn loop's first call in a fresh process (workerd's is a fresh isolate's first call). */
function nodeBurnMs(n: number): number {
  const script = `const burn = ${burnSource};
const start = process.cpuUsage(); burn(${n}); const used = process.cpuUsage(start);
process.stdout.write(String((used.user + used.system) / 1000));`;
  const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  return Number(child.stdout);
}

/**
 * The route bench's own first run of the same saved request in a fresh Node process (ms with its waitUntil work), if
 * its bundle is there (`npm run bench:cpu:routes` leaves `.bench/routes-cpu.mjs`): Node's figure in the same minutes.
 */
function nodeFirstRun(file: string): number | null {
  const bundled = `${benchDir}routes-cpu.mjs`;
  if (!existsSync(bundled)) return null;
  const child = spawnSync(process.execPath, ['--expose-gc', bundled, '--first-run', file], {
    cwd: workerDir,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`Node's first run of ${file} failed: ${child.stderr}`);
  return (JSON.parse(child.stdout) as { totalMs: number }).totalMs;
}

/** bench/cpu-cron.ts's first run of the same scenario in a fresh Node process (its whole invocation, ms), if bundled. */
function nodeCronFirstRun(index: number, file: string): number | null {
  const bundled = `${benchDir}cpu-cron.mjs`;
  if (!existsSync(bundled)) return null;
  const child = spawnSync(process.execPath, ['--expose-gc', bundled, '--first-run', String(index), file, 'whole'], {
    cwd: workerDir,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`Node's first run of cron scenario ${index} failed: ${child.stderr}`);
  return (JSON.parse(child.stdout) as { invocation: number }).invocation;
}

/** import-bench.ts's first run of the same saved last part in a fresh Node process (its request, ms), if bundled. */
function nodeImportFirstRun(file: string): number | null {
  const bundled = `${benchDir}import-first-run.mjs`;
  if (!existsSync(bundled)) return null;
  const child = spawnSync(process.execPath, ['--expose-gc', bundled, file], {
    cwd: workerDir,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`Node's first run of ${file} failed: ${child.stderr}`);
  return (JSON.parse(child.stdout) as { cpuMs: number }).cpuMs;
}

/** Sala's bindings for the scenario running: a cron scenario's site alone, as the Node bench runs it. */
let bindingsNow: Record<string, string> = salaBindings;
/** The scenario running keeps its KV in the isolate (bench/workerd-kv-memory.ts), seeded by a request of its own. */
let memoryKvNow = false;

function options(script: string, persist: string, sala: boolean | 'limiters'): MiniflareOptions {
  // Miniflare 5 takes its own options; the converter takes the documented (v4) ones.
  return convertV4MiniflareOptions({
    resourcePersistencePath: persist,
    workers: [
      {
        name: sala === true ? 'sala' : 'bare',
        modules: true,
        script,
        compatibilityDate: '2026-11-01',
        kvNamespaces: { SALA: 'sala' },
        ...(sala
          ? {
              ...(sala === true ? { bindings: bindingsNow } : {}),
              ratelimits: {
                COMMENT_RATE_LIMITER: { namespace_id: '4101', simple: { limit: 5, period: 60 } },
                SIGN_IN_RATE_LIMITER: { namespace_id: '4102', simple: { limit: 5, period: 60 } },
              },
            }
          : {}),
      },
    ],
  });
}

// ---------------------------------------------------------------------------------------------------- scenarios

interface SavedRun {
  kv: [string, { text?: string; bytes?: string; metadata: string | null }][];
  /** The Worker's origin the request goes to (ORIGIN unless given). */
  base?: string;
  path: string;
  call: { method?: string; json?: unknown; body?: string; headers?: Record<string, string>; origin?: string | null };
  status: number;
}

interface Scenario {
  name: string;
  file: string;
  /**
   * A cron scenario: bench/cpu-cron.ts's scenario index (its KV in `.bench/kv-<index>.bin`, left by
   * `BENCH_ONLY=0,1,2,3 npm run bench:cpu:cron`), sent as a scheduled event at `at`: the Node bench's time (12:25 UTC
   * on its day, a ranking run by the minute), or 12:15 for a fold (the stage is picked from the minute).
   */
  cron?: { index: number; at: string };
  /**
   * An admin route: the saved cookie's session, made on the route bench's clock, is signed again to expire a week
   * from now on the real one (its session id, kept in the saved KV, unchanged), as the Worker signs it.
   */
  owner?: true;
  /**
   * The last part of a post sent in parts (bench/import-first-run.ts's saved run, `.bench/import-first-run-<size>.json`,
   * left by import-bench.ts with `BENCH_REAL_CLOCK=1`: its dates on the real clock, made within the last two days), with
   * the import bench's bindings; its answer must say the post was imported, as Node's did.
   */
  imported?: true;
}

const scenarios: Scenario[] = [
  { name: 'GET /counts, 100 pages', file: 'GET-counts-100-pages-first-run' },
  { name: 'POST /comments, new, 10-comment thread', file: 'POST-comments-new-10-comment-thread-first-run' },
  { name: 'POST /comments, new, 1000', file: 'POST-comments-new-1000-first-run' },
  { name: 'PATCH /comments/:id (edit), 1000', file: 'PATCH-comments-id-edit-1000-first-run' },
  { name: 'POST /comments, new, 3000', file: 'POST-comments-new-3000-first-run' },
  { name: 'PATCH /comments/:id (edit), 3000', file: 'PATCH-comments-id-edit-3000-first-run' },
  { name: 'POST /comments, new, 3000, sealing a part', file: 'POST-comments-new-3000-first-run-sealing-a-part' },
  // The rebuild those changes leave to their browser (`rebuild: { token }`), asked of another new isolate: the
  // routes bench's rows "..., same isolate" send the change first, which one request here cannot.
  ...[
    ['new, 1000', 'new-1000'],
    ['(edit), 1000', 'edit-1000'],
    ['new, 3000', 'new-3000'],
    ['(edit), 3000', 'edit-3000'],
  ].map(([name, file]) => ({
    name: `POST /comments/rebuild after ${name}`,
    file: `POST-comments-rebuild-after-${file}-first-run-another-isolate`,
  })),
  {
    name: 'POST /comments/rebuild after new, 3000, sealing a part',
    file: 'POST-comments-rebuild-after-new-3000-first-run-sealing-a-part-another-isolate',
  },
  ...[300, 5000].flatMap((posts) => {
    const name = `GET /admin/sites/:site/posts (Posts tab), ${posts.toLocaleString('en')} pages`;
    const file = `GET-admin-sites-site-posts-admin-posts-${posts.toLocaleString('en').replace(',', '-')}-pages`;
    return [
      { name, file: `${file}-first-run`, owner: true as const },
      { name: `${name}, by comments`, file: `${file}-by-comments-first-run`, owner: true as const },
    ];
  }),
  { name: 'cron, ranking run, 300 pages', file: 'kv-1', cron: { index: 1, at: '2030-03-31T12:25:00Z' } },
  { name: 'cron, fold, 300 pages', file: 'kv-0', cron: { index: 0, at: '2030-03-31T12:15:00Z' } },
  { name: 'cron, ranking run, 5,000 pages', file: 'kv-3', cron: { index: 3, at: '2030-03-31T12:25:00Z' } },
  { name: 'cron, fold, 5,000 pages', file: 'kv-2', cron: { index: 2, at: '2030-03-31T12:15:00Z' } },
  {
    name: 'cron, ranking run, 5,000 pages, a tenth commented',
    file: 'kv-4',
    cron: { index: 4, at: '2030-03-31T12:25:00Z' },
  },
  ...[1000, 3000].map((size) => ({
    name: `POST /admin/sites/:site/import, a ${size.toLocaleString('en')}-comment post's last part`,
    file: `import-first-run-${size}`,
    imported: true as const,
  })),
];

const SESSION_COOKIE = '__Host-sala_admin';

/** base64url without padding, as src/domain/bytes.ts's toBase64Url. */
const base64Url = (bytes: ArrayBuffer) => Buffer.from(bytes).toString('base64url');

/**
 * The saved request with its owner's cookie signed again to expire a week from now (src/domain/owner-session.ts's
 * signSession under owner-auth's signingKey: HMAC-SHA256 of `{sessionId}.{expiresAt}` under a key derived from
 * SALA_SECRET and ADMIN_PASSWORD), so the measured request is the isolate's first; the session's KV key must be saved.
 */
async function withFreshSession(run: SavedRun): Promise<SavedRun> {
  const headers = run.call.headers ?? {};
  const cookie = headers['Cookie'] ?? '';
  const sessionId = new RegExp(`^${SESSION_COOKIE}=([A-Za-z0-9_-]{22})\\.`).exec(cookie)?.[1];
  if (sessionId === undefined) throw new Error(`no owner cookie in the saved request: ${cookie}`);
  if (!run.kv.some(([key]) => key.endsWith(`:session:${sessionId}`))) throw new Error('the session is not in the KV');
  const encoder = new TextEncoder();
  const { subtle } = webcrypto;
  const passwordHex = Buffer.from(await subtle.digest('SHA-256', encoder.encode(salaBindings.ADMIN_PASSWORD))).toString(
    'hex',
  );
  const root = await subtle.importKey(
    'raw',
    encoder.encode(salaBindings.SALA_SECRET),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const derived = await subtle.sign('HMAC', root, encoder.encode(`sala:admin-session:${passwordHex}`));
  const key = await subtle.importKey('raw', derived, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const payload = `${sessionId}.${Date.now() + 7 * 24 * 3600 * 1000}`;
  const value = `${payload}.${base64Url(await subtle.sign('HMAC', key, encoder.encode(payload)))}`;
  return { ...run, call: { ...run.call, headers: { ...headers, Cookie: `${SESSION_COOKIE}=${value}` } } };
}

/** A cron scenario's KV, as bench/cpu-cron.ts saved it (a V8-serialized snapshot of its in-memory KV). */
function cronRunOf(file: string): SavedRun {
  const snapshot = deserialize(readFileSync(file)) as Map<string, { value: ArrayBuffer; metadata: string | null }>;
  const kv = [...snapshot].map(
    ([key, { value, metadata }]) => [key, { bytes: Buffer.from(value).toString('base64'), metadata }] as const,
  );
  return { kv: kv as SavedRun['kv'], path: '', call: {}, status: 0 };
}

/**
 * The import bench's saved last part as a saved request, or why it cannot run on the real clock: the Worker reads its
 * staged parts' dates and the owner's cookie against its clock, workerd's being the real one.
 */
function importRunOf(file: string): SavedRun | string {
  const run = JSON.parse(readFileSync(file, 'utf8')) as ImportFirstRun;
  const age = Date.now() - run.at;
  if (age < 0 || age > 2 * 86_400_000)
    return `${file} was made at ${new Date(run.at).toISOString()}, not within the last two days on the real clock`;
  bindingsNow = run.vars;
  return {
    kv: run.kv,
    base: run.origin,
    path: run.path,
    call: {
      method: 'POST',
      json: run.request,
      origin: run.origin,
      headers: { Cookie: run.cookie, 'CF-Connecting-IP': '192.0.2.1' },
    },
    status: 200,
  };
}

/** A scheduled event to the instance's Worker at `at`, as the cron sends it. */
async function scheduledAt(mf: Miniflare, at: string): Promise<{ status: number; bytes: number }> {
  const worker = await mf.getWorker();
  const result = await worker.scheduled({ scheduledTime: new Date(at), cron: '*/10 * * * *' });
  if (result.outcome !== 'ok') throw new Error(`scheduled event at ${at}: ${result.outcome}`);
  return { status: 200, bytes: 0 };
}

function requestOf(run: SavedRun): { url: string; init: RequestInit } {
  const headers = new Headers(run.call.headers);
  const origin = run.call.origin === undefined ? BLOG : run.call.origin;
  if (origin !== null) headers.set('Origin', origin);
  let body = run.call.body;
  if (run.call.json !== undefined) {
    body = JSON.stringify(run.call.json);
    headers.set('Content-Type', 'application/json');
  }
  return {
    url: `${run.base ?? ORIGIN}${run.path}`,
    init: { method: run.call.method ?? 'GET', headers, ...(body !== undefined ? { body } : {}) },
  };
}

/** Puts the saved KV into the instance's local KV, 50 at a time. */
async function seed(mf: Miniflare, run: SavedRun): Promise<void> {
  const kv = await mf.getKVNamespace('SALA');
  for (let i = 0; i < run.kv.length; i += 50) {
    await Promise.all(
      run.kv.slice(i, i + 50).map(([key, { text, bytes, metadata }]) => {
        const value = text ?? new Uint8Array(Buffer.from(bytes!, 'base64'));
        const meta = metadata == null ? {} : { metadata: JSON.parse(metadata) as unknown };
        return kv.put(key, value as string, meta);
      }),
    );
  }
}

/**
 * Puts the saved KV into the isolate's own store (bench/workerd-kv-memory.ts) with one request; the bare Worker gets
 * the same request, empty, so each measured request is its isolate's second.
 */
async function seedInIsolate(mf: Miniflare, run: SavedRun | null): Promise<void> {
  const response = await mf.dispatchFetch(`${ORIGIN}/__seed`, { method: 'PUT', body: JSON.stringify(run?.kv ?? []) });
  if (response.status !== 200) throw new Error(`seeding: ${response.status} ${await response.text()}`);
  await response.arrayBuffer();
}

/**
 * BENCH_WARM_KV (1 unless 0): before the measured request, each kind of KV call Sala makes, and a rate limit, made once
 * from outside (through Miniflare's bindings, not Sala's isolate) on keys of their own: the local KV is a Worker in the
 * same process whose code otherwise compiles during the measured request, and in production KV is another machine.
 */
const WARM_PLUMBING = process.env['BENCH_WARM_KV'] !== '0';

async function warmPlumbing(mf: Miniflare): Promise<void> {
  const env = (await mf.getBindings()) as Record<string, unknown>;
  const kv = env['SALA'] as KVNamespace;
  await kv.put('bench-warm:a', '"a"', { metadata: { a: 1 } });
  await kv.put('bench-warm:b', new Uint8Array(8));
  await kv.get('bench-warm:a', 'text');
  await kv.get('bench-warm:b', 'arrayBuffer');
  await kv.get('bench-warm:a', 'json');
  await kv.get(['bench-warm:a', 'bench-warm:c'], 'text');
  await kv.get(['bench-warm:a', 'bench-warm:c'], 'json');
  await kv.getWithMetadata('bench-warm:a', 'text');
  await kv.list({ prefix: 'bench-warm:' });
  await kv.delete('bench-warm:a');
  await kv.delete('bench-warm:b');
  for (const name of ['COMMENT_RATE_LIMITER', 'SIGN_IN_RATE_LIMITER']) {
    await (env[name] as RateLimit | undefined)?.limit({ key: 'bench-warm' });
  }
}

let instance = 0;

/**
 * One fresh workerd: seeded, idle, then one request (to `url` with `init`) measured until idle again. `startupMs` is
 * the CPU from the process's start until idle before seeding: workerd's own start, Miniflare's Workers, and the
 * isolate's (module evaluation and warm-up).
 */
async function once(
  script: string,
  sala: boolean | 'limiters',
  run: SavedRun | null,
  send: (mf: Miniflare) => Promise<{ status: number; bytes: number }>,
  then?: (mf: Miniflare) => Promise<void>,
): Promise<Measured & { startupMs: number }> {
  const persist = `${benchDir}workerd/state-${process.pid}-${instance++}`;
  rmSync(persist, { recursive: true, force: true });
  const known = workerdChildren();
  const mf = new Miniflare(options(script, persist, sala));
  try {
    await mf.ready;
    const pid = [...workerdChildren()].find((p) => !known.has(p));
    if (pid === undefined) throw new Error('no workerd process found');
    await idle(pid);
    const startupMs = totalNs(threadsOf(pid)) / 1e6;
    if (memoryKvNow) await seedInIsolate(mf, run);
    else if (run !== null) await seed(mf, run);
    if (WARM_PLUMBING) await warmPlumbing(mf);
    await idle(pid);
    const before = threadsOf(pid);
    const { status, bytes } = await send(mf);
    await idle(pid);
    const after = threadsOf(pid);
    await then?.(mf);
    // The idle wait's 300 ms of quiet is in `after` too: at most 0.15 ms, left in.
    return { ...difference(before, after), status, bytes, startupMs };
  } finally {
    await mf.dispose();
    rmSync(persist, { recursive: true, force: true });
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const range = (values: number[]) => `${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)}`;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

function line(label: string, runs: (Measured & { startupMs: number })[]): void {
  const total = runs.map((r) => r.totalMs);
  console.log(
    `  ${label.padEnd(8)} median ${median(total).toFixed(2).padStart(6)} ms (${range(total)}); ` +
      `busiest thread ${median(runs.map((r) => r.topMs)).toFixed(2)}, others ${median(runs.map((r) => r.otherMs)).toFixed(2)}` +
      `; isolate startup ${median(runs.map((r) => r.startupMs)).toFixed(0)} ms`,
  );
  if (EACH) {
    for (const r of runs) {
      console.log(
        `    ${r.totalMs.toFixed(2)} ms: ${r.topName} ${r.topMs.toFixed(2)}, others ${r.otherMs.toFixed(2)} (status ${r.status}, ${r.bytes} bytes)`,
      );
    }
  }
}

async function main(): Promise<void> {
  const sala = await bundle('src/index.ts', 'sala');
  const salaLogged = await bundle('bench/workerd-kv-log.ts', 'sala-kv-log');
  const salaMemory = await bundle('bench/workerd-kv-memory.ts', 'sala-kv-memory');

  // Calibration: a loop Node times at about 20 ms, its first call in a fresh process, as the bare Worker runs it.
  const n = 3_600_000;
  const nodeMs = [0, 1, 2].map(() => nodeBurnMs(n));
  const fetchBare = (query: string) => async (mf: Miniflare) => {
    const response = await mf.dispatchFetch(`${ORIGIN}/?${query}`);
    return { status: response.status, bytes: (await response.arrayBuffer()).byteLength };
  };
  const burnRuns = [];
  const idleRuns = [];
  for (let round = 0; round < 3; round++) {
    idleRuns.push(await once(bareSource, false, null, fetchBare('bytes=2')));
    burnRuns.push(await once(bareSource, false, null, fetchBare(`bytes=2&burn=${n}`)));
  }
  console.log(
    `Calibration (load ${load()}): a loop of ${n.toLocaleString('en')} steps, Node's first call ` +
      `${nodeMs.map((ms) => ms.toFixed(1)).join(', ')} ms; in workerd the bare Worker's request with it ` +
      `${burnRuns.map((r) => r.totalMs.toFixed(1)).join(', ')} ms, without ${idleRuns.map((r) => r.totalMs.toFixed(1)).join(', ')} ms`,
  );

  const missing: string[] = [];
  for (const scenario of scenarios) {
    if (ONLY && !ONLY.test(scenario.name)) continue;
    const { cron, imported } = scenario;
    const file =
      cron || imported ? `${benchDir}${scenario.file}.${cron ? 'bin' : 'json'}` : `${runsDir}${scenario.file}.json`;
    if (!existsSync(file)) {
      missing.push(scenario.name);
      continue;
    }
    memoryKvNow = false;
    bindingsNow = cron
      ? { ...salaBindings, DEFAULT_SITE: 'demo', SITES: JSON.stringify({ demo: { name: 'Cron', origins: [BLOG] } }) }
      : salaBindings;
    const saved = cron
      ? cronRunOf(file)
      : imported
        ? importRunOf(file)
        : (JSON.parse(readFileSync(file, 'utf8')) as SavedRun);
    if (typeof saved === 'string') {
      missing.push(`${scenario.name} (${saved})`);
      continue;
    }
    const run = scenario.owner ? await withFreshSession(saved) : saved;
    const { url, init } = requestOf(run);
    const sendSala = async (mf: Miniflare) => {
      if (cron) return scheduledAt(mf, cron.at);
      const response = await mf.dispatchFetch(url, init as never);
      const text = await response.text();
      if (response.status !== run.status) throw new Error(`${scenario.name}: status ${response.status} ${text}`);
      // The post published, as in Node's run (import-first-run.ts checks the same).
      const last = imported ? (JSON.parse(text) as ImportResponse).threads.at(-1)?.outcome : 'imported';
      if (last !== 'imported')
        throw new Error(`${scenario.name}: the post ${last}, not imported: ${text.slice(0, 300)}`);
      return { status: response.status, bytes: new TextEncoder().encode(text).byteLength };
    };
    // Sala's KV calls for this request, logged in a process of its own (not measured), and the Worker replaying them.
    let calls: KvCall[] = [];
    let answerBytes = 2;
    await once(
      salaLogged,
      true,
      run,
      async (mf) => {
        const answer = await sendSala(mf);
        answerBytes = Math.max(2, answer.bytes);
        return answer;
      },
      async (mf) => {
        calls = (await (await mf.dispatchFetch(`${ORIGIN}/__kv-log`)).json()) as KvCall[];
      },
    );
    writeFileSync(`${benchDir}workerd/${scenario.file}.kv-calls.json`, JSON.stringify(calls, null, 1));
    // Sala and the KV calls' Worker get the keys the request reads and those under the prefixes it lists: the rest
    // is never touched, and seeding 12 MB through Miniflare takes minutes.
    const read = new Set<string>();
    const prefixes: string[] = [];
    for (const call of calls) {
      if (call.method === 'get' || call.method === 'getWithMetadata') {
        for (const key of Array.isArray(call.key) ? call.key : [call.key]) read.add(key as string);
      } else if (call.method === 'list') {
        prefixes.push((call.key as { prefix?: string } | undefined)?.prefix ?? '');
      }
    }
    const used: SavedRun = {
      ...run,
      kv: run.kv.filter(([key]) => read.has(key) || prefixes.some((prefix) => key.startsWith(prefix))),
    };
    const inIsolate = imported === true || MEMORY_KV;
    const replay = inIsolate
      ? await bundle(
          'bench/workerd-kv-memory.ts',
          'kv-replay-memory',
          { KV_CALLS: JSON.stringify(calls) },
          'bench/workerd-kv-replay.ts',
        )
      : await bundle('bench/workerd-kv-replay.ts', 'kv-replay', { KV_CALLS: JSON.stringify(calls) });
    memoryKvNow = inIsolate;
    const sendBaseline = async (mf: Miniflare) => {
      if (cron) return scheduledAt(mf, cron.at);
      const response = await mf.dispatchFetch(`${ORIGIN}/?bytes=${answerBytes}`, {
        method: init.method === 'GET' ? 'GET' : 'POST',
        headers: init.headers as never,
        ...(init.body !== undefined ? { body: init.body as string } : {}),
      });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`${scenario.name}, baseline: ${response.status} ${text}`);
      return { status: response.status, bytes: text.length };
    };
    const salaRuns = [];
    const replayRuns = [];
    const bareRuns = [];
    const nodeRuns: number[] = [];
    const started = load();
    for (let round = 0; round < ROUNDS; round++) {
      salaRuns.push(await once(inIsolate ? salaMemory : sala, true, used, sendSala));
      replayRuns.push(await once(replay, 'limiters', used, sendBaseline));
      bareRuns.push(await once(bareSource, false, null, sendBaseline));
      const node = cron ? nodeCronFirstRun(cron.index, file) : imported ? nodeImportFirstRun(file) : nodeFirstRun(file);
      if (node !== null) nodeRuns.push(node);
    }
    const kinds = ['get', 'getWithMetadata', 'list', 'put', 'delete', 'limit']
      .map((method) => `${calls.filter((call) => call.method === method).length} ${method}`)
      .join(', ');
    const seeded = (used.kv.reduce((sum, [, { text, bytes }]) => sum + (text ?? bytes ?? '').length, 0) / 1024).toFixed(
      0,
    );
    console.log(
      `${scenario.name}, first request (${ROUNDS} fresh workerd each, in turn; load ${started} → ${load()}; ` +
        (inIsolate ? 'KV in the isolate, as in Node; ' : '') +
        `KV calls: ${kinds}; ${used.kv.length} of ${run.kv.length} keys seeded, ${seeded} KiB):`,
    );
    line('Sala', salaRuns);
    line('KV calls', replayRuns);
    line('bare', bareRuns);
    if (nodeRuns.length > 0) {
      console.log(
        `  Node's bench, the same saved ${cron ? 'cron scenario (cpu-cron.mjs --first-run' : imported ? 'last part (import-first-run.mjs' : 'request (routes-cpu.mjs --first-run'}), in turn: median ${median(nodeRuns).toFixed(2)} ms (${range(nodeRuns)})`,
      );
    }
    const ms = (runs: Measured[]) => median(runs.map((r) => r.totalMs));
    console.log(
      `  Sala minus the KV calls' Worker: ${(ms(salaRuns) - ms(replayRuns)).toFixed(2)} ms; ` +
        `minus the bare one: ${(ms(salaRuns) - ms(bareRuns)).toFixed(2)} ms (medians)`,
    );
  }
  if (missing.length > 0) {
    console.log(
      `Not measured (no saved run): ${missing.join('; ')}. Make the routes' (in ${runsDir}) with ` +
        `BENCH_FIRST_RUNS_DIR=$PWD/.bench/runs BENCH_ROWS='(counts.*first run|new, 10-comment thread, first run|(new|edit).*(1000|3000), first run|admin posts.*first run)' npm run bench:cpu:routes` +
        `, the cron's (${benchDir}kv-<n>.bin) with BENCH_ONLY=0,1,2,3,4 npm run bench:cpu:cron, a big post's last part ` +
        `(${benchDir}import-first-run-<size>.json) with BENCH_REAL_CLOCK=1 BIG_COPIES=0 BENCH_ONLY=posts BENCH_PASSES=2 ` +
        `BENCH_FIRST_RUNS=1 BENCH_POST_SIZES=<size> npm run bench:import, once per size, 1000 and 3000 (in worker/)`,
    );
  }
}

await main();
