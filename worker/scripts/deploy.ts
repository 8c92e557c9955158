/**
 * `npm run deploy`: puts Sala on the Cloudflare account `wrangler login` signed in to, in one command, and is safe
 * to run again. Finds or creates the KV namespace, sets ADMIN_PASSWORD (asked, hidden) and SALA_SECRET (made once,
 * never rotated unless asked), adds the blog's origin to SITES, builds, deploys, and prints the Worker's address
 * and the two lines to paste. What belongs to this deployment (namespace id, sites, extra vars) is kept in
 * worker/wrangler.deploy.jsonc, gitignored and written from wrangler.jsonc on every run, so `git pull` never
 * conflicts with it. Every question has a flag or an environment variable for CI: see `--help`.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const workerDir = fileURLToPath(new URL('..', import.meta.url));
const rootDir = resolve(workerDir, '..');
const BINDING = 'SALA';
/** wrangler.jsonc's placeholder namespace id: a real deployment always replaces it. */
const PLACEHOLDER_ID = /^0+$/;

const HELP = `npm run deploy [-- options]: build and deploy Sala to your Cloudflare account (after \`npx wrangler login\`).

  --blog <address>   your blog's address; its origin is added to the site's allowed origins  (env SALA_BLOG_URL)
  --site <id>        the site id to add it to (default: the current site, or a name made from the address)
  --name <worker>    the Worker's name, part of its address (default: "sala", or the last deployment's)
  --rotate-secret    make a new SALA_SECRET (signs the owner out, voids mailed links, bans stop matching)
  --skip-build       deploy worker/public as it is
  --config <file>    where this deployment's settings live (default: worker/wrangler.deploy.jsonc)

ADMIN_PASSWORD is asked for (hidden), or read from the env var SALA_ADMIN_PASSWORD; without a terminal, a
deployment that has one keeps it.`;

export interface DeployOptions {
  blog: string | null;
  site: string | null;
  name: string | null;
  rotateSecret: boolean;
  skipBuild: boolean;
  config: string;
  help: boolean;
}

export function deployOptions(args: string[], env: NodeJS.ProcessEnv): DeployOptions {
  const options: DeployOptions = {
    blog: env['SALA_BLOG_URL'] || null,
    site: null,
    name: null,
    rotateSecret: false,
    skipBuild: false,
    config: resolve(workerDir, 'wrangler.deploy.jsonc'),
    help: false,
  };
  for (let index = 0; index < args.length; index++) {
    const [flag, inline] = args[index]!.split(/=(.*)/s, 2) as [string, string | undefined];
    const value = () => {
      const given = inline ?? args[++index];
      if (given === undefined || given === '') throw new Error(`${flag} needs a value`);
      return given;
    };
    if (flag === '--blog') options.blog = value();
    else if (flag === '--site') options.site = value();
    else if (flag === '--name') options.name = value();
    else if (flag === '--config') options.config = resolve(value());
    else if (flag === '--rotate-secret') options.rotateSecret = true;
    else if (flag === '--skip-build') options.skipBuild = true;
    else if (flag === '--help' || flag === '-h') options.help = true;
    else throw new Error(`unknown option ${flag} (see npm run deploy -- --help)`);
  }
  return options;
}

/** `https://MyBlog.blogspot.com/2026/post.html` → `https://myblog.blogspot.com`; a bare host gets https. */
export function blogOrigin(address: string): string {
  const trimmed = address.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
  } catch {
    throw new Error(`"${address}" is not a web address: give the blog's address, e.g. https://myblog.blogspot.com`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(
      `"${address}" is not an http(s) address: give the blog's address, e.g. https://myblog.blogspot.com`,
    );
  }
  return url.origin;
}

/** A site id from the blog's host, as the Worker accepts them: `www.mekong-notes.com` → `mekong-notes`. */
export function siteIdFor(origin: string): string {
  const labels = new URL(origin).hostname.split('.').filter((label) => label !== 'www');
  const id = (labels[0] ?? 'blog')
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '-')
    .slice(0, 64);
  return /^[a-z0-9]/.test(id) ? id : `site-${id}`.slice(0, 64);
}

