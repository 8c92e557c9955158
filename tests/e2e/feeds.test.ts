/**
 * End to end: a reader comments on a post of the demo blog under `wrangler dev`; the post's Atom feed, read as a
 * feed reader reads it, has the comment, escaped, with a link that opens the post at that comment in Chromium.
 */
import { DOMParser } from '@xmldom/xmldom';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium, openThread } from '../support/browser.js';
import { sharedWorker, type RunningWorker } from '../support/worker.js';

const ATOM = 'http://www.w3.org/2005/Atom';
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

test('a comment reaches its post’s feed, and the feed’s link opens the post at that comment', async () => {
  const post = `${worker.origin}/2026/09/rainy-season.html`;
  const page = await browser.newPage();
  // The page's clock is Playwright's, so the reader's pause before writing (below) takes no real time.
  await page.clock.install();
  const thread = await openThread(page, post);
  await thread
    .getByLabel(/^comment/i)
    .first()
    .fill('The rain on the **tin roof** <script>window.hacked = 1</script>');
  await thread.getByLabel(/^name/i).first().fill('Dara');
  await thread
    .getByLabel(/^email/i)
    .first()
    .fill('dara.private@example.com');
  await page.clock.fastForward(3_000); // the API refuses a form sent within 3 s of appearing
  await thread
    .getByRole('button', { name: /post comment/i })
    .first()
    .click();
  await expect.poll(() => thread.getByText('The rain on the').count(), eventually).toBe(1);

  // Once the thread has it (a rebuild, about a second), so the feed is not read (and cached) before.
  const pageId = `${worker.origin}/2026/09/rainy-season`;
  await expect
    .poll(async () => {
      const response = await fetch(`${worker.origin}/api/v1/comments?site=demo&page=${encodeURIComponent(pageId)}`);
      return ((await response.json()) as { total: number }).total;
    }, eventually)
    .toBe(1);

  const response = await fetch(`${worker.origin}/api/v1/feeds/demo/comments.atom?page=${encodeURIComponent(post)}`);
  expect(response.headers.get('Content-Type')).toBe('application/atom+xml; charset=utf-8');
  const text = await response.text();
  expect(text).not.toContain('dara.private@example.com');
  const feed = new DOMParser().parseFromString(text, 'application/xml').documentElement!;
  expect([feed.namespaceURI, feed.localName]).toEqual([ATOM, 'feed']);
  const entries = feed.getElementsByTagNameNS(ATOM, 'entry');
  expect(entries.length).toBe(1);
  const entry = entries[0]!;
  expect(entry.getElementsByTagNameNS(ATOM, 'name')[0]!.textContent).toBe('Dara');
  expect(entry.getElementsByTagNameNS(ATOM, 'content')[0]!.textContent).toBe(
    '<p>The rain on the <strong>tin roof</strong> &lt;script&gt;window.hacked = 1&lt;/script&gt;</p>',
  );
  const link = entry.getElementsByTagNameNS(ATOM, 'link')[0]!.getAttribute('href')!;
  expect(link).toMatch(new RegExp(`^${post.replace(/[.]/g, '\\.')}#comment-[0-9A-Z]{26}$`));

  // A reader of the feed follows the link: the post opens at that comment, which takes the focus.
  const reader = await (await browser.newContext()).newPage();
  await reader.goto(link);
  const commentId = new URL(link).hash.slice(1);
  await expect
    .poll(
      () => reader.evaluate(() => document.querySelector('sala-comments')?.shadowRoot?.activeElement?.id ?? null),
      eventually,
    )
    .toBe(commentId);
  expect(await reader.evaluate(() => (window as { hacked?: number }).hacked)).toBeUndefined();
});
