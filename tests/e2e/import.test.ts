/**
 * End to end: a blog moves in. The owner imports a Blogger backup at /admin on the real Worker (`wrangler dev`) in
 * Chromium: the preview says what lands and what is left out, the old blogspot address is rewritten to the blog's
 * address now, the import runs with progress and a report. A reader then opens an imported post as Blogger serves
 * it (with and without `?m=1`) and sees the thread, replies nested; the post's Atom feed holds the comments; and
 * importing the same file again adds nothing. A run whose connection drops sends its batch again once the browser is
 * back online, and ends as if nothing had happened.
 */
import { DOMParser } from '@xmldom/xmldom';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { fireCronAt } from '../../worker/scripts/dev-cron.js';
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
/** A Worker whose imports may write 30 KV writes a day (`IMPORT_DAILY_LIMIT`): a few posts, then the queue, then a pause. */
let budgeted: RunningWorker;
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
  [worker, budgeted, browser, blog] = await Promise.all([
    startWorker({ ADMIN_PASSWORD: PASSWORD }),
    startWorker({ ADMIN_PASSWORD: PASSWORD, IMPORT_DAILY_LIMIT: '30' }),
    launchChromium(),
    serveBlog(),
  ]);
  blogOrigin = `http://127.0.0.1:${(blog.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await browser?.close();
  blog?.close();
  await Promise.all([worker?.stop(), budgeted?.stop()]);
});

/** An admin page of `server` in `context`, its script errors and any request leaving the Worker's origin in `failures`. */
async function openAdmin(server: RunningWorker, context: BrowserContext, failures: string[]): Promise<Page> {
  const owner = await context.newPage();
  owner.on('pageerror', (error) => failures.push(error.message));
  owner.on('request', (request) => {
    if (!request.url().startsWith(server.origin)) failures.push(`third-party request: ${request.url()}`);
  });
  await owner.goto(server.origin + '/admin');
  return owner;
}

/** The owner's page, signed in, failing on script errors and any request leaving the Worker's origin. */
async function signIn(server = worker, context?: BrowserContext): Promise<{ owner: Page; failures: string[] }> {
  const failures: string[] = [];
  const owner = await openAdmin(server, context ?? (await browser.newContext()), failures);
  await owner.getByLabel('Password').fill(PASSWORD);
  await owner.getByRole('button', { name: 'Sign in' }).click();
  await owner.getByRole('heading', { name: 'Comments', level: 2 }).waitFor();
  // As the owner does, the test starts once the page is in, its last line too: the free plan's use, above every tab.
  await owner.getByRole('complementary', { name: 'Free plan today' }).waitFor();
  return { owner, failures };
}

/** Opens Import, rewrites the backup's blogspot address to the blog's address now (`to`), and chooses the file. */
/**
 * The backup with ids of its own (every 19-digit Blogger id followed by `tag`): its comments are other comments than
 * the backup's, which the server would find imported at another address already and leave there.
 */
function backupOfItsOwn(tag: string): { name: string; mimeType: string; buffer: Buffer } {
  const text = readFileSync(BACKUP, 'utf8').replace(/\b(\d{19})\b/g, `$1${tag}`);
  return { name: 'blog-backup.xml', mimeType: 'text/xml', buffer: Buffer.from(text) };
}

async function chooseBackup(
  owner: Page,
  to = blogOrigin,
  file: string | { name: string; mimeType: string; buffer: Buffer } = BACKUP,
): Promise<void> {
  await owner.getByRole('link', { name: 'Import' }).click();
  await owner.getByRole('heading', { name: 'Import comments', level: 2 }).waitFor();
  // The blog is served over http here, so addresses keep their scheme.
  await owner.getByRole('checkbox', { name: 'Change http:// to https://' }).uncheck();
  await owner.getByLabel('Old address').fill(BACKUP_ORIGIN);
  await owner.getByLabel('New address').fill(to);
  await owner.getByLabel('New address').press('Tab');
  await owner.getByLabel('Export file').setInputFiles(file);
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
  // As drawn: the column's name a phone shows before each cell is hidden on this wider screen.
  expect((await festival.getByRole('cell').allInnerTexts()).map((text) => text.trim())).toEqual([
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
  // Focus moves once the tab has read what waits on the server (a request after the report is shown).
  await expect.poll(() => report.evaluate((heading) => heading.matches(':focus'))).toBe(true);

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
  expect((await festival.getByRole('cell').allInnerTexts()).map((text) => text.trim())).toEqual([
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

/**
 * Imports the backup at `moved` with the run's first batch lost with the connection, the browser then offline: before
 * it reaches the Worker, or with `answerOnly` after the Worker wrote it, its answer lost on the way back. Once the line
 * says so, the browser is back online; resolves to the report's lines when the run ends.
 */
async function importThroughLostConnection(
  owner: Page,
  context: BrowserContext,
  moved: string,
  { answerOnly = false, file = backupOfItsOwn('1') } = {},
): Promise<{ region: Locator; lines: string[] }> {
  let lost = false;
  await owner.route(
    (url) => url.pathname.endsWith('/import') && !url.searchParams.has('dryRun'),
    async (route) => {
      if (route.request().method() !== 'POST' || lost) return route.continue();
      lost = true;
      if (answerOnly) await route.fetch();
      await context.setOffline(true);
      await route.abort('internetdisconnected');
    },
  );
  const region = owner.getByRole('region', { name: 'Import comments' });
  await chooseBackup(owner, moved, file);
  await region.getByText('New on the server: 7 comments. Posts already imported in full: 0.').waitFor();
  await region.getByRole('button', { name: 'Import', exact: true }).click();
  await region
    .getByRole('status')
    .filter({ hasText: 'Connection lost: sending batch 1 of 1 again when it is back…' })
    .waitFor();
  // Back online, the batch goes at once.
  await context.setOffline(false);
  await region.getByRole('heading', { name: 'Import report' }).waitFor();
  const report = region.getByRole('list').filter({ hasText: 'Posts with new comments' });
  return { region, lines: (await report.getByRole('listitem').allTextContents()).map((line) => line.trim()) };
}

test('the connection drops while the import runs: the batch goes again once it is back, and every post is in once', async () => {
  const context = await browser.newContext();
  const { owner, failures } = await signIn(worker, context);
  // The blog at another of its addresses, its comments other ones, so they are new on this server whatever ran before.
  const moved = blogOrigin.replace('127.0.0.1', 'localhost');
  const { region, lines } = await importThroughLostConnection(owner, context, moved);
  // The run ends as one never interrupted does.
  expect(lines).toEqual(['Posts with new comments: 3 (7 comments added).']);
  expect(await region.getByRole('alert').count()).toBe(0);
  // Nothing doubled: the busiest post has its five comments, once each.
  const shown = async () => {
    const page = encodeURIComponent(moved + POST_PATH);
    const response = await fetch(`${worker.origin}/api/v1/comments?site=demo&page=${page}`);
    return ((await response.json()) as { total: number }).total;
  };
  await expect.poll(shown, eventually).toBe(5);
  expect(failures).toEqual([]);
});

test('the answer is lost after the Worker wrote the batch: sent again, its posts count as this run’s, not as already there', async () => {
  const context = await browser.newContext();
  const { owner, failures } = await signIn(worker, context);
  // The blog at yet another address, its comments other ones again, so they are new on this server whatever ran before.
  const moved = blogOrigin.replace('http://127.0.0.1', 'http://lost-answer.localhost');
  const { region, lines } = await importThroughLostConnection(owner, context, moved, {
    answerOnly: true,
    file: backupOfItsOwn('2'),
  });
  // The Worker answers the batch sent again as it answered the first time: the report is an unbroken run's.
  expect(lines).toEqual(['Posts with new comments: 3 (7 comments added).']);
  expect(await region.getByRole('alert').count()).toBe(0);
  expect(failures).toEqual([]);
});

/** A Blogger backup of `posts` posts with two comments each, at https://big-notes.blogspot.com/2025/01/post-{n}.html. */
function bigBackup(posts: number): string {
  const blog = 'tag:blogger.com,1999:blog-42';
  const kind = (name: string) =>
    `<category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#${name}'/>`;
  const entries = Array.from({ length: posts }, (_, index) => {
    const post = index + 1;
    const url = `https://big-notes.blogspot.com/2025/01/post-${post}.html`;
    const comments = [1, 2].map(
      (n) =>
        `<entry><id>${blog}.post-${post * 10 + n}</id><published>2025-01-02T10:0${n}:00Z</published>${kind('comment')}` +
        `<content type='html'>Comment ${n} on post ${post}</content><author><name>Reader ${n}</name></author>` +
        `<thr:in-reply-to href='${url}' ref='${blog}.post-${post}' type='text/html'/></entry>`,
    );
    return [
      `<entry><id>${blog}.post-${post}</id><published>2025-01-01T10:00:00Z</published>${kind('post')}` +
        `<title type='text'>Post ${post}</title><link rel='alternate' type='text/html' href='${url}'/></entry>`,
      ...comments,
    ].join('\n');
  });
  return `<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns='http://www.w3.org/2005/Atom' xmlns:thr='http://purl.org/syndication/thread/1.0'>
<title type='text'>Big Notes</title>
${entries.join('\n')}
</feed>
`;
}

