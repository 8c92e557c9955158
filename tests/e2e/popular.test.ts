/**
 * End to end: popular posts, comment counts and recent comments on the demo blog, against the real Worker under
 * `wrangler dev`, in Chromium. Several readers (browser contexts of their own) read posts with different
 * frequencies, one comments; once the cron has run, the home page lists the posts in the true order, with counts
 * and the comment, and passes axe.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults } from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { fireCron } from '../../worker/scripts/dev-cron.js';
import { DEV_VARS } from '../../worker/scripts/dev.js';
import { launchChromium, pastViewTime } from '../support/browser.js';
import { startWorker, type RunningWorker } from '../support/worker.js';

/** The lists follow a cron run, and a new comment a snapshot rebuild: reads after them poll. */
const eventually = { timeout: 20_000, interval: 500 };
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const POSTS = {
  festival: { path: '/2026/11/water-festival.html', title: 'Bon Om Touk: three days of boat races' },
  market: { path: '/2026/11/central-market.html', title: 'Inside Phsar Thmei, the yellow dome' },
  walk: { path: '/2026/11/morning-walk.html', title: 'A morning walk along Sisowath Quay' },
  temple: { path: '/2026/10/wat-phnom.html', title: 'Sunset at Wat Phnom' },
};

let worker: RunningWorker;
let browser: Browser;
const readers: BrowserContext[] = [];

beforeAll(async () => {
  // The Worker as `npm start` runs it: each cron run first writes the views it buffers in memory, then reads every
  // page just visited.
  [worker, browser] = await Promise.all([startWorker({ ...DEV_VARS }), launchChromium()]);
  for (let i = 0; i < 4; i++) {
    // Headless Chromium says so in its user agent and would be dropped as a bot; each reader is a browser of its own.
    const userAgent = `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.${i}.0 Safari/537.36`;
    readers.push(await browser.newContext({ userAgent }));
  }
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
});

/** Opens a page, failing on script errors and on any request to another origin. */
async function open(context: BrowserContext, path: string): Promise<{ page: Page; failures: string[] }> {
  const page = await context.newPage();
  const failures: string[] = [];
  page.on('pageerror', (error) => failures.push(error.message));
  page.on('request', (request) => {
    if (!request.url().startsWith(worker.origin)) failures.push(`third-party request: ${request.url()}`);
  });
  await page.goto(worker.origin + path);
  return { page, failures };
}

/** A reader reads a post: the page counts the view once, after load, with the post's metadata. */
async function read(context: BrowserContext, path: string): Promise<void> {
  const beacon = context.waitForEvent('request', (request) =>
    request.url().startsWith(`${worker.origin}/api/v1/views`),
  );
  const { page, failures } = await open(context, path);
  const request = await beacon;
  expect(await (await request.response())?.status()).toBe(204);
  // The view counts under the page id, which drops `.html`; the list links to the address as the page gives it.
  const pageId = worker.origin + path.replace(/\.html$/, '');
  expect(request.postDataJSON()).toMatchObject({ page: pageId, meta: { url: worker.origin + path } });
  expect(failures).toEqual([]);
  await page.close();
}

/** A reader reads `posts` one after another: read() takes its browser's next beacon for the post it opened. */
async function readInTurn(context: BrowserContext, posts: { path: string }[]): Promise<void> {
  for (const post of posts) await read(context, post.path);
}

/** The same reader again the same day: the page sends nothing. */
async function readAgain(context: BrowserContext, path: string): Promise<void> {
  const beacons: string[] = [];
  context.on('request', (request) => {
    if (request.url().startsWith(`${worker.origin}/api/v1/views`)) beacons.push(request.url());
  });
  const { page } = await open(context, path);
  await page
    .locator('sala-comments')
    .getByLabel(/^comment/i)
    .first()
    .waitFor();
  await pastViewTime(page);
  expect(beacons).toEqual([]);
  await page.close();
}

/** The post's comment count as the API gives it to any reader. */
async function serverCount(path: string): Promise<number | undefined> {
  const page = worker.origin + path;
  const response = await fetch(`${worker.origin}/api/v1/counts?page=${encodeURIComponent(page)}`);
  return ((await response.json()) as { counts: Record<string, number> }).counts[page];
}

/** "12 comments" next to a post on the home page, once loaded: its link is named with the post's title after it. */
async function commentCount(page: Page, path: string): Promise<string | null> {
  const link = page.locator(`sala-comment-count[href="${path}"]`).getByRole('link', { name: /^\d+ comments? on \S/ });
  await link.waitFor();
  return link.textContent();
}

async function popularTitles(page: Page, scope: string): Promise<string[]> {
  return page.locator(`${scope} sala-popular-posts`).getByRole('listitem').getByRole('link').allTextContents();
}

