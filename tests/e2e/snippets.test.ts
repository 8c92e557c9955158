/**
 * End to end: the snippets README.md gives bloggers, pasted as they are (only YOUR-WORKER replaced) into pages
 * shaped like the ones their platform serves, on the blog's own origin, against the real Worker in Chromium.
 *
 * - Blogger's HTML/JavaScript gadget (examples/blogger-theme/gadget.html) is on every page: the home and label pages
 *   show the popular posts and neither start a thread nor count a view; each post gets its thread under the post.
 * - The plain HTML pages (examples/html/): the post's thread and the home page's count agree on the page id.
 * - Ghost's code injection (examples/ghost/code-injection-*.html): a thread under a post, none on the home page.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { normalizePageId } from '@sala/protocol';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { fireCron } from '../../worker/scripts/dev-cron.js';
import { launchChromium, pastViewTime } from '../support/browser.js';
import { startWorker, type RunningWorker } from '../support/worker.js';

const root = resolve(import.meta.dirname, '../..');
const PLACEHOLDER = 'https://YOUR-WORKER.workers.dev';
const eventually = { timeout: 20_000, interval: 500 };

interface BlogPost {
  path: string;
  title: string;
  text: string;
  /** Blogger shows its own comments unless the blogger hid them (Settings → Comments → Comment location). */
  bloggerComments: boolean;
}

const POSTS = {
  ferry: {
    path: '/2026/11/mekong-ferry.html',
    title: 'Crossing the Mekong by ferry',
    text: 'The ferry to Koh Dach leaves when it is full, not when the timetable says.',
    bloggerComments: false,
  },
  noodles: {
    path: '/2026/10/noodle-stall.html',
    title: 'The noodle stall under the tamarind tree',
    text: 'Num banh chok, green curry and a plate of herbs, before seven in the morning.',
    bloggerComments: true,
  },
} satisfies Record<string, BlogPost>;

let worker: RunningWorker;
let browser: Browser;
let blog: Server;
let blogOrigin: string;
const readers: BrowserContext[] = [];

/** An example file as a blogger pastes it, pointing at this test's Worker. */
function pasted(path: string): string {
  const snippet = readFileSync(resolve(root, path), 'utf8');
  if (!snippet.includes(PLACEHOLDER)) throw new Error(`${path} no longer says ${PLACEHOLDER}`);
  return snippet.replaceAll(PLACEHOLDER, worker.origin);
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&#39;');
}

/** The post as Blogger's Contempo theme renders it in a list or on its own page. */
function renderPost(post: BlogPost, single: boolean): string {
  const title = escapeHtml(post.title);
  const comments = `<section class='comments threaded' id='comments'><h3 class='title'>Comments</h3>
    <div class='comments-content'><p>No comments yet.</p></div></section>`;
  return `<article class='post-outer-container'><div class='post-outer'><div class='post hentry'>
    <h3 class='post-title entry-title'>${single ? title : `<a href='${post.path}'>${title}</a>`}</h3>
    <div class='post-body entry-content float-container'><p>${escapeHtml(post.text)}</p></div>
    <div class='post-footer'><span class='byline post-labels'><a href='/search/label/Food' rel='tag'>Food</a></span></div>
  </div></div>${single && post.bloggerComments ? comments : ''}</article>`;
}

/** A page as Blogger serves it: `all-head-content`'s tags (no og:type), the posts, the gadget in the sidebar. */
function bloggerPage(path: string, title: string, posts: string): string {
  const url = blogOrigin + path;
  return `<!DOCTYPE html><html dir='ltr' lang='en'><head>
<meta content='width=device-width, initial-scale=1' name='viewport'/>
<title>${escapeHtml(title)}</title>
<meta content='text/html; charset=UTF-8' http-equiv='Content-Type'/>
<meta content='blogger' name='generator'/>
<link href='data:,' rel='icon'/>
<link href='${url}' rel='canonical'/>
<link rel="alternate" type="application/atom+xml" title="Mekong Notes - Atom" href="${blogOrigin}/feeds/posts/default" />
<meta content='${url}' property='og:url'/>
<meta content='${escapeHtml(title)}' property='og:title'/>
<meta content='Small stories from Phnom Penh.' property='og:description'/>
</head><body class='version-1-3-0'>
<div class='page'><main class='centered' id='main' role='main'>
<div class='section' id='page_body'><div class='widget Blog' data-version='2' id='Blog1'>
<div class='blog-posts hfeed container'>${posts}</div></div></div></main>
<aside class='sidebar-container'><div class='section' id='sidebar'>
<div class='widget HTML' data-version='2' id='HTML1'><h3 class='title'>Popular posts</h3>
<div class='widget-content'>${pasted('examples/blogger-theme/gadget.html')}</div></div>
</div></aside></div></body></html>`;
}

