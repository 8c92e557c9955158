/** The form's "Email me replies to this comment", where the thread's answer says the Worker mails replies. */
import axe from 'axe-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import { FakeApi } from '../test/fake-api.js';
import { PAGE, threadFixture } from '../test/fixtures.js';
import { $, $$, article, fill, form, mount, submit, text } from '../test/render.js';
import type { SalaCommentComposer } from './composer.js';

let api: FakeApi;

beforeEach(() => {
  api = new FakeApi().install();
  api.threads.set(PAGE, threadFixture());
});

afterEach(() => {
  document.body.replaceChildren();
  localStorage.clear();
  vi.unstubAllGlobals();
});

const checkbox = (composer: SalaCommentComposer) => $<HTMLInputElement>(composer, '#notify-replies');

/** The note a screen reader reads with the checkbox (its aria-describedby), '' without one. */
function description(composer: SalaCommentComposer): string {
  const ids = checkbox(composer).getAttribute('aria-describedby');
  return ids
    ? ids
        .split(' ')
        .map((id) => text($(composer, `#${id}`)))
        .join(' ')
    : '';
}

describe('reply mails', () => {
  it('shows the ticked checkbox’s focus ring apart from its blue fill, still inside the thread', async () => {
    api.replyMails = true;
    const element = await mount();
    const composer = await form(element);
    await fill(composer, 'email', 'sokha@example.com');
    $(composer, '#website').focus();
    await userEvent.keyboard('{Tab}');
    await userEvent.keyboard(' ');
    await composer.updateComplete;
    const box = checkbox(composer);
    expect(box.checked && box.matches(':focus-visible')).toBe(true);
    const style = getComputedStyle(box);
    expect(style.outlineStyle).toBe('solid');
    // Drawn over the box (a negative offset), a ring in the accent's blue vanishes into a ticked box's own blue.
    const offset = parseFloat(style.outlineOffset);
    expect(offset).toBeGreaterThan(0);
    const reach = offset + parseFloat(style.outlineWidth);
    const [ring, thread] = [box.getBoundingClientRect(), element.getBoundingClientRect()];
    expect(ring.left - reach).toBeGreaterThanOrEqual(thread.left);
    expect(ring.right + reach).toBeLessThanOrEqual(thread.right);
  });

  it('offers no checkbox where the thread says reply mails are off, and sends no notifyReplies', async () => {
    const element = await mount();
    const composer = await form(element);
    expect($$(composer, 'input[type="checkbox"]')).toHaveLength(0);
    await fill(composer, 'name', 'Sokha');
    await fill(composer, 'email', 'sokha@example.com');
    await fill(composer, 'body', 'Hello');
    await submit(composer);
    expect(api.requestsMatching('POST')[0]!.body).not.toHaveProperty('notifyReplies');
  });

  it('cannot be ticked without an email and says why, then sends notifyReplies and says a mail to confirm comes', async () => {
    api.replyMails = true;
    const element = await mount();
    const composer = await form(element);
    const box = checkbox(composer);
    expect(text(box.closest('label')!)).toBe('Email me replies to this comment');
    expect(box.getAttribute('aria-disabled')).toBe('true');
    expect(description(composer)).toBe('Add your email to get replies.');
    box.click();
    await composer.updateComplete;
    expect(checkbox(composer).checked).toBe(false);

    await fill(composer, 'email', 'sokha@example.com');
    expect(checkbox(composer).hasAttribute('aria-disabled')).toBe(false);
    expect(description(composer)).toBe('');
    // By keyboard: Tab from the website field reaches it, Space ticks it.
    $(composer, '#website').focus();
    await userEvent.keyboard('{Tab}');
    expect(composer.shadowRoot!.activeElement?.id).toBe('notify-replies');
    await userEvent.keyboard(' ');
    await composer.updateComplete;
    expect(checkbox(composer).checked).toBe(true);

    await fill(composer, 'name', 'Sokha');
    await fill(composer, 'body', 'Tell me when someone answers');
    await submit(composer);
    expect(api.requestsMatching('POST')[0]!.body).toMatchObject({ email: 'sokha@example.com', notifyReplies: true });
    const told = 'Check your inbox: open the link we emailed you to get replies to this comment.';
    await vi.waitFor(() => expect(text(article(element, 'new-1'))).toContain(told));
    expect(text($(element, '[role="status"]'))).toBe(`Your comment was posted. ${told}`);
  });

  it('starts the note under a posted comment where the comment’s text starts, on a line of its own', async () => {
    api.replyMails = true;
    const element = await mount();
    const composer = await form(element);
    await fill(composer, 'name', 'Sokha');
    await fill(composer, 'email', 'sokha@example.com');
    checkbox(composer).click();
    await fill(composer, 'body', 'Tell me when someone answers');
    await submit(composer);
    const posted = () => article(element, 'new-1');
    await vi.waitFor(() => expect(text(posted())).toContain('Check your inbox'));
    /** Where the first words of `box` start on screen. */
    const textStart = (box: Element) => {
      const words = document.createRange();
      words.selectNodeContents(box);
      return words.getClientRects()[0]!.left;
    };
    const note = $(posted(), '.actions .note');
    const body = $(posted(), '[part="body"] p');
    expect(note.getBoundingClientRect().top).toBeGreaterThanOrEqual(
      $(posted(), '[data-action]').getBoundingClientRect().bottom,
    );
    await expect.poll(() => Math.round(textStart(note) - textStart(body))).toBe(0);
  });

  it('remembers the choice with the name and email, sends false once unticked, and says when replies simply come', async () => {
    api.replyMails = true;
    api.replyMail = 'on';
    const first = await mount();
    let composer = await form(first);
    await fill(composer, 'name', 'Sokha');
    await fill(composer, 'email', 'sokha@example.com');
    checkbox(composer).click();
    await fill(composer, 'body', 'First');
    await submit(composer);
    await vi.waitFor(() =>
      expect(text(article(first, 'new-1'))).toContain('Replies to this comment will be emailed to you.'),
    );

    first.remove();
    const again = await mount();
    composer = await form(again);
    expect(checkbox(composer).checked).toBe(true);
    expect($<HTMLInputElement>(composer, '#email').value).toBe('sokha@example.com');
    checkbox(composer).click();
    await fill(composer, 'body', 'Second, no mails');
    await submit(composer);
    expect(api.requestsMatching('POST')[1]!.body).toMatchObject({ notifyReplies: false });
    await vi.waitFor(() => expect(text(article(again, 'new-2'))).toContain('Second, no mails'));
    expect(text(article(again, 'new-2'))).not.toContain('email');
    expect(text($(again, '[role="status"]'))).toBe('Your comment was posted.');

    // The choice stays unticked for the next form too, and a reply form offers it as well.
    again.remove();
    const third = await mount();
    expect(checkbox(await form(third)).checked).toBe(false);
    $(article(third, 'c1'), '[data-action="reply"]').click();
    expect(checkbox(await form(third, 'c1')).checked).toBe(false);
  });

  it('sends the language the page shows the thread in, which the mails the comment asks for speak', async () => {
    api.replyMails = true;
    const page = document.createElement('main');
    page.lang = 'km-KH';
    document.body.append(page);
    const element = await mount({}, page);
    const composer = await form(element);
    expect(text(checkbox(composer).closest('label')!)).toBe('ផ្ញើការឆ្លើយតបចំពោះមតិយោបល់នេះមកអ៊ីមែលខ្ញុំ');
    await fill(composer, 'name', 'Sokha');
    await fill(composer, 'email', 'sokha@example.com');
    checkbox(composer).click();
    await fill(composer, 'body', 'Tell me in Khmer');
    await submit(composer);
    expect(api.requestsMatching('POST')[0]!.body).toMatchObject({ notifyReplies: true, lang: 'km-KH' });

    // A page in a language the widget lacks reads English, and its comment says so.
    page.remove();
    const swahili = document.createElement('main');
    swahili.lang = 'sw';
    document.body.append(swahili);
    const english = await form(await mount({}, swahili));
    expect(text(checkbox(english).closest('label')!)).toBe('Email me replies to this comment');
    await fill(english, 'body', 'And in English');
    await submit(english);
    expect(api.requestsMatching('POST')[1]!.body).toMatchObject({ notifyReplies: true, lang: 'en' });
  });

  it('is not part of an edit', async () => {
    api.replyMails = true;
    const element = await mount();
    const composer = await form(element);
    expect(checkbox(composer).checked).toBe(false);
    await fill(composer, 'name', 'Sokha');
    await fill(composer, 'body', 'Typo here');
    await submit(composer);
    await vi.waitFor(() => $(article(element, 'new-1'), '[data-action="edit"]'));
    $(article(element, 'new-1'), '[data-action="edit"]').click();
    const edit = await form(element, 'new-1');
    expect($$(edit, 'input[type="checkbox"]')).toHaveLength(0);
  });

  for (const [lang, label] of [
    ['en', 'Email me replies to this comment'],
    ['km', 'ផ្ញើការឆ្លើយតបចំពោះមតិយោបល់នេះមកអ៊ីមែលខ្ញុំ'],
  ] as const) {
    it(`passes axe with the checkbox, unticked for want of an email and ticked (${lang})`, async () => {
      api.replyMails = true;
      const element = await mount({ lang });
      const composer = await form(element);
      expect(text(checkbox(composer).closest('label')!)).toBe(label);
      // The form alone: the checkbox is all reply mails add, and comments.a11y.test.ts audits the thread around it.
      const violations = async () => {
        const results = await axe.run(composer, { resultTypes: ['violations'] });
        expect(results.passes.map((rule) => rule.id)).toEqual(expect.arrayContaining(['label', 'color-contrast']));
        return results.violations.map((violation) => `${violation.id}: ${violation.help}`);
      };
      expect(await violations()).toEqual([]);
      await fill(composer, 'email', 'sokha@example.com');
      checkbox(composer).click();
      await composer.updateComplete;
      expect(await violations()).toEqual([]);
    });
  }
});
