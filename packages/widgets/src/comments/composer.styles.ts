/** Styles of the comment form, in its own shadow root, as the first paint shows it: closed (composer-open.ts has the rest). */
import { css } from 'lit';
import { bodyStyles, controlStyles } from '../internal/styles.js';

export const composerStyles = [
  controlStyles,
  bodyStyles,
  css`
    :host {
      display: block;
    }
    form,
    .identity,
    .field {
      display: grid;
      gap: 0.75em;
    }
    /* Tracks that may shrink below their content: an input's own default width must not push past the form. */
    form,
    .field {
      grid-template-columns: minmax(0, 1fr);
    }
    form {
      margin: 0.75em 0 1em;
    }
    .field {
      gap: 0.25em;
      align-content: start;
    }
    label {
      font-weight: 600;
    }
    input,
    textarea,
    .preview {
      width: 100%;
      box-sizing: border-box;
    }
    textarea,
    .preview {
      min-height: 6em;
    }
    textarea {
      resize: vertical;
    }
  `,
];