type Sites = Record<string, { name?: string; origins: string[]; [setting: string]: unknown }>;

/** `sites` with `origin` added to `siteId`'s origins (a new site if need be); nothing else changes. */
export function mergeSite(sites: Sites, siteId: string, origin: string): Sites {
  const site = sites[siteId] ?? { name: siteId, origins: [] };
  const origins = site.origins.includes(origin) ? site.origins : [...site.origins, origin];
  return { ...sites, [siteId]: { ...site, origins } };
}

type Config = Record<string, unknown> & {
  name?: string;
  vars?: Record<string, unknown>;
  kv_namespaces?: { binding: string; id?: string }[];
};

function readJsonc(path: string): Config {
  const { config, error } = ts.parseConfigFileTextToJson(path, readFileSync(path, 'utf8'));
  if (error) throw new Error(`${path} is not valid JSONC: ${ts.flattenDiagnosticMessageText(error.messageText, ' ')}`);
  return config as Config;
}

function sitesOf(config: Config | null, file: string): Sites {
  const raw = config?.vars?.['SITES'];
  if (raw === undefined) return {};
  if (typeof raw !== 'string') return raw as Sites;
  try {
    return JSON.parse(raw) as Sites;
  } catch {
    throw new Error(`SITES in ${file} is not valid JSON: fix it or delete the line, then run again`);
  }
}

/** The previous deployment's namespace id, if it recorded a real one. */
function recordedNamespaceId(config: Config | null): string | null {
  const id = config?.kv_namespaces?.find((namespace) => namespace.binding === BINDING)?.id;
  return id && !PLACEHOLDER_ID.test(id) ? id : null;
}

/**
 * The deployment's wrangler config: wrangler.jsonc (the code's settings, updated by `git pull`) with this
 * deployment's name, namespace and vars. Paths are rewritten relative to where the file is written.
 */
export function deploymentConfig(
  base: Config,
  previous: Config | null,
  settings: { name: string; namespaceId: string; sites: Sites; defaultSite: string; file: string },
): Config {
  const toWorker = (path: string) => relative(dirname(settings.file), resolve(workerDir, path)) || '.';
  const assets = base['assets'] as { directory: string } | undefined;
  return {
    ...base,
    $schema: toWorker(String(base['$schema'])),
    main: toWorker(String(base['main'])),
    ...(assets ? { assets: { ...assets, directory: toWorker(assets.directory) } } : {}),
    name: settings.name,
    kv_namespaces: (base.kv_namespaces ?? []).map((namespace) =>
      namespace.binding === BINDING ? { ...namespace, id: settings.namespaceId } : namespace,
    ),
    // Vars added by hand to the deployment file (EDIT_WINDOW_SECONDS...) survive; the demo site does not.
    vars: {
      ...base.vars,
      ...previous?.vars,
      SITES: JSON.stringify(settings.sites),
      DEFAULT_SITE: settings.defaultSite,
    },
  };
}

interface Run {
  code: number;
  output: string;
}

/** Runs wrangler (the PATH's, else the project's) in worker/; `echo` shows its output as it comes. */
function wrangler(args: string[], { input, echo = false }: { input?: string; echo?: boolean } = {}): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn('wrangler', args, {
      cwd: workerDir,
      env: { ...process.env, PATH: `${process.env['PATH']}:${resolve(rootDir, 'node_modules/.bin')}` },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (stream: NodeJS.WriteStream) => (chunk: Buffer) => {
      output += chunk.toString();
      if (echo) stream.write(chunk);
    };
    child.stdout.on('data', collect(process.stdout));
    child.stderr.on('data', collect(process.stderr));
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? 1, output }));
    child.stdin.end(input ?? '');
  });
}

async function mustWrangler(args: string[], options: { input?: string; echo?: boolean } = {}): Promise<string> {
  const run = await wrangler(args, options);
  if (run.code !== 0) {
    throw new Error(`\`wrangler ${args.join(' ')}\` failed${options.echo ? '' : `:\n${run.output.trim()}`}`);
  }
  return run.output;
}

