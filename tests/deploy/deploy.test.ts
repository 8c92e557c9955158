/**
 * `npm run deploy` against a fake `wrangler` (fake-wrangler/) on PATH: the calls it makes, the deployment file it
 * writes, what it prints, and that running it again changes only what was asked. Needs `npm run build` to have
 * run (it deploys worker/public with --skip-build).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { blogOrigin, mergeSite, siteIdFor } from '../../worker/scripts/deploy.js';
import { NODE_COMPILE_CACHE } from '../support/worker.js';

const root = resolve(import.meta.dirname, '../..');
const fakeBin = resolve(import.meta.dirname, 'fake-wrangler');

interface Call {
  args: string[];
  stdin: string;
  config: string | null;
}

interface DeployConfig {
  name: string;
  main: string;
  assets: { directory: string; binding: string };
  kv_namespaces: { binding: string; id: string }[];
  vars: Record<string, string>;
  triggers: { crons: string[] };
}

describe('npm run deploy', () => {
  let dir: string;
  let configFile: string;

  /** Runs the deploy script as `npm run deploy -- ...args` does, with no terminal, and the calls it made. */
  function deploy(args: string[], env: Record<string, string> = {}) {
    const before = calls().length;
    const run = spawnSync(
      process.execPath,
      [join(root, 'worker/scripts/deploy.ts'), '--config', configFile, '--skip-build', ...args],
      {
        cwd: root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          NODE_COMPILE_CACHE,
          PATH: `${fakeBin}${delimiter}${process.env['PATH']}`,
          FAKE_WRANGLER_DIR: dir,
          ...env,
        },
      },
    );
    return { ...run, calls: calls().slice(before) };
  }

  function calls(): Call[] {
    try {
      return JSON.parse(readFileSync(join(dir, 'calls.json'), 'utf8')) as Call[];
    } catch {
      return [];
    }
  }

  function written(): DeployConfig {
    return ts.parseConfigFileTextToJson(configFile, readFileSync(configFile, 'utf8')).config as DeployConfig;
  }

  const commands = (made: Call[]) => made.map((call) => call.args.filter((arg) => !arg.startsWith('/')).join(' '));

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sala-deploy-'));
    configFile = join(dir, 'wrangler.deploy.jsonc');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a first deployment without a password stops before touching secrets or deploying, and says what to set', () => {
    const run = deploy(['--blog', 'myblog.blogspot.com']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('no admin password: set SALA_ADMIN_PASSWORD');
    expect(commands(run.calls).filter((command) => /secret put|deploy/.test(command))).toEqual([]);
  });

  test('the first run creates the namespace, sets both secrets, writes the site and deploys', () => {
    const run = deploy(['--blog', 'MyBlog.blogspot.com/2026/11/a-post.html'], {
      SALA_ADMIN_PASSWORD: 'correct horse battery',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(commands(run.calls)).toEqual([
      'kv namespace list', // the failed run above already created it: it is found, not created again
      'secret list --config --format json',
      'secret put ADMIN_PASSWORD --config',
      'secret put SALA_SECRET --config',
      'deploy --config',
    ]);
    const [, , putPassword, putSecret, deployCall] = run.calls;
    expect(putPassword!.stdin).toBe('correct horse battery');
    expect(putSecret!.stdin).toMatch(/^[0-9a-f]{64}$/);

    const config = written();
    expect(deployCall!.config).toBe(readFileSync(configFile, 'utf8'));
    expect(config.name).toBe('sala');
    expect(config.kv_namespaces).toEqual([{ binding: 'SALA', id: expect.stringMatching(/^[0-9a-f]{32}$/) }]);
    expect(JSON.parse(config.vars['SITES']!)).toEqual({
      myblog: { name: 'myblog', origins: ['https://myblog.blogspot.com'] },
    });
    expect(config.vars['DEFAULT_SITE']).toBe('myblog');
    // The code's settings come from wrangler.jsonc, with paths that work from where the file is.
    expect(resolve(dir, config.main)).toBe(join(root, 'worker/src/index.ts'));
    expect(resolve(dir, config.assets.directory)).toBe(join(root, 'worker/public'));
    expect(config.triggers.crons).toEqual(['*/10 * * * *']);

    expect(run.stdout).toContain('Sala is live at https://sala.fake-account.workers.dev');
    expect(run.stdout).toContain(
      '<script type="module" src="https://sala.fake-account.workers.dev/embed.js"></script>',
    );
    expect(run.stdout).toContain('<sala-comments></sala-comments>');
  });

  test('running it again keeps the namespace and secrets and adds a second address to the same site', () => {
    const { kv_namespaces: namespaceBefore } = written();
    const run = deploy(['--blog', 'https://www.myblog.com/']);
    expect(run.status).toBe(0);
    expect(commands(run.calls)).toEqual(['kv namespace list', 'secret list --config --format json', 'deploy --config']);
    const config = written();
    expect(config.kv_namespaces).toEqual(namespaceBefore);
    expect(JSON.parse(config.vars['SITES']!)).toEqual({
      myblog: { name: 'myblog', origins: ['https://myblog.blogspot.com', 'https://www.myblog.com'] },
    });

    const again = deploy([]);
    expect(again.status).toBe(0);
    expect(written()).toEqual(config);
  });

  test('--rotate-secret makes a new SALA_SECRET and leaves the password alone', () => {
    const firstSecret = calls().find((call) => call.args.includes('SALA_SECRET'))!.stdin;
    const run = deploy(['--rotate-secret']);
    expect(run.status).toBe(0);
    const puts = run.calls.filter((call) => call.args[1] === 'put');
    expect(puts.map((call) => call.args[2])).toEqual(['SALA_SECRET']);
    expect(puts[0]!.stdin).toMatch(/^[0-9a-f]{64}$/);
    expect(puts[0]!.stdin).not.toBe(firstSecret);
  });
});