/** The comments a reader is shown on big-notes' post `post`. */
async function shownComments(server: RunningWorker, post: number): Promise<number> {
  const page = `https://big-notes.blogspot.com/2025/01/post-${post}`;
  const response = await fetch(`${server.origin}/api/v1/comments?site=demo&page=${encodeURIComponent(page)}`);
  return ((await response.json()) as { total: number }).total;
}

test('an import past the day’s writes pauses and queues; a second page waits for it; a reload keeps what was not sent; the cron publishes the queue and the open tab follows', async () => {
  const POSTS = 70;
  const context = await browser.newContext();
  // The page's clock, moved on by the test to when the cron has run (the server's clock stays on today).
  await context.clock.install();
  const { owner, failures } = await signIn(budgeted, context);
  const backup = { name: 'big-notes.xml', mimeType: 'text/xml', buffer: Buffer.from(bigBackup(POSTS)) };
  const importTab = async (page: Page) => {
    await page.getByRole('link', { name: 'Import' }).click();
    const region = page.getByRole('region', { name: 'Import comments' });
    await region.getByRole('heading', { name: 'Import comments', level: 2 }).waitFor();
    return region;
  };
  // Chosen, it is previewed once the server has said what of it is new there.
  const chooseBig = async (page: Page, region: Locator) => {
    await page.getByLabel('Export file').setInputFiles(backup);
    await region.getByText(/New on the server: \d+ comments\./).waitFor();
  };
  const region = await importTab(owner);
  await chooseBig(owner, region);
  await region.getByText('New on the server: 140 comments. Posts already imported in full: 0.').waitFor();
  await region.getByRole('button', { name: 'Import', exact: true }).click();

  // A few posts are written, the next ones queued for the night, and the run pauses: the day's import writes are spent.
  await region
    .getByRole('status')
    .filter({ hasText: /^Paused after \d of 3 batches \(\d+ comments\): today’s write budget for imports is used up/ })
    .waitFor();
  const waiting = region.getByText(
    /Waiting on the server: \d+ posts, \d+ comments\. Today’s free plan KV writes are used up/,
  );
  const queued = Number(/(\d+) posts/.exec((await waiting.textContent()) ?? '')![1]);
  const note = JSON.parse((await owner.evaluate(() => localStorage.getItem('sala:import-paused:demo')))!) as {
    threads: number;
  };
  const written = POSTS - queued - note.threads;
  expect(written).toBeGreaterThan(0);
  expect(queued).toBeGreaterThan(0);
  // Readers see the posts written whole, and nothing of those queued or not sent.
  const shown = await Promise.all(Array.from({ length: POSTS }, (_, index) => shownComments(budgeted, index + 1)));
  expect(shown).toEqual(Array.from({ length: POSTS }, (_, index) => (index < written ? 2 : 0)));

  // A second page of the same browser: the paused file's import is under way in the first, and Import there waits.
  const second = await openAdmin(budgeted, context, failures);
  await second.getByRole('heading', { name: 'Comments', level: 2 }).waitFor();
  const secondRegion = await importTab(second);
  await secondRegion
    .getByText(/The import of big-notes\.xml is under way in another tab or window of this browser/)
    .waitFor();
  expect(await secondRegion.getByRole('button', { name: 'Forget this file' }).count()).toBe(0);
  await chooseBig(second, secondRegion);
  await secondRegion.getByRole('button', { name: 'Import', exact: true }).click();
  await secondRegion
    .getByRole('status')
    .filter({ hasText: /An import of this site is under way in another tab or window/ })
    .waitFor();

  // The owner stops waiting on the first page: the second says that run has ended, and that today's writes are spent.
  await region.getByRole('button', { name: 'Stop waiting' }).click();
  await region.getByText('You stopped waiting for the daily reset: the rest of the file was not sent.').waitFor();
  await secondRegion
    .getByRole('status')
    .filter({
      hasText:
        /has ended, and today’s write budget for imports is used up: an import of this file now waits for the daily reset, until .*\d/,
    })
    .waitFor();
  await secondRegion.getByRole('button', { name: 'Forget this file' }).waitFor();

  // Reloaded, the first page says which file paused and what of it was not sent; Forget removes that, on both pages.
  await owner.reload();
  await owner.getByRole('heading', { name: 'Comments', level: 2 }).waitFor();
  await importTab(owner);
  await region
    .getByText(
      new RegExp(
        `The import of big-notes\\.xml paused part-way at .*\\d.*\\. Not sent: ${note.threads} posts, ${note.threads * 2} comments\\.`,
      ),
    )
    .waitFor();
  await region.getByRole('button', { name: 'Forget this file' }).click();
  await region.getByText(/paused part-way/).waitFor({ state: 'detached' });
  expect(await owner.evaluate(() => localStorage.getItem('sala:import-paused:demo'))).toBeNull();
  // The second page, open all along, no longer shows it either.
  await secondRegion.getByText(/paused part-way/).waitFor({ state: 'detached' });

  // The same file again that day: the posts queued are said to wait there, neither new nor unsent, and none is
  // written or queued twice; the run pauses where the first did.
  await chooseBig(owner, region);
  await region
    .getByText(`New on the server: ${note.threads * 2} comments. Posts already imported in full: ${written}.`)
    .waitFor();
  await region.getByRole('button', { name: 'Import', exact: true }).click();
  await region
    .getByRole('status')
    .filter({ hasText: /^Paused after \d of 3 batches/ })
    .waitFor();
  await region.getByRole('button', { name: 'Stop waiting' }).click();
  await region.getByText(`Posts waiting for the next day’s free plan writes: ${queued}.`, { exact: false }).waitFor();
  await region
    .getByText(
      new RegExp(`paused part-way at .*\\d.*\\. Not sent: ${note.threads} posts, ${note.threads * 2} comments\\.`),
    )
    .waitFor();
  await owner.reload();
  await owner.getByRole('heading', { name: 'Comments', level: 2 }).waitFor();
  await importTab(owner);
  await waiting.waitFor();
  expect(Number(/(\d+) posts/.exec((await waiting.textContent()) ?? '')![1])).toBe(queued);

  // The cron's first run after 00:00 UTC publishes the oldest queued posts, whole; the open tab's line follows it.
  const midnight = Math.ceil((Date.now() + 1) / 86_400_000) * 86_400_000;
  await fireCronAt(budgeted.origin, midnight);
  await expect.poll(() => shownComments(budgeted, written + 1), eventually).toBe(2);
  const queuedShown = await Promise.all(
    Array.from({ length: queued }, (_, index) => shownComments(budgeted, written + index + 1)),
  );
  const published = queuedShown.filter((count) => count === 2).length;
  // The oldest first, each whole; a run takes a bounded share, so some still wait.
  expect(queuedShown).toEqual(queuedShown.map((_, index) => (index < published ? 2 : 0)));
  expect(published).toBeLessThan(queued);
  await owner.clock.fastForward(midnight + 61_000 - (await owner.evaluate(() => Date.now())));
  await region
    .getByText(
      new RegExp(`Waiting on the server: ${queued - published} posts, ${(queued - published) * 2} comments\\.`),
    )
    .waitFor();

  expect(failures).toEqual([]);
});
