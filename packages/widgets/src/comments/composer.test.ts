import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import type { PublicComment } from '@sala/protocol';
import type { SalaCommentDeletedDetail, SalaCommentEditedDetail, SalaCommentPostedDetail } from '../events.js';
import { API, FakeApi } from '../test/fake-api.js';
import { comment, PAGE, threadFixture } from '../test/fixtures.js';
import { $, $$, article, closedForm, fill, form, loaded, mount, submit, text } from '../test/render.js';
import type { SalaComments } from './comments.js';
import { unstored } from './draft.js';

let api: FakeApi;

beforeEach(() => {
  api = new FakeApi().install();
  api.threads.set(PAGE, threadFixture());
});

afterEach(() => {
  document.body.replaceChildren();
  localStorage.clear();
  vi.unstubAllGlobals();
});

async function post(element: SalaComments, body: string, name = 'Sokha') {
  const composer = await form(element);
  await fill(composer, 'name', name);
  await fill(composer, 'body', body);
  await submit(composer);
  return composer;
}

/** The reader's comments on PAGE as this browser stores them. */
function stored(): PublicComment[] {
  const own = JSON.parse(localStorage.getItem(`sala:own:${API}||${PAGE}`)!) as { comment: PublicComment }[];
  return own.map((entry) => entry.comment);
}

/** Shows `element`'s thread sorted `sort`, asked of the API again, as the reader's pick in the select does. */
async function sortBy(element: SalaComments, sort: 'oldest' | 'newest'): Promise<void> {
  const select = $<HTMLSelectElement>(element, 'select');
  select.value = sort;
  select.dispatchEvent(new Event('change'));
  await loaded(element);
}

/** The text of `id` as `element` shows it, or null when it does not show that comment. */
function shown(element: SalaComments, id: string): string | null {
  const found = element.shadowRoot!.querySelector(`#comment-${id} [part="body"]`);
  return found ? text(found as HTMLElement) : null;
}

