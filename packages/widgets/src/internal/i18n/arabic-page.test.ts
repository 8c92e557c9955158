/**
 * An Arabic blog as Blogger prints it (`<html dir="rtl" lang="ar">`): the comment count in a post's footer, the thread
 * with its form open, popular posts and recent comments, each in Arabic and laid out mirrored, on a phone and a
 * desktop, and passing axe.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { page } from 'vitest/browser';
import '../../comment-count/comment-count.js';
import '../../popular-posts/popular-posts.js';
import '../../recent-comments/recent-comments.js';
import { axeViolations, blogPage, ringOverText } from '../../test/axe.js';
import { FakeApi } from '../../test/fake-api.js';
import { comment, PAGE } from '../../test/fixtures.js';
import { BLOG, mountTag, popularPost, recentComment } from '../../test/list-fixtures.js';
import { $, $$, article, form, mount, text } from '../../test/render.js';

let api: FakeApi;

beforeEach(() => {
  api = new FakeApi().install();
  api.threads.set(PAGE, [
    comment('c1', null, 'سارة', 'رحلة **جميلة**، شكرًا على الصور.'),
    comment('c2', 'c1', 'Dara', 'Thank you, Sara!'),
  ]);
  api.counts.set(PAGE, 12);
  api.popularPosts = [
    popularPost('water-festival', { title: 'مهرجان المياه: ثلاثة أيام من سباقات القوارب', views: 40 }),
    popularPost('central-market', { title: 'داخل السوق المركزي', views: 30 }),
  ];
  api.recentComments = [recentComment('r1', { author: { name: 'سارة', avatar: 's' }, excerpt: 'رحلة جميلة، شكرًا!' })];
  Object.assign(document.documentElement, { dir: 'rtl', lang: 'ar' });
});

afterEach(() => {
  document.body.replaceChildren();
  document.body.removeAttribute('style');
  document.documentElement.removeAttribute('dir');
  document.documentElement.removeAttribute('lang');
  vi.unstubAllGlobals();
});

afterAll(async () => {
  await page.viewport(414, 896);
});

const box = (element: Element) => element.getBoundingClientRect();
/** The number as Intl writes it for `ar`, as every count and time on the page does (Latin digits in today's CLDR). */
const number = new Intl.NumberFormat('ar').format;

