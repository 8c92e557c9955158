import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { page as browserPage } from 'vitest/browser';
import type { SalaErrorDetail } from '../events.js';
import { API, FakeApi } from '../test/fake-api.js';
import { BLOG } from '../test/list-fixtures.js';
import { comment } from '../test/fixtures.js';
import { text } from '../test/dom.js';
import type { SalaCommentCount } from './comment-count.js';
import './comment-count.js';
import { LIMITS, type PublicComment } from '@sala/protocol';
import { COUNTS_PER_REQUEST } from './count-batch.js';
import { OwnComments } from '../comments/own-comments.js';
import { $, article, fill, form, mount, submit } from '../test/render.js';

let api: FakeApi;
let run = 0;

beforeEach(() => {
  api = new FakeApi().install();
  run += 1;
});

afterEach(() => {
  vi.useRealTimers();
  document.body.replaceChildren();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** The links of the page's counts, in order. */
const countLinks = () =>
  [...document.querySelectorAll('sala-comment-count')].map((element) => element.shadowRoot?.querySelector('a'));

/** A page id no earlier test asked for: counts are asked once per page load. */
const page = (n: number) => `${BLOG}/run-${run}/post-${n}`;

/** Adds one count per page id, all in one task as a blog's home page has them, and waits for them to settle. */
async function counts(pageIds: string[], attributes: Record<string, string> = {}): Promise<SalaCommentCount[]> {
  const elements = pageIds.map((pageId) => {
    const element = document.createElement('sala-comment-count');
    for (const [name, value] of Object.entries({ api: API, 'page-id': pageId, ...attributes }))
      element.setAttribute(name, value);
    return element;
  });
  document.body.append(...elements);
  await Promise.all(elements.map((element) => element.updateComplete));
  await vi.waitFor(() => {
    if (elements.some((element) => element.shadowRoot?.querySelector('[aria-busy]') !== null))
      throw new Error('loading');
  });
  return elements;
}

const shown = (element: Element) => text(element.shadowRoot!.querySelector('[part~="count"]')!);
const requests = () => api.requestsMatching('GET', '/api/v1/counts');

describe('COUNTS_PER_REQUEST', () => {
  it('is what the Worker takes in one counts request', () => {
    expect(COUNTS_PER_REQUEST).toBe(LIMITS.countsPages);
  });
});

describe('<sala-comment-count>', () => {
  it('fetches every count on the page in one request, and says "12 comments" in English', async () => {
    for (const count of [0, 1, 12, 1200]) api.counts.set(page(count), count);
    const elements = await counts([page(0), page(1), page(12), page(1200), page(1)]);

    expect(requests()).toHaveLength(1);
    expect(requests()[0]!.url.searchParams.getAll('page')).toEqual([page(0), page(1), page(12), page(1200)]);
    expect(elements.map(shown)).toEqual(['0 comments', '1 comment', '12 comments', '1,200 comments', '1 comment']);
    // Counted again on the same page load: the answer is already here.
    await counts([page(12)]);
    expect(requests()).toHaveLength(1);
  });

  it('asks in chunks of 100 pages, the most one request may name', async () => {
    const pageIds = Array.from({ length: 230 }, (_, i) => page(i));
    await counts(pageIds);
    expect(requests().map((request) => request.url.searchParams.getAll('page').length)).toEqual([100, 100, 30]);
  });

  it('follows Khmer plural rules, which have one form', async () => {
    api.counts.set(page(1), 1);
    api.counts.set(page(5), 5);
    const elements = await counts([page(1), page(5)], { lang: 'km' });
    await vi.waitFor(() => expect(elements.map(shown)).toEqual(['មតិយោបល់ 1', 'មតិយោបល់ 5']));
  });

  it('follows French plural rules, which count 0 in the singular', async () => {
    for (const count of [0, 1, 2]) api.counts.set(page(count), count);
    const elements = await counts([page(0), page(1), page(2)], { lang: 'fr' });
    await vi.waitFor(() => expect(elements.map(shown)).toEqual(['0 commentaire', '1 commentaire', '2 commentaires']));
  });

  it('writes the count as the region does, in its language’s words: Swiss and Indian digit grouping', async () => {
    api.counts.set(page(1200), 1200);
    api.counts.set(page(120_000), 120_000);
    const [swiss] = await counts([page(1200)], { lang: 'de-CH' });
    const [indian] = await counts([page(120_000)], { lang: 'en-IN' });
    await vi.waitFor(() => expect(shown(swiss!)).toMatch(/^1['’]200 Kommentare$/));
    expect(shown(indian!)).toBe('1,20,000 comments');
  });

  it('with href, links to the post’s comments', async () => {
    api.counts.set(page(3), 3);
    const [plain, anchored] = [
      ...(await counts([page(3)], { href: '/2026/11/morning-walk.html' })),
      ...(await counts([page(3)], { href: 'https://blog.example/post.html#talk' })),
    ];
    const link = plain!.shadowRoot!.querySelector('a')!;
    expect([link.href, text(link)]).toEqual([
      new URL('/2026/11/morning-walk.html#comments', document.baseURI).href,
      '3 comments',
    ]);
    expect(anchored!.shadowRoot!.querySelector('a')!.href).toBe('https://blog.example/post.html#talk');

    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const [unsafe] = await counts([page(3)], { href: 'javascript:alert(1)' });
    expect(unsafe!.shadowRoot!.querySelector('a')).toBeNull();
  });

  it('names its post in its link where a heading on the page links to that post, the visible words first', async () => {
    // A blog's home page: each post's title links to it, its count beside it.
    document.body.innerHTML = `
      <article><h2 class="entry-title"><a href="${page(3)}.html">A walk in  Phnom Penh</a></h2>
        <sala-comment-count api="${API}" href="${page(3)}.html"></sala-comment-count></article>
      <article><a href="${page(1)}.html"><h2>Kampot pepper</h2></a>
        <sala-comment-count api="${API}" href="${page(1)}.html" lang="es"></sala-comment-count></article>`;
    for (const [n, count] of Object.entries({ 3: 3, 1: 3 })) api.counts.set(page(Number(n)), count);
    await vi.waitFor(() =>
      expect(countLinks().map((link) => link && text(link))).toEqual(['3 comments', '3 comentarios']),
    );
    await expect.element(browserPage.getByRole('link', { name: '3 comments on A walk in Phnom Penh' })).toBeVisible();
    await expect.element(browserPage.getByRole('link', { name: '3 comentarios sobre Kampot pepper' })).toBeVisible();
  });

  it('names its post by the post’s own heading where the title is no link, and by nothing outside a post', async () => {
    // A theme that writes titles without links (Blogger's post title heading, WordPress's and Hugo's articles), in
    // Khmer; then a post whose heading links elsewhere (Blogger's "title link"), and a count in a sidebar.
    document.body.innerHTML = `
      <h1>Mekong Notes</h1>
      <div class="post hentry"><h3 class="post-title">Kep  crab market</h3><p>By Dara</p>
        <sala-comment-count api="${API}" href="${page(2)}.html"></sala-comment-count></div>
      <article><header><h2>Kampot pepper</h2></header><p>Peppercorns…</p><h3>Where to buy</h3>
        <footer><sala-comment-count api="${API}" href="${page(1)}.html" lang="km"></sala-comment-count></footer></article>
      <article><h2><a href="https://elsewhere.example/">Read this</a></h2>
        <sala-comment-count api="${API}" href="${page(3)}.html"></sala-comment-count></article>
      <aside><h2>Latest</h2><sala-comment-count api="${API}" href="${page(4)}.html"></sala-comment-count></aside>`;
    for (const n of [1, 2, 3, 4]) api.counts.set(page(n), 2);
    await vi.waitFor(() =>
      expect(countLinks().map((link) => link && text(link))).toEqual([
        '2 comments',
        'មតិយោបល់ 2',
        '2 comments',
        '2 comments',
      ]),
    );
    await expect.element(browserPage.getByRole('link', { name: '2 comments on Kep crab market' })).toBeVisible();
    expect(countLinks()[1]!.getAttribute('aria-label')).toBe('មតិយោបល់ 2 លើ Kampot pepper');
    expect(
      countLinks()
        .slice(2)
        .map((link) => link!.hasAttribute('aria-label')),
    ).toEqual([false, false]);
  });

  it('counts the post it links to when it has no page-id, as a home page lists them', async () => {
    api.counts.set(page(7), 7);
    const element = document.createElement('sala-comment-count');
    element.setAttribute('api', API);
    // Blogger's post URL: its thread is the page id without `.html` and `?m=1`; the link stays as written.
    element.setAttribute('href', `${page(7)}.html?m=1`);
    document.body.append(element);
    await vi.waitFor(() => expect(shown(element)).toBe('7 comments'));
    expect(requests().at(-1)!.url.searchParams.getAll('page')).toEqual([page(7)]);
    expect(element.shadowRoot!.querySelector('a')!.href).toBe(`${page(7)}.html?m=1#comments`);
  });

  it('says the count is unavailable and fires sala-error when the request fails', async () => {
    api.failNext('GET', 503, { code: 'internal', message: 'down' });
    const errors: SalaErrorDetail[] = [];
    document.body.addEventListener('sala-error', (event) => errors.push(event.detail));
    const elements = await counts([page(1), page(2)]);
    expect(elements.map(shown)).toEqual(['Comment count unavailable', 'Comment count unavailable']);
    expect(errors.map((error) => error.code)).toEqual(['internal', 'internal']);
    expect(requests()).toHaveLength(1);
  });

  it('follows a comment the reader posts or deletes in a thread on this page, as the thread’s heading does', async () => {
    api.counts.set(page(1), 2);
    api.counts.set(page(2), 5);
    const [post, other] = await counts([page(1), page(2)]);
    // The thread sits in an app's shadow root: the window sees the app as the target, the count still the thread.
    const app = document.createElement('div');
    const thread = document.createElement('sala-comments-stand-in');
    app.attachShadow({ mode: 'open' }).append(thread);
    document.body.append(app);
    const tell = (type: 'sala-comment-posted' | 'sala-comment-deleted', pageId: string) =>
      thread.dispatchEvent(new CustomEvent(type, { detail: { comment: {}, pageId }, bubbles: true, composed: true }));

    tell('sala-comment-posted', page(1));
    await vi.waitFor(() => expect(shown(post!)).toBe('3 comments'));
    tell('sala-comment-posted', page(1));
    tell('sala-comment-deleted', page(1));
    tell('sala-comment-deleted', page(1));
    await vi.waitFor(() => expect(shown(post!)).toBe('2 comments'));
    expect(shown(other!)).toBe('5 comments');
    // One added later shows the same, without asking the server again (its count is not rebuilt yet).
    tell('sala-comment-posted', page(1));
    const [later] = await counts([page(1)]);
    await vi.waitFor(() => expect([shown(post!), shown(later!)]).toEqual(['3 comments', '3 comments']));
    expect(requests()).toHaveLength(1);
    // A thread of another site on the same Worker changes nothing here.
    Object.assign(thread, { site: 'other' });
    tell('sala-comment-posted', page(1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(shown(post!)).toBe('3 comments');
  });

  it('counts the reader’s own comments as their thread shows them: new ones not counted yet, deleted ones gone', async () => {
    const now = Date.now();
    const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
    const own = (n: number, comments: PublicComment[]) =>
      localStorage.setItem(
        `sala:own:${API}||${page(n)}`,
        JSON.stringify(comments.map((mine) => ({ comment: mine, editableUntil: at(-10) }))),
      );
    const mine = (minutesAgo: number, deleted = false, status?: PublicComment['status']) =>
      comment(`m${minutesAgo}`, null, 'Me', deleted ? '' : 'Mine', { createdAt: at(minutesAgo), deleted, status });
    for (const n of [1, 2, 3, 4, 5, 6, 7]) api.counts.set(page(n), 3);
    // 1: posted a minute ago, after the newest comment the count holds: not counted yet.
    own(1, [mine(1)]);
    api.newest.set(page(1), at(5));
    // 2: the count holds it already (a reply to it came since): not twice.
    own(2, [mine(3)]);
    api.newest.set(page(2), at(2));
    // 3: deleted, and still the newest comment the count holds.
    own(3, [mine(4, true)]);
    api.newest.set(page(3), at(4));
    // 4: deleted, and the count no longer holds it.
    own(4, [mine(4, true)]);
    api.newest.set(page(4), at(9));
    // 6: held for moderation, newer than what the count holds: counted for them, as their thread's heading does.
    own(6, [mine(2, false, 'pending')]);
    api.newest.set(page(6), at(5));
    // 7: held, then let through and counted (their browser still keeps it as held): not twice.
    own(7, [mine(2, false, 'pending')]);
    api.newest.set(page(7), at(2));
    const elements = await counts([1, 2, 3, 4, 5, 6, 7].map(page));
    expect(elements.map(shown)).toEqual([
      '4 comments',
      '3 comments',
      '2 comments',
      '3 comments',
      '3 comments',
      '4 comments',
      '3 comments',
    ]);
    // Only the pages with comments of the reader's own ask for the time, in the one request.
    expect(requests()).toHaveLength(1);
    expect(requests()[0]!.url.searchParams.getAll('newest')).toEqual([1, 2, 3, 4, 6, 7].map(page));
    // Deleting the one counted from here in a thread on this page takes it off again.
    const thread = document.body.appendChild(document.createElement('div'));
    thread.dispatchEvent(
      new CustomEvent('sala-comment-deleted', { detail: { comment: {}, pageId: page(1) }, bubbles: true }),
    );
    await vi.waitFor(() => expect(shown(elements[0]!)).toBe('3 comments'));
    for (const n of [1, 2, 3, 4, 6, 7]) localStorage.removeItem(`sala:own:${API}||${page(n)}`);
  });

  it('takes off a comment the reader deleted, or whose edit was held, under someone else’s newer one, until counted', async () => {
    const now = Date.now();
    const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
    // Theirs from ten minutes ago, someone else's from eight, counted: then, on pages 1 and 3, they delete theirs, and
    // on 2 and 4 edit it so that the Worker holds the edit (out of everyone's count, as a held comment).
    for (const n of [1, 2, 3, 4]) {
      const own = new OwnComments(`sala:own:${API}||${page(n)}`);
      const mine = comment(`c${n}`, null, 'Me', 'Mine', { createdAt: at(10) });
      own.add({ comment: mine, editToken: `token-${n}`, editableUntil: at(-5) });
      if (n % 2) own.remove(mine.id);
      else own.update({ ...mine, body: 'Mine, https://example.com', editedAt: at(0), status: 'pending' });
      api.counts.set(page(n), 3);
      api.newest.set(page(n), at(8));
      // 1 and 2: the count the Worker has was written six minutes ago, before; 3 and 4: as it was read, since.
      api.ages.set(page(n), n < 3 ? 6 * 60_000 : 0);
    }
    const elements = await counts([1, 2, 3, 4].map(page));
    expect(elements.map(shown)).toEqual(['2 comments', '2 comments', '3 comments', '3 comments']);
    for (const n of [1, 2, 3, 4]) localStorage.removeItem(`sala:own:${API}||${page(n)}`);
  });

  it('takes off a held comment the owner approved since, once its reader deletes it, under someone else’s newer one', async () => {
    const now = Date.now();
    const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
    for (const n of [1, 2]) {
      const mine = comment(`approved-${n}`, null, 'Me', 'Mine', { createdAt: at(10) });
      const own = new OwnComments(`sala:own:${API}||${page(n)}`);
      if (n === 1) {
        // Held when posted, as their browser keeps it; the owner approved it since (KV's thread does not list it yet).
        own.add({ comment: { ...mine, status: 'pending' }, editToken: 'token-1', editableUntil: at(-5) });
      } else {
        // Shown, then an edit of it sent five minutes ago the Worker held; the owner approved the edit since.
        own.add({ comment: mine, editToken: 'token-2', editableUntil: at(-5) });
        const edited = { ...mine, body: 'Mine, https://example.com', editedAt: at(5) };
        own.update({ ...edited, status: 'pending' }, now - 5 * 60_000);
        api.publish(page(n), edited);
      }
      api.tokens.set(mine.id, `token-${n}`);
      // Someone else commented after.
      api.publish(page(n), comment(`later-${n}`, null, 'Sok', 'After yours', { createdAt: at(8) }));
      // They delete it, shown as held or not: the Worker's answer says the count held it…
      const thread = await mount({ 'page-id': page(n) });
      $(article(thread, mine.id), '[data-action="delete"]').click();
      (await vi.waitFor(() => $(article(thread, mine.id), '[part~="danger"]'))).click();
      await vi.waitFor(() => expect(api.requestsMatching('DELETE')).toHaveLength(n));
      await vi.waitFor(() => expect(thread.shadowRoot!.querySelector(`#comment-${mine.id}`)).toBeNull());
      document.body.replaceChildren();
      // …and then see the blog's home page, whose count KV still has from before the delete (two minutes ago, after
      // the held edit): 1, not 2.
      api.counts.set(page(n), 2);
      api.newest.set(page(n), at(8));
      api.ages.set(page(n), 2 * 60_000);
    }
    const homes = await counts([page(1), page(2)]);
    expect(homes.map(shown)).toEqual(['1 comment', '1 comment']);
    for (const n of [1, 2]) localStorage.removeItem(`sala:own:${API}||${page(n)}`);
  });

  it('takes off a comment the reader deleted, or whose edit was held, once, however late the answer came', async () => {
    const now = Date.now();
    const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
    // Each answer reaches them 12 s after they sent it (this browser's clock moves on meanwhile)…
    vi.useFakeTimers({ toFake: ['Date'] });
    api.gate = async (request) => {
      if (request.method === 'DELETE' || request.method === 'PATCH') vi.setSystemTime(Date.now() + 12_000);
    };
    const sent = new Map<number, number>();
    for (const [n, change] of [
      [1, 'delete'],
      [2, 'edit'],
    ] as const) {
      const mine = comment(`late-${n}`, null, 'Me', 'Mine', { createdAt: at(10) });
      new OwnComments(`sala:own:${API}||${page(n)}`).add({
        comment: mine,
        editToken: `token-${n}`,
        editableUntil: at(-5),
      });
      api.tokens.set(mine.id, `token-${n}`);
      api.publish(page(n), mine);
      api.publish(page(n), comment(`later-${n}`, null, 'Sok', 'After yours', { createdAt: at(8) }));
      const thread = await mount({ 'page-id': page(n) });
      api.holdEdits = change === 'edit';
      sent.set(n, Date.now());
      $(article(thread, mine.id), `[data-action="${change}"]`).click();
      if (change === 'delete') {
        (await vi.waitFor(() => $(article(thread, mine.id), '[part~="danger"]'))).click();
        await vi.waitFor(() => expect(thread.shadowRoot!.querySelector(`#comment-${mine.id}`)).toBeNull());
      } else {
        const editor = await form(thread, mine.id);
        await fill(editor, 'body', 'Mine, see https://example.com');
        await submit(editor);
        await vi.waitFor(() => expect(article(thread, mine.id).querySelector('[part~="pending"]')).not.toBeNull());
      }
      document.body.replaceChildren();
      // …while the count without it was written 1 s after they sent it: it no longer holds it, 1, not 0.
      api.counts.set(page(n), 1);
      api.newest.set(page(n), at(8));
    }
    for (const n of [1, 2]) api.ages.set(page(n), Date.now() - sent.get(n)! - 1_000);
    const homes = await counts([page(1), page(2)]);
    expect(homes.map(shown)).toEqual(['1 comment', '1 comment']);
    for (const n of [1, 2]) localStorage.removeItem(`sala:own:${API}||${page(n)}`);
  });

  it('counts a comment the reader posts as its count is first asked for once, whichever comes first', async () => {
    api.counts.set(page(1), 3);
    api.newest.set(page(1), new Date(Date.now() - 60_000).toISOString());
    // Their thread stored the comment, then told the page: in the same task as the count first asked.
    const posted = comment('fresh', null, 'Me', 'Mine', { createdAt: new Date().toISOString() });
    const key = `sala:own:${API}||${page(1)}`;
    localStorage.setItem(key, JSON.stringify([{ comment: posted, editableUntil: new Date(Date.now() + 60_000) }]));
    const element = document.createElement('sala-comment-count');
    element.setAttribute('api', API);
    element.setAttribute('page-id', page(1));
    document.body.append(element);
    await element.updateComplete;
    const tell = () =>
      element.dispatchEvent(
        new CustomEvent('sala-comment-posted', { detail: { comment: posted, pageId: page(1) }, bubbles: true }),
      );
    tell();
    await vi.waitFor(() => expect(shown(element)).toBe('4 comments'));
    // A count of the post added later reads the same.
    const [later] = await counts([page(1)]);
    expect(shown(later!)).toBe('4 comments');
    // Told once the count has come (a thread that stored it, then announced it, then told): still once.
    tell();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect([shown(element), shown(later!)]).toEqual(['4 comments', '4 comments']);
    expect(requests()).toHaveLength(1);
    localStorage.removeItem(key);
  });

  it('counts no view: a home page is not a post', async () => {
    await counts([page(1)]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(api.requestsMatching('POST', '/api/v1/views')).toEqual([]);
  });
});
