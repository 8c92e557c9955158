/**
 * setDefaultApi() in a single-page app whose router took the elements off the page before the app set the API (React
 * or Vue unmounting a view, then mounting the same nodes again): they load once back on the page, never while off it.
 * A file of its own, as the default stays set for the page.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import '../comment-count/comment-count.js';
import '../popular-posts/popular-posts.js';
import '../recent-comments/recent-comments.js';
import { API, FakeApi } from '../test/fake-api.js';
import { PAGE, threadFixture } from '../test/fixtures.js';
import { $, loaded, text } from '../test/render.js';
import { setDefaultApi } from './config.js';

let api: FakeApi;

beforeEach(() => {
  api = new FakeApi().install();
  api.threads.set(PAGE, threadFixture());
  api.counts.set(PAGE, 7);
});

afterEach(() => {
  document.body.replaceChildren();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const reads = () => api.requests.filter((request) => request.method === 'GET').map((request) => request.url.pathname);

describe('setDefaultApi while elements are off the page', () => {
  it('loads each element once it is back, and an element on the page all along only once', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const thread = document.createElement('sala-comments');
    const count = document.createElement('sala-comment-count');
    const popular = document.createElement('sala-popular-posts');
    const recent = document.createElement('sala-recent-comments');
    const staying = document.createElement('sala-comment-count');
    for (const element of [thread, count, staying]) element.setAttribute('page-id', PAGE);
    const leaving = [thread, count, popular, recent];
    document.body.append(...leaving, staying);
    await Promise.all([...leaving, staying].map((element) => element.updateComplete));
    expect(text($(recent, '[role="alert"]'))).toBe('This comment box is not set up yet.');
    for (const element of leaving) element.remove();

    setDefaultApi(API);
    await vi.waitFor(() => expect(text($(staying, '[part~="count"]'))).toBe('7 comments'));
    expect(reads()).toEqual(['/api/v1/counts']);

    document.body.prepend(...leaving);
    await loaded(thread);
    expect(text($(thread, 'h2'))).toBe('7 comments');
    await vi.waitFor(() => expect(text($(count, '[part~="count"]'))).toBe('7 comments'));
    await vi.waitFor(() => expect(text($(popular, '[part="status"]'))).toBe('No popular posts yet.'));
    await vi.waitFor(() => expect(text($(recent, '[part="status"]'))).toBe('No comments yet.'));
    // The count is the page's one the element that stayed already asked for (count-batch.ts keeps it).
    expect(reads().slice(1).sort()).toEqual(['/api/v1/comments', '/api/v1/popular', '/api/v1/recent-comments']);
  });
});
