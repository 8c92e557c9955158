import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { axeViolations, blogPage } from '../test/axe.js';
import { FakeApi } from '../test/fake-api.js';
import { BLOG, mountTag } from '../test/list-fixtures.js';
import './comment-count.js';

beforeEach(() => {
  // Stored under the page id, which drops `.html`.
  new FakeApi().install().counts.set(`${BLOG}/a11y`, 3);
});

afterEach(() => {
  document.body.replaceChildren();
  document.body.removeAttribute('style');
  vi.unstubAllGlobals();
});

describe('<sala-comment-count> accessibility', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`passes axe in the ${theme} theme, as a link in a post's byline`, async () => {
      const byline = document.createElement('p');
      blogPage(theme).append(byline);
      const element = await mountTag(
        'sala-comment-count',
        { 'page-id': `${BLOG}/a11y.html`, href: `${BLOG}/a11y.html` },
        byline,
        (count) => count.shadowRoot?.textContent?.includes('3 comments') === true,
      );
      expect(await axeViolations(element, ['color-contrast', 'link-name'])).toEqual([]);
    });
  }
});
