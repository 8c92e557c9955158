import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { axeViolations, blogPage } from '../test/axe.js';
import { FakeApi } from '../test/fake-api.js';
import { mountTag, recentComment } from '../test/list-fixtures.js';
import './recent-comments.js';

beforeEach(() => {
  new FakeApi().install().recentComments = [
    recentComment('r2'),
    recentComment('r1', { page: null, pageId: 'post-42' }),
  ];
});

afterEach(() => {
  document.body.replaceChildren();
  document.body.removeAttribute('style');
  vi.unstubAllGlobals();
});

describe('<sala-recent-comments> accessibility', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`passes axe in the ${theme} theme`, async () => {
      const element = await mountTag('sala-recent-comments', {}, blogPage(theme));
      expect(element.shadowRoot!.querySelector('.dark') !== null).toBe(theme === 'dark');
      expect(await axeViolations(element, ['color-contrast', 'link-name', 'list', 'listitem'])).toEqual([]);
    });
  }
});
