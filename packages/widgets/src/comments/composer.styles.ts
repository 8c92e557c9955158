/** Styles of the comment form, in its own shadow root. */
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
      gap: 0.75rem;
    }
    /* Tracks that may shrink below their content: an input's own default width must not push past the form. */
    form,
    .field {
      grid-template-columns: minmax(0, 1fr);
    }
    form {
      margin: 0.75rem 0 1rem;
    }
    .identity {
      grid-template-columns: repeat(auto-fit, minmax(min(11rem, 100%), 1fr));
    }
    .field {
      gap: 0.25rem;
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
      min-height: 6rem;
    }
    textarea {
      resize: vertical;
    }
    .preview {
      padding: 0 0.5rem;
      border: 1px dashed var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface);
    }
    /* The honeypot: out of sight and out of the accessibility tree; only bots fill it in. */
    .hp {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
    }
    [aria-invalid='true'] {
      border-color: var(--_danger);
    }
  `,
];
