/**
 * setDefaultApi() in an app that renders the elements first and sets the API later (a framework's effect, a settings
 * fetch): elements without an API say so and fire sala-error, then load once it is set. A file of its own, as the
 * default stays set for the page.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SalaErrorDetail } from '../events.js';
import '../comment-count/comment-count.js';
import '../popular-posts/popular-posts.js';
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

describe('setDefaultApi', () => {
  it('reaches elements rendered before it, which until then say they are not set up and fire sala-error once', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const errors: [string, SalaErrorDetail][] = [];
    document.body.addEventListener('sala-error', (event) =>
      errors.push([(event.target as Element).localName, event.detail]),
    );
    const thread = document.createElement('sala-comments');
    const count = document.createElement('sala-comment-count');
    const popular = document.createElement('sala-popular-posts');
    for (const element of [thread, count]) element.setAttribute('page-id', PAGE);
    // An element with an api of its own keeps it.
    const elsewhere = Object.assign(document.createElement('sala-comments'), { api: 'https://other.test' });
    elsewhere.setAttribute('page-id', PAGE);
    document.body.append(thread, count, popular, elsewhere);
    await Promise.all([thread, count, popular].map((element) => element.updateComplete));

    expect(text($(thread, '[role="alert"]'))).toBe('This comment box is not set up yet.');
    expect(text($(popular, '[role="alert"]'))).toBe('This comment box is not set up yet.');
    expect(text($(count, '[part~="count"]'))).toBe('Comment count unavailable');
    // Renders later (its clock, a changed attribute) tell the page nothing new.
    thread.sort = 'newest';
    await thread.updateComplete;
    const notConfigured = { code: 'not_configured', message: expect.stringContaining('api attribute') as string };
    expect(errors).toEqual([
      ['sala-comments', notConfigured],
      ['sala-comment-count', notConfigured],
      ['sala-popular-posts', notConfigured],
    ]);
    expect(warn.mock.calls.map(([hint]) => String(hint))).toContain(
      '[sala] <sala-comments> needs an api attribute or setDefaultApi().',
    );
    const before = api.requests.filter((request) => request.method === 'GET').length;

    // As people paste it: with the API's base path.
    setDefaultApi(`${API}/api/v1/`);
    await loaded(thread);
    expect(text($(thread, 'h2'))).toBe('7 comments');
    await vi.waitFor(() => expect(text($(count, '[part~="count"]'))).toBe('7 comments'));
    await vi.waitFor(() => expect(text($(popular, '[part="status"]'))).toBe('No popular posts yet.'));
    const reads = api.requests.filter((request) => request.method === 'GET');
    expect(reads.slice(0, before).map((request) => request.url.origin)).toEqual(['https://other.test']);
    expect(reads.slice(before).map((request) => request.url.origin)).toEqual([API, API, API]);
    expect(errors).toHaveLength(3);
  });
});
