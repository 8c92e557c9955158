/** The `[sala]` hints on an attribute a Sala element does not know, as a blogger pasting the snippet by hand makes them. */
import { afterEach, beforeEach, expect, it, vi, type MockInstance } from 'vitest';
import '../comments/comments.js';
import '../popular-posts/popular-posts.js';
import { API, FakeApi } from '../test/fake-api.js';
import { explain } from './diagnostics.js';
import { PAGE, threadFixture } from '../test/fixtures.js';

let warn: MockInstance<typeof console.warn>;

beforeEach(() => {
  new FakeApi().install().threads.set(PAGE, threadFixture());
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
});

afterEach(() => {
  document.body.replaceChildren();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** `html` added to the page, its elements given the fake API. */
function add(html: string): void {
  const template = document.createElement('template');
  template.innerHTML = html;
  for (const element of template.content.querySelectorAll('*')) element.setAttribute('api', API);
  document.body.append(template.content);
}

/** The `[sala]` console lines so far. */
const hints = () =>
  warn.mock.calls.map(([message]) => String(message)).filter((message) => message.startsWith('[sala]'));

it('names an attribute <sala-comments> does not know and the one it was meant to be, once', async () => {
  add(`<sala-comments pageid="${PAGE}"></sala-comments><sala-comments pageid="${PAGE}"></sala-comments>`);
  // Both threads are the page's own then, which is another mistake (pasted twice, below).
  await vi.waitFor(() =>
    expect(hints().filter((hint) => !hint.includes('twice'))).toEqual([
      '[sala] <sala-comments> has no attribute "pageid"; did you mean "page-id"?',
    ]),
  );
});

it('knows the mistakes of hand-typed snippets: underscores, camelCase, a data- prefix, a word left out, a letter', async () => {
  // data-theme: how other embeds' tags (giscus's, utterances') take their settings.
  add(`<sala-comments page_id="${PAGE}" max_depth="2" heading="4" sortt="newest" data-theme="dark"></sala-comments>`);
  const element = document.createElement('sala-popular-posts');
  // What `<sala-popular-posts includeCurrent>` in a page's HTML, or a framework setting that attribute, gives.
  element.setAttribute('includeCurrent', '');
  element.setAttribute('api', API);
  document.body.append(element);
  await vi.waitFor(() =>
    expect(hints().sort()).toEqual([
      '[sala] <sala-comments> has no attribute "data-theme"; did you mean "theme"?',
      '[sala] <sala-comments> has no attribute "heading"; did you mean "heading-level"?',
      '[sala] <sala-comments> has no attribute "max_depth"; did you mean "max-depth"?',
      '[sala] <sala-comments> has no attribute "page_id"; did you mean "page-id"?',
      '[sala] <sala-comments> has no attribute "sortt"; did you mean "sort"?',
      '[sala] <sala-popular-posts> has no attribute "includecurrent"; did you mean "include-current"?',
    ]),
  );
});

it('lists what an element takes when the attribute is like none of its own', async () => {
  add('<sala-popular-posts count="3"></sala-popular-posts>');
  await vi.waitFor(() => expect(hints()).toHaveLength(1));
  expect(hints()[0]).toMatch(/^\[sala\] <sala-popular-posts> has no attribute "count"; it takes api, .*\blimit\b.*\.$/);
});

it('says nothing of its own attributes, HTML’s global ones, data-*, aria-* and other libraries’ directives', async () => {
  add(
    `<sala-comments page-id="${PAGE}" sort="newest" max-depth="2" heading-level="3" labels="a, b" no-track
       theme="dark" lang="en" site="blog" id="comments" class="post-comments" style="margin: 0" title="Comments"
       dir="ltr" tabindex="-1" slot="main" part="thread" data-section="2" aria-label="Comments" role="region"
       onclick="void 0" translate="no" inputmode="none" itemprop="comment" x-show="open" hx-boost="true"
       :limit="3" @click="x" _ngcontent-ng-c12="" ng-reflect-page="a" v-cloak></sala-comments>
     <sala-popular-posts range="30d" by="comments" limit="3" label="Food" no-thumbnails no-snippets include-current
       class="sidebar"></sala-popular-posts>`,
  );
  // A mistake added last: once its hint is in, any hint for the elements before it would be too.
  add(`<sala-comments page-id="${PAGE}/2" max-dept="2"></sala-comments>`);
  await vi.waitFor(() => expect(hints()).toHaveLength(1));
  expect(hints()).toEqual(['[sala] <sala-comments> has no attribute "max-dept"; did you mean "max-depth"?']);
});

// The element pasted twice for one post, in the theme and in the post: the page showed two threads and said nothing.
it('names both elements for one post, where each is, the one showing the thread first, and the thread', async () => {
  const [post, theme] = ['<div class="post-body">', '<div id="comments-block">'].map((holder) => {
    const template = document.createElement('template');
    template.innerHTML = `${holder}<sala-comments api="${API}" page-id="${PAGE}" heading-level="4"></sala-comments></div>`;
    return document.body.appendChild(template.content.firstElementChild!).firstElementChild!;
  });
  const app = document.body.appendChild(document.createElement('blog-app'));
  const inApp = Object.assign(document.createElement('sala-comments'), { api: API, pageId: PAGE });
  app.attachShadow({ mode: 'open' }).append(inApp);

  const tag = `<sala-comments api="${API}" page-id="${PAGE}" heading-level="4">`;
  await vi.waitFor(() =>
    expect(hints()).toEqual([
      `[sala] <sala-comments> is on this page twice for the thread of ${PAGE}: ${tag} in <div class="post-body"> ` +
        `shows it, ${tag} in <div id="comments-block"> nothing. Remove one of them.`,
      `[sala] <sala-comments> is on this page twice for the thread of ${PAGE}: ${tag} in <div class="post-body"> ` +
        'shows it, <sala-comments> in the shadow root of <blog-app> nothing. Remove one of them.',
    ]),
  );
  // Each as a node the console reveals in the page.
  expect(warn.mock.calls.map((call) => call.slice(1))).toEqual([
    [post, theme],
    [post, inApp],
  ]);
});

// `lang="xx"`, or a page in a language the widgets lack, showed English and said nothing of why.
it('names once a lang without strings, where it is written, and the languages there are; a region tag is no mistake', async () => {
  document.body.insertAdjacentHTML(
    'beforeend',
    `<div lang="sw"><sala-comments api="${API}" page-id="${PAGE}"></sala-comments>` +
      `<sala-popular-posts api="${API}" lang="SW-ke"></sala-popular-posts></div>` +
      `<sala-comments api="${API}" page-id="${PAGE}/pt" lang="pt-br"></sala-comments>`,
  );
  const [swahili, brazilian] = [...document.querySelectorAll('sala-comments')];
  const heading = (element: Element) => element.shadowRoot?.querySelector('h2')?.textContent?.trim();
  await vi.waitFor(() => expect([heading(swahili!), heading(brazilian!)]).toEqual(['7 comments', '0 comentário']));
  expect(hints()).toEqual([
    '[sala] <sala-comments> has no strings for lang="sw" (<div lang="sw"> in <body>); showing English. It speaks ' +
      'en, ar, de, es, fr, id, ja, km, pt, vi; the strings property replaces any of its words.',
  ]);
  expect(warn.mock.calls[0]!.slice(1)).toEqual([swahili!.parentElement]);
  // A hint that comes after the element's lang is gone (this chunk is fetched on the first one; the element left the
  // page, or the page dropped its lang) says nothing, and throws no unhandled rejection into the page.
  const unlabelled = document.createElement('span');
  expect(() => explain(unlabelled, ['lang', ['de']])).not.toThrow();
  expect(hints()).toHaveLength(1);
});
