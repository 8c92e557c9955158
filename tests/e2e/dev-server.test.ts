/**
 * End to end: `npm start`'s server on a port of the user's choosing. Runs the worker's dev script (what `npm start`
 * runs after the build) with PORT set, and checks that the demo, embed.js, /admin, the API and the dev cron all
 * answer on that port and that the printed admin address names it; then that what `npm run build` run beside it
 * leaves in worker/dev-public, as a developer builds after each change, is what it serves, and that builds in quick
 * succession never stop it. Needs `npm run build` to have run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { choosePort, devOptions } from '../../worker/scripts/dev.js';
import { servedBy, servedFolderUpdater } from '../../scripts/dev-watch.js';
import { staleListOf, syncFolder } from '../../worker/scripts/sync-folder.js';
import { NODE_COMPILE_CACHE } from '../support/worker.js';

const root = resolve(import.meta.dirname, '../..');

function listen(port = 0): Promise<Server> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => done(server));
  });
}

async function freePort(): Promise<number> {
  const server = await listen();
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

/** Stops a dev server started `detached` (its own process group): npm, node and wrangler together. */
async function stopGroup(child: ChildProcess | undefined): Promise<void> {
  if (child?.exitCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  process.kill(-child.pid!, 'SIGTERM');
  await Promise.race([exited, new Promise((wake) => setTimeout(wake, 5000).unref())]);
  if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
}

describe('the port npm start listens on', () => {
  test('--port beats PORT, which beats the default; other arguments go to wrangler', () => {
    expect(devOptions([], {}).port).toBeNull();
    expect(devOptions([], { PORT: '8799' }).port).toBe(8799);
    expect(devOptions(['--port', '8796'], { PORT: '8799' }).port).toBe(8796);
    expect(devOptions(['--port=8795', '--ip', '0.0.0.0', '--local-protocol', 'https'], {})).toEqual({
      ip: '0.0.0.0',
      port: 8795,
      wranglerArgs: ['--local-protocol', 'https'],
    });
    expect(() => devOptions([], { PORT: 'eighty' })).toThrow('PORT must be a port number');
  });

  test('a busy port asked for is refused by name; a busy default moves on to a free port', async () => {
    const taken = await listen();
    const { port } = taken.address() as { port: number };
    await expect(choosePort({ ip: '127.0.0.1', port, wranglerArgs: [] })).rejects.toThrow(`port ${port} is in use`);
    taken.close();

    const defaultTaken = await listen(8787).catch(() => null); // busy already (someone's npm start) is as good
    try {
      expect(await choosePort({ ip: '127.0.0.1', port: null, wranglerArgs: [] })).not.toBe(8787);
    } finally {
      defaultTaken?.close();
    }
  });
});

describe('PORT=<port> npm start', () => {
  let child: ChildProcess;
  let output = '';
  let origin = '';
  const state = mkdtempSync(join(tmpdir(), 'sala-dev-kv-'));

  beforeAll(async () => {
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    // Extra arguments reach wrangler: a state folder of the test's own and a free inspector port.
    const args = ['run', 'dev', '-w', 'worker', '--', '--persist-to', state];
    args.push('--inspector-port', String(await freePort()), '--show-interactive-dev-session=false');
    child = spawn('npm', args, {
      cwd: root,
      // NODE_COMPILE_CACHE: npm, node and wrangler reuse the code compiled by the tests' other starts.
      env: { ...process.env, NODE_COMPILE_CACHE, PORT: String(port), SALA_DEV_CRON_SECONDS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so stopping it stops npm, node and wrangler together.
      detached: true,
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline && child.exitCode === null) {
      const ready = await fetch(`${origin}/embed.js`).then(
        (response) => response.ok,
        () => false,
      );
      if (ready) return;
      await new Promise((wake) => setTimeout(wake, 50));
    }
    throw new Error(`npm run dev did not serve ${origin}/embed.js:\n${output}`);
  });

  afterAll(async () => {
    await stopGroup(child);
    rmSync(state, { recursive: true, force: true });
  });

  test('prints the admin address on that port', () => {
    expect(output).toContain(`Sala admin: ${origin}/admin  password: `);
  });

  test('serves the demo blog, embed.js, /admin and the API on that port', async () => {
    const home = await fetch(`${origin}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('<title>Mekong Notes</title>');

    const embed = await fetch(`${origin}/embed.js`);
    expect(embed.headers.get('content-type')).toMatch(/javascript/);

    const admin = await fetch(`${origin}/admin`);
    expect(admin.status).toBe(200);
    expect(await admin.text()).toContain('<sala-admin>');

    const counts = await fetch(
      `${origin}/api/v1/counts?page=${encodeURIComponent(`${origin}/2026/11/morning-walk.html`)}`,
    );
    expect(counts.status).toBe(200);
    expect(counts.headers.get('content-type')).toMatch(/application\/json/);
  });

  test('fires the dev cron at that port', async () => {
    // Only the dev cron calls this wrangler's scheduled handler, which logs its work.
    await expect.poll(() => output, { timeout: 10_000 }).toContain('[sala] snapshot repair');
  });
});

/** Resolves true as soon as `condition` holds, false if it still does not after `ms`. */
async function becomes(condition: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((wake) => setTimeout(wake, 100));
  }
  return false;
}

describe('npm run build while npm start runs', () => {
  // A copy of the Worker, so these builds change neither the repository nor the demo the other tests serve.
  const copy = mkdtempSync(join(tmpdir(), 'sala-dev-rebuild-'));
  const served = join(copy, 'worker/dev-public');
  const built = join(copy, 'built');
  let child: ChildProcess;
  let output = '';
  let origin = '';

  beforeAll(async () => {
    cpSync(join(root, 'worker'), join(copy, 'worker'), {
      recursive: true,
      filter: (source) => !/[/\\](node_modules|\.wrangler|\.bench|\.dev\.vars)$/.test(source),
    });
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
    cpSync(served, built, { recursive: true });

    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    const args = [join(copy, 'worker/scripts/dev.ts'), '--port', String(port), '--persist-to', join(copy, 'state')];
    args.push('--inspector-port', String(await freePort()), '--show-interactive-dev-session=false');
    child = spawn(process.execPath, args, {
      cwd: join(copy, 'worker'),
      env: { ...process.env, NODE_COMPILE_CACHE, SALA_DEV_CRON_SECONDS: '3600' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const serving = await becomes(() => embedEtag().then(Boolean), 90_000);
    if (!serving) throw new Error(`the dev server did not serve ${origin}/embed.js:\n${output}`);
  });

  afterAll(async () => {
    await stopGroup(child);
    rmSync(copy, { recursive: true, force: true });
  });

  /** The ETag of the embed.js served, which changes once wrangler has taken a build's files; null while down. */
  function embedEtag(): Promise<string | null> {
    return fetch(`${origin}/embed.js`, { method: 'HEAD' }).then(
      (response) => (response.ok ? response.headers.get('etag') : null),
      () => null,
    );
  }

  test('serves each build’s new chunks, build after build, with no restart; the old ones wait for the next start', async () => {
    // What a build leaves in worker/dev-public (rollup.config.ts, devAssets): embed.js changed to name a chunk of a new
    // hashed name, the previous one no longer built. When each build deleted the folder and copied it again, wrangler
    // stopped seeing it within two to four builds: new chunks 404ed, gone ones answered 500, embed.js kept its old ETag.
    for (const build of [1, 2, 3, 4, 5, 6]) {
      const before = await embedEtag();
      const next = mkdtempSync(join(tmpdir(), 'sala-build-'));
      cpSync(built, next, { recursive: true });
      writeFileSync(join(next, 'embed.js'), `${readFileSync(join(built, 'embed.js'), 'utf8')}\n// build ${build}\n`);
      writeFileSync(join(next, `widgets/build-${build}.js`), `export const build = ${build};\n`);
      syncFolder([next], served);
      rmSync(next, { recursive: true });
      // wrangler takes new files a moment after they are written ("Reloading local server..."): well under 10 s.
      expect(await becomes(async () => (await embedEtag()) !== before, 10_000), `build ${build}: embed.js`).toBe(true);

      const chunk = await fetch(`${origin}/widgets/build-${build}.js`);
      expect(chunk.status, `build ${build}: its chunk`).toBe(200);
      expect(await chunk.text()).toBe(`export const build = ${build};\n`);
      expect(await (await fetch(`${origin}/embed.js`)).text()).toContain(`// build ${build}`);
      if (build > 1) {
        // Left for the session (a removal while wrangler reloads stops it) and listed for dev.ts to remove at its start.
        const old = await fetch(`${origin}/widgets/build-${build - 1}.js`);
        await old.body?.cancel();
        expect(old.status, `build ${build}: the previous build's chunk`).toBe(200);
        expect(JSON.parse(readFileSync(staleListOf(served), 'utf8'))).toContain(`widgets/build-${build - 1}.js`);
      }
    }
  }, 180_000);

  test('npm run dev:watch: a page loaded while a build lands never misses a chunk its embed.js names', async () => {
    // wrangler reads a file's bytes when asked but learns of new files a moment after they are written: an embed.js
    // written with its chunks could be sent, naming a chunk, before the chunk is served. A reader reloading all along:
    let reading = true;
    const misses: string[] = [];
    const seen = new Set<string>();
    const reader = (async () => {
      while (reading) {
        const embed = await (await fetch(`${origin}/embed.js`, { cache: 'no-store' })).text();
        const chunk = /widgets\/watch-\d+\.js/.exec(embed)?.[0];
        if (!chunk) continue;
        seen.add(chunk);
        const response = await fetch(`${origin}/${chunk}`);
        await response.body?.cancel();
        if (response.status !== 200) misses.push(`${chunk}: ${response.status}`);
      }
    })();
    // What npm run dev:watch does after each build, from the build's output (`stage`) to the folder served.
    const stage = join(copy, 'stage');
    const update = servedFolderUpdater([stage], served, (files) => servedBy(origin, files));
    try {
      for (const build of [1, 2]) {
        const before = await embedEtag();
        rmSync(stage, { recursive: true, force: true });
        cpSync(built, stage, { recursive: true });
        const embed = readFileSync(join(built, 'embed.js'), 'utf8');
        writeFileSync(join(stage, 'embed.js'), `${embed}\nimport('./widgets/watch-${build}.js');\n`);
        writeFileSync(join(stage, `widgets/watch-${build}.js`), `export const build = ${build};\n`);
        await update();
        expect(await becomes(async () => (await embedEtag()) !== before, 10_000), `build ${build}`).toBe(true);
      }
    } finally {
      reading = false;
      await reader;
    }
    expect(misses).toEqual([]);
    expect([...seen].sort(), 'the reader saw every build').toEqual([1, 2].map((n) => `widgets/watch-${n}.js`));
  }, 120_000);

  test('builds in quick succession, each replacing the last one’s chunks, never stop the server', async () => {
    // wrangler reloads 100 ms after a change in the folder: it lists it, then stats each file listed. A chunk removed in
    // between stopped it ("ENOENT: no such file or directory, stat 'worker/dev-public/widgets/x-hash.js'") after 3, 14,
    // 17 and 52 such builds (updates a bit over 100 ms apart, 40 new chunks each, landing as it reloads). Not every run
    // of these 25 provokes that, so the rule that prevents it is checked too: no update removes a chunk under a server.
    const stage = join(copy, 'quick');
    cpSync(built, stage, { recursive: true });
    const embed = readFileSync(join(built, 'embed.js'), 'utf8');
    const chunks = (build: number) => Array.from({ length: 40 }, (_, chunk) => `widgets/quick-${build}-${chunk}.js`);
    for (let build = 1; build <= 25 && child.exitCode === null; build++) {
      for (const chunk of build > 1 ? chunks(build - 1) : []) rmSync(join(stage, chunk));
      for (const chunk of chunks(build)) writeFileSync(join(stage, chunk), `export const build = ${build};\n`);
      writeFileSync(join(stage, 'embed.js'), `${embed}\n// quick ${build}\n`);
      syncFolder([stage], served);
      await new Promise((wake) => setTimeout(wake, 95 + ((build * 3) % 45)));
    }
    const enoent = output.split('\n').filter((line) => line.includes('ENOENT'));
    expect(child.exitCode, enoent.join('\n')).toBeNull();
    expect(
      chunks(1).filter((chunk) => !existsSync(join(served, chunk))),
      'the first build’s chunks',
    ).toEqual([]);
    const latest = async () => (await (await fetch(`${origin}/embed.js`)).text()).includes('// quick 25');
    expect(await becomes(latest, 10_000), 'the last build served').toBe(true);
  }, 120_000);
});
