/// <reference types="node" />
/**
 * The last part of a post sent in parts (or, saved so, an earlier part) as a new isolate's first request, in a fresh process: the Worker's module
 * loads under workerd's global-scope rules and its startup warm-up runs there (src/warm.ts), as routes-cpu.ts's first
 * runs do; then Node's own natives (bench/node-natives.ts); then the request, over the KV as the post's earlier parts
 * left it. import-bench.ts writes the file and runs this, bundled, in fresh processes:
 * `node --expose-gc .bench/import-first-run.mjs .bench/import-first-run-3000.json`. It prints the request's CPU (this
 * thread's, with what it leaves in waitUntil), elapsed time, page faults and the startup's CPU, as JSON.
 * `BENCH_PROFILE=<file>` writes a V8 CPU profile of the request alone (`node bench/profile-summary.ts <file>`).
 */
// First: the module loads under workerd's rules (bench/global-scope.ts).
import { leaveGlobalScope } from './global-scope.js';
import type { ImportRequest, ImportResponse } from '@sala/protocol';
import { readFileSync, writeFileSync } from 'node:fs';
import { createWorker } from '../src/index.js';
import { warmedUp } from '../src/warm.js';
import { MemoryKv, type KvSnapshot } from './memory-kv.js';
import { warmNodeNatives } from './node-natives.js';
import { minorFaults } from './page-faults.js';
import { profilerFor } from './profiler.js';
import { computeOnThisThread, threadCpu } from './thread-crypto.js';

await warmedUp();
const startupMs = leaveGlobalScope();

/** What import-bench.ts leaves for this: the KV before the last part, its request, and the bench's clock then. */
export interface ImportFirstRun {
  kv: [string, { bytes: string; metadata: string | null }][];
  /** The bindings but KV (strings). */
  vars: Record<string, string>;
  path: string;
  origin: string;
  cookie: string;
  request: ImportRequest;
  /** The bench's virtual clock as the request came. */
  at: number;
  /** The request's last thread's outcome, `imported` unless given: a part before the last is `staged`. */
  expect?: 'staged';
}

const run = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as ImportFirstRun;
computeOnThisThread();
// An import request signs an avatar per author and hashes an id per comment: up to 50 each.
await warmNodeNatives({ cryptoCalls: 200 });
const RealDate = Date;
globalThis.Date = class extends RealDate {
  constructor(...args: [] | [string | number | Date]) {
    super(...((args.length === 0 ? [run.at] : args) as [number]));
  }

  static override now(): number {
    return run.at;
  }
} as DateConstructor;

const kv = new MemoryKv();
kv.restore(
  new Map(
    run.kv.map(([key, { bytes, metadata }]) => [
      key,
      { value: new Uint8Array(Buffer.from(bytes, 'base64')).buffer, metadata },
    ]),
  ) as KvSnapshot,
);
const allowAll = { limit: async () => ({ success: true }) };
const env = {
  ...run.vars,
  SALA: kv.namespace,
  COMMENT_RATE_LIMITER: allowAll,
  SIGN_IN_RATE_LIMITER: allowAll,
} as unknown as Env;
const worker = createWorker();
const request = new Request(`${run.origin}${run.path}`, {
  method: 'POST',
  headers: {
    'Content-Type': 'application/json',
    Origin: run.origin,
    Cookie: run.cookie,
    'CF-Connecting-IP': '192.0.2.1',
  },
  body: JSON.stringify(run.request),
});
(globalThis as { gc?: () => void }).gc?.();

const profileFile = process.env.BENCH_PROFILE;
const profiler = await profilerFor(profileFile);
const pending: Promise<unknown>[] = [];
const ctx = { waitUntil: (p: Promise<unknown>) => void pending.push(p), passThroughOnException() {}, props: {} };
if (profiler) await profiler.post('Profiler.start');
const faultsBefore = minorFaults();
const started = performance.now();
const start = threadCpu();
const response = await worker.fetch(request, env, ctx as unknown as ExecutionContext);
await Promise.all(pending);
const end = threadCpu();
const wallMs = performance.now() - started;
const faults = minorFaults() - faultsBefore;
if (profiler) writeFileSync(profileFile!, JSON.stringify((await profiler.post('Profiler.stop')).profile));
// Read after the clock, as import-bench.ts reads each answer.
const text = await response.text();
const answer = (response.status === 200 ? JSON.parse(text) : {}) as Partial<ImportResponse>;
if (answer.threads?.at(-1)?.outcome !== (run.expect ?? 'imported'))
  throw new Error(`${response.status} ${text.slice(0, 300)}`);
const cpuMs = (end.user - start.user + end.system - start.system) / 1000;
process.stdout.write(JSON.stringify({ cpuMs, wallMs, faults, startupMs }));
