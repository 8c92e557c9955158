/**
 * The Worker refuses a new comment sent within MIN_ELAPSED_MS of the page's first form (a bot's speed). A reader
 * that quick waits out the rest, then the comment goes, in one request. Its own file: the clock starts with the first
 * form a page shows, so in a file of other tests it would have run out before this one.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { MIN_ELAPSED_MS } from '@sala/protocol';
import { FakeApi } from '../test/fake-api.js';
import { PAGE, threadFixture } from '../test/fixtures.js';
import { fill, form, mount, submit } from '../test/render.js';

let api: FakeApi;

// The reader's seconds pass on a fake clock (the form reads performance.now() and waits with setTimeout), started before
// the page's first form: the wait is the same, and the test does not sit through it.
beforeAll(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
});

afterAll(() => {
  vi.useRealTimers();
});

beforeEach(() => {
  api = new FakeApi().install();
  api.threads.set(PAGE, threadFixture());
});

afterEach(() => {
  document.body.replaceChildren();
  localStorage.clear();
  vi.restoreAllMocks();
});

it('does not send again what a bot sent with the hidden field filled: it is told it was refused', async () => {
  api.minElapsedMs = MIN_ELAPSED_MS;
  const element = await mount();
  const composer = await form(element);
  await fill(composer, 'name', 'Vanna');
  await fill(composer, 'body', 'Filled in by a script.');
  composer.shadowRoot!.querySelector<HTMLInputElement>('[name="homepage"]')!.value = 'https://spam.example';
  await submit(composer);
  expect(api.requestsMatching('POST')).toHaveLength(1);
  expect(composer.shadowRoot!.textContent).toContain('This comment was not accepted.');
});

it('sends a comment pasted sooner than the Worker takes one once it may, in one request, saying "Sending…" meanwhile', async () => {
  api.minElapsedMs = MIN_ELAPSED_MS;
  const element = await mount();
  const composer = await form(element);
  await fill(composer, 'name', 'Vanna');
  await fill(composer, 'body', 'Pasted in a hurry, and still a comment.');
  void submit(composer);
  await vi.waitFor(() => expect(composer.shadowRoot!.textContent).toContain('Sending…'));
  expect(composer.shadowRoot!.querySelector('[role="alert"]')).toBeNull();
  expect(api.requestsMatching('POST')).toHaveLength(0);
  await vi.advanceTimersByTimeAsync(MIN_ELAPSED_MS + 100);
  await vi.waitFor(() => expect(element.shadowRoot!.querySelector('#comment-new-1')).not.toBeNull());
  // No refused request first: each costs one of the 5 a minute the reader's address may send (wrangler.jsonc).
  const sent = api.requestsMatching('POST').map((request) => (request.body as { elapsedMs: number }).elapsedMs);
  expect(sent).toHaveLength(1);
  expect(sent[0]).toBeGreaterThanOrEqual(MIN_ELAPSED_MS);
});