/** The JSON value wrangler printed, ignoring any banner lines around it. */
function jsonIn<T>(output: string): T {
  const start = output.search(/^\s*[[{]/m);
  if (start === -1) throw new Error(`wrangler printed no JSON:\n${output}`);
  return JSON.parse(output.slice(start)) as T;
}

async function findOrCreateNamespace(recorded: string | null, title: string): Promise<string> {
  const list = async () => jsonIn<{ id: string; title: string }[]>(await mustWrangler(['kv', 'namespace', 'list']));
  const namespaces = await list();
  if (recorded && namespaces.some((namespace) => namespace.id === recorded)) return recorded;
  const existing = namespaces.find((namespace) => namespace.title === title);
  if (existing) {
    console.log(`[sala] using the KV namespace "${title}" (${existing.id})`);
    return existing.id;
  }
  await mustWrangler(['kv', 'namespace', 'create', title, '--update-config=false']);
  const created = (await list()).find((namespace) => namespace.title === title);
  if (!created) throw new Error(`wrangler created the KV namespace "${title}" but does not list it`);
  console.log(`[sala] created the KV namespace "${title}" (${created.id})`);
  return created.id;
}

/** Names of the secrets the Worker has; none when it has never been deployed. */
async function secretNames(config: string): Promise<Set<string>> {
  const run = await wrangler(['secret', 'list', '--config', config, '--format', 'json']);
  if (run.code !== 0) {
    if (/not found|does not exist/i.test(run.output)) return new Set();
    throw new Error(`\`wrangler secret list\` failed:\n${run.output.trim()}`);
  }
  return new Set(jsonIn<{ name: string }[]>(run.output).map((secret) => secret.name));
}

async function ask(question: string): Promise<string> {
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return (await prompt.question(question)).trim();
  } finally {
    prompt.close();
  }
}

/** Reads a line from the terminal without showing it. */
function askHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  // Echo off before the question shows, so nothing typed after it is ever displayed.
  stdin.setRawMode(true);
  process.stdout.write(question);
  stdin.resume();
  stdin.setEncoding('utf8');
  let value = '';
  return new Promise((done, fail) => {
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stdout.write('\n');
    };
    const onData = (chunk: string) => {
      for (const character of chunk) {
        if (character === '\r' || character === '\n') return (finish(), done(value));
        if (character === '\u0003') return (finish(), fail(new Error('cancelled')));
        if (character === '\u007f' || character === '\b') value = value.slice(0, -1);
        else if (character >= ' ') value += character;
      }
    };
    stdin.on('data', onData);
  });
}

/** Someone at a terminal can answer; output may still go to a pipe (`npm run deploy | tee deploy.log`). */
const interactive = () => Boolean(process.stdin.isTTY);

async function blogAddress(options: DeployOptions, current: string | undefined): Promise<string | null> {
  if (options.blog) return blogOrigin(options.blog);
  if (!interactive()) {
    if (current) return null;
    throw new Error('no blog address: pass --blog https://your.blog (or set SALA_BLOG_URL)');
  }
  for (;;) {
    const answer = await ask(
      current ? `Blog address (Enter keeps ${current}): ` : 'Blog address (e.g. https://myblog.blogspot.com): ',
    );
    if (answer === '' && current) return null;
    try {
      return blogOrigin(answer);
    } catch (error) {
      console.log(`  ${(error as Error).message}`);
    }
  }
}

