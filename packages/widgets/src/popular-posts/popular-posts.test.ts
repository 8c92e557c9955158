import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { page } from 'vitest/browser';
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
  document.documentElement.removeAttribute('lang');
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
    expect([image.src, image.loading, image.getAttribute('alt')]).toEqual([popularFixture()[0]!.image, 'lazy', '']);
    // One link per post for keyboards and screen readers: the thumbnail's link is for pointers only.
    const thumbnailLink = $(items[0]!, 'a[part="thumbnail"]');
    expect([thumbnailLink.tabIndex, thumbnailLink.getAttribute('aria-hidden')]).toEqual([-1, 'true']);
    expect(items[2]!.querySelector('img')).toBeNull();

    const time = $<HTMLTimeElement>(items[0]!, 'time');
    expect(time.dateTime).toBe('2026-11-20T00:30:00.000Z');
    expect(text(time)).toMatch(/Nov (19|20), 2026/);
    expect(text($(items[0]!, '[part="snippet"]'))).toBe('What morning-walk is about.');
  });

  it('leaves out a thumbnail that does not load (deleted, moved, refused), showing that post as text', async () => {
    api.popularPosts = [
      popularPost('gone', { title: 'Its picture was deleted', image: `${location.origin}/no-such-picture.jpg` }),
      popularPost('kept', { title: 'Its picture is there' }),
    ];
    const element = await mount();

    const [gone, kept] = $$(element, 'li[part="item"]') as [HTMLElement, HTMLElement];
    // No broken-image box: the post takes the whole row, as one without a picture does.
    await expect.poll(() => gone.querySelector('[part="thumbnail"]'), { timeout: 5_000 }).toBeNull();
    expect(gone.classList.contains('with-thumbnail')).toBe(false);
    expect(text($(gone, 'a[part~="link"]'))).toBe('Its picture was deleted');
    await expect.poll(() => $<HTMLImageElement>(kept, 'img').naturalWidth).toBeGreaterThan(0);
    expect(kept.querySelector('[part="thumbnail"]')).not.toBeNull();
  });
  it('sends range, by, limit and label, and falls back from bad values with one hint', async () => {
    await mount({ range: '30d', by: 'comments', limit: '3', label: 'Food' });
    expect(query()).toEqual({ range: '30d', by: 'comments', limit: '3', label: 'Food' });

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const element = await mount({ range: 'fortnight', limit: '500' });
    expect(query()).toEqual({ range: '7d', by: 'views', limit: '5' });
    await vi.waitFor(() =>
      expect(warn.mock.calls.map(([message]) => String(message)).sort()).toEqual([
        expect.stringContaining('limit must be a whole number from 1 to 20'),
        expect.stringContaining('range="fortnight"'),
      ]),
    );

    element.setAttribute('range', '24h');
    await vi.waitFor(() => expect(query()).toMatchObject({ range: '24h' }));
  });

  it('leaves out thumbnails and snippets when told', async () => {
    const element = await mount({ 'no-thumbnails': '', 'no-snippets': '' });
    expect($$(element, 'li')).toHaveLength(4);
    expect($$(element, 'img, [part="thumbnail"], [part="snippet"]')).toEqual([]);
  });

  it('reads a post in Arabic right to left, title and snippet, in a list of English strings', async () => {
    api.popularPosts = [
      popularPost('festival', { title: 'مهرجان المياه!', description: 'ثلاثة أيام من سباق القوارب، 2026.' }),
    ];
    const element = await mount();
    const direction = (selector: string) => getComputedStyle($(element, selector)).direction;
    expect([direction('a[part~="link"]'), direction('[part="snippet"]')]).toEqual(['rtl', 'rtl']);
    expect(direction('ol')).toBe('ltr');
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

  // Words from the language's pack, dates from the page's whole tag; a tag Intl rejects keeps English's.
  for (const [lang, label, date] of [
    ['en-GB', 'Popular posts', '5 Dec 2026'],
    ['en_GB', 'Popular posts', '5 Dec 2026'],
    ['pt-BR', 'Postagens populares', '5 de dez. de 2026'],
    ['pt-PT', 'Postagens populares', '05/12/2026'],
    ['x', 'Popular posts', 'Dec 5, 2026'],
  ]) {
    it(`dates posts as <html lang="${lang}"> writes dates, in its language's words`, async () => {
      document.documentElement.lang = lang!;
      api.popularPosts = [popularPost('noon', { published: '2026-12-05T12:00:00.000Z' })];
      const element = await mount();
      expect($(element, 'ol[part="list"]').getAttribute('aria-label')).toBe(label);
      const time = $<HTMLTimeElement>(element, 'time[part="date"]');
      expect([text(time), time.dateTime]).toEqual([date, '2026-12-05T12:00:00.000Z']);
    });
  }
});

