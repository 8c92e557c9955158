/**
 * End to end, on a blog as Blogger renders it by default: pages built from tests/fixtures/platforms (Blogger's
 * `all-head-content` head, which says neither `og:type` nor `article:published_time`; the date as
 * `time.published` or `abbr.published`; labels as `rel="tag"` links), served from their own origin, with the
 * script tag and a `<sala-popular-posts>` in a footer gadget and no `<sala-comments>`. Readers in browsers of
 * their own read the posts and the home page; once the cron has run, the lists rank the posts, each linked to the
 * address Blogger serves (with `.html`), with its date, filtered by its labels, and the home page counted nothing.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { PopularPostsResponse, ViewBeacon } from '@sala/protocol';
import { fireCron } from '../../worker/scripts/dev-cron.js';
import { launchChromium, pastViewTime } from '../support/browser.js';
import { startWorker, type RunningWorker } from '../support/worker.js';

const eventually = { timeout: 20_000, interval: 500 };
const fixtures = resolve(import.meta.dirname, '../fixtures/platforms');

const FESTIVAL = {
  path: '/2026/11/water-festival.html',
  title: 'Bon Om Touk: three days of boat races',
  published: '2026-11-20T16:30:00.000Z',
  labels: ['Festivals', 'Phnom Penh'],
};
const MARKET = {
  path: '/2026/11/central-market.html',
  title: 'Inside Phsar Thmei, the yellow dome',
  published: '2026-11-19T15:00:00.000Z',
  labels: ['Food', 'Markets'],
};

let worker: RunningWorker;
let browser: Browser;
let blog: Server;
let blogOrigin: string;
const readers: BrowserContext[] = [];

/** A fixture as this blog serves it: its blogspot and image hosts are this server, its embed.js the Worker's. */
function fixture(name: string): string {
  return readFileSync(resolve(fixtures, name), 'utf8')
    .replaceAll('https://mekong-notes.blogspot.com', blogOrigin)
    .replaceAll('https://blogger.googleusercontent.com', blogOrigin)
    .replaceAll('https://sala.example', worker.origin);
}

/** Blogger's addresses: posts at `/YYYY/MM/slug.html` only (no alias without `.html`), label pages, home. */
function pageAt(path: string): string | undefined {
  if (path === '/') return fixture('blogger-home.html');
  if (path === FESTIVAL.path) return fixture('blogger-item.html');
  if (path === MARKET.path) return fixture('blogger-classic-item.html');
  // The blogger put a label's list on that label's page.
  if (path === '/search/label/Festivals') {
    return fixture('blogger-label.html').replace('<sala-popular-posts>', '<sala-popular-posts label="Festivals">');
  }
  return undefined;
}

