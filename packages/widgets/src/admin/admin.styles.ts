/**
 * Styles of the admin page. <sala-admin>'s root carries the shared --_* palette (the --sala-* knobs, light and
 * dark) plus a page background; its parts inherit it through their shadow roots, as custom properties cross them.
 */
import { css } from 'lit';
import { bodyStyles, controlStyles, paletteStyles } from '../internal/styles.js';

/** Shared by every part: controls, panels, fields, tables, badges. */
export const partStyles = [
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
    h2 {
      margin: 0 0 0.75rem;
      font-size: 1.375rem;
    }
    h3 {
      margin: 1.5rem 0 0.5rem;
      font-size: 1.125rem;
    }
    h2:focus,
    h3:focus {
      outline: none;
    }
    p {
      margin: 0.25rem 0 0.75rem;
    }
    button:disabled {
      cursor: not-allowed;
      opacity: 0.6;
    }
    .field {
      display: grid;
      gap: 0.25rem;
      margin: 0 0 1rem;
      max-width: 40rem;
    }
    .field > label,
    legend {
      font-weight: 600;
    }
    .field input:not([type='checkbox'], [type='radio']),
    .field select,
    .field textarea {
      width: 100%;
    }
    textarea {
      min-height: 5rem;
      resize: vertical;
    }
    [aria-invalid='true'] {
      border-color: var(--_danger);
    }
    fieldset {
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      margin: 0 0 1rem;
      padding: 0.75rem 1rem;
      max-width: 40rem;
    }
    .choice {
      display: flex;
      gap: 0.5rem;
      align-items: flex-start;
      margin: 0.25rem 0;
    }
    .choice input {
      margin-top: 0.3rem;
    }
    .danger-button {
      color: var(--_danger);
    }
    .alert {
      margin: 0.5rem 0;
      padding: 0.5rem 0.75rem;
      border: 1px solid var(--_danger);
      border-radius: var(--_radius);
      color: var(--_danger);
    }
    .badge {
      display: inline-block;
      padding: 0 0.4rem;
      border: 1px solid var(--_border);
      border-radius: 999px;
      font-size: 0.8125em;
      color: var(--_muted);
      white-space: nowrap;
    }
    .muted {
      color: var(--_muted);
    }
    .scroll {
      overflow-x: auto;
      max-width: 100%;
      /* Holds a column's visually hidden heading: placed against the page, it stretched the page past a wide table. */
      position: relative;
    }
    table {
      border-collapse: collapse;
      width: 100%;
      font-size: 0.9375em;
    }
    caption {
      text-align: start;
      font-weight: 600;
      padding-bottom: 0.5rem;
    }
    th,
    td {
      text-align: start;
      vertical-align: top;
      padding: 0.4rem 0.6rem;
      border-bottom: 1px solid var(--_border);
      /* The root's 'anywhere' lets a table squeeze a column to one letter ("Comm/ents") to fit a long page id. */
      overflow-wrap: break-word;
    }
    /*
     * On a phone a stacked table's rows are blocks, each cell on its line after its column's name: nothing cut. Safari
     * drops the table semantics of a <table> whose rows and cells are laid out as blocks (VoiceOver then reads the cells
     * as loose text, without their column's name), so a stacked table's markup spells its roles out: role="table",
     * "rowgroup", "row", "columnheader" and "cell" on the elements that have them already.
     */
    @media (max-width: 32rem) {
      /* Its column headings stay for screen readers, which name each cell by them (each cell's label is hidden from them). */
      .stacked thead {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip-path: inset(50%);
      }
      .stacked tr {
        display: block;
        padding: 0.4rem 0;
        border-bottom: 1px solid var(--_border);
      }
      .stacked td {
        display: block;
        padding: 0.1rem 0;
        border: none;
        /* A count is at its line's start after its column's name, not at the far end (the import's .number). */
        text-align: start;
      }
      .stacked td:empty {
        display: none;
      }
      .stacked .cell-label {
        display: inline;
      }
    }
    .cell-label {
      display: none;
      color: var(--_muted);
      font-weight: 600;
    }
    th {
      color: var(--_muted);
      font-weight: 600;
    }
    code,
    td.value {
      overflow-wrap: anywhere;
    }
    dialog {
      color: inherit;
      background: var(--_page);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      max-width: min(34rem, calc(100vw - 2rem));
      padding: 1rem 1.25rem;
    }
    dialog::backdrop {
      background: rgb(0 0 0 / 0.45);
    }
  `,
];

/** <sala-admin>'s own layout: the palette, the header, the navigation and the toast. */
export const adminStyles = [
  partStyles,
  css`
    /* Unlike a widget on a blog, the admin page is the whole page: it paints its own background. */
    .root {
      /*
       * What the toast may cover at the bottom of the screen: the queue keeps the current comment above it. At least
       * this much, so the page does not jump as a short toast comes and goes; more for a taller toast (its height is
       * measured into --_toast-height), with its gap to the screen's foot and some air.
       */
      --_toast-least: 6rem;
      --_toast-room: max(var(--_toast-least), calc(var(--_toast-height, 0px) + 2rem));
      --_page: var(--sala-bg, #fff);
      --_selected: color-mix(in srgb, var(--_accent) 10%, var(--_page));
      background: var(--_page);
      font-family: var(--sala-font, system-ui, sans-serif);
      min-height: 100vh;
    }
    .root.dark {
      --_page: var(--sala-bg, #0d1117);
    }
    .top {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem 1rem;
      padding: 0.75rem 1rem;
      border-bottom: 1px solid var(--_border);
    }
    h1 {
      margin: 0;
      font-size: 1.25rem;
      margin-inline-end: auto;
    }
    .top p {
      margin: 0;
    }
    .site {
      display: flex;
      gap: 0.5rem;
      align-items: center;
    }
    nav ul {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem;
      list-style: none;
      margin: 0;
      padding: 0.5rem 1rem;
      border-bottom: 1px solid var(--_border);
    }
    nav a {
      display: inline-block;
      padding: 0.375rem 0.75rem;
      border-radius: var(--_radius);
      text-decoration: none;
    }
    nav a[aria-current='page'] {
      background: var(--_accent);
      color: var(--_on-accent);
      font-weight: 600;
    }
    .config-problems {
      margin: 1rem 1rem 0;
      padding: 0.75rem 1rem;
      border: 1px solid var(--_danger);
      border-inline-start-width: 4px;
      border-radius: var(--_radius);
      max-width: 60rem;
    }
    .config-problems h2 {
      font-size: 1.125rem;
    }
    .config-problems ul {
      margin: 0;
      padding-inline-start: 1.25rem;
    }
    .config-problems li {
      margin: 0.375rem 0;
      overflow-wrap: anywhere;
    }
    .config-problems li.error strong {
      color: var(--_danger);
    }
    main {
      padding: 1rem;
      /* Room below the last item, so the toast never covers its buttons. */
      padding-bottom: var(--_toast-room);
      max-width: 64rem;
    }
    main:focus {
      outline: none;
    }
    .toast {
      position: fixed;
      inset-inline: 1rem;
      bottom: 1rem;
      margin-inline: auto;
      max-width: 36rem;
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem 0.75rem;
      padding: 0.625rem 0.875rem;
      border-radius: var(--_radius);
      background: var(--_text);
      color: var(--_page);
      box-shadow: 0 4px 16px rgb(0 0 0 / 0.25);
      z-index: 10;
    }
    /* On a phone the toast wraps: its message above, its buttons below. */
    @media (max-width: 32rem) {
      .root {
        --_toast-least: 10rem;
      }
    }
    .toast p {
      margin: 0;
      flex: 1 1 12rem;
    }
    /* A change still held back under a notice: on a line of its own below it. */
    .toast .behind {
      flex-basis: calc(100% - 6rem);
      padding-top: 0.5rem;
      border-top: 1px solid currentColor;
    }
    .toast button {
      background: transparent;
      color: inherit;
      border-color: currentColor;
    }
    .toast .primary {
      background: var(--_page);
      color: var(--_text);
    }
  `,
];
