/**
 * The /admin page's entry (rollup.config.ts builds it to worker/public/admin/admin.js): defines <sala-admin> and
 * speaks the owner's language, English or Khmer, as their browser prefers, since the page has no other way to ask.
 */
import './admin.js';
import { adminPacks } from './strings/admin-strings.js';

const supported = ['en', ...adminPacks.languages];
const preferred = navigator.languages
  .map((tag) => tag.toLowerCase().split('-')[0])
  .find((lang) => lang && supported.includes(lang));
if (preferred) document.documentElement.lang = preferred;
