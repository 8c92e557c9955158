/**
 * Where each language's pack of the thread's strings is: fetched with the first pack a page asks for (locale.ts
 * names the languages), each pack a chunk of its own. A language added here is added to threadPacks too.
 */
import type { Strings } from './en.js';

const loaders: Record<string, () => Promise<{ default: Strings }>> = {
  ar: () => import('./ar.js'),
  de: () => import('./de.js'),
  es: () => import('./es.js'),
  fr: () => import('./fr.js'),
  id: () => import('./id.js'),
  ja: () => import('./ja.js'),
  km: () => import('./km.js'),
  pt: () => import('./pt.js'),
  vi: () => import('./vi.js'),
};

export default loaders;

/**
 * The pack the page's thread (on a page without one, its first list or count) will ask for, fetched as soon as this
 * table has run: embed.js fetches the table as it starts loading that element on a page in another language, so the
 * pack comes beside the element's chunk, not after it. The language is read as localeOf (locale.ts) reads it, from
 * the nearest `lang`; where it has no pack (English, or a page with no Sala element) nothing is fetched. Any failure
 * is the element's to tell, as its own import fails alike. Read here, not by importing localeOf: the table would then
 * wait for the chunk that holds locale.ts, the one it is fetched beside.
 */
const first =
  document.querySelector('sala-comments') ??
  document.querySelector('sala-popular-posts,sala-recent-comments,sala-comment-count');
const tag = first?.closest('[lang]')?.getAttribute('lang') ?? '';
loaders[languageOf(tag.replace('_', '-'))]?.().catch(() => {});

/** A tag's language as localeOf reads it: canonical first (a retired `in` is `id`), else its first subtag. */
function languageOf(tag: string): string {
  try {
    return Intl.getCanonicalLocales(tag)[0]!.split('-')[0]!;
  } catch {
    return tag.toLowerCase().split('-')[0]!;
  }
}
