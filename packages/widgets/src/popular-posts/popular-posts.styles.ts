/** Styles of <sala-popular-posts>: Blogger's footer list where the element is wide, stacked where it is narrow. */
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
    .item {
      display: grid;
      grid-template-columns: minmax(0, 1fr);
      align-content: start;
      gap: 0.25rem 1rem;
      padding: 1rem 0;
    }
    .item + .item {
      border-top: 1px solid var(--_border);
    }
    .item:first-child {
      padding-top: 0;
    }
    .thumbnail {
      display: block;
      margin-bottom: 0.5rem;
      aspect-ratio: var(--sala-thumbnail-ratio, 16 / 9);
      border-radius: var(--_radius);
      overflow: hidden;
      background: var(--_surface);
    }
    .thumbnail img {
      display: block;
      width: 100%;
      height: 100%;
      object-fit: cover;
    }
    .title {
      font-size: 1.125em;
      font-weight: 600;
      line-height: 1.3;
      text-decoration: none;
    }
    .title:hover {
      text-decoration: underline;
    }
    time {
      color: var(--_muted);
      font-size: 0.875em;
    }
    .snippet {
      margin: 0.25rem 0 0;
      display: -webkit-box;
      -webkit-box-orient: vertical;
      -webkit-line-clamp: 3;
      line-clamp: 3;
      overflow: hidden;
    }
    p.status,
    .error p {
      margin: 0 0 0.5rem;
    }
    /* Wide: text on the left, the thumbnail beside it on the right, as Blogger's footer list reads. */
    @container sala-popular (min-width: 34rem) {
      .item.with-thumbnail {
        grid-template-columns: minmax(0, 1fr) var(--sala-thumbnail-width, 10rem);
        grid-template-rows: auto auto 1fr;
      }
      .with-thumbnail .thumbnail {
        grid-column: 2;
        grid-row: 1 / span 3;
        margin: 0;
      }
    }
  `,
];
