/**
 * The /admin page's entry (rollup.config.ts builds it to worker/public/admin/admin.js): defines <sala-admin> and
 * speaks the owner's language (English, Arabic, German, Spanish, French, Indonesian, Japanese, Khmer, Brazilian
 * Portuguese or Vietnamese) as their browser prefers: the first of navigator.languages it has strings for, since the
 * page has no other way to ask.
 * The page takes the browser's whole tag (`en-GB`), so dates and numbers read as the owner's region writes them.
 */
import './admin.js';
import { adminPacks } from './strings/admin-strings.js';

const supported = ['en', ...adminPacks.languages];
const preferred = navigator.languages.find((tag) => supported.includes(tag.toLowerCase().split('-')[0]!));
if (preferred) {
  document.documentElement.lang = preferred;
  const lang = preferred.toLowerCase().split('-')[0]!;
  // Arabic lays the whole page out right to left, as <sala-admin>'s root does (Translator.dir): the page's scrollbar
  // and anything the browser draws outside the element (a tooltip, a form's validation bubble) mirror with it.
  if (lang === 'ar') document.documentElement.dir = 'rtl';
  // The tab's title (and what a screen reader says of the page) in the page's language too, once its strings are in.
  if (lang !== 'en')
    void adminPacks.load(lang).then(() => (document.title = adminPacks.get(lang)?.title ?? document.title));
}
