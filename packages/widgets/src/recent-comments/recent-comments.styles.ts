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
    /* Room above the first line for its title's ring (below), which a gadget's overflow: hidden would cut. */
    .item:first-child {
      padding-top: 0.15em;
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
    /* Room for that ring beside each line's first and last letters, and above and below them, where it crossed the
       descenders: a title that wraps has a ring around each line's piece of it. */
    a {
      padding: 0.15em;
      box-decoration-break: clone;
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