describe('posting a comment', () => {
  it('shows the form closed, its text field alone, and opens it when the reader starts on it', async () => {
    const element = await mount();
    const composer = await closedForm(element);
    expect($(composer, 'form').getAttribute('aria-label')).toBe('Write a comment');
    expect($$(composer, 'input, button')).toHaveLength(0);
    expect(text($(composer, 'label[for="body"]'))).toBe('Comment');

    $(composer, '#body').focus();
    await vi.waitFor(() => $(composer, '[type="submit"]'), { timeout: 10_000 });
    expect($$(composer, '[part~="input"]').map((input) => input.id)).toEqual(['name', 'email', 'website']);
    expect(composer.shadowRoot!.activeElement?.id).toBe('body');
  });

  it('sends the form, shows the comment at once, moves focus to it, announces it and fires sala-comment-posted', async () => {
    const element = await mount();
    const posted: SalaCommentPostedDetail[] = [];
    document.body.addEventListener('sala-comment-posted', (event) => posted.push(event.detail));

    const composer = await form(element);
    await fill(composer, 'name', '  Sokha ');
    await fill(composer, 'email', 'sokha@example.com');
    await fill(composer, 'website', 'sokha.example');
    await fill(composer, 'body', 'First **visit**!');
    await submit(composer);

    const [request] = api.requestsMatching('POST');
    expect(request!.body).toEqual({
      page: PAGE,
      name: 'Sokha',
      email: 'sokha@example.com',
      website: 'https://sokha.example/',
      body: 'First **visit**!',
      elapsedMs: expect.any(Number),
      commenterKey: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      // The language the form speaks, for the mails the comment may ask for.
      lang: 'en',
    });
    expect(request!.headers.get('Content-Type')).toBe('application/json');

    const mine = article(element, 'new-1');
    expect(text($(mine, '[part="body"]'))).toBe('First visit!');
    expect(element.shadowRoot!.activeElement).toBe(mine);
    expect(text($(element, '[role="status"]'))).toBe('Your comment was posted.');
    expect(text($(element, 'h2'))).toBe('8 comments');
    expect(posted).toHaveLength(1);
    expect(posted[0]!.pageId).toBe(PAGE);
    expect(posted[0]!.comment.id).toBe('new-1');
    expect(api.requestsMatching('GET')).toHaveLength(1);
    // The form stays, empty, for the next comment.
    expect($<HTMLTextAreaElement>(await form(element), '#body').value).toBe('');
  });

  it('sends the page’s address with the comment, .html and all, when the thread is named after the page', async () => {
    const canonical = Object.assign(document.createElement('link'), { rel: 'canonical', href: `${PAGE}.html?m=1` });
    document.head.append(canonical);
    try {
      const element = document.createElement('sala-comments');
      element.setAttribute('api', API);
      document.body.append(element);
      await loaded(element);
      await post(element, 'Lovely photos');
      element.remove(); // two of one post would show it once
      // Given as page-id, the id has an address on this page only through the canonical link.
      await post(await mount(), 'Again');
      expect(api.requestsMatching('POST').map(({ body }) => body)).toEqual([
        expect.objectContaining({ page: PAGE, pageUrl: `${PAGE}.html` }),
        expect.objectContaining({ page: PAGE, pageUrl: `${PAGE}.html` }),
      ]);
    } finally {
      canonical.remove();
    }
  });

  it("sends this browser's commenter key with every comment, and another browser's is its own", async () => {
    const element = await mount();
    await post(element, 'One');
    await post(element, 'Two');
    const keys = api.requestsMatching('POST').map((request) => (request.body as { commenterKey: string }).commenterKey);
    expect(keys[0]).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(JSON.parse(localStorage.getItem(`sala:key:${API}`)!)).toBe(keys[0]);

    // A fresh browser (nothing stored) makes a key of its own, whatever name it types.
    localStorage.clear();
    document.body.replaceChildren();
    await post(await mount(), 'Three');
    const fresh = (api.requestsMatching('POST')[2]!.body as { commenterKey: string }).commenterKey;
    expect(fresh).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(fresh).not.toBe(keys[0]);
  });

  it('remembers it after a reload while the API does not list it, and stops once it does', async () => {
    await post(await mount(), 'Still here?');
    document.body.replaceChildren();

    const reloaded = await mount();
    expect(text($(article(reloaded, 'new-1'), '[part="body"]'))).toBe('Still here?');
    expect(text($(reloaded, 'h2'))).toBe('8 comments');
    // Within the edit window the author can still change it.
    expect(article(reloaded, 'new-1').querySelector('[data-action="edit"]')).not.toBeNull();

    const listed: PublicComment = { ...JSON.parse(localStorage.getItem(`sala:own:${API}||${PAGE}`)!)[0].comment };
    api.publish(PAGE, listed);
    document.body.replaceChildren();
    const caughtUp = await mount();
    expect($$(caughtUp, '#comment-new-1')).toHaveLength(1);
    expect(text($(caughtUp, 'h2'))).toBe('8 comments');

    api.threads.set(PAGE, threadFixture()); // removed by a moderator
    document.body.replaceChildren();
    const moderated = await mount();
    expect($$(moderated, '#comment-new-1')).toHaveLength(0);
  });

  it('remembers name, email and website for the next comment', async () => {
    await post(await mount(), 'One');
    document.body.replaceChildren();
    const element = await mount();
    await closedForm(element);
    // A page load never moves focus into the form.
    expect(document.activeElement).toBe(document.body);
    expect($<HTMLInputElement>(await form(element), '#name').value).toBe('Sokha');
  });

  it('leaves out of the name the invisible direction controls a name copied from a chat app can carry, which the API refuses', async () => {
    const element = await mount();
    await post(element, 'Hello', '\u2068Sokha\u2069\u202c');
    expect((api.requestsMatching('POST')[0]!.body as { name: string }).name).toBe('Sokha');
    expect(text($(article(element, 'new-1'), '[part="author"]'))).toBe('Sokha');
  });

  it('keeps a comment on the thread it was sent to when the app changes page-id while it is on its way', async () => {
    const element = await mount();
    const posted: unknown[] = [];
    document.body.addEventListener('sala-comment-posted', (event) => posted.push(event.detail));
    let release = () => {};
    api.gate = (request) =>
      request.method === 'POST' && request.url.pathname === '/api/v1/comments'
        ? new Promise<void>((resolve) => (release = resolve))
        : Promise.resolve();
    const composer = await form(element);
    await fill(composer, 'name', 'Vanna');
    await fill(composer, 'body', 'Meant for the first post');
    $<HTMLButtonElement>(composer, 'button[type="submit"]').click();
    // Sent within MIN_ELAPSED_MS (3 s) of the page's first form, as when this test runs alone, it waits out the rest.
    await vi.waitFor(() => expect(api.requestsMatching('POST')).toHaveLength(1), { timeout: 10_000 });
    element.setAttribute('page-id', 'https://blog.example/another-post');
    await loaded(element);
    // The reader starts on the other post's comment meanwhile: sending the first does not take it away.
    await fill(composer, 'body', 'On the second post');
    release();
    await vi.waitFor(() => expect(posted).toHaveLength(1));
    expect(posted[0]).toMatchObject({ pageId: PAGE, comment: { id: 'new-1' } });
    expect($$(element, '#comment-new-1')).toHaveLength(0);
    expect($<HTMLTextAreaElement>(composer, '#body').value).toBe('On the second post');
    expect(localStorage.getItem(`sala:own:${API}||https://blog.example/another-post`)).toBeNull();
    // Back on its own thread, it is the reader's: there with Edit, and the text it was sent with is not offered again.
    element.setAttribute('page-id', PAGE);
    await vi.waitFor(() => expect($$(element, '#comment-new-1 [data-action="edit"]')).toHaveLength(1));
    expect($<HTMLTextAreaElement>(composer, '#body').value).toBe('');
  });

  it('keeps the text typed for each post with its post when the app changes page-id, and shows it on the way back', async () => {
    const [first, second] = ['https://blog.example/first-post', 'https://blog.example/second-post'];
    const element = await mount({ 'page-id': first });
    const composer = await form(element);
    const body = () => $<HTMLTextAreaElement>(composer, '#body').value;
    await fill(composer, 'name', 'Vanna');
    await fill(composer, 'body', 'About the first post');
    api.failNext('POST', 429, { code: 'rate_limited', message: 'slow down' });
    await submit(composer);
    expect($$(composer, '[part="error"]')).toHaveLength(1);

    element.setAttribute('page-id', second);
    await loaded(element);
    await composer.updateComplete;
    expect(body()).toBe('');
    // What went wrong with the other post's comment is not this one's.
    expect($$(composer, '[part="error"]')).toHaveLength(0);
    // Who writes is the same reader on every post.
    expect($<HTMLInputElement>(composer, '#name').value).toBe('Vanna');
    await fill(composer, 'body', 'About the second');

    element.setAttribute('page-id', first);
    await loaded(element);
    await composer.updateComplete;
    expect(body()).toBe('About the first post');
    element.setAttribute('page-id', second);
    await loaded(element);
    await composer.updateComplete;
    expect(body()).toBe('About the second');
  });

  it('checks the fields before sending, marking each one that needs fixing', async () => {
    const element = await mount();
    const composer = await form(element);
    await fill(composer, 'email', 'not-an-email');
    await fill(composer, 'website', 'javascript:alert(1)');
    await fill(composer, 'body', 'x'.repeat(10_001));
    await submit(composer);

    expect(api.requestsMatching('POST')).toHaveLength(0);
    for (const field of ['name', 'email', 'website', 'body']) {
      const control = $(composer, `#${field}`);
      expect(control.getAttribute('aria-invalid')).toBe('true');
      const described = control.getAttribute('aria-describedby')!.split(' ');
      expect(described).toContain(`${field}-error`);
      expect(text($(composer, `#${field}-error`))).not.toBe('');
    }
    expect(text($(composer, '#body-error'))).toBe('Write a comment of at most 10,000 characters.');
    // The first field to fix, in the form's order: the text comes first.
    expect(composer.shadowRoot!.activeElement?.id).toBe('body');
  });

  it('says a text is missing, not too long, when the reader sends spaces alone', async () => {
    const element = await mount();
    const composer = await form(element);
    await fill(composer, 'name', 'Vanna');
    await fill(composer, 'body', '   ');
    await submit(composer);
    expect(api.requestsMatching('POST')).toHaveLength(0);
    expect(text($(composer, '#body-error'))).toBe('Write your comment first.');
  });

  it('tells a reader whose text the site refused that its links or words are why', async () => {
    const element = await mount();
    api.failNext('POST', 400, {
      code: 'comment_rejected',
      message: 'A comment may contain at most 3 links on this site.',
      field: 'body',
    });
    const composer = await form(element);
    await fill(composer, 'name', 'Vanna');
    await fill(composer, 'body', 'See a.example, b.example, c.example and d.example');
    await submit(composer);
    expect($(composer, '#body').getAttribute('aria-invalid')).toBe('true');
    expect(text($(composer, '#body-error'))).toBe(
      'This site does not accept this text: it has more links than the site allows, or a word it does not take.',
    );
  });

  it('shows a server field error next to that field', async () => {
    const element = await mount();
    api.failNext('POST', 400, { code: 'invalid_field', message: 'name is reserved', field: 'name' });
    const composer = await form(element);
    await fill(composer, 'name', 'admin');
    await fill(composer, 'body', 'Hi');
    await submit(composer);

    expect($(composer, '#name').getAttribute('aria-invalid')).toBe('true');
    expect(text($(composer, '#name-error'))).toBe('Enter your name, at most 64 characters.');
    expect($(composer, '#body').getAttribute('aria-invalid')).toBeNull();
    expect(composer.shadowRoot!.activeElement?.id).toBe('name');
    expect($$(element, '#comment-new-1')).toHaveLength(0);
  });

  it('shows other server errors on the form and fires sala-error', async () => {
    const element = await mount();
    const codes: string[] = [];
    element.addEventListener('sala-error', (event) => codes.push(event.detail.code));
    api.failNext('POST', 429, { code: 'rate_limited', message: 'slow down' });
    const composer = await post(element, 'Too quick');
    expect(text($(composer, '[role="alert"]'))).toBe(
      'You are commenting too fast. Please wait a moment and try again.',
    );
    expect($<HTMLTextAreaElement>(composer, '#body').value).toBe('Too quick');
    expect(codes).toEqual(['rate_limited']);
  });

  it('sends the honeypot only when something filled it, and how long the form was open', async () => {
    const element = await mount();
    const composer = await form(element);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await fill(composer, 'name', 'Bot');
    await fill(composer, 'body', 'Buy now');
    const honeypot = $<HTMLInputElement>(composer, '[name="homepage"]');
    expect(honeypot.closest('[aria-hidden="true"]')).not.toBeNull();
    expect(honeypot.tabIndex).toBe(-1);
    honeypot.value = 'https://spam.example';
    await submit(composer);
    const [request] = api.requestsMatching('POST');
    expect(request!.body).toMatchObject({ hp: 'https://spam.example' });
    expect((request!.body as { elapsedMs: number }).elapsedMs).toBeGreaterThanOrEqual(30);
  });

  it('shows the Turnstile check the API asks for, then sends the comment again with its token', async () => {
    const rendered: { container: HTMLElement; sitekey: string; callback: (token: string) => void }[] = [];
    const turnstile = {
      render: vi.fn((container: HTMLElement, options: { sitekey: string; callback: (token: string) => void }) => {
        rendered.push({ container, ...options });
        return 'widget-1';
      }),
      reset: vi.fn(),
      remove: vi.fn(),
    };
    vi.stubGlobal('turnstile', turnstile);
    const element = await mount();
    api.failNext('POST', 403, { code: 'captcha_required', message: 'prove it', siteKey: '0x4AAA' });
    const composer = await post(element, 'Looks risky');

    await vi.waitFor(() => expect(rendered).toHaveLength(1));
    expect(rendered[0]!.sitekey).toBe('0x4AAA');
    expect(composer.shadowRoot!.contains(rendered[0]!.container)).toBe(true);
    expect(text($(composer, '[role="alert"]'))).toMatch(/complete the check/);

    rendered[0]!.callback('pass-token');
    await vi.waitFor(() => expect(api.requestsMatching('POST')).toHaveLength(2));
    expect(api.requestsMatching('POST')[1]!.body).toMatchObject({ body: 'Looks risky', captchaToken: 'pass-token' });
    await vi.waitFor(() => expect(article(element, 'new-1')).not.toBeNull());
    expect(turnstile.remove).toHaveBeenCalledWith('widget-1');
  });

  it('previews the Markdown with the same renderer', async () => {
    const composer = await form(await mount());
    await fill(composer, 'body', 'Some *emphasis* and `code`');
    $(composer, '[aria-pressed]').click();
    await composer.updateComplete;
    const preview = $(composer, '[part="preview"]');
    expect(preview.querySelector('em')?.textContent).toBe('emphasis');
    expect(preview.querySelector('code')?.textContent).toBe('code');
    expect($(composer, '#body').hidden).toBe(true);
    expect($(composer, '[aria-pressed]').getAttribute('aria-pressed')).toBe('true');
  });
});

