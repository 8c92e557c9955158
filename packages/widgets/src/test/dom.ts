/**
 * Finding things in an element's shadow root and reading their text, for any element's tests. Apart from render.ts, so
 * a test of the list elements or the count does not load <sala-comments> before its first test.
 */
export function $<T extends Element = HTMLElement>(element: Element, selector: string): T {
  const found = (element.shadowRoot ?? element).querySelector<T>(selector);
  if (!found) throw new Error(`nothing matches ${selector}`);
  return found;
}

export function $$<T extends Element = HTMLElement>(element: Element, selector: string): T[] {
  return [...(element.shadowRoot ?? element).querySelectorAll<T>(selector)];
}

/** Visible text of a node, whitespace folded. */
export function text(node: Element | ShadowRoot): string {
  return (node.textContent ?? '').replace(/\s+/g, ' ').trim();
}
