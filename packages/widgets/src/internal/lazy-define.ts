/** Loads an element's code only once its tag is on the page, so a page pays only for the widgets it uses. */

/** Tag name -> import of the module that defines it. */
export type ElementLoaders = Record<string, () => Promise<unknown>>;

/** Loads each element present now or added later; returns a function that stops watching. */
export function loadWhenPresent(loaders: ElementLoaders, root: Document = document): () => void {
  const waiting = new Map(Object.entries(loaders));
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) if (node instanceof Element) scan(node);
    }
  });
  const scan = (scope: Element | Document) => {
    for (const [tag, load] of waiting) {
      if ((scope instanceof Element && scope.localName === tag) || scope.querySelector(tag)) {
        waiting.delete(tag);
        load().catch((error: unknown) => console.warn(`[sala] could not load <${tag}>:`, error));
      }
    }
    if (waiting.size === 0) observer.disconnect();
  };
  scan(root);
  if (waiting.size > 0) observer.observe(root, { childList: true, subtree: true });
  return () => observer.disconnect();
}
