/** The column name a stacked table's cell shows before its value on a phone (admin.styles.ts's \`.stacked\`). */
import { html, type TemplateResult } from 'lit';

/** Hidden from screen readers, which name the cell by its column heading already. */
export const cellLabel = (name: string): TemplateResult =>
  html`<span class="cell-label" aria-hidden="true">${name}: </span>`;
