/**
 * `npm run dev:watch`: `npm start` that rebuilds on save. It builds what the dev server serves (embed.js and the admin
 * page: rollup.config.ts with `configDevServer`) with rollup's watch API, then runs the Worker as `npm start` does
 * (worker/scripts/dev.ts, with the same arguments). After each rebuild, which runs only the configurations a change
 * touches, and after an edit to the demo blog (examples/blogger), it brings worker/dev-public up to date in place and
 * prints one line. A build error is printed and the last good build stays served.
 */
import { spawn } from 'node:child_process';
import { watch as watchFolder } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { watch, type RollupError, type RollupWatchOptions } from 'rollup';
import { loadConfigFile } from 'rollup/loadConfigFile';
import { choosePort, devOptions } from '../worker/scripts/dev.ts';
import { syncFolderServed, type FolderUpdate } from '../worker/scripts/sync-folder.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface DevWatchOptions {
  /** The configurations to build and watch; the first build cleans their outputs (rollup.config.ts, clean). */
  configs: RollupWatchOptions[];
  /** What the server serves, a later folder's file over an earlier's: the build's output, then the demo blog. */
  sources: string[];
  /** Sources that no build writes, watched here: an edit to one is copied with no build. */
  demoDir: string;
  /** The folder the server serves, brought up to date in place. */
  servedDir: string;
  /** Resolves once the server serves these new files of servedDir (paths relative to it). */
  whenServed: (files: readonly string[]) => Promise<void>;
  log: (line: string) => void;
  /** Called after each build, to print the warnings it gathered. */
  afterBuild?: () => void;
}

