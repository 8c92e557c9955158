import axe from 'axe-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { page as browserPage, userEvent } from 'vitest/browser';
import { enPosting } from '../internal/i18n/en-posting.js';
import { API, FakeApi } from '../test/fake-api.js';
import { comment, PAGE, threadFixture } from '../test/fixtures.js';
import { $, $$, article, closedForm, fill, form, loaded, mount, submit } from '../test/render.js';
import type { PublicComment } from '@sala/protocol';
import type { SalaComments } from './comments.js';

let api: FakeApi;

beforeEach(() => {
  api = new FakeApi().install();
  api.threads.set(PAGE, threadFixture());
});

afterEach(() => {
  document.body.replaceChildren();
  document.body.removeAttribute('style');
  localStorage.clear();
  vi.unstubAllGlobals();
});

/** A realistic page: a post in <main> with a heading, the comments below it. */
function page(background: string, color: string): HTMLElement {
  document.body.style.cssText = `margin: 0; background: ${background}; color: ${color}; font: 16px/1.5 system-ui`;
  const main = document.createElement('main');
  const title = document.createElement('h1');
  title.textContent = 'Phnom Penh in November';
  main.append(title);
  document.body.append(main);
  return main;
}

/** Today at `hours`:`minutes`:`seconds` on the browser's clock. */
function today(hours: number, minutes: number, seconds = 0): Date {
  const now = new Date();
  return new Date(now.getFullYear(), now.getMonth(), now.getDate(), hours, minutes, seconds);
}

/**
 * Comments of the reader's, as posting stores them, still editable: two written at 10:42 and 10:47 today on the
 * browser's clock (or at `first` and `second`), the first on its own, the second a reply to Alice (c1); with a third
 * text, a third on its own, written with the second. The thread's comments come before them, as on the Worker's clock:
 * the reader's show by their time among the thread's (withOwnComments), and these tests name them in their place.
 */
function ownComments(
  first = today(10, 42),
  second = today(10, 47),
  texts: Partial<PublicComment>[] = [{ body: 'First thought.' }, { body: 'Second thought.' }],
): { comment: PublicComment; editToken: string }[] {
  const editableUntil = new Date(Date.now() + 10 * 60_000).toISOString();
  const mine = texts.map((text, index) =>
    comment(`n${index + 1}`, index === 1 ? 'c1' : null, 'Vanna', '', {
      createdAt: (index === 0 ? first : second).toISOString(),
      ...text,
    }),
  );
  const stored = mine.map((own) => ({ comment: own, editToken: `token-${own.id}`, editableUntil }));
  localStorage.setItem(`sala:own:${API}||${PAGE}`, JSON.stringify(stored));
  const shift = Math.min(first.getTime(), second.getTime()) - Date.now();
  const earlier = (other: PublicComment) => ({
    ...other,
    createdAt: new Date(Date.parse(other.createdAt) + shift).toISOString(),
  });
  api.threads.set(PAGE, threadFixture().map(earlier));
  return stored;
}

/** Each of `names` is the Edit and the Delete of its comment: "Edit your comment posted at 10:42", and Delete's. */
async function expectOwnButtons(element: SalaComments, names: Record<string, string>): Promise<void> {
  for (const [id, posted] of Object.entries(names)) {
    for (const verb of ['Edit', 'Delete']) {
      const button = browserPage.getByRole('button', { name: `${verb} your comment posted ${posted}`, exact: true });
      await expect.element(button).toHaveTextContent(verb);
      expect(article(element, id).contains(button.element())).toBe(true);
    }
  }
}

/** The rules that read colours, and the size and weight of text's type. */
const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

/**
 * axe's WCAG 2.2 A/AA rules and best practices, with the thread, the reader's own comments (ownComments) with their
 * Edit and Delete, the form and a reply form open: all of them, only the colour rules (`colour: 'only'`: a dark theme
 * changes colours alone), or all but those (`colour: 'skip'`: another language in a script already checked, whose words
 * are what differ).
 */
