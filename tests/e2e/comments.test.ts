/**
 * End to end: the real Worker under `wrangler dev`, a post of the demo blog loading Sala through its one script tag,
 * in Chromium. A reader comments and replies; after a reload, and in a second browser, both are there.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { sharedWorker, type RunningWorker } from '../support/worker.js';

/** The server's thread lags a write by a rebuild (about a second locally), so reads after a write poll. */
const eventually = { timeout: 15_000 };

let worker: RunningWorker;
let browser: Browser;

beforeAll(async () => {
  [worker, browser] = await Promise.all([sharedWorker('demo posts'), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
});

async function openDemo(page: Page): Promise<void> {
  const failures: string[] = [];
  page.on('pageerror', (error) => failures.push(error.message));
  page.on('request', (request) => {
    if (!request.url().startsWith(worker.origin)) failures.push(`third-party request: ${request.url()}`);
  });
  await page.goto(worker.origin + '/2026/11/morning-walk.html');
  await page
    .locator('sala-comments')
    .getByLabel(/^comment/i)
    .first()
    .waitFor();
  expect(failures).toEqual([]);
}

test('a comment and a reply posted on the demo blog survive a reload and reach a second reader', async () => {
  const first = await browser.newPage();
  // The page's clock is Playwright's, so the reader's pause before writing (below) takes no real time.
  await first.clock.install();
  await openDemo(first);
  const thread = first.locator('sala-comments');

  await thread
    .getByLabel(/^comment/i)
    .first()
    .fill('Lovely walk, **thank you**! <script>window.hacked = 1</script>');
  await thread.getByLabel(/^name/i).first().fill('Sophea');
  // A reader reads before writing; the API refuses a form sent within 3 s of appearing, as bots do.
  await first.clock.fastForward(3_000);
  await thread
    .getByRole('button', { name: /post comment/i })
    .first()
    .click();
  await expect.poll(() => thread.getByText('Lovely walk,').count(), eventually).toBe(1);
  expect(await thread.locator('strong', { hasText: 'thank you' }).count()).toBe(1);

  await thread
    .getByRole('button', { name: /^reply/i })
    .first()
    .click();
  const replyBox = thread.getByLabel(/^comment/i).nth(1);
  await replyBox.fill('Agreed, the num banh chok is the best part.');
  await thread.getByRole('button', { name: /post reply/i }).click();
  await expect.poll(() => thread.getByText('num banh chok is the best part').count(), eventually).toBe(1);

  await first.reload();
  await expect.poll(() => first.locator('sala-comments').getByText('Lovely walk,').count(), eventually).toBe(1);
  await expect
    .poll(() => first.locator('sala-comments').getByText('num banh chok is the best part').count(), eventually)
    .toBe(1);
  expect(await first.evaluate(() => (window as { hacked?: number }).hacked)).toBeUndefined();

  // Another reader: no localStorage from the first, so only the server can have given them the thread. Other
  // readers see a new comment once the page's snapshot is rebuilt, so they reload until then, as a person would.
  const context = await browser.newContext();
  const second = await context.newPage();
  const scripts: string[] = [];
  second.on('request', (request) => {
    if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
  });
  await openDemo(second);
  const theirs = second.locator('sala-comments');
  await expect
    .poll(async () => {
      await second.reload();
      await theirs
        .getByLabel(/^comment/i)
        .first()
        .waitFor();
      return theirs.getByText('num banh chok is the best part').count();
    }, eventually)
    .toBe(1);
  await expect.poll(() => theirs.getByText('Lovely walk,').count(), eventually).toBe(1);
  await expect.poll(() => theirs.getByText('num banh chok is the best part').count(), eventually).toBe(1);
  // The Worker sends each comment parsed: its Markdown renders without the parser, which this reader never fetched.
  expect(await theirs.locator('strong', { hasText: 'thank you' }).count()).toBe(1);
  expect(scripts.filter((path) => /^\/widgets\/markdown(\.thread)?-[\w-]+\.js$/.test(path))).toEqual([]);
  await context.close();
});

/** A page of the demo, opened and settled, and the posting chunk's requests it has made so far. */
async function readerPage(): Promise<{ page: Page; posting: () => string[] }> {
  const page = await browser.newPage();
  const scripts: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
  });
  await openDemo(page);
  await page.waitForLoadState('networkidle');
  return { page, posting: () => scripts.filter((path) => /^\/widgets\/sending(\.thread)?-[\w-]+\.js$/.test(path)) };
}

test('a reader who only reads never downloads the code that posts; starting on the form fetches it', async () => {
  const { page, posting } = await readerPage();
  expect(posting()).toEqual([]);

  await page
    .locator('sala-comments')
    .getByLabel(/^comment/i)
    .first()
    .focus();
  await expect.poll(() => posting().length, eventually).toBe(1);
  await page.close();
});

// Uses the comments the first test posted: a Reply needs a comment.
test('a pointer on a Reply fetches the code that posts before the reader clicks', async () => {
  const { page, posting } = await readerPage();
  expect(posting()).toEqual([]);

  await page
    .locator('sala-comments')
    .getByRole('button', { name: /^reply/i })
    .first()
    .hover();
  await expect.poll(() => posting().length, eventually).toBe(1);
  await page.close();
});