/** Casper's screen.css on a post: its header and text are a grid whose middle column holds the words. */
const CASPER_CANVAS = `.gh-canvas { display: grid; grid-template-columns: [full-start] minmax(max(4vmin, 20px), auto)
[wide-start] minmax(auto, 240px) [main-start] min(720px, calc(100% - max(8vmin, 40px))) [main-end] minmax(auto, 240px)
[wide-end] minmax(max(4vmin, 20px), auto) [full-end]; } .gh-canvas > * { grid-column: main-start / main-end; }`;

/** A page as a Ghost theme (Casper) serves it: ghost_head's tags, then the site header and footer injections. */
function ghostPage(template: 'post-template' | 'home-template', title: string, main: string, siteFooter = ''): string {
  const post = template === 'post-template';
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8" />
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:," />
<link rel="canonical" href="${blogOrigin}/ghost/${post ? 'morning-walk/' : ''}" />
<meta property="og:type" content="${post ? 'article' : 'website'}" />
<meta property="og:title" content="${escapeHtml(title)}" />
${post ? '<meta property="article:published_time" content="2026-11-20T00:30:00.000Z" />' : ''}
<meta name="generator" content="Ghost 6.0" />
<style>${CASPER_CANVAS}</style>
${pasted('examples/ghost/code-injection-header.html')}
</head><body class="${template} is-head-left-logo"><div class="viewport"><div class="site-content"><main id="site-main" class="site-main">
${main}
</main>${siteFooter}</div></div>${readFileSync(resolve(root, 'examples/ghost/code-injection-footer.html'), 'utf8')}</body></html>`;
}

function blogResponse(path: string): string | undefined {
  if (path === '/ghost/') {
    return ghostPage(
      'home-template',
      'River notes',
      `<div class="post-feed"><article class="post-card"><a class="post-card-content-link" href="/ghost/morning-walk/">
      <h2 class="post-card-title">A morning walk</h2><div class="post-card-excerpt">Before the heat.</div></a></article></div>`,
    );
  }
  if (path === '/ghost/morning-walk/') {
    return ghostPage(
      'post-template',
      'A morning walk',
      `<article class="article post"><header class="article-header gh-canvas"><h1 class="article-title">A morning walk</h1>
      </header><section class="gh-content gh-canvas"><p>Notes from a slow morning walk, before the heat.</p></section></article>`,
    );
  }
  if (path === '/ghost/boat-races/') {
    // The theme way's list in default.hbs's footer, with the code injection's thread: the list is there first.
    return ghostPage(
      'post-template',
      'Boat races',
      `<article class="article post"><header class="article-header gh-canvas"><h1 class="article-title">Boat races</h1>
      </header><section class="gh-content gh-canvas"><p>Three days of races on the river.</p></section></article>`,
      '<footer class="site-footer"><sala-popular-posts></sala-popular-posts></footer>',
    );
  }
  const posts = Object.values(POSTS) as BlogPost[];
  if (path === '/') return bloggerPage('/', 'Mekong Notes', posts.map((post) => renderPost(post, false)).join(''));
  if (path === '/search/label/Food') {
    return bloggerPage(path, 'Mekong Notes: Food', posts.map((post) => renderPost(post, false)).join(''));
  }
  const post = posts.find((candidate) => candidate.path === path);
  if (post) return bloggerPage(path, post.title, renderPost(post, true));
  const html = /^\/html\/([\w-]+\.html)$/.exec(path);
  if (html) return pasted(`examples/html/${html[1]}`);
  return undefined;
}

beforeAll(async () => {
  [worker, browser] = await Promise.all([startWorker({ SALA_DEV_FLUSH_VIEWS: 'true' }), launchChromium()]);
  blog = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://blog').pathname;
    if (path === '/favicon.ico') return void response.writeHead(204).end();
    const body = blogResponse(path);
    response.writeHead(body ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    response.end(body ?? 'not found');
  });
  await new Promise<void>((done) => blog.listen(0, '127.0.0.1', done));
  blogOrigin = `http://127.0.0.1:${(blog.address() as AddressInfo).port}`;
  for (let i = 0; i < 3; i++) {
    // Headless Chromium says so in its user agent and would be dropped as a bot; each reader is a browser of its own.
    const userAgent = `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.${i}.0 Safari/537.36`;
    readers.push(await browser.newContext({ userAgent }));
  }
});

