import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { axeViolations, blogPage, ringOverText } from '../test/axe.js';
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

  // A Blogger theme's home page: the count starts its post's footer, in a post box whose overflow: hidden cut the
  // browser's own ring, drawn outside the link, by about 2 px.
  it('draws its focus ring inside its link, where the post box’s overflow: hidden would cut it', async () => {
    const post = document.createElement('div');
    post.className = 'post-outer';
    post.style.overflow = 'hidden';
    post.innerHTML = `<div class="post-footer" style="font-size: 14px; line-height: 1.2"><span class="byline"></span></div>`;
    blogPage('light').append(post);
    const element = await mountTag(
      'sala-comment-count',
      { 'page-id': `${BLOG}/a11y.html`, href: `${BLOG}/a11y.html` },
      post.querySelector('span')!,
      (count) => count.shadowRoot?.textContent?.includes('3 comments') === true,
    );
    const link = element.shadowRoot!.querySelector('a')!;
    link.focus();
    const style = getComputedStyle(link);
    expect(link.matches(':focus-visible') && style.outlineStyle).not.toBe('none');
    // How far the ring reaches past the link's box (the browser's own, \`auto 1px\`, is drawn outside it).
    const reach = parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth);
    const [box, clip] = [link.getBoundingClientRect(), post.getBoundingClientRect()];
    const cut = [
      box.left - reach < clip.left && 'left',
      box.right + reach > clip.right && 'right',
      box.top - reach < clip.top && 'top',
      box.bottom + reach > clip.bottom && 'bottom',
    ].filter(Boolean);
    expect(cut).toEqual([]);
    // Nor over the first and last letters, which it crossed (in a 14px footer, as here).
    expect(ringOverText(link)).toEqual([]);
    // Nor broken after the number in a footer too narrow for the count (a phone's, in a longer language): one line,
    // one ring, none over a letter at the break.
    post.style.width = '4em';
    expect(link.getClientRects().length).toBe(1);
  });

  // Khmer's vowel signs above and below its letters reach the edges of the line's font box (past them in a Latin
  // font with a Khmer fallback, as a blog's usually is): the ring, drawn inside the link, crossed them.
  it('leaves its ring room above and below Khmer’s letters', async () => {
    const byline = document.createElement('p');
    byline.lang = 'km-KH';
    byline.style.cssText = 'font-size: 14px; line-height: 1.5';
    blogPage('light').append(byline);
    const element = await mountTag(
      'sala-comment-count',
      { 'page-id': `${BLOG}/a11y.html`, href: `${BLOG}/a11y.html` },
      byline,
      (count) => count.shadowRoot?.textContent?.includes('មតិយោបល់ 3') === true,
    );
    const link = element.shadowRoot!.querySelector('a')!;
    expect(ringOverText(link, { overLines: true })).toEqual([]);
  });
});
