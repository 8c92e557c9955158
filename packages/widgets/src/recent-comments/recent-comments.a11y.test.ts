import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { page } from 'vitest/browser';
import { axeViolations, blogPage, bloggerGadget, ringCut, ringOverText } from '../test/axe.js';
import { FakeApi } from '../test/fake-api.js';
import { BLOG, mountTag, recentComment } from '../test/list-fixtures.js';
import './recent-comments.js';

let api: FakeApi;

beforeEach(() => {
  api = new FakeApi().install();
  api.recentComments = [recentComment('r2'), recentComment('r1', { page: null, pageId: 'post-42' })];
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

describe('<sala-recent-comments> accessibility', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`passes axe in the ${theme} theme`, async () => {
      const element = await mountTag('sala-recent-comments', {}, blogPage(theme));
      expect(element.shadowRoot!.querySelector('.dark') !== null).toBe(theme === 'dark');
      expect(await axeViolations(element, ['color-contrast', 'link-name', 'list', 'listitem'])).toEqual([]);
    });
  }

  // Blogger's sidebar gadgets clip their content (overflow: hidden): a ring drawn 4px outside the post links, as it
  // was, lost its top on the first line of the list and its sides where a title wraps from edge to edge.
  it('shows each post link’s whole focus ring in a Blogger sidebar gadget, on a phone and in a desktop’s sidebar', async () => {
    const cuts: string[] = [];
    for (const [theme, width, dir, title] of [
      ['light', 390, 'ltr', 'A morning walk along Sisowath Quay, then breakfast by the river at the night market'],
      ['dark', 1024, 'rtl', 'نزهة صباحية على طول رصيف سيسواث في بنوم بنه وما بعدها'],
      ['dark', 1024, 'ltr', 'A morning walk along Sisowath Quay, then breakfast by the river at the night market'],
      ['light', 390, 'rtl', 'نزهة صباحية على طول رصيف سيسواث في بنوم بنه وما بعدها وما بعدها'],
    ] as const) {
      await page.viewport(width, 900);
      document.documentElement.dir = dir;
      api.recentComments[0] = recentComment('r2', { page: { url: `${BLOG}/2026/11/walk.html`, title } });
      const gadget = bloggerGadget(theme, 'Recent comments', width > 800 ? 300 : undefined);
      const element = await mountTag('sala-recent-comments', {}, gadget);
      const link = element.shadowRoot!.querySelector<HTMLElement>('a[part="post"]')!;
      expect(link.getClientRects().length).toBeGreaterThan(1);
      cuts.push(...ringCut(link, gadget).map((cut) => `${width}px ${dir}, ${cut}`));
      // Nor over its first and last letters, nor over the descenders of a line above the next: inside, it needs room.
      cuts.push(...ringOverText(link, { overLines: true }).map((cut) => `${width}px ${dir}, ${cut}`));
      // In the link's colour, which axe holds to 4.5:1 against the page (above), light and dark.
      const style = getComputedStyle(link);
      expect(style.outlineColor).toBe(style.color);
      document.body.replaceChildren();
    }
    expect(cuts).toEqual([]);
  });
});
