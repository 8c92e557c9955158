/**
 * The admin page's string packs: English bundled, each other language fetched as a chunk of its own only when the page
 * is in that language.
 */
import { html, type TemplateResult } from 'lit';
import { withoutBidiControls } from '@sala/protocol';
import { StringPacks, type Translator } from '../../internal/i18n/locale.js';
import { adminEn, type AdminStringKey, type AdminStrings } from './en.js';

const loaders: Record<string, () => Promise<{ default: AdminStrings }>> = {
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

export const adminPacks = new StringPacks<AdminStrings>(adminEn, Object.keys(loaders), (lang) => loaders[lang]!());

export type AdminTranslator = Translator<AdminStrings>;
export type { AdminStringKey, AdminStrings } from './en.js';

/**
 * A commenter's name (or what a ban calls them) for a sentence given as text, a toast's or an alert's: in a first
 * strong isolate (U+2068 … U+2069), so a right-to-left name lays out in its own direction without moving the words
 * around it, and a bidi control it holds (imports keep names as they were) ends at the isolate's end. Shown through
 * `bidiText`, which makes each isolate a <bdi>. Isolate marks of its own (U+2066–U+2069) are left out: a U+2069 would
 * end the isolate early, letting what follows it in the name (an override, say) out into the sentence.
 */
export function isolate(value: string): string {
  return `\u2068${value.replace(/[\u2066-\u2069]/g, '')}\u2069`;
}

/**
 * A name inside an accessible name (an aria-label): its words only. A screen reader speaks in logical order, where an
 * isolate orders nothing, and may announce one (or a bidi control an imported name holds) as a character; the visible
 * name beside it is what stays isolated, in a <bdi>.
 */
export function spoken(value: string): string {
  return withoutBidiControls(value);
}

/**
 * `key`'s sentence for a template, each of `values` in a <bdi> (what `isolate` does for text, with the text itself
 * unchanged: a label or heading reads and is named as before).
 */
export function isolatedHtml(
  i18n: AdminTranslator,
  key: AdminStringKey,
  values: Record<string, string>,
): TemplateResult {
  // Through t(), values-less, for its digits (`{#7}`): the `{name}`s it leaves are split out here.
  const parts = i18n.t(key).split(/\{(\w+)\}/);
  return html`${parts.map((part, index) =>
    index % 2 === 0 ? part : part in values ? html`<bdi>${values[part]}</bdi>` : `{${part}}`,
  )}`;
}

/**
 * A sentence `isolate` built (a toast's, an alert's), for a template: each isolated name in a <bdi> instead, so what a
 * live region reads out holds no U+2068/U+2069 a screen reader may announce, and the name still shows in its own
 * direction.
 */
export function bidiText(text: string): TemplateResult {
  return html`${text.split(/\u2068([^\u2069]*)\u2069/).map((part, index) => (index % 2 ? html`<bdi>${part}</bdi>` : part))}`;
}
