import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LINK_REL, type ErrorCode } from '@sala/protocol';
import type { SalaErrorDetail } from '../events.js';
import { API, FakeApi } from '../test/fake-api.js';
import { comment, PAGE, threadFixture } from '../test/fixtures.js';
import { $, $$, article, closedForm, form, loaded, mount, text } from '../test/render.js';
import type { SalaComments } from './comments.js';

let api: FakeApi;

beforeEach(() => {
  api = new FakeApi().install();
  api.threads.set(PAGE, threadFixture());
});

afterEach(() => {
  document.body.replaceChildren();
  document.documentElement.removeAttribute('lang');
  localStorage.clear();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** The comment ids under a list, in order, one level deep. */
function ids(list: Element): string[] {
  return [...list.children].map((item) => item.querySelector(':scope > article')!.id.replace('comment-', ''));
}

describe('<sala-comments> thread', () => {
  it('asks the API once for the page, and nests replies under their parents', async () => {
    const element = await mount();

    const reads = api.requestsMatching('GET');
    expect(reads).toHaveLength(1);
    expect(reads[0]!.url.origin).toBe(API);
    expect(Object.fromEntries(reads[0]!.url.searchParams)).toEqual({ page: PAGE, sort: 'oldest' });
    expect(text($(element, 'h2'))).toBe('7 comments');

    const thread = $(element, '[part="thread"]');
    expect(ids(thread)).toEqual(['c1', 'c6', 'c7']);
    const level2 = article(element, 'c1').parentElement!.querySelector(':scope > ul')!;
    expect(ids(level2)).toEqual(['c2']);
    const level3 = article(element, 'c2').parentElement!.querySelector(':scope > ul')!;
    expect(ids(level3)).toEqual(['c3', 'c4', 'c5']);
  });

  it('brings the comment a link names (#comment-{id}, as feeds link) into view and focus', async () => {
    history.replaceState(null, '', `${location.pathname}${location.search}#comment-c7`);
    try {
      const element = await mount();
      await vi.waitFor(() => expect(element.shadowRoot!.activeElement).toBe(article(element, 'c7')));
    } finally {
      history.replaceState(null, '', location.pathname + location.search);
    }
  });

  it('loads on to the page holding a linked comment past the first, as a feed links the newest', async () => {
    api.pageSize = 1;
    history.replaceState(null, '', `${location.pathname}${location.search}#comment-c7`);
    try {
      const element = await mount();
      await vi.waitFor(() => expect(element.shadowRoot!.activeElement).toBe(article(element, 'c7')));
      expect(api.requestsMatching('GET').map((request) => request.url.searchParams.get('cursor'))).toEqual([
        null,
        '1',
        '2',
      ]);
    } finally {
      history.replaceState(null, '', location.pathname + location.search);
    }
  });

  it('stops loading for a linked comment that is not in the thread at its last page', async () => {
    api.pageSize = 1;
    history.replaceState(null, '', `${location.pathname}${location.search}#comment-gone`);
    try {
      const element = await mount();
      await vi.waitFor(() => expect(ids($(element, '[part="thread"]'))).toEqual(['c1', 'c6', 'c7']));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(api.requestsMatching('GET')).toHaveLength(3);
      expect(element.shadowRoot!.activeElement).toBeNull();
    } finally {
      history.replaceState(null, '', location.pathname + location.search);
    }
  });

  it('scrolls to itself again once drawn when the address names it (#comments from "12 comments")', async () => {
    history.replaceState(null, '', `${location.pathname}${location.search}#comments`);
    const scrolled = vi.spyOn(HTMLElement.prototype, 'scrollIntoView');
    try {
      const element = await mount({ id: 'comments' });
      await vi.waitFor(() => expect(scrolled.mock.contexts).toContain(element));
    } finally {
      history.replaceState(null, '', location.pathname + location.search);
    }
  });

  // Hebrew has no strings: its page gets English, laid out left to right; an Arabic page gets its own, mirrored.
  for (const [lang, dir, heading] of [
    ['he', 'ltr', '2 comments'],
    ['ar', 'rtl', 'تعليقان'],
  ] as const) {
    it(`gives comments and names their own text direction, and its own strings ${dir} on a right-to-left page (${lang})`, async () => {
      api.threads.set(PAGE, [
        comment('c1', null, 'سارا', 'مرحبا بالجميع، this walk was lovely.'),
        comment('c2', null, 'Dara', 'English text, then some عربي.'),
      ]);
      const page = document.createElement('div');
      page.setAttribute('dir', 'rtl');
      page.setAttribute('lang', lang);
      document.body.append(page);
      const element = await mount({}, page);
      const direction = (node: Element) => getComputedStyle(node).direction;
      expect([text($(element, 'h2')), direction($(element, 'h2'))]).toEqual([heading, dir]);
      expect(direction($(article(element, 'c1'), '[part="body"]'))).toBe('rtl');
      expect(direction($(article(element, 'c1'), '[part="author"]'))).toBe('rtl');
      expect(direction($(article(element, 'c2'), '[part="body"]'))).toBe('ltr');
      expect(direction($(article(element, 'c2'), '[part="author"]'))).toBe('ltr');
      expect($(await closedForm(element), 'textarea').getAttribute('dir')).toBe('auto');
    });
  }

  it('keeps a name holding a right-to-left override (stored before names were checked) from reversing the text beside it', async () => {
    const reversing = 'Mallory\u202e';
    api.threads.set(PAGE, [
      comment('c1', null, 'Alice', 'A root comment.'),
      comment('c2', 'c1', reversing, 'Hello world'),
      comment('c3', 'c2', 'Bob', 'Hello world'),
    ]);
    const element = await mount({ 'max-depth': '1' });
    /** Where the `index`th character of `node`'s text is drawn, from the left. */
    const left = (node: Node, index: number) => {
      const range = document.createRange();
      range.setStart(node, index);
      range.setEnd(node, index + 1);
      return range.getBoundingClientRect().left;
    };
    const textIn = (root: Element, words: string) =>
      [...root.querySelectorAll('*')]
        .flatMap((node) => [...node.childNodes])
        .find((node) => node.textContent === words)!;
    // Beside the name: its own text, then the time, left to right.
    const author = $(article(element, 'c2'), '[part="author"]');
    expect(author.getBoundingClientRect().right).toBeLessThanOrEqual(
      $(article(element, 'c2'), '[part="time"]').getBoundingClientRect().left,
    );
    // After the name as a reply's @mention: the reply's own words read left to right.
    const reply = $(article(element, 'c3'), '[part="body"]');
    expect(text($(reply, '[part="mention"]'))).toBe(`@${reversing}`);
    const words = textIn(reply, 'Hello world');
    expect(left(words, 0)).toBeLessThan(left(words, 6)); // "H" before "w"
  });

  it('gives its heading the level heading-level asks for, under a theme whose post titles are h3', async () => {
    const element = await mount({ 'heading-level': '4' });
    expect($(element, 'h2').getAttribute('aria-level')).toBe('4');
    element.remove(); // two of one post would show it once
    expect($(await mount(), 'h2').hasAttribute('aria-level')).toBe(false);
  });

  it('lines up replies below max-depth beside their parent, each with an @mention of whom it answers', async () => {
    const element = await mount();
    expect(text($(article(element, 'c4'), '[part="mention"]'))).toBe('@Carol');
    expect(text($(article(element, 'c5'), '[part="body"]'))).toBe('@Dave Deepest.');
    expect(article(element, 'c3').querySelector('[part="mention"]')).toBeNull();

    element.remove(); // two of one post would show it once
    const flat = await mount({ 'max-depth': '1', 'page-id': PAGE });
    expect(ids($(flat, '[part="thread"]'))).toEqual(['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8']);
    expect(text($(article(flat, 'c2'), '[part="mention"]'))).toBe('@Alice');
  });

  it('renders Markdown, links with rel and a new tab, the author website, and placeholders for deleted comments', async () => {
    const element = await mount();
    const body = $(article(element, 'c1'), '[part="body"]');
    expect(body.querySelector('strong')?.textContent).toBe('world');
    const link = body.querySelector('a')!;
    expect([link.href, link.rel, link.target]).toEqual(['https://example.com/docs', LINK_REL, '_blank']);

    const frank = article(element, 'c6');
    expect(frank.querySelector('blockquote')?.textContent).toBe('quoted');
    expect(frank.querySelectorAll('li')).toHaveLength(2);
    expect($<HTMLAnchorElement>(frank, '[part="author"] a').href).toBe('https://frank.example/');

    expect(text(article(element, 'c7'))).toBe('Comment deleted');
    expect(article(element, 'c7').querySelector('button, svg')).toBeNull();
    expect(ids(article(element, 'c7').parentElement!.querySelector('ul')!)).toEqual(['c8']);
  });

  it('renders the text as the Worker parsed it, and parses it here for a Worker or snapshot from before that', async () => {
    // The Worker's parse is what shows: the body is there for the edit form, not parsed again.
    api.threads.set(PAGE, [
      comment('c1', null, 'Alice', 'the *source*', { parsed: [['p', 'parsed by ', ['strong', 'the Worker']]] }),
    ]);
    const parsed = await mount();
    expect(text($(article(parsed, 'c1'), '[part="body"]'))).toBe('parsed by the Worker');
    expect($(article(parsed, 'c1'), '[part="body"] strong').textContent).toBe('the Worker');
    document.body.replaceChildren();

    api.unparsed = true;
    api.threads.set(PAGE, threadFixture());
    const element = await mount();
    const body = $(article(element, 'c1'), '[part="body"]');
    expect(body.querySelector('strong')?.textContent).toBe('world');
    expect(body.querySelector('a')?.rel).toBe(LINK_REL);
    expect(article(element, 'c6').querySelector('blockquote')?.textContent).toBe('quoted');
  });

  it('shows relative times with the full date in the title, and draws avatars without any request', async () => {
    const element = await mount();
    const time = $<HTMLTimeElement>(article(element, 'c1'), 'time');
    expect(time.dateTime).toBe(api.threads.get(PAGE)![0]!.createdAt);
    expect(text(time)).toMatch(/ago$/);
    expect(time.title).toMatch(/\d{4}/);
    expect($(article(element, 'c1'), 'svg[part="avatar"]').querySelectorAll('rect').length).toBeGreaterThan(1);
    expect(api.requests.every((request) => request.url.origin === API)).toBe(true);
  });

  it('loads more top-level comments with nextCursor, keeping those already shown', async () => {
    api.pageSize = 2;
    // The reader's comment held for moderation, posted between c6 and c7: last until c7's page loads, then before it.
    const held = comment('p1', null, 'Me', 'Waiting', {
      status: 'pending',
      createdAt: new Date(Date.now() - 93.5 * 60_000).toISOString(),
    });
    localStorage.setItem(
      `sala:own:${API}||${PAGE}`,
      JSON.stringify([{ comment: held, editToken: 't', editableUntil: held.createdAt }]),
    );
    const element = await mount();
    await vi.waitFor(() => expect(ids($(element, '[part="thread"]'))).toEqual(['c1', 'c6', 'p1']));

    $(element, '[part~="load-more"]').click();
    await vi.waitFor(() => expect(ids($(element, '[part="thread"]'))).toEqual(['c1', 'c6', 'p1', 'c7']));
    expect(api.requestsMatching('GET')[1]!.url.searchParams.get('cursor')).toBe('2');
    expect($$(element, '[part~="load-more"]')).toHaveLength(0);
    // The button went away with the last page: keyboard focus lands on the first comment it brought.
    await vi.waitFor(() => expect(element.shadowRoot!.activeElement).toBe(article(element, 'c7')));
  });

  it('switches sort from the select and from the attribute, asking the API again', async () => {
    const element = await mount();
    const select = $<HTMLSelectElement>(element, 'select');
    select.value = 'newest';
    select.dispatchEvent(new Event('change'));
    await loaded(element);
    await vi.waitFor(() => expect(ids($(element, '[part="thread"]'))).toEqual(['c7', 'c6', 'c1']));
    expect(api.requestsMatching('GET').at(-1)!.url.searchParams.get('sort')).toBe('newest');

    element.remove(); // two of one post would show it once
    const newest = await mount({ sort: 'newest' });
    expect(ids($(newest, '[part="thread"]'))).toEqual(['c7', 'c6', 'c1']);
    expect($<HTMLSelectElement>(newest, 'select').value).toBe('newest');
  });

  it('drops a slow answer that a newer request has replaced', async () => {
    const element = await mount();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    api.gate = async (request) => {
      if (request.url.searchParams.get('sort') === 'newest') await held;
    };
    element.sort = 'newest';
    await element.updateComplete;
    element.sort = 'oldest';
    await loaded(element);
    release();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ids($(element, '[part="thread"]'))).toEqual(['c1', 'c6', 'c7']);
  });

  it('says "Be the first to comment" on an empty page', async () => {
    const element = await mount({ 'page-id': 'empty-page' });
    expect(text($(element, '[part="status"]'))).toBe('Be the first to comment.');
    expect(text($(element, 'h2'))).toBe('0 comments');
  });

  it('shows a translated error with a retry, and fires sala-error', async () => {
    api.failNext('GET', 429, { code: 'rate_limited', message: 'slow down' });
    const errors: SalaErrorDetail[] = [];
    document.body.addEventListener('sala-error', (event) => errors.push(event.detail));
    const element = document.createElement('sala-comments');
    element.setAttribute('api', API);
    element.setAttribute('page-id', PAGE);
    document.body.append(element);

    await vi.waitFor(() => expect(text($(element, '[role="alert"]'))).toMatch(/commenting too fast/));
    expect(errors).toEqual([{ code: 'rate_limited', message: 'slow down' }]);
    $(element, '[role="alert"] button').click();
    await loaded(element);
    expect(ids($(element, '[part="thread"]'))).toEqual(['c1', 'c6', 'c7']);
  });

  it('reports an unreachable API as a network error', async () => {
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('Failed to fetch')));
    const element = document.createElement('sala-comments');
    element.setAttribute('api', API);
    document.body.append(element);
    await vi.waitFor(() => expect(text($(element, '[role="alert"]'))).toMatch(/Could not reach the comment server/));
    expect(text($(element, '[role="alert"] button'))).toBe('Try again');
  });

  it('names the page by canonical link, else location, normalised', async () => {
    const link = Object.assign(document.createElement('link'), {
      rel: 'canonical',
      href: 'HTTPS://Blog.Example/post/?m=1#c',
    });
    document.head.append(link);
    try {
      const element = document.createElement('sala-comments');
      element.setAttribute('api', API);
      document.body.append(element);
      await loaded(element);
      expect(api.requestsMatching('GET')[0]!.url.searchParams.get('page')).toBe('https://blog.example/post');
    } finally {
      link.remove();
    }
  });

  it('takes an api pasted with the API’s base path (/api/v1) as the Worker it names', async () => {
    const first = await mount({ api: `${API}/api/v1` });
    // Another post's thread: a second of the same post would show nothing (pasted twice) and ask nothing.
    await mount({ api: `${API}/api/v1/`, 'page-id': 'https://blog.example/2026/11/kampot' });
    expect(api.requestsMatching('GET').map((request) => request.url.pathname)).toEqual([
      '/api/v1/comments',
      '/api/v1/comments',
    ]);
    expect(text($(first, 'h2'))).toBe('7 comments');
  });

  it('sends site only when the element has one', async () => {
    await mount({ site: 'my-blog' });
    expect(api.requestsMatching('GET')[0]!.url.searchParams.get('site')).toBe('my-blog');
  });

  it('falls back to defaults for bad attributes with one [sala] hint each', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const element = await mount({ sort: 'sideways', 'max-depth': 'zero', theme: 'blue' });
    await mount({
      sort: 'sideways',
      'max-depth': 'zero',
      theme: 'blue',
      'page-id': 'https://blog.example/2026/11/kampot',
    });

    expect(api.requestsMatching('GET')[0]!.url.searchParams.get('sort')).toBe('oldest');
    expect(text($(article(element, 'c4'), '[part="mention"]'))).toBe('@Carol');
    // Worded by a chunk fetched once there is a mistake (internal/diagnostics.ts).
    await vi.waitFor(() => {
      const hints = warn.mock.calls.map(([message]) => String(message));
      expect(hints.every((hint) => hint.startsWith('[sala] <sala-comments>'))).toBe(true);
      expect(hints.filter((hint) => hint.includes('sort="sideways"'))).toHaveLength(1);
      expect(hints.filter((hint) => hint.includes('max-depth'))).toHaveLength(1);
      expect(hints.filter((hint) => hint.includes('theme="blue"'))).toHaveLength(1);
    });
  });

  it('puts the server’s own words on a setup mistake in the console, for whoever sets the page up', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const message =
      'The origin http://[::1]:8803 may not use the site "demo". To allow it, add it to the site\'s origins in SITES.';
    api.failNext('GET', 403, { code: 'origin_not_allowed', message });
    const element = await mount();
    expect(text($(element, '[role="alert"]'))).toContain('not allowed');
    expect(warn.mock.calls.map(([hint]) => String(hint))).toContain(`[sala] <sala-comments> ${message}`);
  });

  it('offers "Try again" only where asking again may go better, not on a refusal of the page or request', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const failures: [number, ErrorCode, boolean][] = [
      [403, 'origin_not_allowed', false],
      [400, 'invalid_field', false],
      [404, 'unknown_site', false],
      [500, 'internal', true],
      [429, 'rate_limited', true],
      [503, 'daily_limit_reached', true],
    ];
    for (const [status, code, retry] of failures) {
      api.failNext('GET', status, { code, message: code });
      const element = await mount();
      expect([code, $$(element, '[role="alert"] button').length]).toEqual([code, retry ? 1 : 0]);
      element.remove(); // two of one post would show it once
    }
  });

  it('without any api shows that it is not set up, without throwing', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const element = document.createElement('sala-comments');
    document.body.append(element);
    await element.updateComplete;
    expect(text($(element, '[role="alert"]'))).toBe('This comment box is not set up yet.');
    expect(api.requests).toHaveLength(0);
  });

  it('stops its clock and its request when removed, and loads again when put back', async () => {
    const clear = vi.spyOn(globalThis, 'clearInterval');
    api.gate = () => new Promise((resolve) => setTimeout(resolve, 20));
    const element = document.createElement('sala-comments');
    element.setAttribute('api', API);
    element.setAttribute('page-id', PAGE);
    document.body.append(element);
    await element.updateComplete;
    element.remove();
    expect(clear).toHaveBeenCalled();
    expect(api.requests[0]!.signal?.aborted).toBe(true);

    document.body.append(element);
    await loaded(element);
    expect(ids($(element, '[part="thread"]'))).toEqual(['c1', 'c6', 'c7']);
  });
});