function serveBlog(): Promise<Server> {
  const server = createServer((request, response) => {
    const html = pageAt(new URL(request.url ?? '/', 'http://blog').pathname);
    response.writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    response.end(html ?? 'Sorry, the page you were looking for in this blog does not exist.');
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

beforeAll(async () => {
  // SALA_DEV_FLUSH_VIEWS: each cron run first writes the views the Worker buffers in memory, as `npm run dev` does.
  [worker, browser, blog] = await Promise.all([
    startWorker({ SALA_DEV_FLUSH_VIEWS: 'true' }),
    launchChromium(),
    serveBlog(),
  ]);
  blogOrigin = `http://127.0.0.1:${(blog.address() as AddressInfo).port}`;
  for (let i = 0; i < 3; i++) {
    // Headless Chromium says so in its user agent and would be dropped as a bot; each reader is a browser of its own.
    const userAgent = `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.${i}.0 Safari/537.36`;
    readers.push(await browser.newContext({ userAgent }));
  }
});

afterAll(async () => {
  await browser?.close();
  blog?.close();
  await worker?.stop();
});

/** Opens a page of the blog, failing on script errors and on Sala's own console hints. */
async function open(context: BrowserContext, path: string): Promise<{ page: Page; failures: string[] }> {
  const page = await context.newPage();
  const failures: string[] = [];
  page.on('pageerror', (error) => failures.push(error.message));
  page.on('console', (message) => {
    if (message.text().startsWith('[sala]')) failures.push(message.text());
  });
  await page.goto(blogOrigin + path);
  return { page, failures };
}

/** A reader reads a post: its footer list counts one view, under the post's id, with what the page says of it. */
async function read(context: BrowserContext, post: typeof FESTIVAL): Promise<void> {
  const sent = context.waitForEvent('request', (request) => request.url().startsWith(`${worker.origin}/api/v1/views`));
  const scripts: string[] = [];
  const listen = (request: { url(): string }) => {
    if (request.url().startsWith(`${worker.origin}/widgets/`)) scripts.push(new URL(request.url()).pathname);
  };
  context.on('request', listen);
  const { page, failures } = await open(context, post.path);
  const request = await sent;
  context.off('request', listen);
  // This blogger keeps Blogger's own comments: a page without a thread loads none of the thread's code (embed.ts).
  expect(scripts.length).toBeGreaterThan(0);
  expect(scripts.filter((script) => /\/comments/.test(script))).toEqual([]);
  expect((await request.response())?.status()).toBe(204);
  const beacon = request.postDataJSON() as ViewBeacon;
  // One thread for `slug.html` and `slug`; the list links to the address Blogger serves.
  expect(beacon.page).toBe(blogOrigin + post.path.replace(/\.html$/, ''));
  expect(beacon.meta).toMatchObject({
    url: blogOrigin + post.path,
    title: post.title,
    published: post.published,
    labels: post.labels,
  });
  expect(failures).toEqual([]);
  await page.close();
}

/** A reader opens a page that is not a post: its list loads, and no view is sent. */
async function browse(context: BrowserContext, path: string): Promise<void> {
  const views: string[] = [];
  const listen = (request: { url(): string }) => {
    if (request.url().startsWith(`${worker.origin}/api/v1/views`)) views.push(request.url());
  };
  context.on('request', listen);
  const { page, failures } = await open(context, path);
  await page.locator('sala-popular-posts [aria-busy="false"]').waitFor({ state: 'attached' });
  await pastViewTime(page);
  context.off('request', listen);
  expect(views).toEqual([]);
  expect(failures).toEqual([]);
  await page.close();
}

/** The footer list's entries once loaded: title, link and shown date of each. */
async function popularList(page: Page): Promise<{ title: string; href: string | null; date: string | null }[]> {
  const list = page.locator('sala-popular-posts');
  await list.locator('[aria-busy="false"]').waitFor({ state: 'attached', timeout: 10_000 });
  return list.getByRole('listitem').evaluateAll((items) =>
    items.map((item) => ({
      title: item.querySelector('[part~="title"]')?.textContent?.trim() ?? '',
      href: item.querySelector('[part~="title"]')?.getAttribute('href') ?? null,
      date: item.querySelector('time')?.getAttribute('datetime') ?? null,
    })),
  );
}

test(
  'a default Blogger post counts its views and the lists rank it with its link, date and labels; the home page counts nothing',
  { timeout: 180_000 },
  async () => {
    const [a, b, c] = readers as [BrowserContext, BrowserContext, BrowserContext];
    // True counts: the festival post 3 (a layouts theme), the market post 1 (an older theme), the home page none.
    for (const reader of [a, b, c]) await read(reader, FESTIVAL);
    await read(a, MARKET);
    // The three browse at once, each in a browser of its own: each page's wait past load and idle overlaps the others'.
    await Promise.all([browse(a, '/'), browse(b, '/'), browse(c, '/search/label/Festivals')]);

    const home = await browser.newPage();
    await expect
      .poll(async () => {
        // What the dev cron does every minute: write the buffered views, then rebuild the lists.
        await fireCron(worker.origin);
        await home.goto(blogOrigin + '/');
        return (await popularList(home)).map((post) => post.title);
      }, eventually)
      .toEqual([FESTIVAL.title, MARKET.title]);

    expect(await popularList(home)).toEqual([
      { title: FESTIVAL.title, href: blogOrigin + FESTIVAL.path, date: FESTIVAL.published },
      { title: MARKET.title, href: blogOrigin + MARKET.path, date: MARKET.published },
    ]);
    expect(await home.locator('sala-popular-posts [part~="date"]').first().textContent()).toBe('Nov 20, 2026');

    // The link opens the post at the address Blogger serves.
    await home.locator('sala-popular-posts [part~="title"]').first().click();
    await home.waitForURL(blogOrigin + FESTIVAL.path);
    expect(await home.title()).toBe(FESTIVAL.title);
    await home.close();

    // The labels came from the post's rel="tag" links: a label's list has only its posts.
    const label = await browser.newPage();
    await label.goto(blogOrigin + '/search/label/Festivals');
    expect((await popularList(label)).map((post) => post.title)).toEqual([FESTIVAL.title]);
    await label.close();

    // Counts as the API gives them: the home and label pages were never counted.
    const response = await fetch(`${worker.origin}/api/v1/popular?range=7d&limit=20`);
    const { posts } = (await response.json()) as PopularPostsResponse;
    expect(posts.map(({ pageId, views, labels }) => ({ pageId, views, labels }))).toEqual([
      { pageId: blogOrigin + '/2026/11/water-festival', views: 3, labels: FESTIVAL.labels },
      { pageId: blogOrigin + '/2026/11/central-market', views: 1, labels: MARKET.labels },
    ]);

    // A script's beacons, dressed as a browser on the blog, rename the festival post and swap its image: the lists
    // keep showing what the post's own page says, which the cron read.
    for (let i = 0; i < 4; i++) {
      const forged: ViewBeacon = {
        page: blogOrigin + FESTIVAL.path,
        meta: {
          url: blogOrigin + FESTIVAL.path,
          title: 'CHEAP PILLS, click here',
          description: 'Visit pills.example',
          image: 'https://pills.example/banner.png',
          labels: ['Festivals'],
        },
      };
      const sent = await fetch(`${worker.origin}/api/v1/views`, {
        method: 'POST',
        headers: {
          Origin: blogOrigin,
          'Content-Type': 'text/plain;charset=UTF-8',
          'User-Agent': `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.${i + 10}.0 Safari/537.36`,
          'Sec-Fetch-Site': 'cross-site',
          'Sec-Fetch-Mode': 'cors',
          'Sec-Fetch-Dest': 'empty',
        },
        body: JSON.stringify(forged),
      });
      expect(sent.status).toBe(204);
    }
    await expect
      .poll(async () => {
        await fireCron(worker.origin);
        const listed = await fetch(`${worker.origin}/api/v1/popular?range=7d&limit=20`);
        return ((await listed.json()) as PopularPostsResponse).posts.find((post) => post.views > 3);
      }, eventually)
      .toBeDefined(); // the forged views did count (views cannot be told from a browser's)...
    const after = (await (
      await fetch(`${worker.origin}/api/v1/popular?range=7d&limit=20`)
    ).json()) as PopularPostsResponse;
    // ...but what readers see of the post is still the post's.
    expect(after.posts[0]).toMatchObject({ title: FESTIVAL.title, url: blogOrigin + FESTIVAL.path });
    expect(JSON.stringify(after)).not.toMatch(/pills|CHEAP/);
  },
);
