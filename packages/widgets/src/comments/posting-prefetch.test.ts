/**
 * The posting chunk (thread-actions.ts, what the thread does on a Reply, Edit or Delete) starts downloading as a
 * pointer reaches one of those buttons, so the click finds it on its way; a page view alone never fetches it. A module
 * once fetched stays for the file: these tests run in order, the page view first. Focus: posting-prefetch-focus.test.ts.
 */
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import { FakeApi } from '../test/fake-api.js';
import { PAGE, threadFixture } from '../test/fixtures.js';
import { $, article, closedForm, fetched, mount, parkPointer } from '../test/render.js';

/** The test server builds a module on its first request: on a busy machine, seconds. */
const arrives = { timeout: 10_000 };

beforeEach(async () => {
  new FakeApi().install().threads.set(PAGE, threadFixture());
  await parkPointer();
});

afterEach(() => {
  document.body.replaceChildren();
  localStorage.clear();
  vi.unstubAllGlobals();
});

it('is not fetched on a page view, with the pointer over the heading and a comment and focus on a comment', async () => {
  const element = await mount();
  await userEvent.hover($(element, 'h2'));
  await userEvent.hover($(article(element, 'c1'), '[part="body"]'));
  article(element, 'c6').focus();
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(fetched('thread-actions.ts')).toBe(0);
});

it('starts downloading as the pointer reaches a Reply, before any click, which then opens the form', async () => {
  const element = await mount();
  const reply = $(article(element, 'c1'), '[data-action="reply"]');
  await userEvent.hover(reply);
  await expect.poll(() => fetched('thread-actions.ts'), arrives).toBe(1);

  reply.click();
  await closedForm(element, 'c1');
  expect(fetched('thread-actions.ts')).toBe(1);
});