// The element pasted twice for one post: in a Blogger theme and in the post, or by a WordPress plugin and by hand.
describe('<sala-comments> pasted twice for one post', () => {
  /** A thread of PAGE (unless `attributes` say otherwise), not yet on the page. */
  function thread(attributes: Record<string, string> = {}): SalaComments {
    const element = document.createElement('sala-comments');
    for (const [name, value] of Object.entries({ api: API, 'page-id': PAGE, ...attributes }))
      element.setAttribute(name, value);
    return element;
  }

  /** What a screen reader or an eye meets in an element: its shadow root's elements and text. */
  const inside = (element: SalaComments) => [$$(element, '*').length, text(element.shadowRoot!)];

  beforeEach(() => void vi.spyOn(console, 'warn').mockImplementation(() => {}));

  it('shows the thread once, in the element that took it first, and nothing at all in the other', async () => {
    const post = thread();
    const theme = thread({ id: 'comments', 'heading-level': '4', sort: 'newest' });
    document.body.append(post, theme);
    await loaded(post);
    await theme.updateComplete;
    expect(text($(post, 'h2'))).toBe('7 comments');
    expect(inside(theme)).toEqual([0, '']);
    expect(api.requestsMatching('GET')).toHaveLength(1);
  });

  // An app's component holds a thread in its own shadow root, where a query of the document does not reach.
  it('counts a thread in another element’s shadow root, closed too', async () => {
    const component = document.body.appendChild(document.createElement('div')).attachShadow({ mode: 'closed' });
    const app = await mount({}, component as unknown as HTMLElement);
    const theme = document.body.appendChild(thread());
    await theme.updateComplete;
    expect(text($(app, 'h2'))).toBe('7 comments');
    expect(inside(theme)).toEqual([0, '']);
  });

  it('shows it in the other once the first goes (an app’s route leaving it)', async () => {
    const first = await mount();
    const other = document.body.appendChild(thread());
    await other.updateComplete;
    first.remove();
    await loaded(other);
    expect(text($(other, 'h2'))).toBe('7 comments');
  });

  it('keeps a thread of each post on a page listing several', async () => {
    api.threads.set('https://blog.example/2026/11/kampot', [comment('k1', null, 'Vanna', 'Pepper!')]);
    const threads = [await mount(), await mount({ 'page-id': 'https://blog.example/2026/11/kampot' })];
    expect(threads.map((element) => text($(element, 'h2')))).toEqual(['7 comments', '1 comment']);
  });

  it('scrolls to the thread when the address names the one that shows nothing (#comments, the theme’s)', async () => {
    history.replaceState(null, '', `${location.pathname}${location.search}#comments`);
    const scrolled = vi.spyOn(HTMLElement.prototype, 'scrollIntoView');
    try {
      const post = thread();
      document.body.append(post, thread({ id: 'comments' }));
      await loaded(post);
      await vi.waitFor(() => expect(scrolled.mock.contexts).toContain(post));
    } finally {
      history.replaceState(null, '', location.pathname + location.search);
    }
  });
});

