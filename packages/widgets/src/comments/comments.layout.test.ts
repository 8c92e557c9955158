/** What readers see on real screen sizes: lists written in comments, and forms that fit from phones to desktops. */
import { afterAll, afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import type { LitElement } from 'lit';
import { MIN_ELAPSED_MS } from '@sala/protocol';
import type { SalaComments } from './comments.js';
import type { SalaCommentComposer } from './composer.js';
import { threadPacks } from '../internal/i18n/locale.js';
import '../comment-count/comment-count.js';
import '../popular-posts/popular-posts.js';
import { blogPage } from '../test/blog-page.js';
import { API, FakeApi } from '../test/fake-api.js';
import { comment, PAGE, threadFixture } from '../test/fixtures.js';
import { $, $$, article, closedForm, fill, form, mount, text } from '../test/render.js';

let api: FakeApi;

beforeEach(() => {
  api = new FakeApi().install();
});

afterEach(() => {
  document.body.replaceChildren();
  document.body.removeAttribute('style');
  localStorage.clear();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

afterAll(async () => {
  await page.viewport(414, 896);
});

/** A bullet list with a nested one, then a numbered list: what readers write in a blog's comments. */
const LISTS = 'Before we go:\n\n- bring water\n- a hat\n    - a wide one\n\n1. first\n2. second';

/** How each list of a rendered comment looks: its kind, its markers, and the rail and indent around it. */
function listLooks(body: Element): string[] {
  return $$(body, 'ul, ol').map((list) => {
    const style = getComputedStyle(list);
    const marker = getComputedStyle(list.querySelector('li')!).listStyleType;
    return `${list.localName} ${marker} indent ${style.paddingInlineStart} rail ${style.borderInlineStartWidth}`;
  });
}

describe('<sala-comments> lists written in a comment', () => {
  it('show their bullets and numbers with no reply rail, at the top level and in a reply, as the preview does', async () => {
    api.threads.set(PAGE, [comment('c1', null, 'Alice', LISTS), comment('c2', 'c1', 'Bob', LISTS)]);
    const element = await mount();
    const expected = [
      'ul disc indent 40px rail 0px',
      'ul circle indent 40px rail 0px',
      'ol decimal indent 40px rail 0px',
    ];
    expect(listLooks($(article(element, 'c1'), '[part="body"]'))).toEqual(expected);
    expect(listLooks($(article(element, 'c2'), '[part="body"]'))).toEqual(expected);

    const composer = await form(element);
    await fill(composer, 'body', LISTS);
    $(composer, 'button[aria-pressed]').click();
    // The preview renders once the parser, fetched when the reader starts on the form, is there.
    await vi.waitFor(() => expect(listLooks($(composer, '[part="preview"]'))).toEqual(expected));

    // The thread's own lists keep their look: no bullets, and the rail beside replies.
    const replies = article(element, 'c1').parentElement!.querySelector(':scope > ul')!;
    expect(getComputedStyle(replies).borderInlineStartWidth).toBe('2px');
    expect(getComputedStyle(replies.querySelector('li')!).listStyleType).toBe('none');
    expect(getComputedStyle($(element, '[part="thread"] > li')).listStyleType).toBe('none');
  });
});

/** A promise and the function that settles it. */
function held(): [Promise<void>, () => void] {
  let release!: () => void;
  return [new Promise<void>((resolve) => (release = resolve)), () => release()];
}

describe('elements on a page in another language, before its strings come', () => {
  /** `tag` with `attributes`, added to `parent` and rendered once, its answer not waited for. */
  async function place(tag: string, attributes: Record<string, string>, parent: HTMLElement): Promise<LitElement> {
    const element = document.createElement(tag) as LitElement;
    for (const [name, value] of Object.entries({ api: API, ...attributes })) element.setAttribute(name, value);
    parent.append(element);
    await element.updateComplete;
    return element;
  }

  // A narrow sidebar, where the sort's label stands above its select; phone widths where Spanish, Portuguese, French,
  // German, Indonesian or Vietnamese would wrap the heading and sort onto two lines if English's one-line bar were
  // kept; then a tablet and a desktop, where every language fits on one.
  const WIDTHS = [260, 320, 360, 375, 390, 414, 768, 1280];
  const LANGS = ['es', 'pt', 'fr', 'de', 'id', 'vi', 'ja', 'ar', 'km'];

  it(`hold the room of their loading state, busy and without a word, and nothing moves as the words come (${WIDTHS.join(', ')}px)`, async () => {
    // Neither the threads' answer nor their languages' strings have come yet.
    expect(LANGS.map((lang) => threadPacks.get(lang))).toEqual(LANGS.map(() => undefined));
    const [answer, answered] = held();
    api.gate = () => answer;
    onTestFinished(answered);
    const [strings, stringsCame] = held();
    const fetchPack = threadPacks.fetchPack;
    vi.spyOn(threadPacks, 'fetchPack').mockImplementation((wanted) => strings.then(() => fetchPack(wanted)));

    const main = blogPage('light');
    // A count alone on its line, as a blog's post footer may put it.
    const line = () => main.appendChild(document.createElement('p'));
    const english = [
      await place('sala-comments', { 'page-id': PAGE }, main),
      await place('sala-popular-posts', {}, main),
      await place('sala-comment-count', { 'page-id': PAGE }, line()),
    ];
    const waiting = [
      await place('sala-popular-posts', { lang: 'id' }, main),
      await place('sala-comment-count', { 'page-id': PAGE, lang: 'id' }, line()),
    ];
    const threads: LitElement[] = [];
    // Each of a post of its own: two of one post would show it once (pasted twice).
    for (const lang of LANGS) threads.push(await place('sala-comments', { 'page-id': `${PAGE}-${lang}`, lang }, main));
    waiting.push(...threads);
    const footer = main.appendChild(document.createElement('footer'));
    footer.textContent = 'The blog’s footer';
    const heights = (elements: LitElement[]) =>
      elements
        .map((element) => (element.parentElement!.localName === 'p' ? element.parentElement! : element))
        .map((box) => box.getBoundingClientRect().height);
    /** At each width, the waiting elements' heights and where the footer starts. */
    async function measure(): Promise<[number[], number][]> {
      const measured: [number[], number][] = [];
      for (const width of WIDTHS) {
        await page.viewport(width, 900);
        measured.push([heights(waiting), footer.getBoundingClientRect().top]);
      }
      return measured;
    }

    // The English thread shows "Comments" and "Loading comments…"; the others take their room with no word in it.
    expect(text($(english[0]!, 'h2'))).toBe('Comments');
    for (const width of WIDTHS) {
      await page.viewport(width, 900);
      // Khmer's taller lines aside, every thread holds English's room: the same bar, stacked on a phone.
      expect(heights(waiting.slice(0, -1)), `${width}px`).toEqual(
        heights([...english.slice(1), ...threads.slice(0, -1).map(() => english[0]!)]),
      );
    }
    expect(waiting.map((element) => text(element.shadowRoot!))).toEqual(waiting.map(() => ''));
    expect(waiting.map((element) => $(element, '.root').getAttribute('aria-busy'))).toEqual(waiting.map(() => 'true'));
    // A screen reader meets busy elements, not an empty paragraph held for the words to come, nor the count's no-break
    // space that holds its line ("blank").
    const paragraphs = waiting.map((element) => page.elementLocator(element).getByRole('paragraph').all());
    expect((await Promise.all(paragraphs)).map((found) => found.length)).toEqual(waiting.map(() => 0));
    expect(waiting.map((element) => readable(element.shadowRoot!))).toEqual(waiting.map(() => ''));
    const before = await measure();

    stringsCame();
    for (const thread of threads)
      await vi.waitFor(() => expect(text($(thread, 'h2'))).not.toBe(''), { timeout: 10_000 });
    await Promise.all(waiting.map((element) => element.updateComplete));
    // Their loading state in their language, where the room was, at every width.
    expect(waiting.map((element) => $(element, '.root').getAttribute('lang'))).toEqual(['id', 'id', ...LANGS]);
    expect(text($(waiting[0]!, '[part="status"]'))).not.toBe('');
    expect(await measure()).toEqual(before);
  });
});

/**
 * The text under `root` a screen reader can reach: not inside `aria-hidden="true"`, a no-break space kept (read as
 * "blank"), the spaces and line breaks of markup left out.
 */
function readable(root: ShadowRoot): string {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let found = '';
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement?.closest('[aria-hidden="true"]')) found += (node as Text).data.replace(/[ \t\n\r]/g, '');
  }
  return found;
}

/** Boxes of a form's visible pieces that stick out of the form, as "piece: how far" lines. */
function overflowing(composer: SalaCommentComposer): string[] {
  const box = $(composer, 'form').getBoundingClientRect();
  return $$(composer, 'form :is(label, input, textarea, button, p):not(.hp, .hp *)').flatMap((piece) => {
    const rect = piece.getBoundingClientRect();
    const past = Math.max(rect.right - box.right, box.left - rect.left);
    return past > 0.5 ? [`${piece.id || piece.localName}: ${Math.round(past)}px`] : [];
  });
}

/**
 * Name, email and website fields side by side whose inputs do not line up, as "a/b: how far" lines: a label that wraps
 * (Spanish's "Correo electrónico (opcional)" in a narrow column) must not push its input below its neighbours'.
 */
function misaligned(composer: SalaCommentComposer): string[] {
  const inputs = $$(composer, '.identity input').map((input) => [input.id, input.getBoundingClientRect()] as const);
  return inputs.flatMap(([id, box], i) =>
    inputs
      .slice(i + 1)
      .filter(([, other]) => other.top < box.bottom && box.top < other.bottom && Math.abs(other.top - box.top) > 0.5)
      .map(([other, otherBox]) => `${id}/${other}: ${Math.round(otherBox.top - box.top)}px`),
  );
}

/** The thread with the top-level form and a reply form open on the most deeply nested comment: the narrowest one. */
async function threadWithReplyForm(
  lang: string,
  parent?: HTMLElement,
  pageId = PAGE,
): Promise<[SalaComments, SalaCommentComposer[]]> {
  api.threads.set(pageId, threadFixture());
  const element = await mount({ lang, 'page-id': pageId }, parent);
  $(article(element, 'c3'), 'button[data-action="reply"]').click();
  const forms = [await form(element), await form(element, 'c3')];
  return [element, forms];
}

/**
 * Stands in for Cloudflare's widget: draws a box of the size asked for, as Turnstile's iframe is (`compact` 150 x 140px,
 * `normal` 300 x 65px). Holds nothing between tests: the page loads Turnstile once and keeps it (turnstile.ts).
 */
const turnstile = {
  render(container: HTMLElement, options: { size?: string }): string {
    const widget = container.appendChild(document.createElement('div'));
    widget.className = 'stand-in';
    widget.style.cssText = options.size === 'compact' ? 'width: 150px; height: 140px' : 'width: 300px; height: 65px';
    return 'widget-1';
  },
  reset() {},
  remove() {},
};

describe('<sala-comments> forms on every screen', () => {
  const LANGS = ['en', 'km', 'ar', 'de', 'es', 'fr', 'id', 'ja', 'pt', 'vi'];
  const WIDTHS = [320, 390, 600, 768, 1280];

  // One thread per language on one page, laid out again at each width: every language's words at every width, for a
  // mount each rather than one per width (the forms' layout follows their column: container queries, no script).
  it(`keep every field inside the form, side by side ones lined up, with no sideways scroll, in every language (${WIDTHS.join(', ')}px)`, async () => {
    const main = blogPage('light');
    const threads: [string, SalaComments, SalaCommentComposer[]][] = [];
    // Each of a post of its own: two of one post would show it once (pasted twice).
    for (const lang of LANGS) threads.push([lang, ...(await threadWithReplyForm(lang, main, `${PAGE}-${lang}`))]);

    const faults: string[] = [];
    for (const width of WIDTHS) {
      await page.viewport(width, 900);
      for (const [lang, element, forms] of threads) {
        const where = `${width}px ${lang}`;
        faults.push(...forms.flatMap(overflowing).map((fault) => `${where} sticks out: ${fault}`));
        faults.push(...forms.flatMap(misaligned).map((fault) => `${where} not lined up: ${fault}`));
        // Still one line each: room is made by narrowing a field, never by growing it.
        const heights = forms.flatMap((composer) => $$(composer, 'input[id]').map((input) => input.offsetHeight));
        if (Math.max(...heights) >= 48) faults.push(`${where} an input ${Math.max(...heights)}px tall`);
        if (element.scrollWidth > element.clientWidth) faults.push(`${where} the thread scrolls sideways`);
      }
      const { scrollWidth, clientWidth } = document.documentElement;
      if (scrollWidth > clientWidth) faults.push(`${width}px the page scrolls sideways (${scrollWidth}px)`);
    }
    expect(faults).toEqual([]);
  });

  for (const [width, drawn] of [
    [320, 150],
    [1280, 300],
  ] as const) {
    it(`ask for Turnstile's ${drawn === 150 ? 'compact' : 'normal'} check in a reply form on a ${width}px screen`, async () => {
      await page.viewport(width, 900);
      vi.stubGlobal('turnstile', turnstile);
      const [, forms] = await threadWithReplyForm('en', blogPage('light'));
      const reply = forms[1]!;
      api.failNext('POST', 403, { code: 'captcha_required', message: 'prove it', siteKey: '0x4AAA' });
      await fill(reply, 'name', 'Sokha');
      await fill(reply, 'body', 'Same here');
      // Sent sooner than MIN_ELAPSED_MS after the page's first form, the comment waits out the rest as "Sending…"
      // (sending-timing.test.ts): a fake clock passes it, so the test neither sits through it nor, run alone, fails
      // for want of the seconds earlier tests' forms gave it.
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      onTestFinished(() => void vi.useRealTimers());
      $(reply, 'button[type="submit"]').click();
      await vi.advanceTimersByTimeAsync(MIN_ELAPSED_MS + 100);
      vi.useRealTimers();

      // The check the reader sees, once the API's answer came: at most seconds on a loaded machine.
      const check = await vi.waitFor(() => $(reply, '.check .stand-in'), { timeout: 10_000 });
      expect(check.getBoundingClientRect().width).toBe(drawn);
      expect(check.getBoundingClientRect().right).toBeLessThanOrEqual($(reply, 'form').getBoundingClientRect().right);
    });
  }

  it('keep every field inside the form in any column from 240 to 1280px wide', async () => {
    await page.viewport(1280, 900);
    const column = document.createElement('div');
    document.body.append(column);
    const [, forms] = await threadWithReplyForm('en', column);

    const faults: string[] = [];
    for (let width = 240; width <= 1280; width += 4) {
      column.style.width = `${width}px`;
      // Reading a box lays the page out again at the new width.
      faults.push(...forms.flatMap(overflowing).map((fault) => `${width}px ${fault}`));
    }
    expect(faults).toEqual([]);
  });
});

describe('<sala-comments> replies on a phone', () => {
  for (const width of [320, 390]) {
    it(`keep a third-level reply's text at least 70% of the thread's width, still indented from its parent, on a ${width}px screen`, async () => {
      await page.viewport(width, 900);
      // A phone theme's column: the page's width less its margins.
      const main = blogPage('light');
      main.style.padding = '0 16px';
      api.threads.set(PAGE, threadFixture());
      const element = await mount({}, main);
      const thread = element.getBoundingClientRect();
      const box = (id: string, selector: string) => $(article(element, id), selector).getBoundingClientRect();

      // c3 is a reply to a reply: the third level, the deepest the thread indents.
      expect(box('c3', '[part="body"]').width / thread.width).toBeGreaterThanOrEqual(0.7);
      // Each level still starts further in than its parent, beside the rail that joins it to its parent.
      const starts = ['c1', 'c2', 'c3'].map((id) => box(id, '.avatar').left);
      expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(8);
      expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(8);
      const rail = article(element, 'c2').closest('ul')!;
      expect(getComputedStyle(rail).borderInlineStartWidth).toBe('2px');
    });
  }
});

describe('<sala-comments> sort in a narrow column', () => {
  it('shows its select whole, inside the thread, from 240 to 280px in every language', async () => {
    await page.viewport(1280, 900);
    const main = blogPage('light');
    const faults: string[] = [];
    for (const lang of ['en', 'km', 'ar', 'de', 'es', 'fr', 'id', 'ja', 'pt', 'vi']) {
      const column = main.appendChild(document.createElement('div'));
      const element = await mount({ lang }, column);
      const select = $<HTMLSelectElement>(element, 'select');
      // The same select with all the room it wants beside it: how wide it must be for its option not to be cut.
      const whole = select.cloneNode(true) as HTMLSelectElement;
      whole.style.cssText = 'position: absolute; left: 0; visibility: hidden';
      select.after(whole);
      const rect = (node: Element) => node.getBoundingClientRect();
      for (const width of [240, 260, 280]) {
        column.style.width = `${width}px`;
        const [box, wants, thread] = [rect(select), rect(whole), rect(element)];
        if (box.width < wants.width - 0.5 || box.left < thread.left || box.right > thread.right)
          faults.push(`${lang} ${width}px: ${Math.round(box.width)} of ${Math.round(wants.width)}px`);
      }
      column.remove();
    }
    expect(faults).toEqual([]);
  });
});

describe('<sala-comments> focus rings', () => {
  afterEach(() => {
    document.documentElement.removeAttribute('dir');
    document.documentElement.removeAttribute('lang');
  });

  // An Arabic blog (<html dir="rtl" lang="ar">, as Blogger prints it) lays the thread out mirrored: an address in an
  // Arabic comment wraps to the thread's left edge, the name beside the avatar on the right.
  for (const dir of ['ltr', 'rtl'] as const) {
    it(`stay inside the thread at its edges, where a theme’s overflow: hidden would cut them (${dir})`, async () => {
      await page.viewport(320, 900);
      if (dir === 'rtl') Object.assign(document.documentElement, { dir, lang: 'ar' });
      const address = 'https://maps.example/phnom-penh/central-market/the-yellow-dome/north-entrance';
      // A long address wraps to the thread's end edge; a long name with a website, in an article's meta line.
      const long =
        dir === 'ltr'
          ? comment('c9', null, 'Sokunthea', `The way in: [${address}](${address})`, {
              author: {
                name: 'Sokunthea Chanthavongsavath-Ratanakosin',
                avatar: 's',
                website: 'https://sokunthea.example/',
              },
            })
          : comment('c9', null, 'عبد الرحمن', `الطريق إلى المدخل: [${address}](${address})`, {
              author: {
                name: 'عبد الرحمن بن عبد العزيز الهاشمي',
                avatar: 's',
                website: 'https://abdulrahman.example/',
              },
            });
      api.threads.set(PAGE, [...threadFixture(), long]);
      const element = await mount({}, blogPage('light'));
      expect($(element, 'h2').textContent!.trim()).toBe(dir === 'rtl' ? '8 تعليقات' : '8 comments');
      const composer = await closedForm(element);
      let thread = element.getBoundingClientRect();
      /** Where `control`'s ring reaches past the thread, as "control: side" lines. */
      function outside(control: HTMLElement): string[] {
        const style = getComputedStyle(control);
        expect(control.matches(':focus-visible') && style.outlineStyle).toBe('solid');
        const reach = parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth);
        const box = control.getBoundingClientRect();
        return [
          ...(box.left - reach < thread.left ? [`${control.localName}: left`] : []),
          ...(box.right + reach > thread.right ? [`${control.localName}: right`] : []),
        ];
      }

      // The sort's select at the thread's left edge, then the form's text field, as wide as the thread.
      $(element, 'select').focus();
      const rings = outside($(element, 'select'));
      await userEvent.tab();
      rings.push(...outside($(composer, '#body')));
      // The form opens; its accent Post button draws its ring in another colour than its own.
      const post = await vi.waitFor(() => $(composer, '[type="submit"]'), { timeout: 10_000 });
      post.focus();
      rings.push(...outside(post));
      // Links in a comment: an address wrapped with its first line at the thread's very edge, as some width puts it on
      // any phone (the thread narrowed to the width that does here), and the author's name with its website.
      for (const selector of ['.body a', '.author a']) {
        const link = $(article(element, 'c9'), selector);
        const first = link.getClientRects()[0]!;
        const room = dir === 'ltr' ? thread.right - first.right : first.left - thread.left;
        element.style.width = `${thread.width - room + 0.5}px`;
        thread = element.getBoundingClientRect();
        link.focus();
        rings.push(...outside(link).map((fault) => `${selector} (${fault})`));
        element.style.width = '';
        thread = element.getBoundingClientRect();
      }
      expect(rings).toEqual([]);
      expect(getComputedStyle(post).outlineColor).not.toBe(getComputedStyle(post).backgroundColor);
    });
  }

  it('show on a pressed button, whose border is already the ring’s colour (Preview, once pressed from the keyboard)', async () => {
    api.threads.set(PAGE, threadFixture());
    const element = await mount({}, blogPage('light'));
    const composer = await form(element);
    await fill(composer, 'body', 'Some **bold** words');
    const preview = $(composer, '[aria-pressed]');
    preview.focus();
    await userEvent.keyboard('{Enter}');
    await vi.waitFor(() => expect(preview.getAttribute('aria-pressed')).toBe('true'));
    const style = getComputedStyle(preview);
    expect(preview.matches(':focus-visible') && style.outlineStyle).toBe('solid');
    // The ring covers from (-offset - width) to -offset px inside the button's edge: in the border's own colour it
    // must start past the border, with a line of the button between, or focus only thickens the border by a pixel.
    const start = -parseFloat(style.outlineOffset) - parseFloat(style.outlineWidth);
    const border = parseFloat(style.borderTopWidth);
    const merged = style.outlineColor === style.borderTopColor && start <= border;
    expect(merged ? `ring from ${start}px inside, over its ${border}px border` : 'apart').toBe('apart');
  });
});
