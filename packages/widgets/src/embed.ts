/**
 * The script-tag build (`<script type="module" src="https://…/embed.js">`): elements talk to the Worker that
 * served this file (internal/embed-config.ts), and each element's code loads only when its tag appears on the page.
 * embed.js itself imports nothing, so a page of the template without any Sala element pays for this file alone.
 *
 * The build makes two sets of element chunks (rollup.config.ts, threadCopies). A page with a thread loads the `?thread`
 * copies: the thread's chunk carries the code every element shares, so the thread arrives as one chunk compressed as
 * one (0.7 KB less brotli than two), and lists on the same page import their shared code from it. A page without a
 * thread loads the other set, where the lists share a chunk without the thread's code. The first element loaded
 * chooses the set for the page, so Lit is never loaded twice.
 */
import { loadWhenPresent } from './internal/lazy-define.js';

/** Tag name -> import of the module that defines it. */
type ElementLoaders = Record<string, () => Promise<unknown>>;

const withoutThread: ElementLoaders = {
  'sala-comments': () => import('./comments/comments.js'),
  'sala-popular-posts': () => import('./popular-posts/popular-posts.js'),
  'sala-comment-count': () => import('./comment-count/comment-count.js'),
  'sala-recent-comments': () => import('./recent-comments/recent-comments.js'),
};

const withThread: ElementLoaders = {
  'sala-comments': () => import('./comments/comments.js?thread'),
  'sala-popular-posts': () => import('./popular-posts/popular-posts.js?thread'),
  'sala-comment-count': () => import('./comment-count/comment-count.js?thread'),
  'sala-recent-comments': () => import('./recent-comments/recent-comments.js?thread'),
};

let chosen: ElementLoaders | undefined;

/**
 * Loads `tag` from the page's set: a thread on the page when the first element loads chooses it, and on a page in a
 * language other than English starts the fetch of the first element's strings beside its chunk (fetchStrings).
 */
const load = (tag: string, thread = document.querySelector('sala-comments')) =>
  (chosen ??= fetchStrings(thread ?? document.querySelector(tag)!, !thread))[tag]!();

/**
 * An element in a language other than English shows its loading state once its strings are here
 * (internal/i18n/locale.ts), and its chunk asks for them only once it has run: two requests in a row (the table of
 * packs, then the language's) after the chunk's own. Asked for here, the table comes beside the chunk and starts on
 * the element's language as it arrives (packs.ts), and the element's own import finds both on their way: the thread,
 * or on a page without one the first list or count. A `lang` on or above it (its own, its post's container, or <html>)
 * only tells English, which fetches nothing, from any other (`sw` costs the table alone, 0.26 KB; so does an English
 * thread on a page whose <html lang> is another). Returns the page's set of chunks.
 */
function fetchStrings(first: Element, lists: boolean): ElementLoaders {
  if (first.closest('[lang]:not(:lang(en))'))
    (lists ? import('./internal/i18n/packs.js') : import('./internal/i18n/packs.js?thread')).catch(() => {});
  return lists ? withoutThread : withThread;
}

// Loaded as a classic script (no type="module": a page builder or tag manager may drop it), import() has no address
// to resolve the elements' chunks against: this file loads itself again as a module, which does the work.
// (document.currentScript is null in a module.)
const classic = document.currentScript as HTMLScriptElement | null;
if (classic) {
  const module = document.createElement('script');
  module.type = 'module';
  module.src = classic.src;
  classic.after(module);
} else {
  // One task later: module scripts after this one have run by then (Chromium), so a thread the Blogger gadget or
  // Ghost's footer adds below a list still finds embed.js in <head> choosing the thread's set, not the 0.7 KB dearer one.
  setTimeout(loadWhenPresent, 0, Object.keys(withoutThread), load);
}
