/**
 * The WordPress plugin (examples/wordpress/sala/sala.php), run by PHP itself with WordPress's hook system and the
 * few functions it calls stubbed (wordpress-stubs.php): what it prints on a single post and on the home page, after
 * the Title blocks of a block theme's lists, its shortcode, its settings field. Needs `php` (Debian: `apt-get
 * install php-cli`; .ci/run installs it).
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
const POSTS = {
  42: { type: 'post', permalink: 'https://blog.example/2026/11/walk/' },
  41: { type: 'post', permalink: 'https://blog.example/?p=41' },
  7: { type: 'page', permalink: 'https://blog.example/about/' },
};

interface Scenario {
  option: string;
  view: 'single' | 'home';
  permalink?: string;
  content?: string;
  /** More posts' texts, each through the_content as `content` is: one PHP run for several. */
  contents?: string[];
  shortcode?: Record<string, string>;
  save?: string;
  /** The posts whose Title and Date blocks a block theme renders, in a Query Loop or as a single post's own. */
  titles?: number[];
  /** The post a single page shows. */
  queried?: number;
}

interface Page {
  head: string;
  content: string;
  contents: string[];
  shortcode: string | null;
  saved?: string;
  errors?: string[];
  blocks: string;
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
  const full = {
    permalink: 'https://blog.example/2026/11/walk/',
    content: '<p>The post.</p>',
    posts: POSTS,
    ...scenario,
  };
  return JSON.parse(php([STUBS, PLUGIN, JSON.stringify(full)])) as Page;
}

/** What the plugin put between each post's title and its date, in a block theme's list. */
function afterTitles(blocks: string): string[] {
  return [...blocks.matchAll(/<\/h2>(.*?)<div class="wp-block-post-date">/g)].map((match) => match[1]!);
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
  const own = '<h2 id=comments>Talk</h2><sala-comments></sala-comments>';
  const { contents } = wordpress({
    option: WORKER,
    view: 'single',
    contents: [
      '<p>The post.</p><sala-comments page-id="https://blog.example/2026/11/walk/"></sala-comments>',
      '<SALA-COMMENTS sort="newest" id="talk"></SALA-COMMENTS><p>More.</p>',
      own,
      '<sala-comments-list></sala-comments-list>',
    ],
  });
  expect(contents).toEqual([
    // Its page-id is no id: it takes the plugin's.
    '<p>The post.</p><sala-comments id="comments" page-id="https://blog.example/2026/11/walk/"></sala-comments>',
    // An id of its own stays, for the links that name it: an empty anchor before it answers #comments.
    '<span id="comments"></span><SALA-COMMENTS sort="newest" id="talk"></SALA-COMMENTS><p>More.</p>',
    // The post has a #comments already: nothing moves.
    own,
    // An element whose name starts the same is no thread: the plugin's comes.
    '<sala-comments-list></sala-comments-list><sala-comments id="comments" page-id="https://blog.example/2026/11/walk/"></sala-comments>',
  ]);
});

test('the home page gets the script for the popular posts, and its posts no thread', () => {
  const page = wordpress({ option: WORKER, view: 'home' });
  expect(page.head).toBe(SCRIPT);
  expect(page.content).toBe('<p>The post.</p>');
});

test('a block theme’s lists get each post’s comment count after its title; a single post’s own title and pages none', () => {
  // Home, an archive or search results (a page among them): a Query Loop's Post Template.
  const home = wordpress({ option: WORKER, view: 'home', titles: [42, 7, 41] });
  expect(afterTitles(home.blocks)).toEqual([
    '<sala-comment-count href="https://blog.example/2026/11/walk/"></sala-comment-count>',
    '',
    '<sala-comment-count href="https://blog.example/?p=41"></sala-comment-count>',
  ]);
  // A single post's own title, where its thread is, then a sidebar's Query Loop of other posts.
  const single = wordpress({ option: WORKER, view: 'single', queried: 42, titles: [42, 41] });
  expect(afterTitles(single.blocks)).toEqual([
    '',
    '<sala-comment-count href="https://blog.example/?p=41"></sala-comment-count>',
  ]);
});

test('before the Worker address is set, the plugin adds nothing to any page', () => {
  for (const view of ['single', 'home'] as const) {
    const page = wordpress({ option: '', view, titles: [42, 41] });
    expect(page).toMatchObject({ head: '', content: '<p>The post.</p>' });
    expect(afterTitles(page.blocks)).toEqual(['', '']);
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
