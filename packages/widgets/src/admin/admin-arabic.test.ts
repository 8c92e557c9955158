/**
 * The admin page in Arabic, as an owner whose browser prefers it opens it: its words, laid out right to left (sign-in,
 * the header, the tabs, a held comment with its reasons, the selection, the undo toast, the ban dialog, a table, an
 * import's preview and progress), on a phone and a desktop, and passing axe.
 */
import axe from 'axe-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import { cleanUp, deepQuery, deepQueryAll, expectFocus, mountAdmin, page } from '../test/admin-render.js';
import { adminComment, FakeAdminApi } from '../test/fake-admin-api.js';
import type { AdminComment } from '@sala/protocol';
import type { SalaAdminImport } from './import/import-tab.js';
import type { ImportPlan } from './import/plan.js';

let api: FakeAdminApi;

beforeEach(() => {
  api = new FakeAdminApi().install();
  api.signedIn = true;
  api.comments = [
    adminComment('c1', {
      author: { name: 'سارة', avatar: 's', email: 'sara@example.com' },
      body: 'رحلة **جميلة**، شكرًا على الصور.',
      heldBecause: [{ code: 'first-time' }],
      spam: { score: 3, reasons: [{ code: 'links', points: 3, count: 3 }] },
    }),
    adminComment('c2', { author: { name: 'Dara', avatar: 'd', email: 'dara@example.com' } }),
    adminComment('c3'),
  ];
  api.bans = [
    { id: 'b1', kind: 'name', label: 'Spammer', createdAt: '2026-11-20T00:00:00Z', expiresAt: '2026-12-20T00:00:00Z' },
  ];
  document.body.style.cssText = 'margin: 0; font: 16px/1.5 system-ui';
});

afterEach(async () => {
  cleanUp();
  await page.viewport(1024, 768);
});