describe('replying', () => {
  it('opens an inline form under the comment and posts with its parentId', async () => {
    const element = await mount();
    const reply = $(article(element, 'c6'), '[data-action="reply"]');
    expect(reply.getAttribute('aria-label')).toBe('Reply to Frank');
    reply.click();
    const composer = await form(element, 'c6');
    expect($(composer, 'form').getAttribute('aria-label')).toBe('Write a reply to Frank');
    await fill(composer, 'name', 'Dara');
    await fill(composer, 'body', 'Nice list');
    await submit(composer);

    expect(api.requestsMatching('POST')[0]!.body).toMatchObject({ parentId: 'c6', body: 'Nice list' });
    const replies = article(element, 'c6').parentElement!.querySelector(':scope > ul')!;
    expect(replies.querySelector('#comment-new-1')).not.toBeNull();
    expect(article(element, 'c6').querySelector('sala-comment-composer')).toBeNull();
    expect(element.shadowRoot!.activeElement?.id).toBe('comment-new-1');
  });

  it('keeps an open reply and its text with its comment when the reader’s new comment goes in above it', async () => {
    const element = await mount({ sort: 'newest' });
    $(article(element, 'c6'), '[data-action="reply"]').click();
    const reply = await form(element, 'c6');
    await fill(reply, 'body', 'Half a thought');

    const topLevel = await form(element);
    expect(topLevel.closest('article')).toBeNull();
    await fill(topLevel, 'name', 'Sokha');
    await fill(topLevel, 'body', 'Newest of all');
    $<HTMLButtonElement>(topLevel, 'button[type="submit"]').click();
    // Sent within MIN_ELAPSED_MS (3 s) of the page's first form, as when this test runs alone, it waits out the rest.
    await vi.waitFor(() => expect(element.shadowRoot!.querySelector('#comment-new-1')).not.toBeNull(), {
      timeout: 10_000,
    });
    await element.updateComplete;

    expect(article(element, 'c6').querySelector('sala-comment-composer')).toBe(reply);
    expect($<HTMLTextAreaElement>(reply, '#body').value).toBe('Half a thought');
    expect(article(element, 'c7').querySelector('sala-comment-composer')).toBeNull();
    expect(article(element, 'new-1').querySelector('sala-comment-composer')).toBeNull();
  });

  it('closes on Cancel or Escape and gives focus back to the Reply button', async () => {
    const element = await mount();
    const reply = $(article(element, 'c1'), '[data-action="reply"]');
    reply.click();
    let composer = await form(element, 'c1');
    $$(composer, 'button').at(-1)!.click();
    await vi.waitFor(() => expect(article(element, 'c1').querySelector('sala-comment-composer')).toBeNull());
    expect(element.shadowRoot!.activeElement).toBe($(article(element, 'c1'), '[data-action="reply"]'));

    $(article(element, 'c1'), '[data-action="reply"]').click();
    composer = await form(element, 'c1');
    $(composer, '#body').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await vi.waitFor(() => expect(article(element, 'c1').querySelector('sala-comment-composer')).toBeNull());
  });

  it('closes a written reply on Escape as Cancel does, and shows the text again when the reader reopens it', async () => {
    const element = await mount();
    const replyButton = () => $(article(element, 'c1'), '[data-action="reply"]');
    replyButton().click();
    let composer = await form(element, 'c1');
    await vi.waitFor(() => expect(composer.shadowRoot!.activeElement?.id).toBe('body'));
    await userEvent.keyboard('Half a reply I mean to finish');
    await userEvent.keyboard('{Escape}');
    await vi.waitFor(() => expect(article(element, 'c1').querySelector('sala-comment-composer')).toBeNull());
    expect(element.shadowRoot!.activeElement).toBe(replyButton());
    expect(replyButton().getAttribute('aria-label') ?? text(replyButton())).toContain('Alice');

    replyButton().click();
    composer = await form(element, 'c1');
    await expect.poll(() => $<HTMLTextAreaElement>(composer, '#body').value).toBe('Half a reply I mean to finish');
    // Cancel throws it away.
    $$(composer, 'button').at(-1)!.click();
    await vi.waitFor(() => expect(article(element, 'c1').querySelector('sala-comment-composer')).toBeNull());
    replyButton().click();
    composer = await form(element, 'c1');
    expect($<HTMLTextAreaElement>(composer, '#body').value).toBe('');
  });

  it('closes a changed edit on Escape, back to its Edit button, and shows the change again when reopened', async () => {
    const element = await mount();
    await post(element, 'Tpyo');
    api.publish(PAGE, { ...api.threads.get(PAGE)![0]!, id: 'new-1', parentId: null, body: 'Tpyo' });
    const editButton = () => $(article(element, 'new-1'), '[data-action="edit"]');
    editButton().click();
    let composer = await form(element, 'new-1');
    await fill(composer, 'body', 'Typo, half fixed');
    $(composer, '#body').focus();
    await userEvent.keyboard('{Escape}');
    await vi.waitFor(() => expect(article(element, 'new-1').querySelector('sala-comment-composer')).toBeNull());
    expect(element.shadowRoot!.activeElement).toBe(editButton());
    expect(text($(article(element, 'new-1'), '[part="body"]'))).toBe('Tpyo');

    editButton().click();
    composer = await form(element, 'new-1');
    await expect.poll(() => $<HTMLTextAreaElement>(composer, '#body').value).toBe('Typo, half fixed');
    expect(api.requestsMatching('PATCH')).toHaveLength(0);
  });

  it('leaves the form open when Escape ends an IME composition', async () => {
    const element = await mount();
    $(article(element, 'c1'), '[data-action="reply"]').click();
    const composer = await form(element, 'c1');
    await fill(composer, 'body', 'にほんご');
    const escape = { key: 'Escape', bubbles: true, composed: true };
    $(composer, '#body').dispatchEvent(new KeyboardEvent('keydown', { ...escape, isComposing: true }));
    await composer.updateComplete;
    expect(article(element, 'c1').querySelector('sala-comment-composer')).toBe(composer);
    $(composer, '#body').dispatchEvent(new KeyboardEvent('keydown', escape));
    await vi.waitFor(() => expect(article(element, 'c1').querySelector('sala-comment-composer')).toBeNull());
  });
});