afterAll(async () => {
  await browser?.close();
  blog?.close();
  await worker?.stop();
});

/** A page of the blog, with its script errors, view beacons and requests to anyone but the blog and the Worker. */
async function open(context: BrowserContext, path: string) {
  const page = await context.newPage();
  const failures: string[] = [];
  const views: string[] = [];
  const scripts: string[] = [];
  page.on('pageerror', (error) => failures.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') failures.push(message.text());
  });
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(worker.origin) && !url.startsWith(blogOrigin) && !url.startsWith('data:')) {
      failures.push(`third-party request: ${url}`);
    }
    if (url.startsWith(`${worker.origin}/api/v1/views`)) views.push(request.postDataJSON()?.page);
    if (url.startsWith(`${worker.origin}/widgets/`)) scripts.push(new URL(url).pathname);
  });
  await page.goto(blogOrigin + path);
  return { page, failures, views, scripts };
}

async function popularTitles(page: Page): Promise<string[]> {
  await page.locator('sala-popular-posts [aria-busy="false"]').waitFor({ state: 'attached', timeout: 10_000 });
  return page.locator('sala-popular-posts').getByRole('listitem').getByRole('link').allTextContents();
}

/** A reader opens a post: the gadget puts the thread under it, and the view is counted once the page is idle. */
async function readPost(context: BrowserContext, post: BlogPost): Promise<Page> {
  const beacon = context.waitForEvent('request', (request) =>
    request.url().startsWith(`${worker.origin}/api/v1/views`),
  );
  const { page, failures, scripts } = await open(context, post.path);
  await page
    .locator('sala-comments')
    .getByLabel(/^comment/i)
    .first()
    .waitFor();
  // The gadget adds the thread before embed.js runs: the thread's set of chunks, the list's shared code in its chunk.
  expect(scripts.filter((path) => path.startsWith('/widgets/comments'))).toEqual([
    expect.stringMatching(/^\/widgets\/comments\.thread-[\w-]+\.js$/),
  ]);
  expect(scripts.filter((path) => path.startsWith('/widgets/sala-') && !path.includes('.thread'))).toEqual([]);
  // Blogger titles a post with h3: the thread's heading ranks below it for screen readers.
  expect(await page.locator('sala-comments h2').getAttribute('aria-level')).toBe('4');
  const request = await beacon;
  expect((await request.response())?.status()).toBe(204);
  expect(request.postDataJSON()).toMatchObject({
    page: normalizePageId(blogOrigin + post.path),
    meta: { title: post.title },
  });
  expect(await page.locator('sala-comments').count()).toBe(1);
  expect(failures).toEqual([]);
  return page;
}

test(
  'the Blogger gadget: a thread under each post, and popular posts on the home and label pages without a thread or a view',
  { timeout: 180_000 },
  async () => {
    const [a, b, c] = readers as [BrowserContext, BrowserContext, BrowserContext];
    for (const reader of [a, b]) await (await readPost(reader, POSTS.ferry)).close();
    const noodles = await readPost(c, POSTS.noodles);

    // Blogger's own comments shown: the thread goes just above them. Hidden: under the post, as #comments.
    expect(await noodles.locator('sala-comments + #comments').count()).toBe(1);
    expect(await noodles.locator('sala-comments').getAttribute('id')).toBeNull();
    await noodles.close();
    const { page: ferry } = await open(a, POSTS.ferry.path);
    expect(await ferry.locator('.post-outer + sala-comments#comments').count()).toBe(1);
    await ferry.close();

    for (const path of ['/', '/search/label/Food']) {
      const { page, failures, views } = await open(c, path);
      await expect
        .poll(async () => {
          await fireCron(worker.origin);
          await page.reload();
          return popularTitles(page);
        }, eventually)
        .toEqual([POSTS.ferry.title, POSTS.noodles.title]);
      // The list pages have .post-body too; the gadget must still not start a thread there, nor count a view.
      expect(await page.locator('.post-body').count()).toBe(2);
      await pastViewTime(page);
      expect(await page.locator('sala-comments').count()).toBe(0);
      expect(views).toEqual([]);
      expect(failures).toEqual([]);
      await page.close();
    }
  },
);

