/** The column name a stacked table's cell shows before its value on a phone (admin.styles.ts's `.stacked`). */
import { html, type TemplateResult } from 'lit';
import type { AdminStringKey, AdminTranslator } from './strings/admin-strings.js';

/**
 * Hidden from screen readers, which name the cell by its column heading already. The language's own separator after
 * the name: "Reason: " in English, "理由：" in Japanese.
 */
export const cellLabel = (i18n: AdminTranslator, column: AdminStringKey): TemplateResult =>
  html`<span class="cell-label" aria-hidden="true">${i18n.t('cellLabel', { column: i18n.t(column) })}</span>`;