describe('the rebuild a change leaves to this browser', () => {
  /** The requests for the page's rebuild sent so far, as `[site, page, token, body]`. */
  const followUps = () =>
    api
      .requestsMatching('POST', '/api/v1/comments/rebuild')
      .map(({ url, body }) => [
        url.searchParams.get('site'),
        url.searchParams.get('page'),
        url.searchParams.get('token'),
        body,
      ]);

  it('asks for it once per change the Worker answers with a rebuild token, and never otherwise', async () => {
    const element = await mount();
    await post(element, 'Rebuilt inline');
    expect(article(element, 'new-1')).toBeTruthy();

    api.rebuildPending = true;
    await post(element, 'Rebuilt by a request of its own');
    // Shown at once, as any comment of the reader's: the request for the rebuild is for everyone else.
    expect(text($(article(element, 'new-2'), '[part="body"]'))).toBe('Rebuilt by a request of its own');
    // With the token the change was answered with, and no body (a simple request: no CORS preflight).
    await vi.waitFor(() => expect(followUps()).toEqual([[null, PAGE, 'rebuild-new-2-1', undefined]]));

    api.publish(PAGE, { ...api.threads.get(PAGE)![0]!, id: 'new-2', parentId: null, body: 'Rebuilt by a request' });
    $(article(element, 'new-2'), '[data-action="edit"]').click();
    const composer = await form(element, 'new-2');
    await fill(composer, 'body', 'Edited, and rebuilt by a request of its own');
    await submit(composer);
    await vi.waitFor(() => expect(followUps()).toHaveLength(2));
    expect(followUps()[1]).toEqual([null, PAGE, 'rebuild-new-2-2', undefined]);
    expect(api.requestsMatching('POST', '/api/v1/comments/rebuild')[1]!.headers.get('Authorization')).toBeNull();
    // Each outlives the page, should the reader close the tab as soon as the comment shows.
    expect(api.requestsMatching('POST', '/api/v1/comments/rebuild').map(({ keepalive }) => keepalive)).toEqual([
      true,
      true,
    ]);
  });

  it('shows nothing of it when that request fails: the comment stands, with its usual status', async () => {
    const element = await mount();
    api.rebuildPending = true;
    api.failNext('POST', 503, { code: 'daily_limit_reached', message: 'later' }, '/api/v1/comments/rebuild');
    const errors: Event[] = [];
    document.body.addEventListener('sala-error', (event) => errors.push(event));
    const composer = await post(element, 'Kept whatever the rebuild does');
    await vi.waitFor(() => expect(followUps()).toHaveLength(1));
    expect(text($(article(element, 'new-1'), '[part="body"]'))).toBe('Kept whatever the rebuild does');
    expect(text($(element, '[role="status"]'))).toBe('Your comment was posted.');
    expect(composer.shadowRoot!.querySelector('[role="alert"]')?.textContent?.trim() ?? '').toBe('');
    expect(errors).toHaveLength(0);
  });
});

