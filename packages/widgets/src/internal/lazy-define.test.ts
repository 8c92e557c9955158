import { afterEach, expect, it, vi } from 'vitest';
import { loadWhenPresent } from './lazy-define.js';

const TAGS = ['sala-comments', 'sala-popular-posts', 'sala-comment-count', 'sala-recent-comments'];

const stops: (() => void)[] = [];
afterEach(() => {
  stops.splice(0).forEach((stop) => stop());
  document.body.replaceChildren();
  vi.restoreAllMocks();
});

/** Elements for `html`, added to the page. */
function add(html: string, parent: Element = document.body): void {
  parent.insertAdjacentHTML('beforeend', html);
}

/** The `[sala]` console lines so far. */
function hints(warn: { mock: { calls: unknown[][] } }): string[] {
  return warn.mock.calls.map(([message]) => String(message)).filter((message) => message.startsWith('[sala]'));
}

it('loads an element only when its tag is on the page, once, including tags added later and nested', async () => {
  const load = vi.fn(async (_tag: string) => {});
  add('<sala-comments></sala-comments>');
  stops.push(loadWhenPresent(TAGS, load));

  expect(load.mock.calls).toEqual([['sala-comments']]);

  add('<aside><sala-popular-posts></sala-popular-posts></aside><sala-comments></sala-comments>');
  await vi.waitFor(() => expect(load.mock.calls).toEqual([['sala-comments'], ['sala-popular-posts']]));
});

it('reports a chunk that fails to load with a [sala] hint instead of throwing', async () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  add('<sala-comments></sala-comments>');
  stops.push(loadWhenPresent(TAGS, () => Promise.reject(new Error('offline'))));
  await vi.waitFor(() => expect(String(warn.mock.calls[0]?.[0])).toContain('[sala] could not load <sala-comments>'));
});

it('names a misspelt sala-* tag and the tag it was meant to be, once per tag, also when added later', async () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  add('<p><sala-coments></sala-coments></p><sala-coments></sala-coments>');
  stops.push(loadWhenPresent(TAGS, async () => {}));
  await vi.waitFor(() =>
    expect(hints(warn)).toEqual(['[sala] <sala-coments> is not a Sala element; did you mean <sala-comments>?']),
  );

  // As a gadget or a framework adds them after embed.js ran.
  add('<div><sala-popular-post></sala-popular-post><sala-comment></sala-comment></div><sala-recent-comment>');
  add('<sala-coments></sala-coments><sala-commentcount></sala-commentcount><sala-count></sala-count>');
  await vi.waitFor(() =>
    expect(hints(warn).slice(1).sort()).toEqual([
      '[sala] <sala-comment> is not a Sala element; did you mean <sala-comments>?',
      '[sala] <sala-commentcount> is not a Sala element; did you mean <sala-comment-count>?',
      '[sala] <sala-count> is not a Sala element; did you mean <sala-comment-count>?',
      '[sala] <sala-popular-post> is not a Sala element; did you mean <sala-popular-posts>?',
      '[sala] <sala-recent-comment> is not a Sala element; did you mean <sala-recent-comments>?',
    ]),
  );
});

it('lists the Sala tags for a sala-* tag like none of them', async () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  add('<sala-guestbook></sala-guestbook>');
  stops.push(loadWhenPresent(TAGS, async () => {}));
  await vi.waitFor(() =>
    expect(hints(warn)).toEqual([
      '[sala] <sala-guestbook> is not a Sala element; they are <sala-comments>, <sala-popular-posts>, ' +
        '<sala-comment-count>, <sala-recent-comments>.',
    ]),
  );
});

it('says nothing of a page whose tags are right, nor of other custom elements or one the page defined', async () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  customElements.define('sala-menu', class extends HTMLElement {});
  add('<sala-comments></sala-comments><sala-popular-posts></sala-popular-posts><sala-menu></sala-menu>');
  add('<sala-comment-count></sala-comment-count><my-gallery></my-gallery><salad-bar></salad-bar>');
  stops.push(loadWhenPresent(TAGS, async () => {}));
  // A mistake added last: once its hint is in, any hint for the elements before it would be too.
  add('<sala-recent-coments></sala-recent-coments>');
  await vi.waitFor(() => expect(hints(warn)).toHaveLength(1));
  expect(hints(warn)).toEqual([
    '[sala] <sala-recent-coments> is not a Sala element; did you mean <sala-recent-comments>?',
  ]);
});

// A page using all four stopped being watched once they had loaded: a tag an app misspelt after that stayed empty.
it('names a misspelt tag added after all four elements have loaded', async () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  const load = vi.fn(async (_tag: string) => {});
  add(TAGS.map((tag) => `<${tag}></${tag}>`).join(''));
  stops.push(loadWhenPresent(TAGS, load));
  expect(load.mock.calls.map(([tag]) => tag)).toEqual(TAGS);

  // Another misspelling than the tests' before: each is named once a page.
  add('<sala-popularposts></sala-popularposts>');
  await vi.waitFor(() =>
    expect(hints(warn)).toEqual([
      '[sala] <sala-popularposts> is not a Sala element; did you mean <sala-popular-posts>?',
    ]),
  );
});
