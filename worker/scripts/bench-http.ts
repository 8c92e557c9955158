/**
 * `npm run bench:http`: requests per second of Sala's hottest reads under `wrangler dev` (local mode, no network),
 * against a bare Worker (bench/bare-worker.ts) answering a body of the same size on the same machine. Both run in
 * workerd side by side; each case loads bare, then Sala, then bare, then Sala... (autocannon, 32 connections), so
 * other work on the machine lands on both. Prints req/s, latency p50/p99, the sequential median, and Sala/bare.
 *
 * Env: BENCH_SECONDS (8) per load, BENCH_ROUNDS (3) of each pair, BENCH_CONNECTIONS (32).
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter } from 'node:path';
import { fileURLToPath } from 'node:url';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 8);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 32);
const SEQUENTIAL = 200;

const workerDir = fileURLToPath(new URL('..', import.meta.url));
const benchDir = fileURLToPath(new URL('../.bench/http/', import.meta.url));
const SITE = 'demo';
const BLOG_ORIGIN = 'http://localhost:5173';
const PASSWORD = 'bench-password';

/** The Worker as wrangler.jsonc declares it, without the static assets (the bare Worker has none either). */
const salaConfig = {
  name: 'sala-bench',
  main: '../../src/index.ts',
  compatibility_date: '2026-11-01',
  kv_namespaces: [{ binding: 'SALA', id: '00000000000000000000000000000000' }],
  vars: {
    DEFAULT_SITE: SITE,
    SITES: JSON.stringify({ [SITE]: { name: 'Sala bench', origins: ['http://localhost:*'] } }),
    SALA_SECRET: 'bench-secret-0123456789abcdef0123456789abcdef',
    ADMIN_PASSWORD: PASSWORD,
  },
  ratelimits: [
    { name: 'COMMENT_RATE_LIMITER', namespace_id: '4101', simple: { limit: 5, period: 60 } },
    { name: 'SIGN_IN_RATE_LIMITER', namespace_id: '4102', simple: { limit: 5, period: 60 } },
  ],
};
const bareConfig = { name: 'bare-bench', main: '../../bench/bare-worker.ts', compatibility_date: '2026-11-01' };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Running {
  origin: string;
  process: ChildProcess;
}

