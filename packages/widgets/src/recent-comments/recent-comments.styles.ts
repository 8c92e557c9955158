/** Styles of <sala-recent-comments>: a compact list for a sidebar. */
import { css } from 'lit';
import { controlStyles, paletteStyles } from '../internal/styles.js';

export const recentCommentsStyles = [
  paletteStyles,
  controlStyles,
  css`
    :host {
      display: block;
    }
    :host([hidden]) {
      display: none;
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .item {
      padding: 0.75em 0;
    }
    .item + .item {
      border-top: 1px solid var(--_border);
    }
    .item:first-child {
      padding-top: 0;
    }
    p {
      margin: 0;
    }
    .author {
      font-weight: 600;
    }
    .excerpt {
      margin: 0.125em 0;
    }
    time {
      color: var(--_muted);
      font-size: 0.875em;
    }
    p.status,
    .error p {
      margin: 0 0 0.5em;
    }
  `,
];