describe('<sala-comments> closed thread', () => {
  it('keeps the comments readable and takes away the forms', async () => {
    const thread = (url: URL) => url.searchParams.get('page') === PAGE;
    const original = globalThis.fetch;
    vi.stubGlobal('fetch', async (input: URL, init?: RequestInit) => {
      const response = await original(input, init);
      if (!thread(input)) return response;
      return Response.json({ ...(await response.json()), closed: true });
    });
    const element = await mount();
    expect(text($(element, '[part="status"]'))).toBe('Comments are closed on this page.');
    expect($$(element, 'sala-comment-composer, [data-action="reply"]')).toHaveLength(0);
    expect($$(element, 'article')).toHaveLength(8);
  });
});

describe('<sala-comments> language', () => {
  it('speaks Khmer when lang="km", loading the strings on demand', async () => {
    const element = await mount({ lang: 'km' });
    const composer = await form(element);
    expect($(composer, 'form').getAttribute('aria-label')).toBe('សរសេរមតិយោបល់');
    expect(text($(composer, '[type="submit"]'))).toBe('បង្ហោះមតិយោបល់');
    expect(text($(composer, 'label[for="name"]'))).toBe('ឈ្មោះ');
    expect(text($(element, 'h2'))).toBe('មតិយោបល់ 7');
    expect(text($(article(element, 'c1'), '[data-action="reply"]'))).toBe('ឆ្លើយតប');
    expect($(element, '.root').getAttribute('lang')).toBe('km');
    expect(text($(article(element, 'c7'), 'p'))).toBe('មតិយោបល់ត្រូវបានលុប');
  });

  it('takes the language of the closest ancestor or the page, and English for one it lacks', async () => {
    document.documentElement.lang = 'km-KH';
    const page = await mount();
    await vi.waitFor(() => expect(text($(page, 'h2'))).toBe('មតិយោបល់ 7'));
    page.remove(); // two of one post would show it once

    const wrapper = document.createElement('div');
    wrapper.lang = 'sw';
    document.body.append(wrapper);
    const swahili = await mount({}, wrapper);
    expect(text($(swahili, 'h2'))).toBe('7 comments');
    expect($(swahili, '.root').getAttribute('lang')).toBe('en');
  });

  it('speaks French when lang="fr": heading, count, form and times', async () => {
    const element = await mount({ lang: 'fr' });
    expect(text($(element, 'h2'))).toBe('7 commentaires');
    expect($(element, '.root').getAttribute('lang')).toBe('fr');
    expect(text($(article(element, 'c1'), 'time'))).toBe('il y a 1 heure');
    expect(text($(article(element, 'c1'), '[data-action="reply"]'))).toBe('Répondre');
    expect($(article(element, 'c1'), '[data-action="reply"]').getAttribute('aria-label')).toBe('Répondre à Alice');
    expect(text($(article(element, 'c7'), 'p'))).toBe('Commentaire supprimé');
    const composer = await form(element);
    expect($(composer, 'form').getAttribute('aria-label')).toBe('Écrire un commentaire');
    expect(text($(composer, 'label[for="name"]'))).toBe('Nom');
    expect(text($(composer, '[type="submit"]'))).toBe('Publier le commentaire');

    // French counts 0 and 1 in the singular.
    api.threads.set('one', [comment('c1', null, 'Alice', 'Bonjour')]);
    expect(text($(await mount({ lang: 'fr', 'page-id': 'one' }), 'h2'))).toBe('1 commentaire');
  });

  // Blogger writes the blog's language into <html lang>; a region (pt-BR, es-419) picks the language's pack.
  for (const [page, heading, replyButton, time, nameLabel] of [
    ['pt-BR', '1 comentário', 'Responder', 'há 1 hora', 'Nome'],
    ['es', '1 comentario', 'Responder', 'hace 1 hora', 'Nombre'],
  ]) {
    it(`speaks the page's language when Blogger sets <html lang="${page}">`, async () => {
      document.documentElement.lang = page!;
      api.threads.set(PAGE, [comment('c1', null, 'Alice', 'Olá')]);
      const element = await mount();
      expect(text($(element, 'h2'))).toBe(heading);
      // It tells screen readers the page's tag: the strings are that language's, the dates its region's.
      expect($(element, '.root').getAttribute('lang')).toBe(page);
      expect(text($(article(element, 'c1'), '[data-action="reply"]'))).toBe(replyButton);
      expect(text($(article(element, 'c1'), 'time'))).toBe(time);
      expect(text($(await form(element), 'label[for="name"]'))).toBe(nameLabel);
    });
  }

  // The words come from the language's pack, dates from the page's whole tag: WordPress writes an en_GB site as
  // <html lang="en-GB"> (and en_GB elsewhere); a tag Intl rejects (en-GB-) keeps its language's formats.
  const at = '2026-12-05T12:00:00.000Z';
  for (const [page, replyButton, date] of [
    ['en-GB', 'Reply', /^5 December 2026 at \d\d:\d\d$/],
    ['en_GB', 'Reply', /^5 December 2026 at \d\d:\d\d$/],
    ['pt-BR', 'Responder', /^5 de dezembro de 2026 às \d\d:\d\d$/],
    ['x', 'Reply', /^December 5, 2026 at \d{1,2}:\d\d\s[AP]M$/],
    ['en-GB-', 'Reply', /^December 5, 2026 at \d{1,2}:\d\d\s[AP]M$/],
  ] as const) {
    it(`dates a comment as <html lang="${page}"> writes dates, in its language's words`, async () => {
      document.documentElement.lang = page;
      api.threads.set(PAGE, [comment('c1', null, 'Alice', 'Hello', { createdAt: at })]);
      const element = await mount();
      expect(text($(article(element, 'c1'), '[data-action="reply"]'))).toBe(replyButton);
      const time = $(article(element, 'c1'), 'time');
      expect(time.title).toMatch(date);
      expect(time.getAttribute('datetime')).toBe(at);
    });
  }

  it('counts as Portugal does under <html lang="pt-PT">: 0 is plural there, singular in Brazil', async () => {
    document.documentElement.lang = 'pt-PT';
    api.threads.set(PAGE, []);
    expect(text($(await mount(), 'h2'))).toBe('0 comentários');
  });

  it('lets the page override any string', async () => {
    api.threads.set('quiet', []);
    const element = document.createElement('sala-comments');
    element.setAttribute('api', API);
    element.setAttribute('page-id', 'quiet');
    element.strings = { empty: 'No thoughts yet. Share yours!', countOther: '{count} replies', submit: 'Send it' };
    document.body.append(element);
    await loaded(element);
    expect(text($(element, '[part="status"]'))).toBe('No thoughts yet. Share yours!');
    expect(text($(element, 'h2'))).toBe('0 replies');
    // The form brings its English strings with its own chunk; the page's still win.
    const composer = await form(element);
    expect(text($(composer, '[type="submit"]'))).toBe('Send it');
    expect(text($(composer, 'label[for="name"]'))).toBe('Name');
  });
});