async function startWrangler(name: string, config: object): Promise<Running> {
  const configPath = `${benchDir}${name}.wrangler.json`;
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const child = spawn(
    'wrangler',
    [
      'dev',
      ['--config', configPath],
      ['--ip', '127.0.0.1'],
      ['--port', String(port)],
      // Two wrangler dev at once: each needs an inspector port of its own (9229 is the default).
      ['--inspector-port', String(inspectorPort)],
      ['--persist-to', `${benchDir}${name}-state`],
      ['--log-level', 'warn'],
      '--show-interactive-dev-session=false',
    ].flat(),
    {
      cwd: workerDir,
      env: {
        ...process.env,
        PATH: `${fileURLToPath(new URL('../../node_modules/.bin', import.meta.url))}${delimiter}${process.env['PATH']}`,
        CLOUDFLARE_CF_FETCH_ENABLED: 'false',
        WRANGLER_SEND_METRICS: 'false',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const origin = `http://127.0.0.1:${port}`;
  for (let tries = 0; tries < 240; tries++) {
    if (child.exitCode !== null) throw new Error(`wrangler dev for ${name} exited with ${child.exitCode}`);
    try {
      await fetch(origin);
      return { origin, process: child };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  child.kill();
  throw new Error(`wrangler dev for ${name} did not answer within a minute`);
}

async function call<T>(origin: string, path: string, init: RequestInit & { expect?: number } = {}): Promise<T> {
  const response = await fetch(`${origin}${path}`, init);
  const text = await response.text();
  if (response.status !== (init.expect ?? 200)) throw new Error(`${path}: ${response.status} ${text}`);
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

/** Threads of 10 and 100 comments and 18 small ones, through the owner's import (the comment rate limit is 5/min). */
async function seed(origin: string): Promise<{ thread10: string; thread100: string; pages: string[] }> {
  const signIn = await fetch(`${origin}/api/v1/admin/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: origin },
    body: JSON.stringify({ password: PASSWORD }),
  });
  if (!signIn.ok) throw new Error(`sign-in failed: ${signIn.status} ${await signIn.text()}`);
  const cookie = signIn.headers.get('Set-Cookie')!.split(';')[0]!;
  const run = Date.now().toString(36);
  const pages = Array.from({ length: 20 }, (_, i) => `${BLOG_ORIGIN}/2026/11/bench-${run}-${i}`);
  const sizes = pages.map((_, i) => (i === 0 ? 10 : i === 1 ? 100 : 3));
  const threads = pages.map((pageId, t) => ({
    pageId,
    comments: Array.from({ length: sizes[t]! }, (_, i) => ({
      sourceId: `${t}-${i}`,
      authorName: `Reader ${i % 13}`,
      createdAt: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString(),
      body:
        `Comment ${i}: thank you for this **lovely** walk along the river. We went last spring and the market by ` +
        `the pier was just as you describe.\n\n> the light at dusk\n\nYes! ${'We stayed until the boats came in. '.repeat(2)}`,
      status: 'approved',
      ...(i % 5 === 4 ? { parentSourceId: `${t}-${i - 1}` } : {}),
    })),
  }));
  // A request takes at most 50 comments (`LIMITS.importComments`; this script runs in plain Node, which cannot load
  // the protocol's TypeScript): the 100-comment thread goes in parts, as the Import tab sends a big post.
  const perRequest = 50;
  for (const { pageId, comments } of threads) {
    const count = Math.ceil(comments.length / perRequest);
    for (let index = 0; index < count; index++) {
      const part = comments.slice(index * perRequest, (index + 1) * perRequest);
      const thread = count === 1 ? { pageId, comments: part } : { pageId, comments: part, part: { index, count } };
      await call(origin, `/api/v1/admin/sites/${SITE}/import`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: origin, Cookie: cookie },
        body: JSON.stringify({ source: 'blogger', threads: [thread] }),
      });
    }
  }
  // The import rebuilds the snapshots after answering.
  for (let tries = 0; tries < 100; tries++) {
    const thread = await call<{ total: number }>(origin, `/api/v1/comments?page=${encodeURIComponent(pages[1]!)}`, {
      headers: { Origin: BLOG_ORIGIN },
    });
    if (thread.total === 100) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { thread10: pages[0]!, thread100: pages[1]!, pages };
}

interface Load {
  rps: number;
  p50: number;
  p99: number;
  sequentialMs: number;
}

async function load(url: string): Promise<Load> {
  const headers = { Origin: BLOG_ORIGIN };
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} answers not 2xx, ${result.errors} errors`);
  }
  const times: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const start = performance.now();
    await (await fetch(url, { headers })).arrayBuffer();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    sequentialMs: times[Math.floor(times.length / 2)]!,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  rmSync(benchDir, { recursive: true, force: true });
  mkdirSync(benchDir, { recursive: true });
  const started: Running[] = [];
  const stopAll = () => started.forEach((running) => running.process.kill('SIGTERM'));
  process.on('SIGINT', () => {
    stopAll();
    process.exit(130);
  });
  try {
    const sala = await startWrangler('sala', salaConfig);
    started.push(sala);
    const bare = await startWrangler('bare', bareConfig);
    started.push(bare);
    const { thread10, thread100, pages } = await seed(sala.origin);
    const cases = [
      { name: 'thread GET, 10 comments', path: `/api/v1/comments?page=${encodeURIComponent(thread10)}` },
      { name: 'thread GET, 100 comments (first 20)', path: `/api/v1/comments?page=${encodeURIComponent(thread100)}` },
      {
        name: `counts, ${pages.length} pages`,
        path: `/api/v1/counts?${pages.map((p) => `page=${encodeURIComponent(p)}`).join('&')}`,
      },
    ];
    console.log(
      `wrangler dev (local), autocannon ${CONNECTIONS} connections x ${SECONDS} s, ${ROUNDS} rounds of bare then Sala; ` +
        `sequential: median of ${SEQUENTIAL} one at a time. Medians over rounds.\n`,
    );
    console.log(
      `${'case'.padEnd(38)}${'bytes'.padStart(7)}  ${'bare req/s'.padStart(10)}${'p50'.padStart(5)}${'p99'.padStart(5)}${'seq ms'.padStart(8)}` +
        `  ${'Sala req/s'.padStart(10)}${'p50'.padStart(5)}${'p99'.padStart(5)}${'seq ms'.padStart(8)}  ${'Sala/bare'.padStart(9)}`,
    );
    for (const { name, path } of cases) {
      const answer = await fetch(`${sala.origin}${path}`, { headers: { Origin: BLOG_ORIGIN } });
      const bytes = (await answer.arrayBuffer()).byteLength;
      const runs: { bare: Load; sala: Load }[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const bareLoad = await load(`${bare.origin}/?bytes=${bytes}`);
        const salaLoad = await load(`${sala.origin}${path}`);
        runs.push({ bare: bareLoad, sala: salaLoad });
      }
      const of = (side: 'bare' | 'sala', field: keyof Load) => median(runs.map((run) => run[side][field]));
      const cells = (side: 'bare' | 'sala') =>
        `${of(side, 'rps').toFixed(0).padStart(10)}${String(of(side, 'p50')).padStart(5)}${String(of(side, 'p99')).padStart(5)}` +
        `${of(side, 'sequentialMs').toFixed(1).padStart(8)}`;
      const ratio = median(runs.map((run) => run.sala.rps / run.bare.rps));
      console.log(
        `${name.padEnd(38)}${String(bytes).padStart(7)}  ${cells('bare')}  ${cells('sala')}  ${`${(ratio * 100).toFixed(0)}%`.padStart(9)}`,
      );
    }
  } finally {
    stopAll();
  }
}

main().catch((error: unknown) => {
  console.error(`[sala] bench:http: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
