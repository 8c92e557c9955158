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
    /* Inside the link, over its edge: drawn outside, a ring reaching 4px past the list was cut by a Blogger sidebar
       widget's overflow: hidden, where a post's title wraps to the list's sides or starts the first line. */
    a:focus-visible {
      outline: 2px solid;
      outline-offset: -2px;
    }
    /* Room for that ring beside the link's first and last letters, which it crossed. Not on each line of a link that
       wraps (box-decoration-break: clone): Chromium's line breaking leaves out that room after a right-to-left title's
       first line, which then ran 2px past the list. */
    a {
      padding: 0 0.15em;
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