describe('<sala-comments> own comments held for moderation', () => {
  it('shows a pending comment to its author with a badge and no reply button', async () => {
    const pending = comment('p1', null, 'Me', 'Waiting', { status: 'pending' });
    localStorage.setItem(
      `sala:own:${API}||${PAGE}`,
      JSON.stringify([
        { comment: pending, editToken: 't', editableUntil: new Date(Date.now() + 60_000).toISOString() },
      ]),
    );
    const element = await mount();
    expect(text($(article(element, 'p1'), '[part~="pending"]'))).toBe('Awaiting moderation');
    expect(article(element, 'p1').querySelector('[data-action="reply"]')).toBeNull();
    expect(article(element, 'p1').querySelector('[data-action="edit"]')).not.toBeNull();
  });

  it('marks the site owner and pinned comments', async () => {
    api.threads.set(PAGE, [
      comment('c1', null, 'Owner', 'Welcome', { pinned: true, author: { name: 'Owner', avatar: 'o', owner: true } }),
      comment('c2', null, 'Reader', 'Hi'),
    ]);
    const element = await mount();
    expect($$(article(element, 'c1'), '[part~="badge"]').map(text)).toEqual(['Site owner', 'Pinned']);
    expect($$(article(element, 'c2'), '[part~="badge"]')).toHaveLength(0);
  });

  it('ignores unreadable storage instead of failing', async () => {
    localStorage.setItem(`sala:own:${API}||${PAGE}`, '{not json');
    const element = await mount();
    expect(ids($(element, '[part="thread"]'))).toEqual(['c1', 'c6', 'c7']);
  });
});

