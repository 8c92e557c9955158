/**
 * The WordPress plugin (examples/wordpress/sala/sala.php), run by PHP itself with WordPress's hook system and the
 * few functions it calls stubbed (wordpress-stubs.php): what it prints on a single post and on the home page, in a
 * block theme's lists (Twenty Twenty-Four's home page, tests/fixtures/wordpress-tt4), its shortcode, its settings
 * field. Needs `php` (Debian: `apt-get install php-cli`; .ci/run installs it).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import { testWith } from './platform-tool.js';

const test = testWith('php', 'php-cli');

const root = resolve(import.meta.dirname, '../..');
const PLUGIN = resolve(root, 'examples/wordpress/sala/sala.php');
const STUBS = resolve(import.meta.dirname, 'wordpress-stubs.php');
const WORKER = 'https://sala.example.workers.dev';
/** A post, or with type "wp_block" a synced pattern (status "publish" and no password unless given). */
type Post = {
  type: string;
  permalink: string;
  content?: string;
  meta?: Record<string, string>;
  status?: string;
  password?: string;
};
const POSTS: Record<number, Post> = {
  42: { type: 'post', permalink: 'https://blog.example/2026/11/walk/' },
  41: { type: 'post', permalink: 'https://blog.example/?p=41' },
  7: { type: 'page', permalink: 'https://blog.example/about/' },
};
/** Twenty Twenty-Four's home page as WordPress renders it with the plugin (tests/fixtures/wordpress-tt4/README.md). */
const TT4_HOME = readFileSync(resolve(root, 'tests/fixtures/wordpress-tt4/home.html'), 'utf8');
const TT4_POSTS: Record<number, { type: string; permalink: string }> = {
  42: { type: 'post', permalink: 'https://mekongnotes.example/2026/11/19/central-market/' },
  41: { type: 'post', permalink: 'https://mekongnotes.example/2026/11/18/morning-walk/' },
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
  /** A Post Template's posts: each one's markup, its blocks as [name, html] (see postParts). */
  list?: { id: number; parts: (string | [string, string])[] }[];
  /** The posts by id; meta: each one's post meta as stored. */
  posts?: Record<number, Post>;
  /** A block theme's template for the page, and its template parts' markup by slug. */
  template?: string;
  parts?: Record<string, string>;
  /** Template parts as the Site Editor stored them (wp_template_part posts). */
  savedParts?: { theme: string; slug: string; status: string; content: string }[];
  /** The theme's registered patterns' content, by name ("twentytwentyfour/comments"). */
  patterns?: Record<string, string>;
  /** A Custom HTML block of the template, or with htmlInContent of the post's text (rendered within the_content). */
  html?: string;
  htmlInContent?: boolean;
  /** The theme turns the plugin's thread off: add_filter('sala_thread', '__return_false'). */
  noThread?: boolean;
}

interface Page {
  head: string;
  content: string;
  contents: string[];
  shortcode: string | null;
  saved?: string;
  errors?: string[];
  blocks: string;
  list: string[];
  html: string | null;
  /** The template part and post look-ups made (get_block_template, get_block_templates, get_post). */
  lookups: number;
  /** The registered patterns the plugin read, in order. */
  patterns: string[];
  /** Each post's meta after the page, as the plugin left it. */
  meta: Record<number, Record<string, string>>;
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

/** Each post of the page's Post Template (its <li>): its id and its markup, as the plugin leaves it. */
function postTemplate(page: string): { id: number; html: string }[] {
  return [...page.matchAll(/<li class="wp-block-post post-(\d+)[^"]*">(.*?)<\/li>/gs)].map((item) => ({
    id: Number(item[1]),
    html: item[2]!,
  }));
}

