/**
 * The Hugo example (examples/hugo: the sala.html partial and a tiny site calling it), built by Hugo itself: posts get
 * the script and their thread named by their permalink, the home page the script and one count per post naming the
 * same permalinks, other pages no thread. Needs `hugo` (Debian: `apt-get install hugo`; .ci/run installs it).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, expect } from 'vitest';
import { testWith } from './platform-tool.js';

const test = testWith('hugo', 'hugo');

const example = resolve(import.meta.dirname, '../../examples/hugo');
const BASE = 'https://blog.example/';
const SCRIPT = '<script type="module" src="http://127.0.0.1:8787/embed.js"></script>';
let site = '';

afterEach(() => rmSync(site, { recursive: true, force: true }));

/** Builds a copy of the example (Hugo writes caches beside its source) and returns a reader of its pages. */
function build(config: (toml: string) => string = (toml) => toml): (path: string) => string {
  site = mkdtempSync(join(tmpdir(), 'sala-hugo-'));
  cpSync(example, site, { recursive: true });
  writeFileSync(join(site, 'hugo.toml'), config(readFileSync(join(site, 'hugo.toml'), 'utf8')));
  try {
    execFileSync('hugo', ['--quiet', '--source', site, '--destination', join(site, 'public'), '--baseURL', BASE]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error('hugo is not installed (apt-get install hugo)');
    throw error;
  }
  return (path) => readFileSync(join(site, 'public', path, 'index.html'), 'utf8');
}

const all = (html: string, pattern: RegExp) => [...html.matchAll(pattern)].map((match) => match[1]);

/** Every Sala element opened is closed, and nothing else is: a template typo shows as a stray tag. */
function expectBalanced(html: string): void {
  for (const tag of ['sala-comments', 'sala-comment-count', 'sala-popular-posts', 'script']) {
    expect(html.split(`</${tag}>`).length, tag).toBe(html.split(`<${tag}`).length);
  }
}

test('a post gets the script and its thread; the home page counts each post under the same id', () => {
  const page = build();
  const threads: string[] = [];
  for (const slug of ['morning-walk', 'night-market']) {
    const post = page(`posts/${slug}`);
    expectBalanced(post);
    expect(post.split(SCRIPT).length - 1).toBe(1);
    expect(all(post, /<sala-comments id="comments" page-id="([^"]*)"><\/sala-comments>/g)).toEqual([
      `${BASE}posts/${slug}/`,
    ]);
    threads.push(`${BASE}posts/${slug}/`);
  }

  const home = page('');
  expectBalanced(home);
  expect(home).toContain(SCRIPT);
  expect(home).not.toContain('<sala-comments');
  expect(all(home, /<sala-comment-count href="([^"]*)">/g).sort()).toEqual(threads);

  const about = page('about');
  expect(about).toContain(SCRIPT);
  expect(about).not.toContain('<sala-comments');
});

test('a site whose posts live in another section names it, and Hugo escapes what the config holds', () => {
  const page = build((toml) =>
    toml
      .replace("worker = 'http://127.0.0.1:8787'", "worker = 'javascript:alert(1)//'")
      .replace("sections = ['posts']", "sections = ['notes']"),
  );
  const post = page('posts/morning-walk');
  expect(post).not.toContain('<sala-comments');
  expect(post).not.toContain('javascript:');
  expect(post).toContain('<script type="module" src="#ZgotmplZ/embed.js"></script>');
});
