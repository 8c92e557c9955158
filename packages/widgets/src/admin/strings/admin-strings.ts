/** The admin page's string packs: English bundled, Khmer fetched as its own chunk when the page is in Khmer. */
import { StringPacks, type Translator } from '../../internal/i18n/locale.js';
import { adminEn, type AdminStrings } from './en.js';

export const adminPacks = new StringPacks<AdminStrings>(adminEn, ['km'], () => import('./km.js'));

export type AdminTranslator = Translator<AdminStrings>;
export type { AdminStringKey, AdminStrings } from './en.js';
