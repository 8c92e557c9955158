/** Styles of <sala-comments>: every colour and size is a --sala-* knob with a fallback, light and dark. */
import { css } from 'lit';
import { bodyStyles, controlStyles, paletteStyles } from '../internal/styles.js';

export const commentsStyles = [
  paletteStyles,
  controlStyles,
  bodyStyles,
  css`
    :host {
      display: block;
    }
    :host([hidden]) {
      display: none;
    }

    .bar {
      justify-content: space-between;
      margin-bottom: 1rem;
    }
    h2 {
      margin: 0;
      font-size: 1.25em;
    }
    .sort {
      color: var(--_muted);
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    ul ul {
      margin-inline-start: calc(var(--_avatar) / 2);
      padding-inline-start: calc(var(--_avatar) / 2);
      border-inline-start: 2px solid var(--_border);
    }
    article {
      display: flex;
      gap: 0.75rem;
      padding: 0.75rem 0;
    }
    svg {
      flex: none;
      width: var(--_avatar);
      height: var(--_avatar);
      border-radius: 50%;
    }
    .main {
      flex: 1;
      min-width: 0;
    }
    .meta {
      gap: 0 0.5rem;
      color: var(--_muted);
      font-size: 0.875em;
    }
    .author {
      color: var(--_text);
      font-size: 1rem;
      font-weight: 600;
    }
    .badge {
      border: 1px solid;
      border-radius: 1em;
      padding: 0 0.5em;
    }
    .mention {
      color: var(--_accent);
      font-weight: 600;
    }
    .placeholder {
      font-style: italic;
      margin: 0;
    }
    .actions {
      margin-inline-start: -0.375rem;
    }
    p.status,
    .load-error p {
      margin: 0 0 0.5rem;
    }
    .more {
      margin: 0.5rem 0 1rem;
    }
  `,
];
