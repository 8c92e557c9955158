import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ViewBeacon } from '@sala/protocol';
import '../comments/comments.js';
import type { SalaErrorDetail } from '../events.js';
import { API, FakeApi } from '../test/fake-api.js';
import { BLOG, mountTag, popularFixture, popularPost } from '../test/list-fixtures.js';
import { $, $$, text } from '../test/render.js';
import './popular-posts.js';

let api: FakeApi;
const added: Element[] = [];

beforeEach(() => {
  api = new FakeApi().install();
  api.popularPosts = popularFixture();
});

afterEach(() => {
  document.body.replaceChildren();
  added.splice(0).forEach((node) => node.remove());
  localStorage.clear();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/**
 * Makes the test page a post: an article with a canonical URL (fresh per test: a page is counted once per load).
 * Its link is that URL; its page id drops `.html`.
 */
function onPostPage(slug: string): { url: string; pageId: string } {
  const url = `${BLOG}/2026/11/${slug}.html`;
  const template = document.createElement('template');
  template.innerHTML = `<meta property="og:type" content="article"><meta property="og:title" content="Post ${slug}">
    <link rel="canonical" href="${url}?m=1">`;
  const nodes = [...template.content.children];
  document.head.append(...nodes);
  added.push(...nodes);
  return { url, pageId: url.replace(/\.html$/, '') };
}

const mount = (attributes: Record<string, string> = {}, parent?: HTMLElement) =>
  mountTag('sala-popular-posts', attributes, parent);
const query = () => Object.fromEntries(api.requestsMatching('GET', '/api/v1/popular').at(-1)!.url.searchParams);
const beacons = () => api.requestsMatching('POST', '/api/v1/views');

describe('<sala-popular-posts>', () => {
  it('lists the last 7 days’ most read posts as an ordered list of links, with lazy thumbnails, dates and snippets', async () => {
    const element = await mount();

    expect(query()).toEqual({ range: '7d', by: 'views', limit: '5' });
    const list = $(element, 'ol[part="list"]');
    expect(list.getAttribute('aria-label')).toBe('Popular posts');
    const items = $$(element, 'li[part="item"]');
    expect(items.map((item) => text($(item, 'a[part~="link"]')))).toEqual([
      'A morning walk along Sisowath Quay',
      'Inside Phsar Thmei',
      'Words only',
      'When the rains come',
    ]);
    expect($<HTMLAnchorElement>(items[0]!, 'a[part~="link"]').href).toBe(`${BLOG}/2026/11/morning-walk.html`);

    const image = $<HTMLImageElement>(items[0]!, 'img');
    expect([image.src, image.loading, image.getAttribute('alt')]).toEqual([
      `${BLOG}/thumbs/morning-walk.svg`,
      'lazy',
      '',
    ]);
    // One link per post for keyboards and screen readers: the thumbnail's link is for pointers only.
    const thumbnailLink = $(items[0]!, 'a[part="thumbnail"]');
    expect([thumbnailLink.tabIndex, thumbnailLink.getAttribute('aria-hidden')]).toEqual([-1, 'true']);
    expect(items[2]!.querySelector('img')).toBeNull();

    const time = $<HTMLTimeElement>(items[0]!, 'time');
    expect(time.dateTime).toBe('2026-11-20T00:30:00.000Z');
    expect(text(time)).toMatch(/Nov (19|20), 2026/);
    expect(text($(items[0]!, '[part="snippet"]'))).toBe('What morning-walk is about.');
  });

  it('sends range, by, limit and label, and falls back from bad values with one hint', async () => {
    await mount({ range: '30d', by: 'comments', limit: '3', label: 'Food' });
    expect(query()).toEqual({ range: '30d', by: 'comments', limit: '3', label: 'Food' });

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const element = await mount({ range: 'fortnight', limit: '500' });
    expect(query()).toEqual({ range: '7d', by: 'views', limit: '5' });
    expect(warn.mock.calls.map(([message]) => String(message)).sort()).toEqual([
      expect.stringContaining('limit must be a whole number from 1 to 20'),
      expect.stringContaining('range="fortnight"'),
    ]);

    element.setAttribute('range', '24h');
    await vi.waitFor(() => expect(query()).toMatchObject({ range: '24h' }));
  });

  it('leaves out thumbnails and snippets when told', async () => {
    const element = await mount({ 'no-thumbnails': '', 'no-snippets': '' });
    expect($$(element, 'li')).toHaveLength(4);
    expect($$(element, 'img, [part="thumbnail"], [part="snippet"]')).toEqual([]);
  });

  it('shows text as text: a title cannot become markup, a link is only ever a web address', async () => {
    api.popularPosts = [
      popularPost('xss', { title: '<img src=x onerror="window.hacked=1">', image: 'javascript:alert(1)' }),
      popularPost('bad-link', { url: 'javascript:alert(1)' }),
    ];
    const element = await mount();
    expect($$(element, 'li')).toHaveLength(1);
    expect(text($(element, 'a[part~="link"]'))).toBe('<img src=x onerror="window.hacked=1">');
    expect($$(element, 'img')).toEqual([]);
  });

  it('says so when there are no popular posts yet', async () => {
    api.popularPosts = [];
    const element = await mount();
    expect(text($(element, '[part="status"]'))).toBe('No popular posts yet.');
    expect($$(element, 'li')).toEqual([]);
  });

  it('shows a translated error and fires sala-error when the list cannot load, and tries again', async () => {
    api.failNext('GET', 503, { code: 'internal', message: 'down' });
    const errors: SalaErrorDetail[] = [];
    document.body.addEventListener('sala-error', (event) => errors.push(event.detail), { once: true });
    const element = await mount();

    expect(text($(element, '[part="error"] p'))).toBe(
      'Something went wrong on the comment server. Please try again later.',
    );
    expect(errors).toEqual([{ code: 'internal', message: 'down' }]);
    $(element, '[part="error"] button').click();
    await vi.waitFor(() => expect($$(element, 'li')).toHaveLength(4));
    expect(element.shadowRoot!.querySelector('[part="error"]')).toBeNull();
  });

  it('speaks Khmer', async () => {
    api.popularPosts = [];
    const element = await mount({ lang: 'km' }, document.body);
    await vi.waitFor(() => expect(text($(element, '[part="status"]'))).toBe('មិនទាន់មានប្រកាសពេញនិយមនៅឡើយទេ។'));
  });

  it('puts the thumbnail beside the text where it is wide and above it where it is narrow, its box sized before it loads', async () => {
    const wide = document.createElement('div');
    wide.style.width = '800px';
    const narrow = document.createElement('div');
    narrow.style.width = '300px';
    document.body.append(wide, narrow);
    const [wideList, narrowList] = [await mount({}, wide), await mount({}, narrow)];

    const box = (element: HTMLElement, selector: string) =>
      $(element, `li:first-child ${selector}`).getBoundingClientRect();
    const [wideThumb, wideTitle] = [box(wideList, '[part="thumbnail"]'), box(wideList, '[part~="link"]')];
    expect(wideThumb.left).toBeGreaterThan(wideTitle.right);
    expect(Math.abs(wideThumb.top - wideTitle.top)).toBeLessThan(2);
    expect(wideThumb.width).toBeCloseTo(160, 0);

    const [narrowThumb, narrowTitle] = [box(narrowList, '[part="thumbnail"]'), box(narrowList, '[part~="link"]')];
    expect(narrowThumb.bottom).toBeLessThanOrEqual(narrowTitle.top);
    expect(narrowThumb.width).toBeCloseTo(300, 0);
    // 16:9 whether or not the image ever arrives: the text below does not move when it does.
    expect(narrowThumb.height).toBeCloseTo(300 * (9 / 16), 0);
  });
});

describe('<sala-popular-posts> on a post page', () => {
  it('leaves the post out, and counts the reader’s view of it once its list has come', async () => {
    const { url, pageId } = onPostPage('leave-out');
    await mount({ labels: 'Walks' });
    expect(query()).toEqual({ range: '7d', by: 'views', limit: '5', exclude: pageId });

    await vi.waitFor(() => expect(beacons()).toHaveLength(1));
    const beacon = beacons()[0]!.body as ViewBeacon;
    expect(beacon.page).toBe(pageId);
    expect(beacon.meta).toMatchObject({ url, title: 'Post leave-out', labels: ['Walks'] });
  });

  it('lists the post too with include-current; page-id makes any page a post', async () => {
    onPostPage('include');
    await mount({ 'include-current': '' });
    expect(query()).not.toHaveProperty('exclude');

    document.body.replaceChildren();
    added.splice(0).forEach((node) => node.remove());
    await mount({ 'page-id': 'post-42' });
    expect(query()).toMatchObject({ exclude: 'post-42' });
  });

  it('sends one view for the page however many Sala elements are on it, and weighs a sampled one', async () => {
    api.viewSample = 4;
    vi.spyOn(Math, 'random').mockReturnValue(0.1);
    const { url, pageId } = onPostPage('one-view');
    await Promise.all([mountTag('sala-comments', { 'page-id': url }), mount(), mount({ limit: '2' })]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(beacons()).toHaveLength(1);
    expect(beacons()[0]!.body).toMatchObject({ page: pageId, weight: 4 });
    expect(beacons()[0]!.url.origin).toBe(API);
  });

  it('sends no view when any Sala element on the page has no-track', async () => {
    onPostPage('not-tracked');
    await Promise.all([mount(), mountTag('sala-popular-posts', { 'no-track': '', limit: '1' })]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(beacons()).toEqual([]);
  });

  it('sends no view from a home page', async () => {
    await mount();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(beacons()).toEqual([]);
  });

  it('counts no view on a page that looks like a post but does not say so, and hints once how to say it', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const article = document.createElement('article');
    article.append(Object.assign(document.createElement('time'), { dateTime: '2026-11-20' }));
    document.body.append(article);
    await Promise.all([mount(), mount({ limit: '2' })]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(beacons()).toEqual([]);
    expect(query()).not.toHaveProperty('exclude');
    const hints = warn.mock.calls.map(([message]) => String(message)).filter((message) => message.includes('post'));
    expect(hints).toHaveLength(1);
    expect(hints[0]).toMatch(/^\[sala\] <sala-popular-posts> .*og:type.*article.*page-id/);
  });
});