describe('editing and deleting one’s own comment', () => {
  it('edits with the stored token while the window is open', async () => {
    const element = await mount();
    await post(element, 'Tpyo');
    api.publish(PAGE, { ...api.threads.get(PAGE)![0]!, id: 'new-1', parentId: null, body: 'Tpyo' });

    expect(article(element, 'c1').querySelector('[data-action="edit"]')).toBeNull();
    $(article(element, 'new-1'), '[data-action="edit"]').click();
    const composer = await form(element, 'new-1');
    expect($<HTMLTextAreaElement>(composer, '#body').value).toBe('Tpyo');
    expect(composer.shadowRoot!.querySelector('#name')).toBeNull();
    await fill(composer, 'body', 'Typo');
    await submit(composer);

    const [edit] = api.requestsMatching('PATCH');
    expect(edit!.url.pathname).toBe('/api/v1/comments/new-1');
    expect(edit!.headers.get('Authorization')).toBe('Bearer token-new-1');
    expect(edit!.body).toEqual({ page: PAGE, body: 'Typo' });
    await vi.waitFor(() => expect(text($(article(element, 'new-1'), '[part="body"]'))).toBe('Typo'));
    expect(text($(article(element, 'new-1'), '.meta'))).toContain('(edited)');
    expect(text($(element, '[role="status"]'))).toBe('Your comment was updated.');

    // Within the minute KV takes, a reload and a new sort get the thread from before the edit: the reader's edit shows,
    // as this browser stored it, not the old text.
    document.body.replaceChildren();
    const reloaded = await mount();
    expect(shown(reloaded, 'new-1')).toBe('Typo');
    expect(text($(article(reloaded, 'new-1'), '.meta'))).toContain('(edited)');
    expect($$(article(reloaded, 'new-1'), '[data-action="edit"]')).toHaveLength(1);
    await sortBy(reloaded, 'newest');
    expect(shown(reloaded, 'new-1')).toBe('Typo');
    // Caught up, then the owner removed it, a reply below keeping its place: the server's copy shows, not the edit.
    const [edited] = stored();
    const reply = { ...api.threads.get(PAGE)![1]!, id: 'r1', parentId: 'new-1', body: 'Too late.' };
    api.threads.set(PAGE, [...threadFixture(), edited!]);
    await sortBy(reloaded, 'oldest');
    expect(shown(reloaded, 'new-1')).toBe('Typo');
    api.threads.set(PAGE, [
      ...threadFixture(),
      { ...edited!, deleted: true, body: '', parsed: undefined, author: { name: '', avatar: '' } },
      reply,
    ]);
    await sortBy(reloaded, 'newest');
    expect(text(article(reloaded, 'new-1'))).toBe('Comment deleted');
    expect(shown(reloaded, 'r1')).toBe('Too late.');
  });

  it('keeps showing its author an edit the Worker held, marked, once the thread no longer lists it', async () => {
    const element = await mount();
    await post(element, 'Tpyo');
    const original = { ...api.threads.get(PAGE)![0]!, id: 'new-1', parentId: null, body: 'Tpyo' };
    api.publish(PAGE, original);
    await sortBy(element, 'oldest');
    api.holdEdits = true;
    $(article(element, 'new-1'), '[data-action="edit"]').click();
    const composer = await form(element, 'new-1');
    await fill(composer, 'body', 'Typo, see https://example.com');
    await submit(composer);
    await vi.waitFor(() => expect(shown(element, 'new-1')).toBe('Typo, see https://example.com'));
    const badge = () => article(document.querySelector('sala-comments')!, 'new-1').querySelector('[part~="pending"]');
    expect(badge()).not.toBeNull();

    // Within KV's minute the thread still lists the comment as it was; then, held, not at all: the author still sees
    // their edit, marked as held, after each reload.
    document.body.replaceChildren();
    let reloaded = await mount();
    expect(shown(reloaded, 'new-1')).toBe('Typo, see https://example.com');
    expect(badge()).not.toBeNull();
    api.threads.set(PAGE, threadFixture());
    document.body.replaceChildren();
    reloaded = await mount();
    expect(shown(reloaded, 'new-1')).toBe('Typo, see https://example.com');
    expect(badge()).not.toBeNull();
    // The owner let it through: the thread's copy shows, unmarked.
    api.threads.set(PAGE, [...threadFixture(), { ...stored()[0]!, status: undefined }]);
    await sortBy(reloaded, 'newest');
    expect(shown(reloaded, 'new-1')).toBe('Typo, see https://example.com');
    expect(badge()).toBeNull();
  });

  it('keeps a held edit in its place in the conversation, by its time, in either sort; a held reply under its parent', async () => {
    // The reader, Frank, wrote c6 and, in the same second, r4, a reply to Alice (c1) before Hana's r7. The Worker held
    // their edits of both (a link), and the thread no longer lists them: they used to move to where new comments go.
    const [c6] = threadFixture().slice(5);
    const reply = { ...comment('r4', 'c1', 'Frank', ''), createdAt: c6!.createdAt };
    const held = [c6!, reply].map((mine) => ({
      comment: { ...mine, body: 'Me too, https://example.com', editedAt: new Date().toISOString(), status: 'pending' },
      editToken: `token-${mine.id}`,
      editableUntil: new Date(Date.now() + 10 * 60_000).toISOString(),
      listed: false,
    }));
    localStorage.setItem(`sala:own:${API}||${PAGE}`, JSON.stringify(held));
    api.threads.set(PAGE, [...threadFixture().filter((c) => c.id !== 'c6'), comment('r7', 'c1', 'Hana', 'Later.')]);
    const element = await mount();
    const order = () => $$(element, 'article').map((found) => found.id.replace('comment-', ''));
    const number = (id: string) => $(article(element, id), '[data-action="edit"]').getAttribute('aria-label');
    expect(order()).toEqual(['c1', 'c2', 'c3', 'c4', 'c5', 'r4', 'r7', 'c6', 'c7', 'c8']);
    expect(article(element, 'c1').closest('li')!.contains(article(element, 'r4'))).toBe(true);
    expect([number('r4'), number('c6')]).toEqual([
      expect.stringMatching(/1 of 2\)$/),
      expect.stringMatching(/2 of 2\)$/),
    ]);
    await sortBy(element, 'newest');
    expect(order()).toEqual(['c7', 'c8', 'c6', 'c1', 'c2', 'c3', 'c4', 'c5', 'r4', 'r7']);
    expect([number('c6'), number('r4')]).toEqual([
      expect.stringMatching(/1 of 2\)$/),
      expect.stringMatching(/2 of 2\)$/),
    ]);
  });

  it('fires sala-comment-edited with the comment as it now reads, and no sala-comment-posted', async () => {
    const element = await mount();
    await post(element, 'Tpyo');
    const edited: SalaCommentEditedDetail[] = [];
    const posted: SalaCommentPostedDetail[] = [];
    // Listened for on the window: the event leaves the thread's shadow root and bubbles up the document.
    const listening = new AbortController();
    window.addEventListener('sala-comment-edited', (event) => edited.push(event.detail), listening);
    window.addEventListener('sala-comment-posted', (event) => posted.push(event.detail), listening);
    $(article(element, 'new-1'), '[data-action="edit"]').click();
    const composer = await form(element, 'new-1');
    await fill(composer, 'body', 'Typo');
    await submit(composer);
    await vi.waitFor(() => expect(edited).toHaveLength(1));
    listening.abort();
    expect(edited[0]).toMatchObject({ pageId: PAGE, comment: { id: 'new-1', body: 'Typo' } });
    expect(edited[0]!.comment.editedAt).toBeTruthy();
    expect(posted).toEqual([]);
  });

  it('says in the reader’s language that the owner closed the thread since, and keeps the edited text', async () => {
    const element = await mount({ lang: 'km' });
    await post(element, 'Tpyo', 'សុខា');
    const codes: string[] = [];
    element.addEventListener('sala-error', (event) => codes.push(event.detail.code));
    $(article(element, 'new-1'), '[data-action="edit"]').click();
    const editor = await form(element, 'new-1');
    await fill(editor, 'body', 'Typo, fixed');
    api.failNext('PATCH', 403, { code: 'thread_closed', message: 'Comments on this page are closed.' });
    await submit(editor);

    expect(text($(editor, '[role="alert"]'))).toBe('ការបញ្ចេញមតិលើទំព័រនេះត្រូវបានបិទហើយ។');
    expect($<HTMLTextAreaElement>(editor, '#body').value).toBe('Typo, fixed');
    expect(codes).toEqual(['thread_closed']);
  });

  it('says in the reader’s language that a comment has had all its edits, or that edits come too fast', async () => {
    const element = await mount({ lang: 'fr' });
    await post(element, 'Tpyo');
    $(article(element, 'new-1'), '[data-action="edit"]').click();
    const editor = await form(element, 'new-1');
    await fill(editor, 'body', 'Typo, fixed once more');
    api.failNext('PATCH', 429, { code: 'too_many_edits', message: 'This comment was edited 5 times.' });
    await submit(editor);
    expect(text($(editor, '[role="alert"]'))).toBe(
      'Vous avez modifié ce commentaire autant de fois que permis. Vous pouvez encore le supprimer et le publier à nouveau.',
    );
    expect($<HTMLTextAreaElement>(editor, '#body').value).toBe('Typo, fixed once more');

    api.failNext('PATCH', 429, { code: 'rate_limited', message: 'You are editing very fast; wait a minute.' });
    await submit(editor);
    expect(text($(editor, '[role="alert"]'))).toBe('Vous commentez trop vite. Patientez un instant, puis réessayez.');
    expect($<HTMLTextAreaElement>(editor, '#body').value).toBe('Typo, fixed once more');
  });

  it('offers Delete and not Edit on one’s own comment once the thread is closed', async () => {
    await post(await mount(), 'Said before the close');
    document.body.replaceChildren();
    const original = globalThis.fetch;
    vi.stubGlobal('fetch', async (input: URL, init?: RequestInit) => {
      const response = await original(input, init);
      if (init?.method !== undefined && init.method !== 'GET') return response;
      if (new URL(input).searchParams.get('page') !== PAGE) return response;
      return Response.json({ ...(await response.json()), closed: true });
    });
    const element = await mount();
    await vi.waitFor(() => expect($$(article(element, 'new-1'), '[data-action="delete"]')).toHaveLength(1));
    expect($$(article(element, 'new-1'), '[data-action="edit"]')).toHaveLength(0);
  });

  it('deletes after confirmation, with the token and the page, and it stays deleted while KV lists it', async () => {
    const element = await mount();
    await post(element, 'Regret');
    api.publish(PAGE, stored()[0]!);
    $(article(element, 'new-1'), '[data-action="delete"]').click();
    await vi.waitFor(() => expect(text(article(element, 'new-1'))).toContain('Delete your comment posted at'));
    expect(api.requestsMatching('DELETE')).toHaveLength(0);
    expect(element.shadowRoot!.activeElement).toBe($(article(element, 'new-1'), '[data-action="cancel"]'));
    // Escape answers no, as Cancel does.
    element.shadowRoot!.activeElement!.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }),
    );
    await vi.waitFor(() => expect(text(article(element, 'new-1'))).not.toContain('Delete your comment posted at'));
    $(article(element, 'new-1'), '[data-action="delete"]').click();
    await vi.waitFor(() => expect(text(article(element, 'new-1'))).toContain('Delete your comment posted at'));

    $(article(element, 'new-1'), '[part~="danger"]').click();
    await vi.waitFor(() => expect($$(element, '#comment-new-1')).toHaveLength(0));
    const [removal] = api.requestsMatching('DELETE');
    expect(removal!.url.pathname).toBe('/api/v1/comments/new-1');
    expect(removal!.url.searchParams.get('page')).toBe(PAGE);
    expect(removal!.headers.get('Authorization')).toBe('Bearer token-new-1');
    expect(text($(element, '[role="status"]'))).toBe('Your comment was deleted.');
    // This browser keeps no more of it than the server does: no text, no author.
    expect(stored()).toMatchObject([{ id: 'new-1', deleted: true, body: '', author: { name: '' } }]);

    // Within the minute KV takes, a reload and a new sort get the thread from before the delete: it stays gone.
    document.body.replaceChildren();
    const reloaded = await mount();
    expect($$(reloaded, '#comment-new-1')).toHaveLength(0);
    expect(text($(reloaded, 'h2'))).toBe('7 comments');
    await sortBy(reloaded, 'newest');
    expect($$(reloaded, '#comment-new-1')).toHaveLength(0);
  });

  it('fires sala-comment-deleted with the comment deleted once the API has deleted it, and not when it refuses', async () => {
    const element = await mount();
    await post(element, 'Regret');
    await post(element, 'Keep');
    const deleted: SalaCommentDeletedDetail[] = [];
    document.body.addEventListener('sala-comment-deleted', (event) => deleted.push(event.detail));

    api.tokens.set('new-2', 'rotated');
    $(article(element, 'new-2'), '[data-action="delete"]').click();
    await element.updateComplete;
    $(article(element, 'new-2'), '[part~="danger"]').click();
    await vi.waitFor(() => expect($$(article(element, 'new-2'), '[role="alert"]')).toHaveLength(1));
    expect(deleted).toEqual([]);

    $(article(element, 'new-1'), '[data-action="delete"]').click();
    await element.updateComplete;
    $(article(element, 'new-1'), '[part~="danger"]').click();
    await vi.waitFor(() => expect(deleted).toHaveLength(1));
    expect(deleted[0]).toMatchObject({ pageId: PAGE, comment: { id: 'new-1', body: 'Regret' } });
    expect($$(element, '#comment-new-1')).toHaveLength(0);
  });

  it('leaves a placeholder when the deleted comment has replies', async () => {
    const element = await mount();
    await post(element, 'Parent');
    $(article(element, 'new-1'), '[data-action="reply"]').click();
    const composer = await form(element, 'new-1');
    await fill(composer, 'body', 'Child');
    await submit(composer);
    $(article(element, 'new-1'), '[data-action="delete"]').click();
    await element.updateComplete;
    $(article(element, 'new-1'), '[part~="danger"]').click();
    await vi.waitFor(() => expect(text(article(element, 'new-1'))).toBe('Comment deleted'));
    expect(article(element, 'new-2')).not.toBeNull();
    // The copy this browser keeps is a placeholder too: no text left, as typed or parsed.
    const kept = stored().find((own) => own.id === 'new-1')!;
    expect([kept.deleted, kept.body, kept.parsed]).toEqual([true, '', undefined]);

    // The API listed both before the delete, and still does within KV's minute: after a reload, the placeholder.
    api.publish(PAGE, { ...kept, deleted: undefined, body: 'Parent', author: { name: 'Sokha', avatar: 'seed-Sokha' } });
    api.publish(
      PAGE,
      stored().find((own) => own.id === 'new-2')!,
    );
    document.body.replaceChildren();
    const reloaded = await mount();
    expect(text(article(reloaded, 'new-1'))).toBe('Comment deleted');
    expect(shown(reloaded, 'new-2')).toBe('Child');
  });

  it('shows a refused delete on the comment', async () => {
    const element = await mount();
    await post(element, 'Mine');
    api.tokens.set('new-1', 'rotated');
    $(article(element, 'new-1'), '[data-action="delete"]').click();
    await element.updateComplete;
    $(article(element, 'new-1'), '[part~="danger"]').click();
    await vi.waitFor(() =>
      expect(text($(article(element, 'new-1'), '[role="alert"]'))).toBe(
        'You can no longer edit or delete this comment.',
      ),
    );
    expect($$(element, '#comment-new-1')).toHaveLength(1);
  });
});

