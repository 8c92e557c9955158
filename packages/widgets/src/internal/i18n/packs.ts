/**
 * Where each language's pack of the thread's strings is: fetched with the first pack a page asks for (locale.ts
 * names the languages), each pack a chunk of its own. A language added here is added to threadPacks too.
 */
import type { Strings } from './en.js';

const loaders: Record<string, () => Promise<{ default: Strings }>> = {
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