test('the plain HTML pages: a comment on the post shows in the home page’s count, which links to the thread', async () => {
  const post = '/html/morning-walk.html';
  const reader = readers[0]!;
  // The reader's clock is Playwright's from here on, so their pause before writing (below) takes no real time.
  await reader.clock.install();
  const { page, failures } = await open(reader, post);
  const thread = page.locator('sala-comments');
  await thread
    .getByLabel(/^comment/i)
    .first()
    .fill('We walked the same way on Sunday.');
  await thread.getByLabel(/^name/i).first().fill('Sokha');
  await page.clock.fastForward(3_000); // a person reads before writing; the API refuses forms sent within 3 s
  await thread
    .getByRole('button', { name: /post comment/i })
    .first()
    .click();
  await expect.poll(() => thread.getByText('We walked the same way on Sunday.').count(), eventually).toBe(1);
  expect(failures).toEqual([]);
  await page.close();

  const home = await open(reader, '/html/index.html');
  const count = home.page.locator('sala-comment-count').getByRole('link');
  await expect
    .poll(async () => {
      await home.page.reload();
      await count.waitFor();
      return count.textContent();
    }, eventually)
    .toBe('1 comment');
  expect(await count.getAttribute('href')).toBe(`${blogOrigin}${post}#comments`);
  expect(await popularTitles(home.page)).not.toEqual([]);
  expect(home.views).toEqual([]);
  expect(home.failures).toEqual([]);
});

test('Ghost’s code injection: a thread under the post, none on the home page', async () => {
  const reader = readers[1]!;
  const beacon = reader.waitForEvent('request', (request) => request.url().startsWith(`${worker.origin}/api/v1/views`));
  const post = await open(reader, '/ghost/morning-walk/');
  await post.page
    .locator('.gh-content + * > sala-comments#comments')
    .getByLabel(/^comment/i)
    .first()
    .waitFor();
  // In the post's column, as wide as its text: not across the whole window, edge to edge.
  const column = (selector: string) =>
    post.page.locator(selector).evaluate((element) => {
      const { left, width } = element.getBoundingClientRect();
      return { left, width };
    });
  expect(await column('sala-comments')).toEqual(await column('.gh-content > p'));
  expect((await (await beacon).response())?.status()).toBe(204);
  expect(post.failures).toEqual([]);
  await post.page.close();

  const home = await open(reader, '/ghost/');
  await pastViewTime(home.page);
  expect(await home.page.locator('sala-comments').count()).toBe(0);
  expect(home.views).toEqual([]);
  expect(home.failures).toEqual([]);
});

test('Ghost’s code injection beside a list in the theme: the thread loads as one chunk with the shared code', async () => {
  const { page, failures, scripts } = await open(readers[2]!, '/ghost/boat-races/');
  await page
    .locator('.gh-content + * > sala-comments#comments')
    .getByLabel(/^comment/i)
    .first()
    .waitFor();
  await page.locator('sala-popular-posts [aria-busy="false"]').waitFor({ state: 'attached' });
  // embed.js in Site header runs before the footer adds the thread; had it chosen the list's set then, the thread
  // would come as comments-*.js plus a shared chunk apart, 0.7 KB more (README, "Small").
  expect(scripts.filter((path) => !/\.thread-[\w-]{8}\.js$/.test(path))).toEqual([]);
  expect(scripts.filter((path) => path.startsWith('/widgets/comments'))).toHaveLength(1);
  expect(failures).toEqual([]);
});
