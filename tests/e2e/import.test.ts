/**
 * End to end: a blog moves in. The owner imports a Blogger backup at /admin on the real Worker (`wrangler dev`) in
 * Chromium: the preview says what lands and what is left out, the old blogspot address is rewritten to the blog's
 * address now, the import runs with progress and a report. A reader then opens an imported post as Blogger serves
 * it (with and without `?m=1`) and sees the thread, replies nested; the post's Atom feed holds the comments; and
 * importing the same file again adds nothing.
 */
import { DOMParser } from '@xmldom/xmldom';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { startWorker, type RunningWorker } from '../support/worker.js';

const PASSWORD = 'e2e owner password';
const ATOM = 'http://www.w3.org/2005/Atom';
const BACKUP = resolve(import.meta.dirname, '../fixtures/import/blogger-backup.xml');
const ITEM_PAGE = resolve(import.meta.dirname, '../fixtures/platforms/blogger-item.html');
/** The server's threads lag a write by a rebuild (a second or two locally), so reads poll. */
const eventually = { timeout: 20_000, interval: 500 };

/** What the backup holds (tests/fixtures/import/README.md): the blog's old address and its busiest post. */
const BACKUP_ORIGIN = 'https://mekong-notes.blogspot.com';
const POST_PATH = '/2026/11/water-festival.html';

let worker: RunningWorker;
let browser: Browser;
let blog: Server;
let blogOrigin: string;

/**
 * Blogger's item page (tests/fixtures/platforms) at any post address, with `<sala-comments>` where Blogger's own
 * comments were. Blogger's mobile view (`?m=1`) is served without the canonical link, so the thread is found from
 * the address itself there.
 */
function itemPage(path: string, mobile: boolean): string {
  const page = readFileSync(ITEM_PAGE, 'utf8')
    .replaceAll('https://mekong-notes.blogspot.com/2026/11/water-festival.html', blogOrigin + path)
    .replaceAll('https://mekong-notes.blogspot.com', blogOrigin)
    .replaceAll('https://blogger.googleusercontent.com', blogOrigin)
    .replaceAll('https://sala.example', worker.origin)
    .replace(
      "<section class='comments threaded'",
      "<sala-comments></sala-comments>\n<section class='comments threaded'",
    );
  return mobile ? page.replace(/<link href='[^']*' rel='canonical'\/>/, '') : page;
}

