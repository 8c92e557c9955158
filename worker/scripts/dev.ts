/**
 * `npm start` / `npm run dev -w worker`: the Worker under `wrangler dev` with the demo blog, on the port asked for
 * (`--port N`, else `PORT`, else 8787, else the next free one), with local KV under .wrangler/state, a dev cron
 * (dev-cron.ts) and the admin address and password printed. Arguments other than --port and --ip go to wrangler.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startDevCron } from './dev-cron.ts';
import { ensureDevVars } from './ensure-dev-vars.ts';
import { removeStaleFiles } from './sync-folder.ts';

const DEFAULT_PORT = 8787;
/** The build writes the demo blog beside embed.js here; production's public/ never holds it (rollup.config.ts). */
const devAssets = fileURLToPath(new URL('../dev-public', import.meta.url));

/**
 * The Worker's vars for local development, which a deployed Worker never has (the end-to-end tests start theirs with
 * them too): each cron run first writes the views buffered in memory, and reads up to 20 pages, a page that failed
 * again on the next run, so a post visited shows in popular posts on the dev cron's next minute (worker/README.md).
 */
export const DEV_VARS = { SALA_DEV_FLUSH_VIEWS: 'true', SALA_DEV_PAGE_READS: '20' } as const;

export interface DevOptions {
  ip: string;
  /** null: none asked for, so the default or the next free port. */
  port: number | null;
  /** For `wrangler dev`, untouched. */
  wranglerArgs: string[];
}

function portNumber(value: string, source: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`${source} must be a port number from 1 to 65535, not ${JSON.stringify(value)}`);
  }
  return port;
}

/** Reads `--port N`, `--port=N`, `--ip X` from `args` and `PORT` from `env`; the flag wins over `PORT`. */
export function devOptions(args: string[], env: NodeJS.ProcessEnv): DevOptions {
  const options: DevOptions = { ip: '127.0.0.1', port: null, wranglerArgs: [] };
  for (let index = 0; index < args.length; index++) {
    const [name, inline] = args[index]!.split(/=(.*)/s, 2) as [string, string | undefined];
    if (name !== '--port' && name !== '--ip') {
      options.wranglerArgs.push(args[index]!);
      continue;
    }
    const value = inline ?? args[++index];
    if (value === undefined) throw new Error(`${name} needs a value`);
    if (name === '--port') options.port = portNumber(value, '--port');
    else options.ip = value;
  }
  if (options.port === null && env['PORT']) options.port = portNumber(env['PORT'], 'PORT');
  return options;
}

function hasOption(args: string[], name: string): boolean {
  return args.some((arg) => arg === name || arg.startsWith(`${name}=`));
}

function isFree(port: number, ip: string): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, ip, () => server.close(() => done(true)));
  });
}

/** The port to listen on: the one asked for, which must be free, or 8787 or the first free port after it. */
export async function choosePort(options: DevOptions): Promise<number> {
  if (options.port !== null) {
    if (await isFree(options.port, options.ip)) return options.port;
    throw new Error(`port ${options.port} is in use: pick another, e.g. PORT=${options.port + 1} npm start`);
  }
  for (let port = DEFAULT_PORT; port < DEFAULT_PORT + 20; port++) {
    if (await isFree(port, options.ip)) {
      if (port !== DEFAULT_PORT) console.log(`[sala] port ${DEFAULT_PORT} is in use; using ${port}`);
      return port;
    }
  }
  throw new Error(`ports ${DEFAULT_PORT}-${DEFAULT_PORT + 19} are in use: pick one with PORT=<port> npm start`);
}

async function main(): Promise<void> {
  const options = devOptions(process.argv.slice(2), process.env);
  if (!existsSync(devAssets)) {
    throw new Error('worker/dev-public is missing: run `npm run build` first (npm start does)');
  }
  // Builds run beside the server leave the chunks they replace (sync-folder.ts): no server watches the folder yet.
  removeStaleFiles(devAssets);
  const port = await choosePort(options);
  const password = ensureDevVars();
  // A browser cannot open 0.0.0.0; the machine's own address reaches a server listening on every interface.
  const origin = `http://${options.ip === '0.0.0.0' ? '127.0.0.1' : options.ip}:${port}`;
  console.log(`[sala] demo blog: ${origin}/`);
  console.log(`[sala] Sala admin: ${origin}/admin  password: ${password}`);

  const wrangler = spawn(
    'wrangler',
    [
      'dev',
      ['--ip', options.ip],
      ['--port', String(port)],
      ['--assets', devAssets],
      // wrangler takes each of these once, so one given on the command line replaces the default.
      hasOption(options.wranglerArgs, '--persist-to') ? [] : ['--persist-to', '../.wrangler/state'],
      Object.entries(DEV_VARS).flatMap(([name, value]) => ['--var', `${name}:${value}`]),
      ...options.wranglerArgs,
    ].flat(),
    {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: {
        ...process.env,
        // The project's wrangler, also when this script is run without npm.
        PATH: `${fileURLToPath(new URL('../../node_modules/.bin', import.meta.url))}${delimiter}${process.env['PATH']}`,
        CLOUDFLARE_CF_FETCH_ENABLED: 'false',
        WRANGLER_SEND_METRICS: 'false',
      },
      stdio: 'inherit',
    },
  );
  const stopCron = startDevCron(origin, Number(process.env['SALA_DEV_CRON_SECONDS'] ?? 60) * 1000);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => wrangler.kill(signal));
  wrangler.on('error', (error) => {
    stopCron();
    console.error(`[sala] could not start wrangler: ${error.message} (run npm install first)`);
    process.exitCode = 1;
  });
  wrangler.on('exit', (code, signal) => {
    stopCron();
    process.exitCode = code ?? (signal ? 1 : 0);
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`[sala] ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
