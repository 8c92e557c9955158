/**
 * The WordPress plugin (examples/wordpress/sala/sala.php), run by PHP itself with WordPress's hook system and the
 * few functions it calls stubbed (wordpress-stubs.php): what it prints on a single post and on the home page, its
 * shortcode, its settings field. Needs `php` (Debian: `apt-get install php-cli`; .ci/run installs it).
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import { testWith } from './platform-tool.js';

const test = testWith('php', 'php-cli');

const root = resolve(import.meta.dirname, '../..');
const PLUGIN = resolve(root, 'examples/wordpress/sala/sala.php');
const STUBS = resolve(import.meta.dirname, 'wordpress-stubs.php');
const WORKER = 'https://sala.example.workers.dev';

interface Scenario {
  option: string;
  view: 'single' | 'home';
  permalink?: string;
  content?: string;
  shortcode?: Record<string, string>;
  save?: string;
}

interface Page {
  head: string;
  content: string;
  shortcode: string | null;
  saved?: string;
  errors?: string[];
}

function php(args: string[]): string {
  try {
    return execFileSync('php', args, { encoding: 'utf8' });
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'php is not installed (apt-get install php-cli)' : '';
    throw new Error(reason || String((error as { stdout?: string }).stdout ?? error), { cause: error });
  }
}

function wordpress(scenario: Scenario): Page {
  const full = { permalink: 'https://blog.example/2026/11/walk/', content: '<p>The post.</p>', ...scenario };
  return JSON.parse(php([STUBS, PLUGIN, JSON.stringify(full)])) as Page;
}

const SCRIPT = `<script type="module" src="${WORKER}/embed.js" id="sala-embed-js"></script>\n`;

test('PHP parses the plugin', () => {
  expect(php(['-l', PLUGIN])).toContain('No syntax errors');
});

test('a single post gets the module script and, after its text, its thread named by its permalink', () => {
  const page = wordpress({ option: WORKER, view: 'single', permalink: 'https://blog.example/2026/11/"walk"/' });
  expect(page.head).toBe(SCRIPT);
  expect(page.content).toBe(
    '<p>The post.</p><sala-comments id="comments" page-id="https://blog.example/2026/11/&quot;walk&quot;/"></sala-comments>',
  );
});

test('a thread pasted into the post shows instead of the plugin’s, and the count links’ #comments lead to it', () => {
  const single = (content: string) => wordpress({ option: WORKER, view: 'single', content }).content;
  // Its page-id is no id: it takes the plugin's.
  expect(single('<p>The post.</p><sala-comments page-id="https://blog.example/2026/11/walk/"></sala-comments>')).toBe(
    '<p>The post.</p><sala-comments id="comments" page-id="https://blog.example/2026/11/walk/"></sala-comments>',
  );
  // An id of its own stays, for the links that name it: an empty anchor before it answers #comments.
  expect(single('<SALA-COMMENTS sort="newest" id="talk"></SALA-COMMENTS><p>More.</p>')).toBe(
    '<span id="comments"></span><SALA-COMMENTS sort="newest" id="talk"></SALA-COMMENTS><p>More.</p>',
  );
  // The post has a #comments already: nothing moves.
  const own = '<h2 id=comments>Talk</h2><sala-comments></sala-comments>';
  expect(single(own)).toBe(own);
  // Other elements whose names start the same are no thread.
  expect(single('<sala-comments-list></sala-comments-list>')).toContain('<sala-comments id="comments" page-id=');
});

test('the home page gets the script for the popular posts, and its posts no thread', () => {
  const page = wordpress({ option: WORKER, view: 'home' });
  expect(page.head).toBe(SCRIPT);
  expect(page.content).toBe('<p>The post.</p>');
});

test('before the Worker address is set, the plugin adds nothing to any page', () => {
  for (const view of ['single', 'home'] as const) {
    expect(wordpress({ option: '', view })).toMatchObject({ head: '', content: '<p>The post.</p>' });
  }
});

test('[sala_popular_posts] keeps the attributes and the words without a value Sala knows, escaped, and drops the rest', () => {
  const page = wordpress({
    option: WORKER,
    view: 'home',
    shortcode: { range: '30d', limit: '3', label: 'Food "& drink"', onclick: 'alert(1)' },
  });
  expect(page.shortcode).toBe(
    '<sala-popular-posts range="30d" limit="3" label="Food &quot;&amp; drink&quot;"></sala-popular-posts>',
  );
  expect(wordpress({ option: WORKER, view: 'home', shortcode: {} }).shortcode).toBe(
    '<sala-popular-posts></sala-popular-posts>',
  );
  // [sala_popular_posts limit="3" No-Thumbnails no-snippets autoplay]: WordPress numbers the words without a value.
  const words = { 0: 'No-Thumbnails', limit: '3', 1: 'no-snippets', 2: 'autoplay' };
  expect(wordpress({ option: WORKER, view: 'single', shortcode: words }).shortcode).toBe(
    '<sala-popular-posts limit="3" no-thumbnails no-snippets></sala-popular-posts>',
  );
});

test('the settings keep the Worker’s origin only, and refuse what is not a web address', () => {
  expect(
    wordpress({ option: '', view: 'home', save: ' https://sala.example.workers.dev:8443/embed.js?x=1 ' }),
  ).toMatchObject({
    saved: 'https://sala.example.workers.dev:8443',
    errors: [],
  });
  expect(wordpress({ option: WORKER, view: 'home', save: 'javascript:alert(1)' })).toMatchObject({
    saved: WORKER,
    errors: ['The Worker address must start with https://.'],
  });
});