describe('an Arabic Blogger page', () => {
  for (const width of [390, 1024]) {
    it(`shows the thread and its form in Arabic, mirrored, ${width}px wide`, async () => {
      await page.viewport(width, 900);
      const element = await mount({}, blogPage('light'));
      const root = $(element, '.root');
      expect([root.lang, root.dir, getComputedStyle(root).direction]).toEqual(['ar', 'rtl', 'rtl']);
      expect(text($(element, 'h2'))).toBe('تعليقان');
      expect(text($(element, '.sort'))).toMatch(/^الترتيب\s*الأقدم أولًا/);

      // The heading at the right; the sort beside it at the left on a desktop, under it at the right on a phone.
      const [bar, heading, sort] = [box($(element, '.bar')), box($(element, 'h2')), box($(element, 'select'))];
      expect(heading.right).toBeCloseTo(bar.right, 0);
      if (width > 800) expect(sort.left).toBeCloseTo(bar.left, 0);
      else expect([sort.top > heading.bottom, sort.right > bar.left + bar.width / 2]).toEqual([true, true]);

      // A comment's avatar at its right, its name and words to the left; a reply's rail at the right.
      const first = article(element, 'c1');
      const [avatar, main] = [box($(first, '.avatar')), box($(first, '.main'))];
      expect(avatar.right).toBeCloseTo(box(first).right, 0);
      expect(main.right).toBeLessThan(avatar.left);
      expect(text($(first, '[data-action="reply"]'))).toBe('رد');
      expect($(first, '[data-action="reply"]').getAttribute('aria-label')).toBe('رد على سارة');
      expect(text($(first, 'time'))).toMatch(/^قبل /);
      const rail = getComputedStyle(article(element, 'c2').closest('ul')!);
      expect([rail.borderRightWidth, rail.borderLeftWidth]).toEqual(['2px', '0px']);
      expect(box(article(element, 'c2')).right).toBeLessThan(box(first).right - 8);

      // The form: its first field at the right, Post before Preview reading from the right.
      const composer = await form(element);
      const submit = $(composer, '[type="submit"]');
      const preview = $(composer, 'button[aria-pressed]');
      expect([text(submit), text(preview)]).toEqual(['نشر التعليق', 'معاينة']);
      expect(box(submit).left).toBeGreaterThan(box(preview).right);
      expect(box(submit).right).toBeCloseTo(box($(composer, 'form')).right, 0);
      const [name, email] = [box($(composer, '#name')), box($(composer, '#email'))];
      if (width > 800) expect(name.left).toBeGreaterThan(email.right);
      expect(text($(composer, 'label[for="name"]'))).toBe('الاسم');

      expect(await axeViolations(element, ['color-contrast', 'button-name', 'label'])).toEqual([]);
    });

    it(`shows the count, popular posts and recent comments in Arabic, mirrored, ${width}px wide`, async () => {
      await page.viewport(width, 900);
      const main = blogPage('light');
      const footer = main.appendChild(document.createElement('p'));
      const count = await mountTag('sala-comment-count', { 'page-id': PAGE, href: `${PAGE}.html` }, footer);
      const link = $(count, 'a');
      // Eleven to ninety-nine take the singular with tanwin, as Intl.PluralRules('ar') calls them "many".
      expect(text(link)).toBe(`${number(12)} تعليقًا`);
      expect([$(count, '.root').dir, getComputedStyle(link).direction]).toEqual(['rtl', 'rtl']);

      const popular = await mountTag('sala-popular-posts', {}, main);
      expect($(popular, 'ol').getAttribute('aria-label')).toBe('المشاركات الشائعة');
      // The thumbnail at the start (the right) of a phone's list, at the end (the left) of a desktop's: each mirrors
      // the English layout.
      const post = $(popular, 'li');
      const [thumbnail, title] = [box($(post, 'img')), box($(post, 'a[part~="title"]'))];
      if (width > 800) expect(thumbnail.right).toBeLessThan(title.left);
      else expect(thumbnail.left).toBeGreaterThan(title.right);
      expect(text($(post, 'time'))).toBe(
        new Intl.DateTimeFormat('ar', { dateStyle: 'medium' }).format(Date.parse('2026-11-20T00:30:00.000Z')),
      );

      const recent = await mountTag('sala-recent-comments', {}, main);
      expect($(recent, 'ul').getAttribute('aria-label')).toBe('أحدث التعليقات');
      expect(text($(recent, 'li'))).toMatch(/^سارة على A morning walk along Sisowath Quay/);
      expect(text($(recent, 'time'))).toBe(`قبل ${number(5)} دقائق`);

      for (const element of [count, popular, recent]) {
        expect(getComputedStyle($(element, '.root')).direction).toBe('rtl');
        expect(await axeViolations(element, ['color-contrast'])).toEqual([]);
      }
      // Each link's focus ring, drawn inside it, off its Arabic letters at both ends and above and below its lines.
      const links = [link, ...$$(popular, 'a[part~="title"]'), ...$$(recent, 'a[part="post"]')];
      expect(links.flatMap((each) => ringOverText(each, { overLines: each !== link }))).toEqual([]);
    });
  }
});

describe('an Arabic page’s counts', () => {
  it('say every plural form Arabic has, as a blog’s home page lists its posts', async () => {
    const pages = [0, 1, 2, 3, 11, 100].map((n) => `${BLOG}/2026/11/post-${n}`);
    pages.forEach((id, n) => api.counts.set(id, [0, 1, 2, 3, 11, 100][n]!));
    const main = blogPage('light');
    const counts = [];
    for (const id of pages) {
      const footer = main.appendChild(document.createElement('p'));
      counts.push(await mountTag('sala-comment-count', { 'page-id': id, href: `${id}.html` }, footer));
    }
    expect(counts.map((count) => text($(count, 'a')))).toEqual([
      'لا تعليقات',
      'تعليق واحد',
      'تعليقان',
      `${number(3)} تعليقات`,
      `${number(11)} تعليقًا`,
      `${number(100)} تعليق`,
    ]);
  });
});
