/** Loads an element's code only once its tag is on the page, so a page pays only for the widgets it uses. */

/**
 * Loads (`load`) each of `tags` present now or added later, once; returns a function that stops watching. A `sala-*`
 * tag that is none of `tags` (`<sala-coments>`) would stay empty without a word: it gets a `[sala]` hint naming the
 * tag it was likely meant to be, from a chunk fetched only then (diagnostics.ts). The page stays watched once every one
 * of `tags` has loaded, as it does on a page that uses fewer, so a tag misspelt after that is named too.
 */
export function loadWhenPresent(
  tags: readonly string[],
  load: (tag: string) => Promise<unknown>,
  root: Document = document,
): () => void {
  const waiting = new Set(tags);
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) if (node instanceof Element) scan(node);
    }
  });
  const scan = (scope: Element) => {
    // Elements not defined yet: ours before their chunk has run, and any misspelt one.
    for (const { localName: tag } of [scope, ...scope.querySelectorAll(':not(:defined)')]) {
      if (waiting.delete(tag))
        load(tag).catch((error: unknown) => console.warn(`[sala] could not load <${tag}>:`, error));
      else if (tag.startsWith('sala-') && !tags.includes(tag))
        void import('./diagnostics.js').then(({ unknownTag }) => unknownTag(tag, tags));
    }
  };
  scan(root.documentElement);
  observer.observe(root, { childList: true, subtree: true });
  return () => observer.disconnect();
}
