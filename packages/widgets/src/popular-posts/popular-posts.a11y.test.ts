import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { page } from 'vitest/browser';
import { axeViolations, blogPage } from '../test/axe.js';
import { FakeApi } from '../test/fake-api.js';
import { mountTag, popularFixture } from '../test/list-fixtures.js';
import './popular-posts.js';

beforeEach(() => {
  new FakeApi().install().popularPosts = popularFixture();
});

afterEach(() => {
  document.body.replaceChildren();
  document.body.removeAttribute('style');
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
});