// Two threads on a page, one per post (a home page listing posts): what the reader posts in one stays there. Two of one
// post show it once (comments.test.ts).
describe('two <sala-comments> on one page', () => {
  // An app moved its thread to another post while a comment was on its way; the element it left that post to (which
  // showed nothing while the app's had it) shows the comment, the reader's, without a reload.
  it('shows a comment in the element that took its post while it was on its way', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {}); // the pasted-twice hint
    const app = await mount();
    const theme = document.body.appendChild(Object.assign(document.createElement('sala-comments'), { api: API }));
    theme.setAttribute('page-id', PAGE);
    let release = () => {};
    api.gate = (request) =>
      request.method === 'POST' && request.url.pathname === '/api/v1/comments'
        ? new Promise<void>((resolve) => (release = resolve))
        : Promise.resolve();
    const composer = await form(app);
    await fill(composer, 'name', 'Vanna');
    await fill(composer, 'body', 'Sent from the first post');
    $<HTMLButtonElement>(composer, 'button[type="submit"]').click();
    // Sending loads the posting chunk first, which the test server builds on its first import.
    await vi.waitFor(() => expect(api.requestsMatching('POST')).toHaveLength(1), { timeout: 10_000 });
    app.setAttribute('page-id', 'https://blog.example/another-post');
    await loaded(theme);
    expect(shown(theme, 'new-1')).toBeNull();
    release();
    await vi.waitFor(() => expect(shown(theme, 'new-1')).toBe('Sent from the first post'));
    expect($$(article(theme, 'new-1'), '[data-action="edit"]')).toHaveLength(1);
    vi.restoreAllMocks();
  });

  it('leaves a thread of another page as it is', async () => {
    api.threads.set('https://blog.example/2026/11/kampot', threadFixture());
    const thread = await mount();
    const other = await mount({ 'page-id': 'https://blog.example/2026/11/kampot' });
    await post(thread, 'Only here');
    await vi.waitFor(() => expect(shown(thread, 'new-1')).toBe('Only here'));
    expect(shown(other, 'new-1')).toBeNull();
    expect(text($(other, 'h2'))).toBe('7 comments');
  });
});

