/** Starts the real Worker with `wrangler dev` on a free loopback port and fresh local KV, for end-to-end tests and benchmarks. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

/**
 * Node's cache of compiled code for the processes the tests start: wrangler's CLI is 15 MB of JavaScript, and each
 * `wrangler dev` compiled it again (about 2 s of CPU each, a sixth of that saved once cached). Same code, same run.
 */
export const NODE_COMPILE_CACHE = join(root, 'node_modules/.cache/sala-e2e-node-compile');

export interface RunningWorker {
  origin: string;
  /** Everything wrangler printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

async function waitUntilServing(origin: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}:\n${log()}`);
    try {
      const response = await fetch(`${origin}/embed.js`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((wake) => setTimeout(wake, 50));
  }
  throw new Error(`wrangler dev did not serve ${origin}/embed.js within 90 s:\n${log()}`);
}

export interface StartOptions {
  /** `dev` (default): the demo blog at `/`, as `npm start` serves it; `production`: what `npm run deploy` uploads. */
  assets?: 'dev' | 'production';
}

/** `vars` override wrangler.jsonc vars, e.g. `{ SITES: '...' }`. Needs `npm run build` to have run. */
export async function startWorker(
  vars: Record<string, string> = {},
  { assets = 'dev' }: StartOptions = {},
): Promise<RunningWorker> {
  const port = await freePort();
  const inspectorPort = await freePort();
  const state = mkdtempSync(join(tmpdir(), 'sala-kv-'));
  const varArgs = Object.entries({ SALA_SECRET: 'e2e-secret', ...vars }).flatMap(([key, value]) => [
    '--var',
    `${key}:${value}`,
  ]);
  const child = spawn(
    join(root, 'node_modules/.bin/wrangler'),
    [
      'dev',
      '--config',
      join(root, 'worker/wrangler.jsonc'),
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--inspector-port',
      String(inspectorPort),
      '--persist-to',
      state,
      // wrangler.jsonc names the production folder; the demo lives only in the dev one (rollup.config.ts).
      '--assets',
      join(root, assets === 'dev' ? 'worker/dev-public' : 'worker/public'),
      '--show-interactive-dev-session=false',
      '--log-level',
      'warn',
      ...varArgs,
    ],
    {
      cwd: join(root, 'worker'),
      env: {
        ...process.env,
        NODE_COMPILE_CACHE,
        CLOUDFLARE_CF_FETCH_ENABLED: 'false',
        WRANGLER_SEND_METRICS: 'false',
        CI: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const origin = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      // unref: once it has exited, the 5 s no longer keeps the test's process alive.
      await Promise.race([exited, new Promise((wake) => setTimeout(wake, 5000).unref())]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(state, { recursive: true, force: true });
  };

  try {
    await waitUntilServing(origin, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { origin, output: () => output, stop };
}

/** The environment variable naming the e2e run's server of shared Workers (worker-server.ts). */
export const SHARED_WORKERS = 'SALA_E2E_SHARED_WORKERS';

/**
 * A Worker with the default vars, shared by the files that ask for it by the same `name` in the e2e run
 * (worker-server.ts), else (outside vitest) one of the file's own; its `stop()` then leaves it to the run. Files that
 * share one never count on finding it empty, each writes to pages of its own, and together they post fewer comments
 * than its rate limit lets one address post in a minute (5, wrangler.jsonc), as they run in turn.
 */
export async function sharedWorker(name: string): Promise<RunningWorker> {
  const server = process.env[SHARED_WORKERS];
  if (!server) return startWorker();
  const response = await fetch(`${server}/?name=${encodeURIComponent(name)}`);
  if (!response.ok) throw new Error(`the shared Worker ${name} did not start: ${await response.text()}`);
  const origin = await response.text();
  return { origin, output: () => 'the shared Worker’s output is not kept', stop: async () => {} };
}