/** The new admin password, or null to keep the one set. Enter on a first deployment makes one up. */
async function adminPassword(isSet: boolean): Promise<{ password: string; madeUp: boolean } | null> {
  const fromEnv = process.env['SALA_ADMIN_PASSWORD'];
  if (fromEnv) return { password: fromEnv, madeUp: false };
  if (!interactive()) {
    if (isSet) return null;
    throw new Error('no admin password: set SALA_ADMIN_PASSWORD for the first deployment');
  }
  for (;;) {
    const password = await askHidden(
      isSet ? 'New admin password (Enter keeps the current one): ' : 'Admin password for /admin (Enter makes one up): ',
    );
    if (password === '') return isSet ? null : { password: randomBytes(12).toString('base64url'), madeUp: true };
    if (password.length < 10) {
      console.log('  Use at least 10 characters: /admin is on the open internet.');
      continue;
    }
    if ((await askHidden('Again, to be sure: ')) === password) return { password, madeUp: false };
    console.log('  The two did not match; once more.');
  }
}

function build(): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn('npm', ['run', 'build'], { cwd: rootDir, stdio: 'inherit' });
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done() : fail(new Error('the build failed (npm run build)'))));
  });
}

async function main(): Promise<void> {
  const options = deployOptions(process.argv.slice(2), process.env);
  if (options.help) return console.log(HELP);

  const base = readJsonc(resolve(workerDir, 'wrangler.jsonc'));
  const previous = existsSync(options.config) ? readJsonc(options.config) : null;
  const name = options.name ?? previous?.name ?? base.name ?? 'sala';
  let sites = previous ? sitesOf(previous, options.config) : {};
  const previousDefault = previous ? String(previous.vars?.['DEFAULT_SITE'] ?? '') : '';
  const currentOrigin = sites[options.site ?? previousDefault]?.origins[0];

  // The questions first, then the long unattended part.
  const origin = await blogAddress(options, currentOrigin);
  const siteId = options.site ?? (previousDefault || (origin ? siteIdFor(origin) : ''));
  if (origin) sites = mergeSite(sites, siteId, origin);
  const defaultSite = previousDefault || siteId;

  // A namespace id put in wrangler.jsonc by hand (the way to deploy before this script) keeps its data.
  const recorded = recordedNamespaceId(previous) ?? recordedNamespaceId(base);
  const namespaceId = await findOrCreateNamespace(recorded, `${name}-${BINDING}`);
  const config = deploymentConfig(base, previous, { name, namespaceId, sites, defaultSite, file: options.config });
  const header =
    '// This deployment\'s wrangler config, written by `npm run deploy` from wrangler.jsonc (see README "Deploy").\n';
  writeFileSync(options.config, `${header}${JSON.stringify(config, null, 2)}\n`);
  console.log(`[sala] wrote ${relative(rootDir, options.config)}`);

  const secrets = await secretNames(options.config);
  const admin = await adminPassword(secrets.has('ADMIN_PASSWORD'));

  if (!options.skipBuild) await build();
  if (!existsSync(resolve(workerDir, 'public/embed.js'))) throw new Error('worker/public is not built: npm run build');

  if (admin) {
    await mustWrangler(['secret', 'put', 'ADMIN_PASSWORD', '--config', options.config], { input: admin.password });
    console.log('[sala] set ADMIN_PASSWORD');
  }
  if (!secrets.has('SALA_SECRET') || options.rotateSecret) {
    const secret = randomBytes(32).toString('hex');
    await mustWrangler(['secret', 'put', 'SALA_SECRET', '--config', options.config], { input: secret });
    console.log(`[sala] ${secrets.has('SALA_SECRET') ? 'rotated' : 'set'} SALA_SECRET`);
  }

  const deployed = await mustWrangler(['deploy', '--config', options.config], { echo: true });
  const url = /https:\/\/[^\s/]+\.workers\.dev/.exec(deployed)?.[0] ?? `https://${name}.<your-subdomain>.workers.dev`;
  console.log(`
Sala is live at ${url}
  Moderate at ${url}/admin${admin?.madeUp ? ` with the password ${admin.password} (shown once)` : ''}
  Sites: ${Object.entries(sites)
    .map(([id, site]) => `${id} (${site.origins.join(', ')})`)
    .join('; ')}

Paste into your blog's template:
  <script type="module" src="${url}/embed.js"></script>
  <sala-comments></sala-comments>

Comments show at once; popular posts need the first views counted, up to about 50 minutes.
`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`[sala] ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
