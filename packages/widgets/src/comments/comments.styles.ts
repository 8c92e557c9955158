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

    .root {
      container: sala-thread / inline-size;
    }
    .bar {
      justify-content: space-between;
      margin-bottom: 1em;
    }
    /* The thread's own lists only: a list written in a comment keeps its bullets and gets no reply rail. */
    [part='thread'],
    .replies {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .replies {
      margin-inline-start: calc(var(--_avatar) / 2);
      padding-inline-start: calc(var(--_avatar) / 2);
      border-inline-start: 2px solid var(--_border);
    }
    /* Narrow (phones, sidebars): the heading, then the sort on its own line, in every language. Where some languages'
       words would wrap there, they all stack, so the thread's height does not hang on its words: the room held while
       they load (the same bar) is right, and nothing jumps when they come. The sort stays on one line: its select gives
       up width (its longest option sets it) before the label's word wraps. 34em: the widest one-line bar, Portuguese's
       "7 comentários" and its sort, is 463 px in a 16 px system-ui (29em), so longer counts and wider fonts still fit. */
    @container sala-thread (max-width: 34em) {
      .bar {
        flex-direction: column;
        align-items: flex-start;
      }
      .sort {
        flex-wrap: nowrap;
        max-width: 100%;
        white-space: nowrap;
      }
      .sort select {
        min-width: 0;
      }
      /* Replies step in by the rail and a little room, not an avatar's width: a reply to a reply keeps about three
         quarters of a 320 px phone's column for its words (half before), as Disqus and Remark42 do on phones. */
      .replies {
        margin-inline-start: 0;
        padding-inline-start: 0.75em;
      }
    }
    /* Narrower still (a sidebar, a small phone's column): the sort's label above its select, in every language as the
       bar stacks, so the select shows its whole option rather than giving up width. 20em: Portuguese's label and
       select on one line are 294 px (18.4em), the widest. */
    @container sala-thread (max-width: 20em) {
      .sort {
        flex-direction: column;
        align-items: flex-start;
      }
    }
    h2 {
      margin: 0;
      font-size: 1.25em;
    }
    .sort {
      color: var(--_muted);
    }
    /* Waiting for its strings (comments.component.ts): the heading and select's room, no empty box. */
    [inert] {
      visibility: hidden;
    }
    /* Bullets count nesting from the comment's text, not from the thread's lists around it (as in the preview). */
    .body ul {
      list-style-type: disc;
    }
    .body :is(ul, ol) ul {
      list-style-type: circle;
    }
    .body :is(ul, ol) :is(ul, ol) ul {
      list-style-type: square;
    }
    article {
      display: flex;
      gap: 0.75em;
      padding: 0.75em 0;
    }
    .avatar {
      flex: none;
      width: var(--_avatar);
      height: var(--_avatar);
      border-radius: 50%;
    }
    /* A link's ring reaches 4px past its box (styles.ts), off its letters: a comment keeps that room at the thread's
       end edge (its right, its left in Arabic), where a long address wraps and a theme's overflow: hidden (Blogger's)
       would cut the ring. The column's, not its words': those run their own way (dir="auto"), an English comment's
       end at the avatar's side of an Arabic thread. */
    .main {
      flex: 1;
      min-width: 0;
      padding-inline-end: 4px;
    }
    .meta {
      gap: 0 0.5em;
      color: var(--_muted);
      font-size: 0.875em;
    }
    /* The thread's own size, out of .meta's 0.875em. Sizes here are in em of the text around the element, never
       rem: Ghost's Casper sets the root to 10px (62.5%) and its text to 16px, where 1rem names were 10px. */
    .author {
      color: var(--_text);
      font-size: calc(1em / 0.875);
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
      margin-inline-start: -0.375em;
    }
    p.status,
    .load-error p {
      margin: 0 0 0.5em;
    }
    .more {
      margin: 0.5em 0 1em;
    }
  `,
];