describe('<sala-comments> own comments deleted', () => {
  // The server counts a placeholder nowhere (thread.ts, buildSnapshot): the heading agrees with the rebuilt snapshot
  // from the delete on, through reloads within KV's minute (its copy still lists the comment, and counts it) and after.
  it('stops counting a comment the reader deleted, kept as a placeholder for its replies, from the moment of the delete', async () => {
    const mine = threadFixture()[0]!;
    const key = `sala:own:${API}||${PAGE}`;
    const editableUntil = new Date(Date.now() + 60_000).toISOString();
    api.tokens.set(mine.id, 'token-of-c1');
    // And one deleted before this version dropped a deleted comment's token: it goes once read.
    const earlier = comment('c0', null, '', '', { deleted: true, author: { name: '', avatar: '' } });
    localStorage.setItem(
      key,
      JSON.stringify([
        { comment: earlier, editToken: 'token-of-c0', editableUntil },
        { comment: mine, editToken: 'token-of-c1', editableUntil },
      ]),
    );
    const element = await mount();
    expect(text($(element, 'h2'))).toBe('7 comments');
    expect(localStorage.getItem(key)).not.toContain('token-of-c0');
    $(article(element, 'c1'), '[data-action="delete"]').click();
    await element.updateComplete;
    $(article(element, 'c1'), '[part~="danger"]').click();
    await vi.waitFor(() => expect(text(article(element, 'c1'))).toBe('Comment deleted'));
    expect(text($(element, 'h2'))).toBe('6 comments');
    // The deleted comment's token is of no use any more (the Worker erased its hash): the browser keeps none of it.
    expect(localStorage.getItem(key)).not.toMatch(/token-of|editToken/);

    document.body.replaceChildren();
    const stale = await mount();
    expect(text(article(stale, 'c1'))).toBe('Comment deleted');
    expect(text($(stale, 'h2'))).toBe('6 comments');

    // KV has the rebuilt snapshot: its placeholder, not counted in its total, is not taken off a second time.
    api.threads.set(PAGE, [
      { ...mine, deleted: true, body: '', author: { name: '', avatar: '' } },
      ...threadFixture().slice(1),
    ]);
    document.body.replaceChildren();
    const rebuilt = await mount();
    expect(text($(rebuilt, 'h2'))).toBe('6 comments');
  });
});
