/** DOM helpers that look past shadow roots, since a Sala element may sit inside another component. */

/** The element and its ancestors, crossing from each shadow root to its host. */
export function* composedAncestors(element: Element): Generator<Element> {
  let node: Element | null = element;
  while (node) {
    yield node;
    node = node.parentElement ?? (node.parentNode instanceof ShadowRoot ? node.parentNode.host : null);
  }
}