describe('<sala-popular-posts> layout', () => {
  afterAll(async () => {
    await page.viewport(414, 896);
  });

  /** Five posts with thumbnails, titles of a blog's usual length and snippets longer than the list shows. */
  beforeEach(() => {
    const snippet =
      'We left before sunrise, when the river is still pink and the joggers own the promenade, and walked north ' +
      'past the palace to the night market as it was being swept.';
    const titles = [
      'A morning walk along Sisowath Quay',
      'Inside Phsar Thmei, the Central Market',
      'Where to eat num banh chok in Phnom Penh',
      'When the rains come to the Mekong',
      'Ten things I learned riding a cyclo',
    ];
    api.popularPosts = titles.map((title, i) => popularPost(`post-${i}`, { title, description: snippet }));
  });

  /** The element in a column of the given width, the way a blog's footer or sidebar holds it. */
  async function inColumn(width: number) {
    const column = document.createElement('div');
    column.style.width = `${width}px`;
    document.body.append(column);
    added.push(column);
    return mount({}, column);
  }

  const box = (element: HTMLElement, selector: string) =>
    $(element, `li:first-child ${selector}`).getBoundingClientRect();

  // Each post is at most two title lines, the date and two snippet lines (about 136px), so five stay under 700px;
  // with full-width thumbnails stacked above the text the same five were about 2,000px tall at 390px.
  for (const [width, where] of [
    [390, 'a phone'],
    [300, 'a sidebar on a wide screen'],
  ] as const) {
    it(`is compact in ${where} (${width}px): a small square thumbnail beside each title, snippets cut to two lines`, async () => {
      await page.viewport(1280, 900);
      const element = await inColumn(width);

      expect($$(element, 'li')).toHaveLength(5);
      expect($(element, 'ol').getBoundingClientRect().height).toBeLessThan(700);
      const [thumbnail, title] = [box(element, '[part="thumbnail"]'), box(element, '[part~="link"]')];
      expect(thumbnail.width).toBeLessThanOrEqual(90);
      // Square, and sized before the image arrives, so nothing below moves when it does.
      expect(thumbnail.height).toBeCloseTo(thumbnail.width, 0);
      expect(title.left).toBeGreaterThan(thumbnail.right);
      expect(Math.abs(thumbnail.top - title.top)).toBeLessThan(2);
      const snippet = $(element, 'li:first-child [part="snippet"]');
      expect(snippet.getBoundingClientRect().height).toBeLessThanOrEqual(
        2 * parseFloat(getComputedStyle(snippet).lineHeight) + 1,
      );
    });
  }

  it('keeps the roomy layout where it is wide (1024px): text on the left, a 16:9 thumbnail on the right', async () => {
    await page.viewport(1280, 900);
    const element = await inColumn(1024);

    const [thumbnail, title] = [box(element, '[part="thumbnail"]'), box(element, '[part~="link"]')];
    expect(thumbnail.left).toBeGreaterThan(title.right);
    expect(Math.abs(thumbnail.top - title.top)).toBeLessThan(2);
    expect(thumbnail.width).toBeCloseTo(160, 0);
    expect(thumbnail.height).toBeCloseTo(160 * (9 / 16), 0);
    const snippet = $(element, 'li:first-child [part="snippet"]');
    // The whole snippet shows: it needs two lines at this width, and three are allowed.
    expect(snippet.scrollHeight).toBeLessThanOrEqual(snippet.clientHeight);
  });

  it('takes its thumbnail sizes from --sala-thumbnail-size and --sala-thumbnail-width', async () => {
    await page.viewport(1280, 900);
    const [narrow, wide] = [await inColumn(390), await inColumn(1024)];
    for (const element of [narrow, wide]) {
      element.style.setProperty('--sala-thumbnail-size', '3rem');
      element.style.setProperty('--sala-thumbnail-width', '12rem');
    }
    expect(box(narrow, '[part="thumbnail"]').width).toBeCloseTo(48, 0);
    expect(box(wide, '[part="thumbnail"]').width).toBeCloseTo(192, 0);
  });
});

