import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SalaErrorDetail } from '../events.js';
import { FakeApi } from '../test/fake-api.js';
import { BLOG, mountTag, recentComment } from '../test/list-fixtures.js';
import { $, $$, text } from '../test/dom.js';
import './recent-comments.js';

let api: FakeApi;

beforeEach(() => {
  api = new FakeApi().install();
  api.recentComments = [
    recentComment('r3'),
    recentComment('r2', {
      author: { name: 'Dara', avatar: 'seed-dara' },
      excerpt: 'Best num banh chok in town.',
      page: { url: `${BLOG}/2026/11/central-market.html`, title: 'Inside Phsar Thmei' },
      createdAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
    }),
    recentComment('r1', { page: null, pageId: 'post-42' }),
  ];
});

afterEach(() => {
  document.body.replaceChildren();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const mount = (attributes: Record<string, string> = {}) => mountTag('sala-recent-comments', attributes);

describe('<sala-recent-comments>', () => {
  it('lists the latest comments: who, an excerpt, the post linked to its comments, and how long ago', async () => {
    const element = await mount();
    expect(Object.fromEntries(api.requestsMatching('GET', '/api/v1/recent-comments')[0]!.url.searchParams)).toEqual({
      limit: '5',
    });
    expect($(element, 'ul[part="list"]').getAttribute('aria-label')).toBe('Recent comments');

    const items = $$(element, 'li[part="item"]');
    expect(items.map((item) => text($(item, '.meta')))).toEqual([
      'Sophea on A morning walk along Sisowath Quay',
      'Dara on Inside Phsar Thmei',
      'Sophea on post-42',
    ]);
    expect($<HTMLAnchorElement>(items[1]!, 'a[part="post"]').href).toBe(`${BLOG}/2026/11/central-market.html#comments`);
    // A page the server has no title for yet shows its id, unlinked when it is not a web address.
    expect(items[2]!.querySelector('a')).toBeNull();
    expect(text($(items[1]!, '[part="excerpt"]'))).toBe('Best num banh chok in town.');
    expect([text($(items[0]!, 'time')), text($(items[1]!, 'time'))]).toEqual(['5 minutes ago', '2 days ago']);
    expect($(items[0]!, 'time').title).toMatch(/\d{4}/);
  });

  it('reads a post title in Hebrew or Arabic right to left inside "author on post", its "!" at its end', async () => {
    const title = 'שלום עולם!';
    api.recentComments = [recentComment('r1', { page: { url: `${BLOG}/2026/11/shalom.html`, title } })];
    const link = $(await mount(), 'a[part="post"]');
    expect(getComputedStyle(link).direction).toBe('rtl');
    // Where the reader sees the first letter and the "!": the "!" ends the title, so it sits left of the letters.
    const letters = [...link.childNodes].find((node) => node.nodeType === Node.TEXT_NODE && node.textContent)!;
    const at = (index: number) => {
      const range = document.createRange();
      range.setStart(letters, index);
      range.setEnd(letters, index + 1);
      return range.getBoundingClientRect().left;
    };
    expect(text(link)).toBe(title);
    expect(at(title.length - 1)).toBeLessThan(at(0));
  });

  it('dates a comment as its lang writes dates, in the language’s words: en-GB day first', async () => {
    api.recentComments = [recentComment('r1', { createdAt: '2026-12-05T12:00:00.000Z' })];
    const time = $(await mount({ lang: 'en-GB' }), 'time');
    expect(time.title).toMatch(/^5 December 2026 at \d\d:\d\d$/);
    expect(time.getAttribute('datetime')).toBe('2026-12-05T12:00:00.000Z');
  });

  it('links a post with no title yet to the address its comments came with: Blogger’s .html, not the id', async () => {
    const walk = `${BLOG}/2026/11/morning-walk`;
    api.recentComments = [
      recentComment('r3', { page: null, pageId: walk, pageUrl: `${walk}.html` }),
      recentComment('r2', { page: null, pageId: walk, pageUrl: walk }), // stored before comments carried their address
      // The Worker gives no address for a page off the blog's origins: the id alone is never linked.
      recentComment('r1', { page: null, pageId: 'https://spam.example/cheap-pills' }),
    ];
    const element = await mount();
    const links = $$<HTMLAnchorElement>(element, 'a[part="post"]');
    expect(links.map((link) => [text(link), link.href])).toEqual([
      [walk, `${walk}.html#comments`],
      [walk, `${walk}#comments`],
    ]);
    expect(text($(element, 'span[part="post"]'))).toBe('https://spam.example/cheap-pills');
  });

  it('shows an excerpt as text: a payload in it never becomes markup', async () => {
    const payload = '<img src=x onerror="window.hacked=1"><script>window.hacked=2</script>';
    api.recentComments = [recentComment('x', { excerpt: payload, author: { name: '<b>Eve</b>', avatar: 'e' } })];
    const element = await mount();
    expect(text($(element, '[part="excerpt"]'))).toBe(payload);
    expect(text($(element, '[part="author"]'))).toBe('<b>Eve</b>');
    expect($$(element, 'li img, li script, li b')).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((window as { hacked?: number }).hacked).toBeUndefined();
  });

  it('asks for `limit` comments, and keeps to 1–20', async () => {
    await mount({ limit: '2' });
    expect(api.requestsMatching('GET', '/api/v1/recent-comments').at(-1)!.url.searchParams.get('limit')).toBe('2');
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    await mount({ limit: '0' });
    expect(api.requestsMatching('GET', '/api/v1/recent-comments').at(-1)!.url.searchParams.get('limit')).toBe('5');
  });

  it('says so when there are none yet, in English and Khmer', async () => {
    api.recentComments = [];
    expect(text($(await mount(), '[part="status"]'))).toBe('No comments yet.');
    const khmer = await mount({ lang: 'km' });
    await vi.waitFor(() => expect(text($(khmer, '[part="status"]'))).toBe('មិនទាន់មានមតិយោបល់នៅឡើយទេ។'));
  });

  it('reads "author on post" in Khmer word order from the Khmer string', async () => {
    const element = await mount({ lang: 'km' });
    await vi.waitFor(() => expect(text($(element, '.meta'))).toBe('Sophea លើ A morning walk along Sisowath Quay'));
  });

  it('reads "author on post" in Japanese word order, the post first', async () => {
    const element = await mount({ lang: 'ja' });
    await vi.waitFor(() => expect(text($(element, '.meta'))).toBe('A morning walk along Sisowath Quay に Sophea より'));
    expect($(element, '[part="list"]').getAttribute('aria-label')).toBe('最近のコメント');
  });

  it('shows a translated error and fires sala-error, with no "Try again" where asking again cannot help', async () => {
    api.failNext('GET', 404, { code: 'unknown_site', message: 'no such site' });
    const errors: SalaErrorDetail[] = [];
    document.body.addEventListener('sala-error', (event) => errors.push(event.detail), { once: true });
    const element = await mount();
    expect(text($(element, '[part="error"] p'))).toBe('This comment box is not set up correctly.');
    expect(errors.map((error) => error.code)).toEqual(['unknown_site']);
    expect($$(element, '[part="error"] button')).toEqual([]);
  });

  it('tries again after a failure that may pass', async () => {
    api.failNext('GET', 429, { code: 'rate_limited', message: 'slow down' });
    const element = await mount();
    $(element, '[part="error"] button').click();
    await vi.waitFor(() => expect($$(element, 'li')).toHaveLength(3));
  });

  it('counts no view: it is not tied to a post', async () => {
    await mount();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(api.requestsMatching('POST', '/api/v1/views')).toEqual([]);
  });
});
