/**
 * The admin page's string packs: English bundled, each other language fetched as a chunk of its own only when the page
 * is in that language.
 */
import { StringPacks, type Translator } from '../../internal/i18n/locale.js';
import { adminEn, type AdminStrings } from './en.js';

const loaders: Record<string, () => Promise<{ default: AdminStrings }>> = {
  id: () => import('./id.js'),
  ja: () => import('./ja.js'),
  km: () => import('./km.js'),
  vi: () => import('./vi.js'),
};

export const adminPacks = new StringPacks<AdminStrings>(adminEn, Object.keys(loaders), (lang) => loaders[lang]!());

export type AdminTranslator = Translator<AdminStrings>;
export type { AdminStringKey, AdminStrings } from './en.js';