function serveBlog(): Promise<Server> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://blog');
    const post = /^\/\d{4}\/\d{2}\/[\w-]+\.html$/.test(url.pathname);
    response.writeHead(post ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    response.end(post ? itemPage(url.pathname, url.searchParams.get('m') === '1') : 'Not found');
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

beforeAll(async () => {
  [worker, browser, blog] = await Promise.all([
    startWorker({ ADMIN_PASSWORD: PASSWORD }),
    launchChromium(),
    serveBlog(),
  ]);
  blogOrigin = `http://127.0.0.1:${(blog.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await browser?.close();
  blog?.close();
  await worker?.stop();
});

/** The owner's page, failing on script errors and any request leaving the Worker's origin. */
async function signIn(): Promise<{ owner: Page; failures: string[] }> {
  const owner = await (await browser.newContext()).newPage();
  const failures: string[] = [];
  owner.on('pageerror', (error) => failures.push(error.message));
  owner.on('request', (request) => {
    if (!request.url().startsWith(worker.origin)) failures.push(`third-party request: ${request.url()}`);
  });
  await owner.goto(worker.origin + '/admin');
  await owner.getByLabel('Password').fill(PASSWORD);
  await owner.getByRole('button', { name: 'Sign in' }).click();
  await owner.getByRole('heading', { name: 'Comments', level: 2 }).waitFor();
  return { owner, failures };
}

/** Opens Import, rewrites the backup's blogspot address to the blog's address now, and chooses the file. */
async function chooseBackup(owner: Page): Promise<void> {
  await owner.getByRole('link', { name: 'Import' }).click();
  await owner.getByRole('heading', { name: 'Import comments', level: 2 }).waitFor();
  // The blog is served over http here, so addresses keep their scheme.
  await owner.getByRole('checkbox', { name: 'Change http:// to https://' }).uncheck();
  await owner.getByLabel('Old address').fill(BACKUP_ORIGIN);
  await owner.getByLabel('New address').fill(blogOrigin);
  await owner.getByLabel('New address').press('Tab');
  await owner.getByLabel('Export file').setInputFiles(BACKUP);
}

/** A comment as the reader sees it: its author, the start of its text, and the replies nested under it. */
interface Shown {
  author: string;
  text: string;
  replies: Shown[];
}

/** The thread's comments as nested in the page: each `<li>` holds a comment and, below it, its replies' list. */
function shownThread(page: Page): Promise<Shown[]> {
  return page.evaluate(() => {
    const root = document.querySelector('sala-comments')?.shadowRoot;
    const read = (list: Element | null | undefined): Shown[] =>
      [...(list?.querySelectorAll(':scope > li') ?? [])].map((item) => ({
        author: item.querySelector(':scope > article .author')?.textContent?.trim() ?? '',
        text: (item.querySelector(':scope > article .body')?.textContent ?? '').trim().slice(0, 24),
        replies: read(item.querySelector(':scope > ul.replies')),
      }));
    return read(root?.querySelector('ul:not(.replies)'));
  });
}

/** A reader opens the imported post on the blog, as Blogger serves it, and waits for its thread. */
async function readPost(query: string): Promise<{ shown: Shown[]; failures: string[] }> {
  const reader = await (await browser.newContext()).newPage();
  const failures: string[] = [];
  reader.on('pageerror', (error) => failures.push(error.message));
  // An alert would be the imported XSS attempt running.
  reader.on('dialog', (dialog) => failures.push(`dialog: ${dialog.message()}`));
  await reader.goto(blogOrigin + POST_PATH + query);
  const thread = reader.locator('sala-comments');
  await thread
    .getByLabel(/^comment/i)
    .first()
    .waitFor();
  await expect.poll(() => thread.getByRole('article').count(), eventually).toBe(5);
  const shown = await shownThread(reader);
  await reader.close();
  return { shown, failures };
}

test('the owner imports a Blogger backup; readers see the threads, the feed has them; a second import adds nothing', async () => {
  const { owner, failures } = await signIn();
  // The import's batches wait until the test has seen the progress bar.
  let release = () => {};
  const gate = new Promise<void>((done) => (release = done));
  await owner.route(
    (url) => url.pathname.endsWith('/import') && !url.searchParams.has('dryRun'),
    async (route) => {
      if (route.request().method() === 'POST') await gate;
      await route.continue();
    },
  );
  const region = owner.getByRole('region', { name: 'Import comments' });
  await chooseBackup(owner);

  // The preview, before anything is written: the format, what lands, what is left out and why, where it lands.
  await region.getByText('Format: Blogger backup.').waitFor();
  await region.getByText('7 comments in 3 posts:').waitFor();
  await region.getByText('published: 7').waitFor();
  await region.getByText('Deleted or removed: 2').waitFor();
  await region.getByText('On a draft or unpublished post: 1').waitFor();
  await region.getByText('Their post is not in the file or has no address: 1').waitFor();
  await region.getByText('Nothing left to show once converted: 1').waitFor();
  // The Worker's dry run: every comment is new there, and nothing was written to find out.
  await region.getByText('New on the server: 7 comments. Posts already imported in full: 0.').waitFor();
  const posts = region.getByRole('table', { name: 'Posts the comments land on' });
  const festival = posts.getByRole('row').filter({ hasText: 'Water festival' });
  expect((await festival.getByRole('cell').allTextContents()).map((text) => text.trim())).toEqual([
    'Water festival',
    blogOrigin + '/2026/11/water-festival',
    '5',
    '5',
  ]);
  // The post written http:// moved with the rest.
  await posts.getByRole('cell', { name: blogOrigin + '/2026/11/central-market', exact: true }).waitFor();
  const commentsBefore = await fetch(
    `${worker.origin}/api/v1/comments?site=demo&page=${encodeURIComponent(blogOrigin + POST_PATH)}`,
  );
  expect(((await commentsBefore.json()) as { total: number }).total).toBe(0);

  await region.getByRole('button', { name: 'Import', exact: true }).click();
  await region.getByRole('progressbar', { name: 'Import progress' }).waitFor();
  await region.getByRole('status').filter({ hasText: '0 of 1 batches, 0 comments' }).waitFor();
  release();
  const report = region.getByRole('heading', { name: 'Import report' });
  await report.waitFor();
  await region.getByText('Posts with new comments: 3 (7 comments added).').waitFor();
  expect(await report.evaluate((heading) => heading.matches(':focus'))).toBe(true);

  // A reader on the post as Blogger serves it, and on its mobile view: the thread, replies nested.
  const expected: Shown[] = [
    {
      author: 'Dara',
      text: 'What a great day!Photos ',
      replies: [
        {
          author: 'Sokha',
          text: 'Thank you, Dara! See you',
          replies: [{ author: 'Vanna', text: 'Me too.', replies: [] }],
        },
      ],
    },
    // Its parent was removed on Blogger: it stands at the top level rather than being lost.
    { author: 'Dara', text: 'Replying to the removed ', replies: [] },
    // Names are text; the script and the javascript: link of the text are gone, the words stay.
    { author: '<script>alert(1)</script>', text: 'Nice click me', replies: [] },
  ];
  for (const query of ['', '?m=1']) {
    const { shown, failures: readerFailures } = await readPost(query);
    expect(shown).toEqual(expected);
    expect(readerFailures).toEqual([]);
  }

  // The post's Atom feed, read as a feed reader reads it, holds the imported comments.
  const feedResponse = await fetch(
    `${worker.origin}/api/v1/feeds/demo/comments.atom?page=${encodeURIComponent(blogOrigin + POST_PATH)}`,
  );
  expect(feedResponse.status).toBe(200);
  const feed = new DOMParser().parseFromString(await feedResponse.text(), 'application/xml').documentElement!;
  expect([feed.namespaceURI, feed.localName]).toEqual([ATOM, 'feed']);
  const names = [...Array.from(feed.getElementsByTagNameNS(ATOM, 'entry'))].map(
    (entry) => entry.getElementsByTagNameNS(ATOM, 'name')[0]?.textContent,
  );
  expect(names.sort()).toEqual(['<script>alert(1)</script>', 'Dara', 'Dara', 'Sokha', 'Vanna']);

  // The preview, checked again after the import: nothing in the file is new on the server now.
  await region.getByText('New on the server: 0 comments. Posts already imported in full: 3.').waitFor();
  expect((await festival.getByRole('cell').allTextContents()).map((text) => text.trim())).toEqual([
    'Water festival',
    blogOrigin + '/2026/11/water-festival',
    '5',
    'already imported',
  ]);

  // The same file again: importing adds nothing.
  await chooseBackup(owner);
  await region.getByText('7 comments in 3 posts:').waitFor();
  await region.getByRole('button', { name: 'Import', exact: true }).click();
  await region.getByText('Nothing was added: everything in this file is already here.').waitFor();
  const commentsAfter = await fetch(
    `${worker.origin}/api/v1/comments?site=demo&page=${encodeURIComponent(blogOrigin + POST_PATH)}`,
  );
  expect(((await commentsAfter.json()) as { total: number }).total).toBe(5);

  expect(failures).toEqual([]);
});
