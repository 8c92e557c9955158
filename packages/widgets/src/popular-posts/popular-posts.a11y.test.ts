import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { page } from 'vitest/browser';
import { axeViolations, blogPage, bloggerGadget, ringCut, ringOverText } from '../test/axe.js';
import { FakeApi } from '../test/fake-api.js';
import { mountTag, popularFixture, popularPost } from '../test/list-fixtures.js';
import './popular-posts.js';

let api: FakeApi;

beforeEach(() => {
  api = new FakeApi().install();
  api.popularPosts = popularFixture();
});

afterEach(() => {
  document.body.replaceChildren();
  document.body.removeAttribute('style');
  document.documentElement.removeAttribute('dir');
  vi.unstubAllGlobals();
});

afterAll(async () => {
  await page.viewport(414, 896);
});

describe('<sala-popular-posts> accessibility', () => {
  // A phone gets the compact layout, a desktop footer the wide one: both must pass.
  for (const [theme, width] of [
    ['light', 390],
    ['dark', 390],
    ['light', 1024],
  ] as const) {
    it(`passes axe in the ${theme} theme, ${width}px wide`, async () => {
      await page.viewport(width, 900);
      const element = await mountTag('sala-popular-posts', {}, blogPage(theme));
      expect(element.shadowRoot!.querySelector('.dark') !== null).toBe(theme === 'dark');
      expect(await axeViolations(element, ['color-contrast', 'link-name', 'aria-hidden-focus', 'list'])).toEqual([]);
    });
  }

  // Blogger's sidebar gadgets clip their content (overflow: hidden): a ring drawn 4px outside the titles, as it was,
  // lost its top above the first post and its sides where a title spans the list's width (a post with no thumbnail).
  it('shows each title’s whole focus ring in a Blogger sidebar gadget, on a phone and in a desktop’s sidebar', async () => {
    const cuts: string[] = [];
    for (const [theme, width, dir] of [
      ['light', 390, 'ltr'],
      ['dark', 1024, 'rtl'],
    ] as const) {
      await page.viewport(width, 900);
      document.documentElement.dir = dir;
      if (dir === 'rtl')
        api.popularPosts.unshift(popularPost('festival', { title: 'مهرجان المياه!', image: undefined }));
      const gadget = bloggerGadget(theme, 'Popular posts', width > 800 ? 300 : undefined);
      const element = await mountTag('sala-popular-posts', {}, gadget);
      for (const title of element.shadowRoot!.querySelectorAll<HTMLElement>('a[part~="link"]')) {
        cuts.push(...ringCut(title, gadget).map((cut) => `${width}px ${dir}, ${cut}`));
        // Nor over its first and last letters: inside, it needs room there.
        cuts.push(...ringOverText(title).map((cut) => `${width}px ${dir}, ${cut}`));
        // In the title's colour, which axe holds to 4.5:1 against the page (above), light and dark.
        const style = getComputedStyle(title);
        expect(style.outlineColor).toBe(style.color);
      }
      document.body.replaceChildren();
    }
    expect(cuts).toEqual([]);
  });
});
