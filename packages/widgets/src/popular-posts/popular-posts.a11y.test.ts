import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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

describe('<sala-popular-posts> accessibility', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`passes axe in the ${theme} theme`, async () => {
      const element = await mountTag('sala-popular-posts', {}, blogPage(theme));
      expect(element.shadowRoot!.querySelector('.dark') !== null).toBe(theme === 'dark');
      expect(await axeViolations(element, ['color-contrast', 'link-name', 'aria-hidden-focus', 'list'])).toEqual([]);
    });
  }
});
