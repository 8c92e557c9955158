/**
 * The posting chunk (thread-actions.ts) starts downloading as keyboard focus lands on a Reply, before the reader
 * presses it. A file of its own, so the module has not been fetched yet (posting-prefetch.test.ts: the pointer).
 */
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { FakeApi } from '../test/fake-api.js';
import { PAGE, threadFixture } from '../test/fixtures.js';
import { $, article, fetched, mount, parkPointer } from '../test/render.js';

beforeEach(async () => {
  new FakeApi().install().threads.set(PAGE, threadFixture());
  await parkPointer();
});

afterEach(() => {
  document.body.replaceChildren();
  localStorage.clear();
  vi.unstubAllGlobals();
});

it('starts downloading as focus lands on a Reply, before any click or key press', async () => {
  const element = await mount();
  expect(fetched('thread-actions.ts')).toBe(0);

  $(article(element, 'c6'), '[data-action="reply"]').focus();
  // The test server builds a module on its first request: on a busy machine, seconds.
  await expect.poll(() => fetched('thread-actions.ts'), { timeout: 10_000 }).toBe(1);
});
