/** Registers custom elements once: the npm copy and the script-tag copy of Sala can meet on one page. */
export function define(tag: string, element: CustomElementConstructor): void {
  // The first copy to arrive wins; defining a tag twice would throw at the host page.
  if (!customElements.get(tag)) customElements.define(tag, element);
}
