/** Mounting and querying <sala-comments> in tests, including the form's own shadow root. */
import { vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import '../comments/comments.js';
import type { SalaComments } from '../comments/comments.js';
import type { SalaCommentComposer } from '../comments/composer.js';
import { $ } from './dom.js';
import { API } from './fake-api.js';
import { PAGE } from './fixtures.js';

export { $, $$, text } from './dom.js';

/** Adds an element (with `api` and `page-id` set unless given) and waits for its thread to load. */
export async function mount(
  attributes: Record<string, string> = {},
  parent: HTMLElement = document.body,
): Promise<SalaComments> {
  const element = document.createElement('sala-comments');
  for (const [name, value] of Object.entries({ api: API, 'page-id': PAGE, ...attributes }))
    element.setAttribute(name, value);
  parent.append(element);
  await loaded(element);
  return element;
}

export async function loaded(element: SalaComments): Promise<void> {
  await element.updateComplete;
  // Loading may fetch chunks (a language's strings) that the test server transforms on first request: seconds on a
  // loaded machine, where the default second failed in CI.
  await vi.waitFor(
    () => {
      if (!element.shadowRoot?.querySelector('[part="thread"][aria-busy="false"]')) throw new Error('still loading');
    },
    { timeout: 10_000 },
  );
  await element.updateComplete;
}

export function article(element: SalaComments, id: string): HTMLElement {
  return $(element, `#comment-${id}`);
}

/** A form (top-level, or inside the given comment) as the first paint shows it: closed, its text field alone. */
export async function closedForm(element: SalaComments, id?: string): Promise<SalaCommentComposer> {
  const scope = id ? article(element, id) : element.shadowRoot!;
  const composer = await vi.waitFor(() => {
    const found = scope.querySelector<SalaCommentComposer>('sala-comment-composer');
    if (!found?.shadowRoot?.querySelector('form')) throw new Error('no form');
    return found;
  });
  await composer.updateComplete;
  return composer;
}

/**
 * The form open, as a reader gets it by starting on it (focus in its text; a reply or edit form opens by itself).
 * Its code is in the posting chunk, which the test server builds on first import: on a busy machine, seconds.
 */
export async function form(element: SalaComments, id?: string): Promise<SalaCommentComposer> {
  const composer = await closedForm(element, id);
  if (!composer.shadowRoot!.querySelector('[type="submit"]')) $(composer, '#body').focus();
  await vi.waitFor(() => $(composer, '[type="submit"]'), { timeout: 10_000 });
  await composer.updateComplete;
  return composer;
}

/** Types into a form field the way a reader does: value, then an input event. */
export async function fill(composer: SalaCommentComposer, field: string, value: string): Promise<void> {
  const control = $<HTMLInputElement | HTMLTextAreaElement>(composer, `#${field}`);
  control.value = value;
  control.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  await composer.updateComplete;
}

export async function submit(composer: SalaCommentComposer): Promise<void> {
  $<HTMLButtonElement>(composer, 'button[type="submit"]').click();
  await composer.updateComplete;
  // Sending loads the posting chunk first; the test server builds that module on its first import, which can take
  // longer than waitFor's default second on a busy machine.
  await vi.waitFor(
    () => {
      if ($(composer, 'button[type="submit"]').getAttribute('aria-disabled')) throw new Error('sending');
    },
    { timeout: 10_000 },
  );
}

/**
 * How many times this test page has fetched a module of the comments folder, e.g. `thread-actions.ts`: the test server
 * serves each module on its own, so this counts the requests for one part of a chunk. A module once fetched stays for
 * the whole test file, which runs in a page of its own.
 */
export function fetched(file: string): number {
  return performance
    .getEntriesByType('resource')
    .filter((entry) => new URL(entry.name).pathname.endsWith(`/comments/${file}`)).length;
}

/**
 * Moves the pointer to the page's top left corner, where a thread shows its heading. The pointer stays where an earlier
 * test file left it, and a button drawn under it gets a pointerover as if the reader had moved there.
 */
export async function parkPointer(): Promise<void> {
  const spot = document.createElement('div');
  spot.style.cssText = 'position: fixed; top: 0; left: 0; width: 4px; height: 4px';
  document.body.append(spot);
  await userEvent.hover(spot);
  spot.remove();
}