const COUNT = /<sala-comment-count[^>]*><\/sala-comment-count>/g;
const POST_BLOCKS: [string, RegExp][] = [
  ['core/post-featured-image', /<figure [^>]*class="wp-block-post-featured-image">.*?<\/figure>/s],
  ['core/post-title', /<h2 class="wp-block-post-title[^"]*">.*?<\/h2>/s],
  ['core/post-date', /<div class="wp-block-post-date">.*?<\/div>/s],
  ['core/post-excerpt', /<div class="wp-block-post-excerpt[^"]*">.*?<\/div>/s],
];

/**
 * A post's markup as WordPress renders it before the plugin (its counts taken out), cut into its Featured Image,
 * Title, Date and Excerpt blocks and the markup between them; the blocks named in `without` are left out, as a Post Template
 * without them renders. A post without a featured image has its Featured Image block all the same, which renders ''.
 */
function postParts(html: string, without: string[] = []): (string | [string, string])[] {
  const parts: (string | [string, string])[] = POST_BLOCKS[0]![1].test(html) ? [] : [['core/post-featured-image', '']];
  let rest = html.replace(COUNT, '');
  for (;;) {
    const next = POST_BLOCKS.map(([name, pattern]) => [name, pattern.exec(rest)] as const)
      .filter(([, found]) => found)
      .sort(([, a], [, b]) => a!.index - b!.index)[0];
    if (!next) return [...parts, rest];
    const [name, found] = next;
    parts.push(rest.slice(0, found!.index));
    if (!without.includes(name)) parts.push([name, found![0]]);
    rest = rest.slice(found!.index + found![0].length);
  }
}

/** A Custom HTML block with a thread, as a synced pattern or a template part holds it. */
const SYNCED_HTML = '<!-- wp:html -->\n<sala-comments sort="newest"></sala-comments>\n<!-- /wp:html -->';

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
    // A synced pattern of the blog's (Patterns → "Comments", a Custom HTML block), named by the post's text.
    posts: { ...POSTS, 90: { type: 'wp_block', permalink: '', content: SYNCED_HTML } },
    contents: [
      '<p>The post.</p><sala-comments page-id="https://blog.example/2026/11/walk/"></sala-comments>',
      '<SALA-COMMENTS sort="newest" id="talk"></SALA-COMMENTS><p>More.</p>',
      own,
      '<sala-comments-list></sala-comments-list>',
      '<p>The post.</p>\n<!-- wp:block {"ref":90} /-->',
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
    // The synced pattern's thread: WordPress renders the text's blocks (do_blocks) before the plugin reads it.
    '<p>The post.</p>\n\n<sala-comments id="comments" sort="newest"></sala-comments>\n',
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

test('Twenty Twenty-Four’s home page gets each post’s count after its title, and a Post Template without a Title block after the date, else the excerpt, else at the end', () => {
  const items = postTemplate(TT4_HOME);
  expect(items.map(({ id }) => id)).toEqual([42, 41]);
  // Four Post Templates' lists of the page's posts, one PHP run for all: Twenty Twenty-Four's, then without its Title
  // block, without its Date block too, and with its Featured Image block only.
  const templates = [
    [],
    ['core/post-title'],
    ['core/post-title', 'core/post-date'],
    ['core/post-title', 'core/post-date', 'core/post-excerpt'],
  ];
  const lists = templates.flatMap((without) => items.map(({ id, html }) => ({ id, parts: postParts(html, without) })));
  // Then a page in a list, and an item of a list that is no post's (a list of terms renders "core/null" too).
  const others: Scenario['list'] = [
    { id: 7, parts: ['<figure></figure>', ['core/post-excerpt', '<div class="wp-block-post-excerpt"></div>']] },
    { id: 42, parts: ['<a href="/category/food/">Food</a>'] },
  ];
  const posts = { ...TT4_POSTS, 7: POSTS[7]! };
  const home = wordpress({ option: WORKER, view: 'home', posts, list: [...lists, ...others] }).list;
  const template = (index: number) => home.slice(index * 2, index * 2 + 2);
  const [tt4, withoutTitle, withoutDate, bare] = [template(0), template(1), template(2), template(3)];

  // The page as WordPress sends it with the plugin: one count per post, just after its Title block.
  expect(tt4).toEqual(items.map(({ html }) => html));
  // The featured image, the date and the excerpt: after the date, once.
  const count = (id: number) => `<sala-comment-count href="${TT4_POSTS[id]!.permalink}"></sala-comment-count>`;
  expect(withoutTitle).toEqual(
    items.map(({ id, html }) =>
      html
        .replace(POST_BLOCKS[1]![1], '')
        .replace(COUNT, '')
        .replace(POST_BLOCKS[2]![1], (date) => date + count(id)),
    ),
  );
  expect(withoutTitle[0]).toMatch(
    /<\/time><\/div><sala-comment-count href="[^"]+central-market\/"><\/sala-comment-count>\n/,
  );
  // No date either: after the excerpt; nothing but the featured image: at the end of the post's <li>.
  expect(
    withoutDate.map((html) => html.match(/<\/p><\/div>(<sala-comment-count[^>]*><\/sala-comment-count>)/)?.[1]),
  ).toEqual([count(42), count(41)]);
  expect(bare.map((html) => html.slice(html.search(COUNT)))).toEqual([count(42), count(41)]);
  expect(home.slice(8)).toEqual([
    '<figure></figure><div class="wp-block-post-excerpt"></div>',
    '<a href="/category/food/">Food</a>',
  ]);
  // A single post's sidebar listing it among others: its own entry gets none, whichever block would carry it.
  const single = wordpress({ option: WORKER, view: 'single', queried: 42, posts, list: lists }).list;
  expect(single.map((html) => html.match(COUNT)?.length ?? 0)).toEqual([0, 1, 0, 1, 0, 1, 0, 1]);
});

