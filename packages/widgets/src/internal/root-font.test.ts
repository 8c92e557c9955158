/**
 * Sala's elements on a theme that shrinks the root font: Ghost's Casper sets `html { font-size: 62.5% }` (10px, for
 * its rem arithmetic) and its text back to 16px (`body { font-size: 1.6rem }`). A thread and a list there must look as
 * they do on any 16px page: sized on the text around them, not on the root.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import '../popular-posts/popular-posts.js';
import { FakeApi } from '../test/fake-api.js';
import { comment, PAGE } from '../test/fixtures.js';
import { mountTag, popularFixture } from '../test/list-fixtures.js';
import { $, closedForm, mount } from '../test/render.js';

let api: FakeApi;

beforeEach(() => {
  api = new FakeApi().install();
  api.threads.set(PAGE, [comment('c1', null, 'Dara', 'The kuy teav stall on the east side is still there.')]);
  api.popularPosts = popularFixture();
});

afterEach(() => {
  document.body.replaceChildren();
  document.documentElement.style.fontSize = '';
});

/** What a reader sees of a thread and a list in a 16px post column, with the root at `root`. */
async function sizes(root: string) {
  document.documentElement.style.fontSize = root;
  const column = document.createElement('div');
  column.style.cssText = 'font-size: 16px; width: 720px';
  document.body.replaceChildren(column);
  const thread = await mount({}, column);
  const list = await mountTag('sala-popular-posts', {}, column);
  const text = $(await closedForm(thread), 'textarea');
  const box = (element: Element) => element.getBoundingClientRect();
  return {
    name: getComputedStyle($(thread, '[part="author"]')).fontSize,
    avatar: box($(thread, '.avatar')).width,
    reply: box($(thread, '[part="actions"] button')).height,
    commentField: box(text).height,
    thumbnail: box($(list, '.thumbnail')).width,
    postSpacing: getComputedStyle($(list, '.item + .item')).paddingTop,
  };
}

test('a thread and a list on a 10px root (Ghost’s Casper) look as on a 16px one: names, avatars, buttons, fields, thumbnails', async () => {
  const usual = await sizes('');
  expect(usual.name).toBe('16px');
  expect(await sizes('62.5%')).toEqual(usual);
});
