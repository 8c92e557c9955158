import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeApi } from '../test/fake-api.js';
import { PAGE, threadFixture } from '../test/fixtures.js';
import { $, $$, article, fill, form, mount, submit, text } from '../test/render.js';
import type { SalaComments } from './comments.js';

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

/** The text of `id` as `element` shows it, or null when it does not show that comment. */
function shown(element: SalaComments, id: string): string | null {
  const found = element.shadowRoot!.querySelector(`#comment-${id} [part="body"]`);
  return found ? text(found as HTMLElement) : null;
}

// A Blogger gadget's thread beside the theme's own: a comment posted in one showed in the other only after a reload.
describe('two <sala-comments> showing one page', () => {
  it('shows in each what the reader posts, edits or deletes in the other', async () => {
    const gadget = await mount();
    const theme = await mount();

    const composer = await form(gadget);
    await fill(composer, 'name', 'Sokha');
    await fill(composer, 'body', 'Tpyo');
    await submit(composer);
    await vi.waitFor(() => expect(shown(theme, 'new-1')).toBe('Tpyo'));
    expect(text($(theme, 'h2'))).toBe('8 comments');
    // It is the reader's there too: they can take it back from either.
    expect($$(article(theme, 'new-1'), '[data-action="edit"]')).toHaveLength(1);

    $(article(theme, 'new-1'), '[data-action="edit"]').click();
    const editor = await form(theme, 'new-1');
    await fill(editor, 'body', 'Typo');
    await submit(editor);
    await vi.waitFor(() => expect(shown(gadget, 'new-1')).toBe('Typo'));

    $(article(gadget, 'new-1'), '[data-action="delete"]').click();
    (await vi.waitFor(() => $(article(gadget, 'new-1'), '[part~="danger"]'))).click();
    await vi.waitFor(() => expect(shown(theme, 'new-1')).toBeNull());
    expect(text($(theme, 'h2'))).toBe('7 comments');
  });

  it('leaves a thread of another page as it is', async () => {
    api.threads.set('https://blog.example/2026/11/kampot', threadFixture());
    const post = await mount();
    const other = await mount({ 'page-id': 'https://blog.example/2026/11/kampot' });
    const composer = await form(post);
    await fill(composer, 'name', 'Sokha');
    await fill(composer, 'body', 'Only here');
    await submit(composer);
    await vi.waitFor(() => expect(shown(post, 'new-1')).toBe('Only here'));
    expect(shown(other, 'new-1')).toBeNull();
    expect(text($(other, 'h2'))).toBe('7 comments');
  });
});