const box = (element: Element) => element.getBoundingClientRect();
const text = (element: Element | null) => (element?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** axe's WCAG 2.2 A/AA rules and best practices on the whole page, one line per violation. */
async function audit(): Promise<string[]> {
  const results = await axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    resultTypes: ['violations'],
  });
  return results.violations.map(
    (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join('; ')}`,
  );
}

describe('the admin page in Arabic', () => {
  for (const width of [390, 1024]) {
    it(`shows the queue in Arabic, mirrored, ${width}px wide`, async () => {
      await page.viewport(width, 844);
      await mountAdmin({ lang: 'ar' });
      const root = deepQuery('.root')!;
      expect([root.lang, root.dir, getComputedStyle(root).direction]).toEqual(['ar', 'rtl', 'rtl']);
      await expect.element(page.getByRole('heading', { name: 'التعليقات', level: 2 })).toBeVisible();

      // The title at the right of the header, Sign out to its left.
      const [header, title, signOut] = [deepQuery('.top')!, deepQuery('h1')!, deepQuery('.top button')!];
      expect(text(title)).toBe('إدارة Sala');
      expect(text(signOut)).toBe('تسجيل الخروج');
      expect(box(header).right - box(title).right).toBeCloseTo(16, 0);
      // On a phone the header wraps: Sign out then goes under the title.
      const [out, name] = [box(signOut), box(title)];
      expect(out.right < name.left || out.top >= name.bottom).toBe(true);

      // The tabs read from the right: Comments first, at the right, then Settings to its left.
      const tabs = [...deepQuery('nav')!.querySelectorAll('a')];
      expect(tabs.map(text).slice(0, 3)).toEqual(['التعليقات', 'الإعدادات', 'الحظر والنقاشات المغلقة']);
      expect(box(tabs[1]!).right).toBeLessThan(box(tabs[0]!).left);

      // A held comment: its checkbox and avatar at its right, its name and words to their left; why it was held, with
      // its bar at the right, in the Arabic the owner's mail says too.
      const held = deepQuery('#comment-c1')!;
      const [select, avatar, content] = [
        held.querySelector('.select')!,
        held.querySelector('svg')!,
        held.querySelector('.content')!,
      ];
      expect(box(select).left).toBeGreaterThan(box(content).right);
      expect(box(avatar).left).toBeGreaterThan(box(held.querySelector('.author')!).right - 1);
      const why = held.querySelector('.why')!;
      expect(text(why.querySelector('.why-title'))).toBe('سبب احتجازه');
      expect(text(why)).toContain('أول تعليق لصاحبه');
      expect(text(why)).toContain('عدد الروابط: 3');
      const bar = getComputedStyle(why);
      expect([bar.borderRightWidth, bar.borderLeftWidth]).toEqual(['3px', '0px']);
      expect([bar.borderTopRightRadius, bar.borderTopLeftRadius]).toEqual([
        '0px',
        getComputedStyle(held).borderTopLeftRadius,
      ]);

      // The current comment's bar at its right edge, where a left-to-right page has it at the left.
      await userEvent.keyboard('j');
      await expectFocus(page.getByRole('article', { name: 'تعليق سارة' }));
      expect(getComputedStyle(held).boxShadow).toMatch(/ -3px 0px 0px 0px inset$/);

      // Two selected, in Arabic's dual; the bulk bar's Approve, then the toast with Undo at its left.
      await page.getByRole('checkbox', { name: 'تحديد تعليق سارة' }).click();
      await page.getByRole('checkbox', { name: 'تحديد تعليق Dara' }).click();
      await expect.element(page.getByText('تعليقان محددان')).toBeVisible();
      await page.getByRole('group', { name: 'التعليقات المحددة' }).getByRole('button', { name: 'موافقة' }).click();
      await expect.element(page.getByRole('status').getByText('تمت الموافقة على تعليقين.')).toBeVisible();
      const toast = deepQuery('.toast')!;
      expect(getComputedStyle(toast).direction).toBe('rtl');
      const [message, undo] = [
        toast.querySelector('p')!,
        [...toast.querySelectorAll('button')].find((button) => text(button) === 'تراجع')!,
      ];
      if (width > 800) expect(box(undo).right).toBeLessThan(box(message).left + 1);

      expect(await audit()).toEqual([]);
    });
  }

  /** A comment held for its spam score on a path, as a page id is on a site that names its pages by path. */
  const heldWithScore = (fields: Partial<AdminComment> = {}) =>
    adminComment('c9', {
      pageId: '/2026/09/rainy-season.html',
      heldBecause: [{ code: 'spam-score', score: 4 }],
      spam: {
        score: 4,
        reasons: [
          { code: 'links', points: 1, count: 2 },
          { code: 'no-timing', points: 2 },
        ],
      },
      ...fields,
    });

  /** The page in Egypt's Arabic with that comment alone in the queue; the comment's element once shown. */
  async function mountHeld(fields?: Partial<AdminComment>): Promise<Element> {
    api.comments = [heldWithScore(fields)];
    await mountAdmin({ lang: 'ar-EG' });
    return vi.waitFor(() => {
      const found = deepQuery('#comment-c9');
      if (!found) throw new Error('no comment yet');
      return found;
    });
  }

  /**
   * Where `part` of the text in `container` is drawn: its first occurrence, its last with `last`, or the first inside
   * the first occurrence of `within`.
   */
  function drawn(container: Element, part: string, last = false, within = part): DOMRect {
    const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
    while (walker.nextNode() && !walker.currentNode.textContent!.includes(within));
    const node = walker.currentNode;
    const text = node.textContent!;
    const at = last ? text.lastIndexOf(part) : text.indexOf(within) + within.indexOf(part);
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + part.length);
    return range.getBoundingClientRect();
  }

  it("writes a held comment's page path left to right", async () => {
    // As written, its year at the left of its file name: not "rainy-season.html/2026/09/".
    const address = (await mountHeld()).querySelector('.page')!;
    expect(text(address)).toContain('/2026/09/rainy-season.html');
    expect(drawn(address, '2026').right).toBeLessThan(drawn(address, 'rainy-season').left);
  });

  it("writes a held comment's page address left to right, a WordPress permalink's closing slash at its end", async () => {
    // Not before its "https", where the sentence's right-to-left order put it.
    const permalink = 'https://blog.example.com/2026/11/water-festival/';
    const address = (await mountHeld({ pageUrl: permalink })).querySelector('.page')!;
    expect(text(address)).toContain(permalink);
    expect(drawn(address, '/', true).left).toBeGreaterThan(drawn(address, 'festival').right - 1);
  });

  it('lays out an English comment, and an address typed in the page filter, left to right', async () => {
    const held = await mountHeld({ body: 'Great trip, thanks!' });
    // Its "!" at the end of its words, not before "Great" as the page's right-to-left order drew it.
    const body = held.querySelector('.body')!;
    expect(drawn(body, '!').left).toBeGreaterThan(drawn(body, 'thanks').right - 1);
    // Its edit field too, as typed.
    await page.getByRole('article', { name: 'تعليق Reader c9' }).getByRole('button', { name: 'تعديل' }).click();
    expect(getComputedStyle(held.querySelector('textarea')!).direction).toBe('ltr');

    const filter = deepQuery<HTMLInputElement>('input#page')!;
    await userEvent.fill(filter, '/2026/09/rainy-season.html');
    expect(getComputedStyle(filter).direction).toBe('ltr');
  });

  it("writes a held comment's score, points and counts in the page's digits", async () => {
    const held = await mountHeld();
    // Egypt's Arabic-Indic digits, as the statuses' counts above: the score, each signal's points and its count.
    const why = held.querySelector('.why')!;
    expect(text(why)).toContain('يبدو مزعجًا (الدرجة ٤)');
    expect(text(why.querySelector('.score'))).toBe('درجة الإزعاج ٤');
    expect(text(why)).toContain('عدد الروابط: ٢');
    expect(text(why)).not.toMatch(/[0-9]/);
  });

  it('writes the numbers of its own words in the page’s digits too: the posts’ periods, the deliveries kept', async () => {
    api.posts = [
      {
        pageId: '/p',
        url: '/p',
        title: 'رحلة',
        views: { '24h': 1, '7d': 12, '30d': 40, all: 90 },
        comments: { '24h': 0, '7d': 3, '30d': 5, all: 9 },
      },
    ];
    location.hash = '#posts';
    await mountAdmin({ lang: 'ar-EG' });
    const periods = page.getByLabelText('الفترة');
    await expect.element(periods).toBeVisible();
    const options = [...(periods.element() as HTMLSelectElement).options].map(text);
    expect(options).toEqual(['آخر ٢٤ ساعة', 'آخر ٧ أيام', 'آخر ٣٠ يومًا', 'كل الأوقات']);
    // Beside the counts the page computes, in the same digits.
    await expect.element(page.getByRole('cell', { name: '١٢' })).toBeVisible();

    await page.getByRole('link', { name: 'إرسالات الويب هوك' }).click();
    await expect.element(page.getByText(/محفوظة ٧ أيام/)).toBeVisible();
  });

  /** The leaf element, through shadow roots, whose text holds `words`, once shown. */
  const leafWith = (words: string) =>
    vi.waitFor(() => {
      const found = deepQueryAll('*').find((element) => !element.childElementCount && text(element).includes(words));
      if (!found) throw new Error(`no ${words} yet`);
      return found;
    });

  it('keeps the punctuation that ends an example in Latin letters with it', async () => {
    location.hash = '#settings';
    await mountAdmin({ lang: 'ar-EG' });
    // "(http://localhost:*)", its ":*" at the right of "localhost", where it was drawn before its "http".
    const origins = await leafWith('localhost:*');
    expect(drawn(origins, ':*').left).toBeGreaterThan(drawn(origins, 'localhost').right - 1);

    location.hash = '#import';
    // "(blogspot.co.uk و.fr و.com.au…)": a domain's dot at its left, as written, where it was drawn after "fr", and the
    // ellipsis after "au".
    const domains = await leafWith('blogspot.co.uk');
    expect(drawn(domains, '.', false, '.fr').right).toBeLessThan(drawn(domains, 'fr', false, '.fr').left + 1);
    expect(drawn(domains, '…').left).toBeGreaterThan(drawn(domains, 'au', false, 'au…').right - 1);

    location.hash = '#tokens';
    // "«Authorization: Bearer …»", the ellipsis after "Bearer", where it was drawn before "Authorization".
    const intro = await leafWith('Bearer');
    expect(drawn(intro, '…').left).toBeGreaterThan(drawn(intro, 'Bearer').right - 1);
  });

  it('opens the ban dialog and the bans table right to left', async () => {
    await mountAdmin({ lang: 'ar-EG' });
    // The statuses' counts in the page's digits, as its other numbers: Egypt's Arabic-Indic.
    await vi.waitFor(() => expect(text(deepQuery('.statuses .count'))).toMatch(/^[٠-٩]+$/));
    await page.getByRole('article', { name: 'تعليق سارة' }).getByRole('button', { name: 'حظر…' }).click();
    const dialog = page.getByRole('dialog', { name: 'حظر سارة' });
    await expect.element(dialog).toBeVisible();
    const shown = dialog.element() as HTMLDialogElement;
    expect(getComputedStyle(shown).direction).toBe('rtl');
    // Each choice's radio at the right of its words.
    const choice = shown.querySelector('.choice')!;
    expect(box(choice.querySelector('input')!).left).toBeGreaterThan(box(choice.querySelector('label')!).right - 1);
    await dialog.getByRole('button', { name: 'إلغاء' }).click();

    location.hash = '#bans';
    await expect.element(page.getByRole('heading', { name: 'الحظر', level: 2 })).toBeVisible();
    const table = await vi.waitFor(() => {
      const found = deepQuery('table');
      if (!found) throw new Error('no table yet');
      return found;
    });
    const [first, second] = [...table.querySelectorAll('thead th')];
    expect([text(first!), text(second!)]).toEqual(['من', 'حسب']);
    // The first column at the table's right, its heading aligned to its right edge.
    expect(box(first!).right).toBeCloseTo(box(table).right, 0);
    expect(box(second!).right).toBeLessThan(box(first!).left + 1);
    expect(getComputedStyle(first!).textAlign).toBe('start');
    expect(await audit()).toEqual([]);
  });

  it('signs in in Arabic', async () => {
    api.signedIn = false;
    await mountAdmin({ lang: 'ar' });
    const password = page.getByLabelText('كلمة المرور');
    await password.fill('guess');
    await page.getByRole('button', { name: 'تسجيل الدخول' }).click();
    await expect.element(page.getByText('كلمة المرور هذه غير صحيحة.')).toBeVisible();
    // The field's label at the right, above its field.
    const label = deepQuery('label[for="password"]')!;
    expect(box(label).right).toBeCloseTo(box(password.element()).right, 0);
    expect(await audit()).toEqual([]);
  });

  it('previews an import and shows its progress right to left', async () => {
    location.hash = '#import';
    await mountAdmin({ lang: 'ar' });
    await expect.element(page.getByRole('heading', { name: 'استيراد التعليقات', level: 2 })).toBeVisible();
    const importTab = deepQuery<SalaAdminImport>('sala-admin-import')!;
    importTab.parse = (): ImportPlan => ({
      source: 'blogger',
      threads: ['a', 'b', 'c'].map((post) => ({
        pageId: `https://myblog.blogspot.com/2024/05/${post}.html`,
        title: `رحلة ${post}`,
        comments: [
          {
            sourceId: `${post}-1`,
            authorName: 'سارة',
            createdAt: '2024-05-01T10:00:00Z',
            body: 'جميل',
            status: 'approved',
          },
          {
            sourceId: `${post}-2`,
            authorName: 'Dara',
            createdAt: '2024-05-01T11:00:00Z',
            body: 'Hi',
            status: 'approved',
          },
        ],
      })),
      counts: { approved: 6, pending: 0, spam: 0, rejected: 0 },
      skipped: [],
    });
    importTab.wait = () => new Promise<void>(() => {});
    await expect.element(page.getByLabelText('ملف التصدير')).toBeVisible();
    const input = deepQuery<HTMLInputElement>('#import-file')!;
    const files = new DataTransfer();
    files.items.add(new File(['<feed/>'], 'blog.xml', { type: 'text/xml' }));
    input.files = files.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));

    // The posts' table: the post at its right, the count of comments at its left, aligned to its own left edge.
    const table = page.getByRole('table', { name: 'المشاركات التي تصل إليها التعليقات' });
    await expect.element(table).toBeVisible();
    const row = (table.element() as HTMLTableElement).tBodies[0]!.rows[0]!;
    const [post, count] = [row.cells[0]!, row.querySelector('.number')!];
    expect(box(post).right).toBeGreaterThan(box(count).right);
    expect(getComputedStyle(count).textAlign).toBe('end');
    expect(text(deepQuery('.counts'))).toContain('منشورة: 6');
    expect(await audit()).toEqual([]);

    // Today's writes spent: the run pauses, its progress bar filling from the right.
    api.writeBudget = 0;
    api.queueAllowance = 0;
    await page.getByRole('button', { name: 'استيراد', exact: true }).click();
    await expect.element(page.getByRole('status').filter({ hasText: /^توقف مؤقتًا بعد/ })).toBeVisible();
    expect(getComputedStyle(deepQuery('progress')!).direction).toBe('rtl');
    expect(await audit()).toEqual([]);
  });
});