export interface DevWatch {
  /** Resolves once servedDir holds a build that every configuration passed. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/** "1.2 s" since `start` (a performance.now()). */
function seconds(start: number): string {
  return `${((performance.now() - start) / 1000).toFixed(1)} s`;
}

/** The scripts a configuration writes, as the developer knows them: `embed.js`, `admin.js`. */
function entryNames(input: RollupWatchOptions['input']): string[] {
  if (typeof input === 'string') return [input.replace(/^.*[/\\]|\.[cm]?[jt]s$/g, '') + '.js'];
  return Object.keys(input ?? {}).map((name) => `${name}.js`);
}

/** The error as rollup's CLI shows it: the message, where, and the lines around. */
function describeError(error: RollupError, serving: boolean): string {
  const file = error.loc?.file ?? error.id;
  const where = file && error.loc ? `${file}:${error.loc.line}:${error.loc.column}` : file;
  const then = serving ? 'still serving the last good build' : 'the server starts once it builds';
  const text = [
    `[sala] build failed; ${then}. ${error.plugin ? `[${error.plugin}] ` : ''}${error.message}`,
    ...(where ? [`  at ${relative(process.cwd(), where)}`] : []),
    ...(error.frame ? [error.frame] : []),
  ].join('\n');
  // The embed's copies of modules for pages with a thread are named x.thread.ts after x.ts (rollup.config.ts).
  return text.replaceAll('.thread.ts', '.ts');
}

/**
 * Each configuration watches its files with one `fs.watch` per file, which chokidar shares between configurations that
 * import the same file (internal/, @sala/protocol) unless `persistent` is off. Shared, it stays on the file an editor
 * saving by rename (vim, JetBrains' safe write) replaced: after the first such save, rebuilds stopped. Not persistent,
 * the watchers leave the process to end with the Worker's.
 */
function watchingEachFileApart(config: RollupWatchOptions): RollupWatchOptions {
  const watch = config.watch || {};
  return { ...config, watch: { ...watch, clearScreen: false, chokidar: { ...watch.chokidar, persistent: false } } };
}

/**
 * Brings `servedDir` up to date from `sources` for a running server, each call after the last has ended: new files,
 * then, once `whenServed` says the server has them, changed ones (worker/scripts/sync-folder.ts, syncFolderServed).
 * What an earlier session left goes at the first call, which comes before the server starts (main); after that stale
 * files stay for the session: one removed while wrangler reloads stops it, and a page loaded before an update may
 * still fetch the chunks its embed.js names (a click on Reply fetches the form's). The server's next start removes them.
 */
export function servedFolderUpdater(
  sources: readonly string[],
  servedDir: string,
  whenServed: (files: readonly string[]) => Promise<void>,
): () => Promise<FolderUpdate & { kept: string[] }> {
  let first = true;
  return async () => {
    const removeStale = first;
    first = false;
    return syncFolderServed(sources, servedDir, { whenServed, removeStale });
  };
}

export function watchDevBuild(options: DevWatchOptions): DevWatch {
  const { configs, sources, servedDir, log } = options;
  /** The output folders of the configurations built without error at least once. */
  const builtOnce = new Set<string>();
  let building = false;
  let isReady = false;
  let markReady: () => void;
  const ready = new Promise<void>((done) => (markReady = done));

  // One update of servedDir at a time, and none while rollup writes the build's output: each reads what another writes.
  const updateServed = servedFolderUpdater(sources, servedDir, options.whenServed);
  let updates = Promise.resolve();
  function update(line: (took: string) => string): Promise<void> {
    const started = performance.now();
    updates = updates
      .then(async () => {
        await updateServed();
        log(line(seconds(started)));
      })
      .catch((error: unknown) => log(`[sala] could not update ${servedDir}: ${String(error)}`));
    return updates;
  }

  const watcher = watch(configs.map(watchingEachFileApart));
  // A set: a file two configurations import is reported by each, and named once.
  const changed = new Set<string>();
  let run = { started: 0, built: [] as string[] };
  watcher.on('change', (id) => void changed.add(relative(process.cwd(), id)));
  watcher.on('event', async (event) => {
    switch (event.code) {
      case 'START':
        await updates;
        building = true;
        run = { started: performance.now(), built: [] };
        return;
      case 'BUNDLE_END':
        builtOnce.add(String(event.output));
        run.built.push(...entryNames(event.input));
        await event.result.close();
        return;
      case 'ERROR':
        log(describeError(event.error, isReady));
        await event.result?.close();
        return;
      case 'END': {
        building = false;
        options.afterBuild?.();
        const [first] = changed;
        const because =
          first === undefined ? '' : ` (${first}${changed.size > 1 ? ` and ${changed.size - 1} more` : ''})`;
        changed.clear();
        if (builtOnce.size < configs.length || run.built.length === 0) return;
        const verb = isReady ? 'rebuilt' : 'built';
        const { built, started } = run;
        await update(() => `[sala] ${verb} ${built.join(' and ')} in ${seconds(started)}${because}`);
        isReady = true;
        markReady();
        return;
      }
    }
  });

  // The demo blog is no module of the build: rollup does not watch it. An edit saves in one or more writes.
  let demoTimer: NodeJS.Timeout | undefined;
  const demoWatcher = watchFolder(options.demoDir, { recursive: true }, () => {
    clearTimeout(demoTimer);
    demoTimer = setTimeout(() => {
      // Before the first build or during one, the update at its end copies the demo too.
      if (isReady && !building) void update((took) => `[sala] updated the demo blog in ${took}`);
    }, 50);
  });

  return {
    ready,
    async close() {
      clearTimeout(demoTimer);
      demoWatcher.close();
      await watcher.close();
      await updates;
    },
  };
}

/**
 * Resolves once `origin` serves each of `files` or after `ms`: `wrangler dev` takes new files a moment after they are
 * written ("Reloading local server..."), answering 404 until then. Under a second on a quiet machine, but over 5 s on
 * a busy one (CI, 2026-12-06: a reader got 404s after a 5 s wait gave up), so the wait is long; it ends early.
 */
export async function servedBy(origin: string, files: readonly string[], ms = 30_000): Promise<void> {
  // _headers and _redirects are wrangler's settings, never served.
  let waiting = files.filter((file) => !/(^|[/\\])_(headers|redirects)$/.test(file));
  const deadline = Date.now() + ms;
  while (waiting.length > 0 && Date.now() < deadline) {
    const served = await Promise.all(
      waiting.map((file) => {
        const path = file.split(/[/\\]/).map(encodeURIComponent).join('/');
        return fetch(`${origin}/${path}`, { method: 'HEAD', redirect: 'manual' }).then(
          (response) => response.status !== 404,
          () => false,
        );
      }),
    );
    waiting = waiting.filter((_, index) => !served[index]);
    if (waiting.length > 0) await new Promise((wake) => setTimeout(wake, 50));
  }
}

async function main(): Promise<void> {
  process.chdir(root);
  const options = devOptions(process.argv.slice(2), process.env);
  const { options: configs, warnings } = await loadConfigFile(
    resolve('rollup.config.ts'),
    { configPlugin: 'esbuild', configDevServer: true },
    true,
  );
  let origin: string | null = null;
  const dev = watchDevBuild({
    configs,
    sources: ['worker/public', 'examples/blogger'],
    demoDir: 'examples/blogger',
    servedDir: 'worker/dev-public',
    whenServed: (files) => (origin ? servedBy(origin, files) : Promise.resolve()),
    log: (line) => console.log(line),
    afterBuild: () => warnings.flush(),
  });
  console.log('[sala] building embed.js and admin.js; the server starts once they build');
  await dev.ready;

  // Chosen now, not before the first build: a port free then may not be free a while later.
  const port = await choosePort(options);
  const worker = spawn(
    process.execPath,
    ['worker/scripts/dev.ts', '--port', String(port), '--ip', options.ip, ...options.wranglerArgs],
    { stdio: 'inherit' },
  );
  origin = `http://${options.ip === '0.0.0.0' ? '127.0.0.1' : options.ip}:${port}`;
  // dev.ts passes the signal on to wrangler; the watcher stops when they have exited.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => worker.kill(signal));
  worker.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 1 : 0);
    void dev.close();
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`[sala] ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