async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const results: AxeResults = await (window as unknown as { axe: { run: () => Promise<AxeResults> } }).axe.run();
    return results.violations.map(
      (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target).join(' ')}`,
    );
  });
}

test(
  'the home page lists the most read posts in order, each post’s comment count, and the latest comment',
  { timeout: 180_000 },
  async () => {
    const [a, b, c, d] = readers as [BrowserContext, BrowserContext, BrowserContext, BrowserContext];
    // True counts: festival 4, market 3, walk 2, temple 1 (its reader comes back twice: still one view). The four
    // read at once, each in a browser of its own and one post after another, so their pages' loads and waits overlap.
    const { festival: f, market: m, walk: w, temple: t } = POSTS;
    await Promise.all([
      readInTurn(a, [f, m, w]),
      readInTurn(b, [f, m, w]),
      readInTurn(c, [f, m]),
      (async () => {
        await readInTurn(d, [f, t]);
        await readAgain(d, t.path);
        await readAgain(d, t.path);
      })(),
    ]);

    // A reader comments on the market post. Their pages' clock is Playwright's from here on, so their pause before
    // writing (below) takes no real time.
    await c.clock.install();
    const { page: post } = await open(c, POSTS.market.path);
    const thread = post.locator('sala-comments');
    await thread
      .getByLabel(/^comment/i)
      .first()
      .fill('The **kuy teav** stall on the east side is still there. <b>Go early</b>!');
    await thread.getByLabel(/^name/i).first().fill('Dara');
    await post.clock.fastForward(3_000); // a person reads before writing; the API refuses forms sent within 3 s
    await thread
      .getByRole('button', { name: /post comment/i })
      .first()
      .click();
    await expect.poll(() => thread.getByText('stall on the east side').count(), eventually).toBe(1);
    await post.close();

    // Other readers see the comment once the server has rebuilt the page (about a second locally; longer under load).
    await expect.poll(() => serverCount(POSTS.market.path), eventually).toBe(1);

    // The post's byline counts the same thread, though the demo serves post.html at /post (a 307 redirect), and is
    // named by the post's heading, its title being no link on its own page.
    const { page: again } = await open(c, POSTS.market.path);
    expect(new URL(again.url()).pathname).toBe(POSTS.market.path.replace(/\.html$/, ''));
    await expect
      .poll(async () => {
        await again.reload();
        const byline = again
          .locator('sala-comment-count[href="#comments"]')
          .getByRole('link', { name: /^\d+ comments? on \S/ });
        await byline.waitFor();
        return byline.textContent();
      }, eventually)
      .toBe('1 comment');
    await again.close();

    const home = await browser.newPage();
    const failures: string[] = [];
    home.on('pageerror', (error) => failures.push(error.message));
    home.on('request', (request) => {
      if (!request.url().startsWith(worker.origin)) failures.push(`third-party request: ${request.url()}`);
    });
    // One minute of `npm start`: its dev cron writes the buffered views, reads the four posts (each a redirect, then
    // the page: 3 reads a run listed one a minute) and rebuilds the lists, which then hold every post read.
    await fireCron(worker.origin);
    await expect
      .poll(async () => {
        await home.goto(worker.origin + '/');
        await home
          .locator('aside sala-popular-posts [aria-busy="false"]')
          .waitFor({ state: 'attached', timeout: 10_000 });
        return popularTitles(home, 'aside');
      }, eventually)
      .toEqual([POSTS.festival.title, POSTS.market.title, POSTS.walk.title, POSTS.temple.title]);

    // Every count on the home page comes in one request.
    const countRequests: URL[] = [];
    home.on('request', (request) => {
      if (request.url().includes('/api/v1/counts')) countRequests.push(new URL(request.url()));
    });
    await expect
      .poll(async () => {
        countRequests.length = 0;
        await home.reload();
        return commentCount(home, POSTS.market.path);
      }, eventually)
      .toBe('1 comment');
    expect(await commentCount(home, POSTS.festival.path)).toBe('0 comments');
    expect(countRequests.map((url) => url.searchParams.getAll('page').length)).toEqual([6]);

    const recent = home.locator('sala-recent-comments');
    await expect.poll(() => recent.getByRole('listitem').count(), eventually).toBe(1);
    expect((await recent.getByRole('listitem').textContent())?.replace(/\s+/g, ' ')).toContain(
      `Dara on ${POSTS.market.title}`,
    );
    // Plain text from the Markdown: the asterisks are gone, the tag is shown as text and never became markup.
    expect(await recent.getByText('The kuy teav stall on the east side is still there. <b>Go early</b>!').count()).toBe(
      1,
    );
    expect(await recent.locator('b').count()).toBe(0);
    expect(await recent.getByRole('link', { name: POSTS.market.title }).getAttribute('href')).toBe(
      `${worker.origin}${POSTS.market.path}#comments`,
    );

    expect(failures).toEqual([]);
    expect(await axeViolations(home)).toEqual([]);
    await home.locator('.theme-toggle').click();
    expect(await axeViolations(home)).toEqual([]);
    await home.close();

    // On a post, the footer's list leaves that post out.
    const { page: festival } = await open(a, POSTS.festival.path);
    await festival.locator('.popular sala-popular-posts [aria-busy="false"]').waitFor({ state: 'attached' });
    expect(await popularTitles(festival, '.popular')).toEqual([
      POSTS.market.title,
      POSTS.walk.title,
      POSTS.temple.title,
    ]);
    await festival.close();
  },
);