test('a list’s count counts the thread pasted into the post when that one has a page-id of its own, else the one its template showed', () => {
  const pasted = (attributes: string) =>
    `<p>Text.</p>\n<!-- wp:html -->\n<sala-comments ${attributes}></sala-comments>`;
  const posts = {
    42: { ...POSTS[42]!, content: pasted(`sort="newest" page-id='old-blog/walk.html?a=1&amp;b=2'`) },
    41: { ...POSTS[41]!, content: pasted(`page-id="${POSTS[41]!.permalink}"`) },
  };
  const date: [string, string] = ['core/post-date', '<div class="wp-block-post-date"></div>'];
  const { list } = wordpress({
    option: WORKER,
    view: 'home',
    posts,
    list: [
      { id: 42, parts: [date] },
      { id: 41, parts: [date] },
    ],
  });
  const { blocks } = wordpress({ option: WORKER, view: 'home', posts, titles: [42] });
  const count = `<sala-comment-count href="${POSTS[42]!.permalink}" page-id="old-blog/walk.html?a=1&amp;b=2"></sala-comment-count>`;
  expect(list).toEqual([
    `<div class="wp-block-post-date"></div>${count}`,
    // Its page-id is its permalink: the count as any other.
    `<div class="wp-block-post-date"></div><sala-comment-count href="${POSTS[41]!.permalink}"></sala-comment-count>`,
  ]);
  expect(afterTitles(blocks)).toEqual([count]);

  // A thread in a synced pattern the post's text names (the same one on every post, with a page-id: a guestbook, say),
  // in a pattern within it, or in a theme's pattern: counted under its page-id, one get_post for the whole list.
  // A draft of a synced pattern, one with a password, or a post named as one shows nothing: the permalink's count.
  const guestbook = '<!-- wp:html --><sala-comments page-id="guestbook"></sala-comments><!-- /wp:html -->';
  const ref = (id: number) => `<p>Text.</p>\n<!-- wp:block {"ref":${id}} /-->`;
  const permalink = (id: number) => `https://blog.example/?p=${id}`;
  const named: Record<number, Post> = {
    90: { type: 'wp_block', permalink: '', content: `<!-- wp:block {"ref":90} /--><!-- wp:block {"ref":91} /-->` },
    91: { type: 'wp_block', permalink: '', content: guestbook },
    92: { type: 'wp_block', permalink: '', content: guestbook, status: 'draft' },
    93: { type: 'wp_block', permalink: '', content: guestbook, password: 'friends' },
    94: { type: 'post', permalink: permalink(94), content: guestbook },
  };
  const texts: Record<number, string> = {
    30: ref(90),
    31: ref(91),
    32: '<!-- wp:pattern {"slug":"twentytwentyfour/guestbook"} /-->',
    33: ref(92),
    34: ref(93),
    35: ref(94),
  };
  for (const [id, content] of Object.entries(texts))
    named[Number(id)] = { type: 'post', permalink: permalink(Number(id)), content };
  const shared = wordpress({
    option: WORKER,
    view: 'home',
    posts: named,
    patterns: { 'twentytwentyfour/guestbook': guestbook },
    list: Object.keys(texts).map((id) => ({ id: Number(id), parts: [date] })),
  });
  const guestCount = (id: number, pageId = '') =>
    `<div class="wp-block-post-date"></div><sala-comment-count href="${permalink(id)}"${pageId}></sala-comment-count>`;
  expect(shared.list).toEqual([
    ...[30, 31, 32].map((id) => guestCount(id, ' page-id="guestbook"')),
    ...[33, 34, 35].map((id) => guestCount(id)),
  ]);
  expect(shared.lookups).toBe(5);

  // A thread in the post's template with a page-id of its own (a template for this post alone, say): the post's page
  // keeps it with the post, for the lists, which read no templates.
  const html = (attributes: string) => `<!-- wp:html --><sala-comments${attributes}></sala-comments><!-- /wp:html -->`;
  const template = `<!-- wp:post-content /-->\n${html(' page-id="old-blog/walk.html?tag=a\\b"')}`;
  const shown = wordpress({ option: WORKER, view: 'single', queried: 42, template }).meta[42]!;
  const meta = { _sala_page_id: 'old-blog/walk.html?tag=a\\b' };
  expect(shown).toEqual(meta);
  // Or in a synced pattern the template names.
  const synced = `<!-- wp:post-content /-->\n<!-- wp:block {"ref":91} /-->`;
  const posts91 = { ...POSTS, 91: named[91]! };
  expect(wordpress({ option: WORKER, view: 'single', queried: 42, posts: posts91, template: synced }).meta[42]).toEqual(
    {
      _sala_page_id: 'guestbook',
    },
  );
  const kept = { 42: { ...POSTS[42]!, meta }, 41: posts[41] };
  expect(wordpress({ option: WORKER, view: 'home', posts: kept, list: [{ id: 42, parts: [date] }] }).list).toEqual([
    `<div class="wp-block-post-date"></div><sala-comment-count href="${POSTS[42]!.permalink}" page-id="old-blog/walk.html?tag=a\\b"></sala-comment-count>`,
  ]);
  // The text's own thread comes first.
  expect(
    wordpress({ option: WORKER, view: 'home', posts: { ...kept, 42: { ...posts[42], meta } }, titles: [42] }).blocks,
  ).toContain(count);
  // The template's thread named by the permalink, without a page-id, or gone: the post keeps none.
  for (const other of [html(` page-id="${POSTS[42]!.permalink}"`), html(''), '<!-- wp:post-content /-->']) {
    expect(wordpress({ option: WORKER, view: 'single', queried: 42, posts: kept, template: other }).meta[42]).toEqual(
      {},
    );
  }
});

