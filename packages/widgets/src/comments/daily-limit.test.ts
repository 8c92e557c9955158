import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiErrorBody } from '@sala/protocol';
import { FakeApi } from '../test/fake-api.js';
import { PAGE, threadFixture } from '../test/fixtures.js';
import { $, $$, article, fill, form, mount, submit, text } from '../test/render.js';

/** A reset time that is not midnight anywhere, so the reader's clock is what shows. */
const RESUMES_AT = '2030-01-16T00:00:00.000Z';

const PAUSED: ApiErrorBody['error'] = {
  code: 'daily_limit_reached',
  message: 'Comments are paused until 00:00 UTC.',
  resumesAt: RESUMES_AT,
};

/** The reset on this browser's clock, 24-hour or 12-hour as the locale writes it: "00:00", "12:00 AM", "07:00". */
function localClock(): RegExp {
  const resumes = new Date(RESUMES_AT);
  const hours24 = String(resumes.getHours()).padStart(2, '0');
  const hours12 = String(resumes.getHours() % 12 || 12).padStart(2, '0');
  const minutes = String(resumes.getMinutes()).padStart(2, '0');
  return new RegExp(`(${hours24}|${hours12}):${minutes}`);
}

let api: FakeApi;

/** Posts `body` as `name` on a page in `lang` while comments are paused: the form, and what it says. */
async function postWhilePaused(lang: string, name: string, body: string) {
  const element = await mount({ lang });
  api.failNext('POST', 503, PAUSED, '/api/v1/comments');
  const composer = await form(element);
  await fill(composer, 'name', name);
  await fill(composer, 'body', body);
  await submit(composer);
  return { composer, alert: text($(composer, '[role="alert"]')) };
}

beforeEach(() => {
  api = new FakeApi().install();
  api.threads.set(PAGE, threadFixture());
});

afterEach(() => {
  document.body.replaceChildren();
  localStorage.clear();
  vi.unstubAllGlobals();
});

describe('when the comment server has used its free daily allowance', () => {
  it('says comments are paused until the reset on the reader’s clock, announces it, and keeps what was typed', async () => {
    const element = await mount();
    const codes: string[] = [];
    element.addEventListener('sala-error', (event) => codes.push(event.detail.code));
    api.failNext('POST', 503, PAUSED, '/api/v1/comments');

    const composer = await form(element);
    await fill(composer, 'name', 'Sokha');
    await fill(composer, 'body', 'A long thought I do not want to lose');
    await submit(composer);

    const alert = text($(composer, '[role="alert"]'));
    expect(alert).toMatch(/^Comments are paused until .+ \(your time\)/);
    expect(alert).toMatch(localClock());
    expect(alert).not.toContain('UTC');
    expect($<HTMLTextAreaElement>(composer, '#body').value).toBe('A long thought I do not want to lose');
    expect($<HTMLInputElement>(composer, '#name').value).toBe('Sokha');
    expect(codes).toEqual(['daily_limit_reached']);
    expect($$(element, '#comment-new-1')).toHaveLength(0);

    // After the reset the same form sends the same text.
    await submit(composer);
    expect(text($(article(element, 'new-1'), '[part="body"]'))).toBe('A long thought I do not want to lose');
  });

  it('says it in Khmer on a Khmer page', async () => {
    const { alert, composer } = await postWhilePaused('km', 'សុខា', 'សួស្ដី');
    expect(alert).toContain('ការបញ្ចេញមតិត្រូវបានផ្អាករហូតដល់ម៉ោង');
    expect(alert).toContain('(តាមម៉ោងរបស់អ្នក)');
    expect($<HTMLTextAreaElement>(composer, '#body').value).toBe('សួស្ដី');
  });

  // "hasta las 01:00", Spain's reset hour in winter, wants "la": Spanish names the time with no article at all.
  it('says it in Spanish with no article to get wrong before the hour', async () => {
    const { alert } = await postWhilePaused('es', 'Lucía', 'Hola');
    expect(alert).toMatch(
      new RegExp(`^Los comentarios están en pausa\\. Hora de reanudación: ${localClock().source} \\(tu hora\\)`),
    );
  });

  it('gives the same message for an edit, keeping the edited text, and for a delete, keeping the comment', async () => {
    const element = await mount();
    const composer = await form(element);
    await fill(composer, 'name', 'Sokha');
    await fill(composer, 'body', 'Tpyo');
    await submit(composer);

    $(article(element, 'new-1'), '[data-action="edit"]').click();
    const editor = await form(element, 'new-1');
    await fill(editor, 'body', 'Typo, fixed');
    api.failNext('PATCH', 503, PAUSED);
    await submit(editor);
    expect(text($(editor, '[role="alert"]'))).toMatch(/^Comments are paused until .+ \(your time\)/);
    expect($<HTMLTextAreaElement>(editor, '#body').value).toBe('Typo, fixed');
    editor.cancel?.();
    await element.updateComplete;

    api.failNext('DELETE', 503, PAUSED);
    $(article(element, 'new-1'), '[data-action="delete"]').click();
    await element.updateComplete;
    $(article(element, 'new-1'), '[part~="danger"]').click();
    await vi.waitFor(() =>
      expect(text($(article(element, 'new-1'), '[role="alert"]'))).toMatch(
        /^Comments are paused until .+ \(your time\)/,
      ),
    );
    expect(text($(article(element, 'new-1'), '[part="body"]'))).toBe('Tpyo');
  });

  it('explains a thread that cannot be read today the same way', async () => {
    api.failNext('GET', 503, PAUSED);
    const element = await mount();
    expect(text($(element, '[role="alert"]'))).toMatch(localClock());
    expect(text($(element, '[role="alert"]'))).toContain('Comments are paused until');
  });
});