async function audit(element: SalaComments, colour?: 'only' | 'skip'): Promise<string[]> {
  expect($$(element, '[data-action="edit"]')).toHaveLength(2);
  await form(element);
  $(article(element, 'c1'), '[data-action="reply"]').click();
  await form(element, 'c1');
  const off = Object.fromEntries(COLOUR_RULES.map((rule) => [rule, { enabled: false }]));
  const results = await axe.run(
    element,
    colour === 'only' ? { runOnly: { type: 'rule', values: COLOUR_RULES } } : colour === 'skip' ? { rules: off } : {},
  );
  // Proof the audit reached into the shadow roots: these rules found fields and text to check.
  const reached = ['label', 'color-contrast', 'button-name', 'aria-valid-attr-value', 'label-content-name-mismatch'];
  expect(results.passes.map((rule) => rule.id)).toEqual(
    expect.arrayContaining(
      colour === 'only'
        ? ['color-contrast']
        : reached.filter((rule) => colour !== 'skip' || !COLOUR_RULES.includes(rule)),
    ),
  );
  return results.violations.map(
    (violation) =>
      `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join('; ')})`,
  );
}

describe('accessibility', () => {
  it('passes axe in the light theme', async () => {
    ownComments();
    const element = await mount({}, page('#ffffff', '#111111'));
    expect(element.shadowRoot!.querySelector('.dark')).toBeNull();
    expect(await audit(element)).toEqual([]);
  });

  it('passes axe’s colour rules in the dark theme', async () => {
    ownComments();
    const element = await mount({}, page('#0d1117', '#e6edf3'));
    expect(element.shadowRoot!.querySelector('.dark')).not.toBeNull();
    expect(await audit(element, 'only')).toEqual([]);
  });

  it('passes axe in Khmer: each button’s visible word is a word of its accessible name', async () => {
    ownComments();
    const element = await mount({ lang: 'km' }, page('#ffffff', '#111111'));
    await vi.waitFor(() =>
      expect($(article(element, 'c1'), '[data-action="reply"]').textContent?.trim()).toBe('ឆ្លើយតប'),
    );
    expect(await audit(element)).toEqual([]);
  });

  // Each pack's own words: a Reply button whose word is not a word of its name ("Alice antworten") fails axe. A region
  // (pt-BR) keeps its language's words, with the whole tag as the thread's lang. Colours and type are checked once a
  // script: in English (light, dark), Khmer, Japanese and Arabic (right to left); the Latin-script languages run every
  // other rule.
  for (const [lang, reply] of Object.entries({
    ar: 'رد',
    de: 'Antworten',
    es: 'Responder',
    fr: 'Répondre',
    id: 'Balas',
    ja: '返信',
    pt: 'Responder',
    'pt-BR': 'Responder',
    vi: 'Trả lời',
  })) {
    it(`passes axe in "${lang}"`, async () => {
      ownComments();
      const element = await mount({ lang }, page('#ffffff', '#111111'));
      await vi.waitFor(() =>
        expect($(article(element, 'c1'), '[data-action="reply"]').textContent?.trim()).toBe(reply),
      );
      expect(await audit(element, lang === 'ja' || lang === 'ar' ? undefined : 'skip')).toEqual([]);
    });
  }

  // "Edit, Delete, Edit, Delete" told a reader listing the buttons nothing of which comment each acts on.
  it('names the comment each of the reader’s Edit and Delete acts on, and the comment its delete question asks about', async () => {
    ownComments();
    // British English: a 24-hour clock, as the whole tag asks.
    const element = await mount({ lang: 'en-GB' }, page('#ffffff', '#111111'));
    await expectOwnButtons(element, { n1: 'at 10:42', n2: 'at 10:47' });

    await browserPage.getByRole('button', { name: 'Delete your comment posted at 10:47', exact: true }).click();
    const question = browserPage.getByRole('group', {
      name: 'Delete your comment posted at 10:47? This cannot be undone.',
      exact: true,
    });
    await expect.element(question).toBeVisible();
    expect(article(element, 'n2').contains(question.element())).toBe(true);
    // Focus is in the question, on its Cancel, so a screen reader says the question as it gets there.
    await expect.poll(() => element.shadowRoot!.activeElement?.textContent?.trim()).toBe('Cancel');
    expect(question.element().contains(element.shadowRoot!.activeElement)).toBe(true);
  });

  // Two posted in one minute were both "Edit your comment posted at 10:42": nothing told which a button acts on.
  it('tells apart by their seconds two of the reader’s comments posted in the same minute', async () => {
    ownComments(today(10, 42, 5), today(10, 42, 40));
    const element = await mount({ lang: 'en-GB' }, page('#ffffff', '#111111'));
    await expectOwnButtons(element, { n1: 'at 10:42:05', n2: 'at 10:42:40' });
    await browserPage.getByRole('button', { name: 'Delete your comment posted at 10:42:40', exact: true }).click();
    const question = browserPage.getByRole('group', { name: /^Delete your comment posted at 10:42:40\?/ });
    await expect.element(question).toBeVisible();
    expect(article(element, 'n2').contains(question.element())).toBe(true);
  });

  // Two tabs of one post, each posting in the same second, gave two "Edit your comment posted at 10:42:05". The start
  // of each one's text tells them apart: as far as the two read alike and a word more, Markdown's marks and a link's
  // address left out.
  const sameSecond: [Partial<PublicComment>, Partial<PublicComment>] = [
    {
      body: '**Walked** to the [market](https://market.example) early, then home.',
      parsed: [
        ['p', ['strong', 'Walked'], ' to the ', ['a', 'https://market.example', 'market'], ' early, then home.'],
      ],
    },
    { body: 'Walked to the market late.' },
  ];

  it('tells apart by the start of their text two of the reader’s comments posted in the same second', async () => {
    ownComments(today(10, 42, 5), today(10, 42, 5), sameSecond);
    const element = await mount({ lang: 'en-GB' }, page('#ffffff', '#111111'));
    await expectOwnButtons(element, {
      n1: 'at 10:42:05 (“Walked to the market early,…”)',
      n2: 'at 10:42:05 (“Walked to the market late.”)',
    });
    await browserPage
      .getByRole('button', { name: /^Delete your comment posted at 10:42:05 \(“Walked to the market late/ })
      .click();
    const question = browserPage.getByRole('group', {
      name: 'Delete your comment posted at 10:42:05 (“Walked to the market late.”)? This cannot be undone.',
      exact: true,
    });
    await expect.element(question).toBeVisible();
    expect(article(element, 'n2').contains(question.element())).toBe(true);
  });

  for (const lang of ['ar', 'de', 'es', 'fr', 'id', 'ja', 'km', 'pt', 'vi']) {
    it(`names apart in "${lang}" two of the reader’s comments posted in the same second`, async () => {
      ownComments(today(10, 42, 5), today(10, 42, 5), sameSecond);
      const { default: pack } = (await import(`../internal/i18n/${lang}.ts`)) as { default: { edit: string } };
      const element = await mount({ lang }, page('#ffffff', '#111111'));
      const own = (id: string) => $$(article(element, id), '[data-action="edit"], [data-action="delete"]');
      await vi.waitFor(() => expect(own('n1')[0]!.textContent?.trim()).toBe(pack.edit));
      const names = ['n1', 'n2'].flatMap((id) => own(id).map((button) => button.getAttribute('aria-label')!));
      expect(new Set(names).size).toBe(4);
      for (const name of names.slice(0, 2)) expect(name).toContain('Walked to the market early,…');
      for (const name of names.slice(2)) expect(name).toContain('Walked to the market late.');
    });
  }

  // Two posted in one second, then one edited to read as the other: the start of their text was the same words, and
  // so were their names. Those that read alike are told apart by their number, in the order the thread shows them
  // whatever its sort (by the order they were posted, "2 of 2" came first in one sort or the other); and a screen
  // reader says neither case nor a sentence's marks, so texts that differ only in those read alike too.
  it('tells apart by their number two of the reader’s comments an edit made read alike', async () => {
    // The Worker lists them and holds their tokens: the edit keeps when each was posted.
    for (const { comment: own, editToken } of ownComments(today(10, 42, 5), today(10, 42, 5), sameSecond)) {
      api.publish(PAGE, own);
      api.tokens.set(own.id, editToken);
    }
    const element = await mount({ lang: 'en-GB' }, page('#ffffff', '#111111'));
    const edit = async (body: string) => {
      $(article(element, 'n2'), '[data-action="edit"]').click();
      const composer = await form(element, 'n2');
      await fill(composer, 'body', body);
      await submit(composer);
    };
    // "Walked to the market early,…" and "WALKED to the market early,…" sound the same: their names go on.
    await edit('WALKED to the market early, then back.');
    await expectOwnButtons(element, {
      n1: 'at 10:42:05 (“Walked to the market early, then home.”)',
      n2: 'at 10:42:05 (“WALKED to the market early, then back.”)',
    });
    await edit('WALKED to the   market early, then home');
    // Oldest first, n2 answers c1, the first comment; n1 comes after the thread's others.
    await expectOwnButtons(element, {
      n2: 'at 10:42:05 (“WALKED to the market early,…”, 1 of 2)',
      n1: 'at 10:42:05 (“Walked to the market early,…”, 2 of 2)',
    });
    // Sorted newest first within the minute KV takes, the Worker's thread still has n2's old text; the thread shows the
    // reader's edit over it, and numbers what it shows: n1 first, c1 and its reply n2 last.
    element.sort = 'newest';
    await loaded(element);
    expect(api.threads.get(PAGE)!.find((own) => own.id === 'n2')!.body).toBe('Walked to the market late.');
    await expectOwnButtons(element, {
      n1: 'at 10:42:05 (“Walked to the market early,…”, 1 of 2)',
      n2: 'at 10:42:05 (“WALKED to the market early,…”, 2 of 2)',
    });
    await browserPage.getByRole('button', { name: /^Delete your comment posted .*, 2 of 2\)$/ }).click();
    const question = browserPage.getByRole('group', {
      name: 'Delete your comment posted at 10:42:05 (“WALKED to the market early,…”, 2 of 2)? This cannot be undone.',
      exact: true,
    });
    await expect.element(question).toBeVisible();
    expect(article(element, 'n2').contains(question.element())).toBe(true);
  });

  // Three posted in one second with the same words (from three tabs; a text this short is no duplicate to the Worker),
  // in capitals or without the "!": a screen reader says all three "Me too", so their names must differ in more: their
  // number, counted down the page. Sorted newest first, the thread shows them n3, n1, then n2 under c1, the last.
  // ar-EG writes its digits in Arabic-Indic ("١ من ٣"), as its count of comments does.
  for (const lang of ['en', 'ar', 'ar-EG', 'de', 'es', 'fr', 'id', 'ja', 'km', 'pt', 'vi']) {
    it(`names apart in "${lang}" three of the reader’s comments alike, a reply among them, numbered down the page`, async () => {
      ownComments(today(10, 42, 5), today(10, 42, 5), [{ body: 'Me too!' }, { body: 'ME TOO!' }, { body: 'Me too' }]);
      const pack =
        lang === 'en'
          ? enPosting
          : ((await import(`../internal/i18n/${lang.split('-')[0]}.ts`)) as { default: typeof enPosting }).default;
      const element = await mount({ lang, sort: 'newest' }, page('#ffffff', '#111111'));
      const own = () => $$(element, '[data-action="edit"], [data-action="delete"]');
      await vi.waitFor(() => expect(own()).toHaveLength(6));
      expect(own().map((button) => button.closest('article')!.id)).toEqual(
        ['n3', 'n3', 'n1', 'n1', 'n2', 'n2'].map((id) => `comment-${id}`),
      );
      const names = own().map((button) => button.getAttribute('aria-label')!);
      const heard = names.map((name) => name.toLowerCase().replace(/\p{P}/gu, ''));
      expect(new Set(heard).size, names.join('\n')).toBe(6);
      for (const name of heard) expect(name).toContain('me too');
      // What follows the text in the pack's words: "”, 1 of 3)", "」、3 件中 1 件目）".
      const number = (n: number) =>
        pack.postedSayingNth
          .split('{text}')[1]!
          .replace('{n}', n.toLocaleString(lang))
          .replace('{count}', (3).toLocaleString(lang));
      names.forEach((name, index) => expect(name).toContain(number(1 + Math.floor(index / 2))));
    });
  }

  // Turkish capitals: toLowerCase() made "KIŞ GELDİ" "kiş geldi̇" beside "kış geldi", which a screen reader says alike,
  // and both names read "(“Kış geldi, iyi!”)". A page in Turkish reads English, so this is any thread's case.
  it('tells apart by their number two of the reader’s comments alike but for Turkish capitals', async () => {
    ownComments(today(10, 42, 5), today(10, 42, 5), [{ body: 'Kış geldi, iyi!' }, { body: 'KIŞ GELDİ, İYİ!' }]);
    const element = await mount({ lang: 'tr' }, page('#ffffff', '#111111'));
    expect(element.shadowRoot!.querySelector('.root')!.getAttribute('lang')).toBe('en');
    const names = () => $$(element, '[data-action="delete"]').map((button) => button.getAttribute('aria-label'));
    await vi.waitFor(() => expect(names()).toHaveLength(2));
    // Oldest first: n2 answers c1, the first comment.
    expect(names()).toEqual([
      expect.stringMatching(/\(“KIŞ GELDİ, İYİ!”, 1 of 2\)$/),
      expect.stringMatching(/\(“Kış geldi, iyi!”, 2 of 2\)$/),
    ]);
  });

  // An owner may let comments change for days: yesterday's 10:42 is not today's.
  it('gives the date of a comment the reader posted on another day', async () => {
    const yesterday = today(10, 42);
    yesterday.setDate(yesterday.getDate() - 1);
    ownComments(yesterday, today(10, 42));
    const element = await mount({ lang: 'en-GB' }, page('#ffffff', '#111111'));
    const date = yesterday.toLocaleDateString('en-GB', { day: 'numeric', month: 'long' });
    await expectOwnButtons(element, { n1: `on ${date} at 10:42`, n2: 'at 10:42' });
  });

  // Spanish and Portuguese say the hour with an article, singular for one o'clock: "a las 1:05" read wrong.
  for (const [lang, one, thirteen] of [
    ['es', 'tu comentario publicado a la 1:05', 'tu comentario publicado a las 13:05'],
    ['pt-BR', 'seu comentário publicado à 01:05', 'seu comentário publicado às 13:05'],
  ] as const) {
    it(`names the reader’s comments posted at 1:05 and 13:05 with the article "${lang}" gives each hour`, async () => {
      ownComments(today(1, 5), today(13, 5));
      const element = await mount({ lang }, page('#ffffff', '#111111'));
      const [edit, remove] = lang === 'es' ? ['Editar', 'Eliminar'] : ['Editar', 'Excluir'];
      for (const [id, words] of [
        ['n1', one],
        ['n2', thirteen],
      ] as const) {
        for (const verb of [edit, remove]) {
          const button = browserPage.getByRole('button', { name: `${verb} ${words}`, exact: true });
          await expect.element(button).toHaveTextContent(verb);
          expect(article(element, id).contains(button.element())).toBe(true);
        }
      }
      await browserPage.getByRole('button', { name: `${remove} ${one}`, exact: true }).click();
      await expect.element(browserPage.getByRole('group', { name: new RegExp(`${remove} ${one}\\?`) })).toBeVisible();
    });
  }

  it('can be used with the keyboard alone: write, post, land on the new comment, reply', async () => {
    const element = await mount({}, page('#ffffff', '#111111'));
    const composer = await closedForm(element);
    $(element, 'select').focus();
    await userEvent.tab(); // from the sort select into the form, closed: its text comes first
    expect(composer.shadowRoot!.activeElement?.id).toBe('body');
    // Typed at once, while the rest of the form arrives: the text field stays the same, so no keystroke is lost.
    await userEvent.keyboard('Typed, not clicked.');
    await vi.waitFor(() => $(composer, '[type="submit"]'), { timeout: 10_000 });
    expect(composer.shadowRoot!.activeElement?.id).toBe('body');
    await userEvent.tab(); // name
    expect(composer.shadowRoot!.activeElement?.id).toBe('name');
    await userEvent.keyboard('Vanna');
    await userEvent.tab(); // email
    await userEvent.tab(); // website
    await userEvent.tab();
    expect(composer.shadowRoot!.activeElement?.getAttribute('type')).toBe('submit');
    await userEvent.keyboard('{Enter}');

    // Sent within MIN_ELAPSED_MS (3 s) of the page's first form, as when this test runs alone, it waits out the rest.
    await vi.waitFor(() => expect(element.shadowRoot!.activeElement?.id).toBe('comment-new-1'), { timeout: 10_000 });
    expect(api.requestsMatching('POST')[0]!.body).toMatchObject({ name: 'Vanna', body: 'Typed, not clicked.' });

    await userEvent.tab(); // from the new comment to its Reply button
    expect(element.shadowRoot!.activeElement?.getAttribute('data-action')).toBe('reply');
    await userEvent.keyboard('{Enter}');
    const reply = await form(element, 'new-1');
    await vi.waitFor(() => expect(reply.shadowRoot!.activeElement?.id).toBe('body'));
    await userEvent.keyboard('{Escape}');
    await vi.waitFor(() => expect(element.shadowRoot!.activeElement?.getAttribute('data-action')).toBe('reply'));
  });

  it('labels every field and ties notes to them', async () => {
    const element = await mount();
    const composer = await form(element);
    for (const control of composer.shadowRoot!.querySelectorAll('[part~="input"], textarea')) {
      expect(composer.shadowRoot!.querySelector(`label[for="${control.id}"]`)?.textContent?.trim()).toBeTruthy();
    }
    expect($(composer, '#email').getAttribute('aria-describedby')).toBe('email-note');
    expect($(composer, '#email-note').textContent).toBe('Never shown to anyone.');
    expect($(composer, '#body-note').textContent).toContain('**bold**');
  });
});
