/** Mounting <sala-admin> in tests and finding things through its nested shadow roots, as a person would. */
import { vi } from 'vitest';
import { page, type Locator } from 'vitest/browser';
import '../admin/admin.js';
import type { SalaAdmin } from '../admin/admin.js';

/** Adds <sala-admin> (with the attributes given) and waits until it has checked the session. */
export async function mountAdmin(attributes: Record<string, string> = {}): Promise<SalaAdmin> {
  const element = document.createElement('sala-admin');
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  document.body.append(element);
  await element.updateComplete;
  // Checking may fetch a chunk (the Khmer strings) that the test server transforms on first request: seconds on a
  // loaded machine, where the default second failed in CI.
  await vi.waitFor(
    () => {
      if (deepQuery('[aria-busy="true"]')) throw new Error('still loading');
    },
    { timeout: 10_000 },
  );
  return element;
}

/** The first element matching `selector` in the document or any open shadow root below it. */
export function deepQuery<T extends Element = HTMLElement>(
  selector: string,
  root: Document | ShadowRoot | Element = document,
): T | null {
  return deepQueryAll<T>(selector, root)[0] ?? null;
}

export function deepQueryAll<T extends Element = HTMLElement>(
  selector: string,
  root: Document | ShadowRoot | Element = document,
): T[] {
  const found: T[] = [...root.querySelectorAll<T>(selector)];
  for (const element of root.querySelectorAll('*')) {
    if (element.shadowRoot) found.push(...deepQueryAll<T>(selector, element.shadowRoot));
  }
  return found;
}

/** The element that has focus, looking into shadow roots. */
export function focused(): Element | null {
  let active: Element | null = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/**
 * Waits until the element a locator finds has focus (jest-dom's toHaveFocus cannot see into shadow roots). `query()`,
 * not `element()`: while the element is not there yet, each try of `element()` printed the whole page into its error.
 */
export async function expectFocus(locator: Locator): Promise<void> {
  await vi.waitFor(() => {
    const element = locator.query();
    if (!element || focused() !== element)
      throw new Error(`focus is on ${describe(focused())}, not ${describe(element)}`);
  });
}

function describe(element: Element | null): string {
  return element ? `<${element.localName}${element.id ? `#${element.id}` : ''}>` : 'nothing';
}

/**
 * Where the element `find` returns is drawn, frame by frame, until `stop()`: each top it was painted at, in order (a
 * layout shift under the owner's pointer is a second one). Frames without the element add nothing.
 */
export function paintedTops(find: () => Element | null): { tops: number[]; stop: () => void } {
  const tops: number[] = [];
  let watching = true;
  const frame = () => {
    const top = find()?.getBoundingClientRect().top;
    if (top !== undefined && top !== tops.at(-1)) tops.push(top);
    if (watching) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  return { tops, stop: () => (watching = false) };
}

/** The ids of the comments the queue shows, in order. */
export function shownComments(): string[] {
  return deepQueryAll('article.item').map((article) => article.id.replace(/^comment-/, ''));
}

/** Resets what a test may leave behind: the element, the URL fragment, the remembered site. */
export function cleanUp(): void {
  document.body.replaceChildren();
  document.body.removeAttribute('style');
  history.replaceState(null, '', location.pathname + location.search);
  localStorage.clear();
  vi.unstubAllGlobals();
}

export { page };
