/** Styles of the Import tab: the drop area, the two-field rewrite rows, the preview lists and the progress bar. */
import { css } from 'lit';
import { partStyles } from '../admin.styles.js';

export const importTabStyles = [
  partStyles,
  css`
    .drop {
      display: grid;
      grid-template-columns: minmax(0, 1fr);
      gap: 0.25rem;
      max-width: 40rem;
      margin: 0 0 1rem;
      padding: 0.75rem 1rem;
      border: 2px dashed var(--_border);
      border-radius: var(--_radius);
    }
    .drop.dragging {
      border-color: var(--_accent);
    }
    .drop label {
      font-weight: 600;
    }
    .drop input {
      width: 100%;
      min-width: 0;
    }
    .pair {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr));
      gap: 0 1rem;
    }
    .pair .field {
      margin-bottom: 0.5rem;
    }
    /* A fieldset is as wide as its widest content by default: on a phone that pushed the page sideways. */
    fieldset {
      min-width: 0;
    }
    fieldset.inner {
      border: none;
      padding: 0;
      margin: 0 0 0.5rem;
    }
    .counts,
    .skipped,
    .report {
      margin: 0.25rem 0 0.75rem;
      padding-inline-start: 1.25rem;
    }
    .examples {
      display: block;
      overflow-wrap: anywhere;
    }
    td code {
      overflow-wrap: anywhere;
    }
    .number {
      text-align: end;
    }
    progress {
      display: block;
      width: 100%;
      max-width: 40rem;
      margin: 0.5rem 0;
    }
    .run {
      margin-top: 1rem;
    }
    .paused-file {
      max-width: 40rem;
      margin: 0 0 1rem;
    }
    .paused-file p {
      margin: 0 0 0.5rem;
    }
  `,
];