test('a thread in the block theme’s template, one of its parts or a part within a part, or a synced or theme pattern in them, shows instead of the plugin’s and takes #comments; a classic theme turns the plugin’s off', () => {
  const THREAD = '<sala-comments id="comments" page-id="https://blog.example/2026/11/walk/"></sala-comments>';
  const page = (scenario: Partial<Scenario>) => wordpress({ option: WORKER, view: 'single', ...scenario });
  const single = (scenario: Partial<Scenario>) => page(scenario).content;
  const part = (attributes: string) => `<!-- wp:template-part ${attributes} /-->`;
  const parts = {
    header: '<!-- wp:site-title /-->',
    'post-meta': '<!-- wp:post-date /-->',
    footer: '<!-- wp:paragraph --><p>Footer</p><!-- /wp:paragraph -->',
  };
  // Twenty Twenty-Four's single template as WordPress 6.4+ hands it over (the active theme's name added to each part):
  // three parts, and its Comments block, which renders nothing when comments are closed.
  const template = [
    part('{"slug":"header","tagName":"header","theme":"twentytwentyfour"}'),
    '<!-- wp:post-title {"level":1} /-->',
    part('{"slug":"post-meta","theme":"twentytwentyfour"}'),
    '<!-- wp:post-content /-->',
    '<!-- wp:pattern {"slug":"twentytwentyfour/comments"} /-->',
    part('{"slug":"footer","area":"footer","tagName":"footer","theme":"twentytwentyfour"}'),
  ].join('\n');
  // The theme's comments pattern (patterns/comments.php), registered by the theme: WordPress's Comments block.
  const patterns = {
    'twentytwentyfour/comments':
      '<!-- wp:comments {"className":"wp-block-comments-query-loop"} -->\n<div class="wp-block-comments wp-block-comments-query-loop"><!-- wp:comments-title /--><!-- wp:comment-template /--><!-- wp:post-comments-form /--></div>\n<!-- /wp:comments -->',
  };
  // The post's text run through the_content again in the same request (an SEO plugin's description, say).
  const tt4 = page({ template, parts, patterns, contents: ['<p>The post.</p>'] });
  expect(tt4.content).toBe(`<p>The post.</p>${THREAD}`);
  expect(tt4.contents).toEqual([`<p>The post.</p>${THREAD}`]);
  // Its three parts are read in one look-up, its pattern from the registry (in memory), once a request.
  expect(tt4.lookups).toBe(1);
  expect(tt4.patterns).toEqual(['twentytwentyfour/comments']);
  // A Custom HTML block in the template in place of the Comments block, or in a template part.
  const html = '<!-- wp:html -->\n<SALA-COMMENTS sort="newest"></SALA-COMMENTS>\n<!-- /wp:html -->';
  expect(
    single({ template: template.replace('<!-- wp:pattern {"slug":"twentytwentyfour/comments"} /-->', html), parts }),
  ).toBe('<p>The post.</p>');
  expect(single({ template, parts: { ...parts, footer: html } })).toBe('<p>The post.</p>');
  // In a part the footer names (written by hand: "core/", its attributes on two lines), the footer and header both
  // naming a part that names itself: each part is read once, two look-ups in all.
  const nested = {
    ...parts,
    header: `${parts.header}${part('{"slug":"social"}')}`,
    footer: `${part('{"slug":"social"}')}<!-- wp:core/template-part {\n"slug":"comments"} /-->`,
    social: part('{"slug":"social"}'),
    comments: html,
  };
  const inner = page({ template, parts: nested });
  expect(inner.content).toBe('<p>The post.</p>');
  expect(inner.lookups).toBe(2);
  expect(single({ template, parts: { ...nested, comments: '' } })).toBe(`<p>The post.</p>${THREAD}`);
  // In a synced pattern (Patterns → "Comments", the same Custom HTML on every post) in place of the theme's pattern,
  // or one a theme's pattern in the footer names, through another synced pattern; patterns naming themselves or each
  // other: each read once, the parts in one look-up, each synced pattern in one more.
  const ref = (id: number) => `<!-- wp:block {"ref":${id}} /-->`;
  const COMMENTS = '<!-- wp:pattern {"slug":"twentytwentyfour/comments"} /-->';
  const footer = '<!-- wp:pattern {"slug":"twentytwentyfour/footer"} /-->';
  const synced = (post: Partial<Post>) => ({
    ...POSTS,
    90: { type: 'wp_block', permalink: '', content: SYNCED_HTML, ...post },
  });
  const withSynced = page({ template: template.replace(COMMENTS, ref(90)), parts, posts: synced({}) });
  expect(withSynced.content).toBe('<p>The post.</p>');
  expect(withSynced.lookups).toBe(2);
  const inFooter = page({
    template,
    parts: { ...parts, footer },
    patterns: {
      ...patterns,
      'twentytwentyfour/footer': `${footer}<!-- wp:group --><div class="wp-block-group">${ref(91)}</div><!-- /wp:group -->`,
    },
    posts: { ...synced({}), 91: { type: 'wp_block', permalink: '', content: `${ref(91)}${COMMENTS}${ref(90)}` } },
    contents: ['<p>The post.</p>'],
  });
  expect([inFooter.content, ...inFooter.contents]).toEqual(['<p>The post.</p>', '<p>The post.</p>']);
  expect(inFooter.patterns).toEqual(['twentytwentyfour/comments', 'twentytwentyfour/footer']);
  expect(inFooter.lookups).toBe(3);
  // A synced pattern the Pattern block would not show (a draft, one with a password, a post that is no pattern) and a
  // pattern no theme or plugin registered: the plugin's thread.
  for (const post of [{ status: 'draft' }, { password: 'friends' }, { type: 'post' }]) {
    expect(single({ template: template.replace(COMMENTS, ref(90)), parts, posts: synced(post) })).toBe(
      `<p>The post.</p>${THREAD}`,
    );
  }
  expect(single({ template, parts: { ...parts, footer }, patterns })).toBe(`<p>The post.</p>${THREAD}`);
  // Parts the Template Part block would not show: a draft or trashed edit of the footer (the theme's footer shows),
  // another theme's footer.
  const saved = (theme: string, status: string) => ({ theme, slug: 'footer', status, content: html });
  for (const savedParts of [[saved('twentytwentyfour', 'draft')], [saved('twentytwentyfour', 'trash')]]) {
    expect(single({ template, parts, savedParts })).toBe(`<p>The post.</p>${THREAD}`);
  }
  const other = template.replace('"footer","theme":"twentytwentyfour"', '"footer","theme":"twentytwentythree"');
  expect(single({ template: other, parts, savedParts: [saved('twentytwentythree', 'publish')] })).toBe(
    `<p>The post.</p>${THREAD}`,
  );
  // The footer edited in the Site Editor and published shows, and its thread with it.
  expect(single({ template, parts, savedParts: [saved('twentytwentyfour', 'publish')] })).toBe('<p>The post.</p>');
  // A classic theme's single.php has one: its functions.php turns the plugin's off.
  expect(single({ noThread: true })).toBe('<p>The post.</p>');
  // The template's thread takes the #comments the count links end in, on a single post only.
  expect(
    wordpress({ option: WORKER, view: 'single', html: '<sala-comments sort="newest"></sala-comments>' }).html,
  ).toBe('<sala-comments id="comments" sort="newest"></sala-comments>');
  expect(wordpress({ option: WORKER, view: 'home', html: '<sala-comments></sala-comments>' }).html).toBe(
    '<sala-comments></sala-comments>',
  );
  // In the post's text, the_content anchors it, seeing the whole text: here a heading of the post has the id.
  const own = '<h2 id="comments">Talk</h2>';
  expect(
    wordpress({
      option: WORKER,
      view: 'single',
      content: own,
      html: '<sala-comments></sala-comments>',
      htmlInContent: true,
    }).content,
  ).toBe(`${own}<sala-comments></sala-comments>`);
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
