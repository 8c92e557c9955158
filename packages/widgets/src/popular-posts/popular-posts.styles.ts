/** Styles of <sala-popular-posts>: Blogger's footer list where the element is wide, its compact gadget where narrow. */
import { css } from 'lit';
import { controlStyles, paletteStyles } from '../internal/styles.js';

export const popularPostsStyles = [
  paletteStyles,
  controlStyles,
  css`
    :host {
      display: block;
    }
    :host([hidden]) {
      display: none;
    }
    .root {
      container: sala-popular / inline-size;
    }
    ol {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    /* Narrow (a phone, a sidebar): Blogger's Popular Posts gadget, a small square thumbnail beside the text. */
    .item {
      display: grid;
      grid-template-columns: minmax(0, 1fr);
      align-content: start;
      gap: 0.125em 0.75em;
      padding: 0.75em 0;
    }
    .item + .item {
      border-top: 1px solid var(--_border);
    }
    .item:first-child {
      padding-top: 0;
    }
    .item.with-thumbnail {
      grid-template-columns: var(--sala-thumbnail-size, 4.5em) minmax(0, 1fr);
      grid-template-rows: auto auto 1fr;
    }
    .with-thumbnail > * {
      grid-column: 2;
    }
    .thumbnail {
      display: block;
      aspect-ratio: 1;
      border-radius: var(--_radius);
      overflow: hidden;
      background: var(--_surface);
    }
    .with-thumbnail .thumbnail {
      grid-column: 1;
      grid-row: 1 / span 3;
    }
    .thumbnail img {
      display: block;
      width: 100%;
      height: 100%;
      object-fit: cover;
    }
    .title {
      font-weight: 600;
      line-height: 1.3;
      text-decoration: none;
      /* Room for its ring (below) beside the first and last letters and under the descenders, which it crossed. */
      padding: 0.15em;
    }
    .title:hover {
      text-decoration: underline;
    }
    /* Inside the title, over its edge: drawn outside, a ring reaching 4px past the list was cut by a Blogger sidebar
       widget's overflow: hidden, at its sides and above the first post. */
    a:focus-visible {
      outline: 2px solid;
      outline-offset: -2px;
    }
    time {
      color: var(--_muted);
      font-size: 0.875em;
    }
    .snippet {
      margin: 0.125em 0 0;
      font-size: 0.875em;
      display: -webkit-box;
      -webkit-box-orient: vertical;
      -webkit-line-clamp: 2;
      line-clamp: 2;
      overflow: hidden;
    }
    p.status,
    .error p {
      margin: 0 0 0.5em;
    }
    /* Wide: text on the left, a 16:9 thumbnail beside it on the right, as Blogger's footer list reads. */
    @container sala-popular (min-width: 34em) {
      .item {
        gap: 0.25em 1em;
        padding: 1em 0;
      }
      .item.with-thumbnail {
        grid-template-columns: minmax(0, 1fr) var(--sala-thumbnail-width, 10em);
      }
      .with-thumbnail > * {
        grid-column: 1;
      }
      .with-thumbnail .thumbnail {
        grid-column: 2;
        aspect-ratio: var(--sala-thumbnail-ratio, 16 / 9);
      }
      .title {
        font-size: 1.125em;
      }
      .snippet {
        margin-top: 0.25em;
        font-size: 1em;
        -webkit-line-clamp: 3;
        line-clamp: 3;
      }
    }
  `,
];