test('a blog address becomes its origin and a site id the Worker accepts', () => {
  expect(blogOrigin('  MyBlog.blogspot.com/2026/11/post.html?m=1 ')).toBe('https://myblog.blogspot.com');
  expect(blogOrigin('http://localhost:4000/blog/')).toBe('http://localhost:4000');
  expect(() => blogOrigin('ftp://example.com')).toThrow('not an http(s) address');
  expect(() => blogOrigin('https://')).toThrow('not a web address');
  expect(siteIdFor('https://www.mekong-notes.com')).toBe('mekong-notes');
  expect(siteIdFor('https://xn--l2b.example')).toBe('xn--l2b');
  expect(mergeSite({ a: { origins: ['https://a.com'] } }, 'a', 'https://a.com')).toEqual({
    a: { origins: ['https://a.com'] },
  });
});

// util-linux's `script` gives the deploy script a terminal, as a person running `npm run deploy` has.
test.skipIf(!existsSync('/usr/bin/script'))(
  'at a terminal it asks for the address and the password, and never shows the password typed',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sala-deploy-tty-'));
    const command = `${process.execPath} ${join(root, 'worker/scripts/deploy.ts')} --config ${dir}/d.jsonc --skip-build`;
    const terminal = spawn('/usr/bin/script', ['-qec', command, '/dev/null'], {
      env: {
        ...process.env,
        NODE_COMPILE_CACHE,
        PATH: `${fakeBin}${delimiter}${process.env['PATH']}`,
        FAKE_WRANGLER_DIR: dir,
      },
    });
    let screen = '';
    terminal.stdout.on('data', (chunk: Buffer) => (screen += chunk.toString()));
    const exited = new Promise((done) => terminal.on('exit', done));
    /** Types `keys` once `prompt` has appeared `times` times on the screen. */
    const answer = async (prompt: string, keys: string, times = 1) => {
      await expect.poll(() => screen.split(prompt).length - 1, { timeout: 20_000 }).toBeGreaterThanOrEqual(times);
      terminal.stdin.write(keys);
    };
    try {
      await answer('Blog address', 'mekong-notes.blogspot.com\r');
      await answer('Admin password for /admin', 'short\r');
      await answer('Admin password for /admin', 'a long enough secret\r', 2);
      await answer('Again, to be sure', 'a long enough secret\r');
      await exited;
      expect(screen).toContain('at least 10 characters');
      expect(screen).toContain('Sala is live at https://sala.fake-account.workers.dev');
      expect(screen).not.toContain('long enough secret');
      const calls = JSON.parse(readFileSync(join(dir, 'calls.json'), 'utf8')) as Call[];
      expect(calls.find((call) => call.args.includes('ADMIN_PASSWORD'))?.stdin).toBe('a long enough secret');
      expect(readFileSync(join(dir, 'd.jsonc'), 'utf8')).toContain('https://mekong-notes.blogspot.com');
    } finally {
      terminal.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