// A full storage (or Safari's private mode) reads what it holds and refuses every write. The next change wrote the
// list back as storage held it, without what this page had posted since: that comment lost its Edit and Delete and,
// not listed yet, left the thread with the words the reader had typed.
describe('one’s own comments when storage refuses writes', () => {
  const page = 'https://blog.example/2026/12/full-storage';
  const key = `sala:own:${API}||${page}`;
  const ids = () =>
    (JSON.parse(localStorage.getItem(key)!) as { comment: PublicComment }[]).map((own) => own.comment.id);
  // What the page kept of the commenter while storage refused it: a reload, as the next test is, clears it.
  afterEach(() => unstored.clear());

  it('keeps what the page posted and edited, editable, through a new sort, another tab, another post and an edit', async () => {
    api.threads.set(page, threadFixture());
    const write = Storage.prototype.setItem;
    const refuse = vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    const element = await mount({ 'page-id': page });
    try {
      await post(element, 'First, to be edited.');
      // Sorted anew, the thread reads its own comments again: storage holds none of them.
      const select = $<HTMLSelectElement>(element, 'select');
      select.value = 'newest';
      select.dispatchEvent(new Event('change'));
      await loaded(element);
      expect(shown(element, 'new-1')).toBe('First, to be edited.');

      // Another tab of the post, whose write went through, stores the comment it posted.
      const other = { ...api.threads.get(page)![0]!, id: 'other-tab', body: 'From another tab.' };
      const until = new Date(Date.now() + 60_000).toISOString();
      write.call(localStorage, key, JSON.stringify([{ comment: other, editToken: 't', editableUntil: until }]));
      await post(element, 'Second.');
      $(article(element, 'new-1'), '[data-action="edit"]').click();
      const editor = await form(element, 'new-1');
      await fill(editor, 'body', 'First, edited.');
      await submit(editor);

      expect(api.requestsMatching('PATCH')[0]!.headers.get('Authorization')).toBe('Bearer token-new-1');
      await vi.waitFor(() => expect(shown(element, 'new-1')).toBe('First, edited.'));
      expect(shown(element, 'new-2')).toBe('Second.');
      for (const id of ['new-1', 'new-2']) {
        expect($$(article(element, id), '[data-action="edit"], [data-action="delete"]')).toHaveLength(2);
      }
      expect(ids()).toEqual(['other-tab']);
    } finally {
      refuse.mockRestore();
    }

    // Storage takes writes again: the next change stores what the page kept.
    $(article(element, 'new-2'), '[data-action="delete"]').click();
    (await vi.waitFor(() => $(article(element, 'new-2'), '[part~="danger"]'))).click();
    await vi.waitFor(() => expect(shown(element, 'new-2')).toBeNull());
    expect(ids()).toEqual(['other-tab', 'new-1', 'new-2']);
  });

  // The name was typed once: a reply form came empty. And each comment went with a new commenter key, so a key the
  // owner approved, or whose reply mails the reader confirmed, was never sent again.
  it('fills a reply form with the name typed for the page’s first comment, and sends one commenter key', async () => {
    api.threads.set(page, threadFixture());
    const refuse = vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    try {
      const element = await mount({ 'page-id': page });
      await post(element, 'First.', 'Sokha');
      $(article(element, 'c6'), '[data-action="reply"]').click();
      const reply = await form(element, 'c6');
      expect($<HTMLInputElement>(reply, '#name').value).toBe('Sokha');
      await fill(reply, 'body', 'A reply.');
      await submit(reply);
      const [first, second] = api.requestsMatching('POST').map(({ body }) => body as { commenterKey: string });
      expect(second).toMatchObject({ name: 'Sokha', parentId: 'c6' });
      expect(second!.commenterKey).toBe(first!.commenterKey);
    } finally {
      refuse.mockRestore();
    }
  });
});
