/**
 * The Jekyll example (examples/jekyll: the sala.html include and a tiny site using it), built by Jekyll itself: a post
 * gets the script and its thread named by its full address, the home page one count per post naming the same
 * address, a page no thread. Needs `jekyll` (Debian: `apt-get install jekyll`; .ci/run installs it).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, expect } from 'vitest';
import { testWith } from './platform-tool.js';

const test = testWith('jekyll', 'jekyll');

const example = resolve(import.meta.dirname, '../../examples/jekyll');
const SCRIPT = '<script type="module" src="http://127.0.0.1:8787/embed.js"></script>';
const POST = 'https://blog.example/2026/11/20/morning-walk.html';
let site = '';

afterEach(() => rmSync(site, { recursive: true, force: true }));

/** Builds a copy of the example (Jekyll writes a cache beside its source) and returns a reader of its pages. */
function build(override = ''): (path: string) => string {
  site = mkdtempSync(join(tmpdir(), 'sala-jekyll-'));
  cpSync(example, site, { recursive: true });
  // A second config file overrides the example's, as `jekyll build --config a.yml,b.yml` does for a real site.
  const config = join(site, '_test.yml');
  writeFileSync(config, `url: "https://blog.example"\nexclude: [_test.yml]\n${override}`);
  try {
    execFileSync(
      'jekyll',
      [
        'build',
        '--quiet',
        '--source',
        site,
        '--destination',
        join(site, '_site'),
        '--config',
        `${join(site, '_config.yml')},${config}`,
      ],
      {
        stdio: 'pipe',
      },
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error('jekyll is not installed (apt-get install jekyll)');
    }
    throw new Error(String((error as { stderr?: Buffer }).stderr ?? error), { cause: error });
  }
  return (path) => readFileSync(join(site, '_site', path), 'utf8');
}

const all = (html: string, pattern: RegExp) => [...html.matchAll(pattern)].map((match) => match[1]);

/** Every element opened is closed, and nothing else is: a template typo shows as a stray tag. */
function expectBalanced(html: string): void {
  for (const tag of ['sala-comments', 'sala-comment-count', 'sala-popular-posts', 'script']) {
    expect(html.split(`</${tag}>`).length, tag).toBe(html.split(`<${tag}`).length);
  }
}

test('a post gets the script and its thread; the home page counts it under the same address', () => {
  const page = build();
  const post = page('2026/11/20/morning-walk.html');
  expectBalanced(post);
  expect(post.split(SCRIPT).length - 1).toBe(1);
  expect(all(post, /<sala-comments id="comments" page-id="([^"]*)"><\/sala-comments>/g)).toEqual([POST]);

  const home = page('index.html');
  expectBalanced(home);
  expect(home).toContain(SCRIPT);
  expect(home).not.toContain('<sala-comments');
  expect(all(home, /<sala-comment-count href="([^"]*)">/g)).toEqual([POST]);

  const about = page('about.html');
  expect(about).toContain(SCRIPT);
  expect(about).not.toContain('<sala-comments');
});

test('a site under a base path names its posts with it, and what the config holds is escaped', () => {
  const page = build('baseurl: "/notes"\nsala:\n  worker: \'https://sala.example"><b>\'\n');
  const post = page('2026/11/20/morning-walk.html');
  expect(all(post, /page-id="([^"]*)"/g)).toEqual(['https://blog.example/notes/2026/11/20/morning-walk.html']);
  expect(post).toContain('<script type="module" src="https://sala.example&quot;&gt;&lt;b&gt;/embed.js"></script>');
  expect(all(page('index.html'), /<sala-comment-count href="([^"]*)">/g)).toEqual([
    'https://blog.example/notes/2026/11/20/morning-walk.html',
  ]);
});