describe('<sala-popular-posts> on a post page', () => {
  // The test page runs in the background and gets no idle moment before the view's 5 s fallback (internal/views.ts),
  // which each test here waited out: the next task stands for it, still after the list came, as a quiet page's would.
  beforeEach(() => {
    vi.stubGlobal('requestIdleCallback', (callback: IdleRequestCallback) =>
      setTimeout(() => callback({ didTimeout: false, timeRemaining: () => 50 })),
    );
  });

  /**
   * Until a view this page asked for would have gone: the views chunk, which an element asks for as its list comes, is
   * here, and the idle moment (the next task, above) has passed.
   */
  async function viewWouldHaveGone(): Promise<void> {
    await import('../internal/views.js');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  it('leaves the post out, and counts the reader’s view of it once its list has come', async () => {
    const { url, pageId } = onPostPage('leave-out');
    await mount({ labels: 'Walks' });
    expect(query()).toEqual({ range: '7d', by: 'views', limit: '5', exclude: pageId });

    await vi.waitFor(() => expect(beacons()).toHaveLength(1), { timeout: 8000 });
    const beacon = beacons()[0]!.body as ViewBeacon;
    expect(beacon.page).toBe(pageId);
    expect(beacon.meta).toMatchObject({ url, title: 'Post leave-out', labels: ['Walks'] });
  }, 15_000);

  it('lists the post too with include-current; page-id makes any page a post', async () => {
    const { pageId } = onPostPage('include');
    await mount({ 'include-current': '' });
    expect(query()).not.toHaveProperty('exclude');

    document.body.replaceChildren();
    added.splice(0).forEach((node) => node.remove());
    await mount({ 'page-id': 'post-42' });
    expect(query()).toMatchObject({ exclude: 'post-42' });
    // Each page is counted once it is idle, however late: waited for here, or a busy machine's late beacon lands in
    // the next test's requests.
    await vi.waitFor(() => expect(beacons()).toHaveLength(2), { timeout: 8000 });
    expect(beacons().map((beacon) => (beacon.body as ViewBeacon).page)).toEqual(
      expect.arrayContaining([pageId, 'post-42']),
    );
  }, 15_000);

  it('sends one view for the page however many Sala elements are on it, and weighs a sampled one', async () => {
    api.viewSample = 4;
    vi.spyOn(Math, 'random').mockReturnValue(0.1);
    const { url, pageId } = onPostPage('one-view');
    await Promise.all([mountTag('sala-comments', { 'page-id': url }), mount(), mount({ limit: '2' })]);
    // The view waits for the page to be idle (internal/views.ts): wait for it, then for a second one.
    await vi.waitFor(() => expect(beacons()).not.toHaveLength(0), { timeout: 8000 });
    await viewWouldHaveGone();
    expect(beacons()).toHaveLength(1);
    expect(beacons()[0]!.body).toMatchObject({ page: pageId, weight: 4 });
    expect(beacons()[0]!.url.origin).toBe(API);
  }, 15_000);

  it('sends no view when any Sala element on the page has no-track', async () => {
    onPostPage('not-tracked');
    await Promise.all([mount(), mountTag('sala-popular-posts', { 'no-track': '', limit: '1' })]);
    await viewWouldHaveGone();
    expect(beacons()).toEqual([]);
  });

  it('sends no view from a home page', async () => {
    await mount();
    await viewWouldHaveGone();
    expect(beacons()).toEqual([]);
  });

  it('counts no view on a page that looks like a post but does not say so, and hints once how to say it', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const article = document.createElement('article');
    article.append(Object.assign(document.createElement('time'), { dateTime: '2026-11-20' }));
    document.body.append(article);
    await Promise.all([mount(), mount({ limit: '2' })]);
    await viewWouldHaveGone();
    expect(beacons()).toEqual([]);
    expect(query()).not.toHaveProperty('exclude');
    const hints = warn.mock.calls.map(([message]) => String(message)).filter((message) => message.includes('post'));
    expect(hints).toHaveLength(1);
    expect(hints[0]).toMatch(/^\[sala\] <sala-popular-posts> .*og:type.*article.*page-id/);
  });
});
