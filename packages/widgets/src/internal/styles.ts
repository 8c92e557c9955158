/** Styles shared by Sala's shadow roots: the palette, controls, and the rendered Markdown of comments and previews. */
import { css } from 'lit';

/**
 * The `--_*` palette on an element's `.root` (`.root.dark` in the dark theme), each from a `--sala-*` knob with a
 * fallback, so a page can theme every Sala element at once; and a class for text only screen readers get.
 */
export const paletteStyles = css`
  .root {
    --_text: var(--sala-text, #1f2328);
    --_muted: var(--sala-muted, #59636e);
    --_accent: var(--sala-accent, #0969da);
    --_on-accent: var(--sala-on-accent, #fff);
    --_surface: var(--sala-surface, #f6f8fa);
    --_field: var(--sala-field-bg, #fff);
    --_border: var(--sala-border, #d1d9e0);
    --_danger: var(--sala-danger, #cf222e);
    --_radius: var(--sala-radius, 6px);
    --_avatar: var(--sala-avatar-size, 2.5em);
    color-scheme: light;
    color: var(--_text);
    background: var(--sala-bg, transparent);
    font-family: var(--sala-font, inherit);
    line-height: 1.5;
    overflow-wrap: anywhere;
  }
  .dark {
    --_text: var(--sala-text, #e6edf3);
    --_muted: var(--sala-muted, #9198a1);
    --_accent: var(--sala-accent, #4493f8);
    --_on-accent: var(--sala-on-accent, #0d1117);
    --_surface: var(--sala-surface, #161b22);
    --_field: var(--sala-field-bg, #0d1117);
    --_border: var(--sala-border, #3d444d);
    --_danger: var(--sala-danger, #ff7b72);
    color-scheme: dark;
  }
  /* Khmer stacks subscript consonants and vowels: give its lines more room. */
  .root:lang(km) {
    line-height: 1.8;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;

/** Buttons, fields, focus rings and messages, drawn from the --_* palette the element's root defines. */
export const controlStyles = css`
  [hidden] {
    display: none !important;
  }
  /* Inside the element's box, over its border (as GitHub's Primer draws it): a ring reaching past a thread's or list's
     edge is cut by a blog theme's overflow: hidden (Blogger's). A link keeps its ring outside, off its letters (a
     comment's words keep room for it at the thread's edge, comments.styles.ts). */
  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: -2px;
  }
  a:focus-visible {
    outline-offset: 2px;
  }
  /* A ticked box is filled with the ring's blue: its ring goes just outside it. */
  [type='checkbox']:focus-visible,
  [type='radio']:focus-visible {
    outline-offset: 1px;
  }
  /* The accent button's ring in the colour of its word, inside its accent edge; a pressed button's inside its accent
     border, a line apart, or focus would only thicken that border by a pixel. */
  .primary:focus-visible,
  [aria-pressed='true']:focus-visible {
    outline-offset: -4px;
  }
  .primary:focus-visible {
    outline-color: var(--_on-accent);
  }
  a {
    color: var(--_accent);
  }
  button,
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  input,
  select,
  textarea {
    box-sizing: border-box;
    background: var(--_field);
    padding: 0.375em 0.5em;
  }
  button {
    min-height: 2em;
    padding: 0.25em 0.75em;
    background: var(--_surface);
    cursor: pointer;
  }
  .primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_on-accent);
    font-weight: 600;
  }
  .link {
    border-color: transparent;
    background: none;
    color: var(--_accent);
    padding-inline: 0.375em;
  }
  .danger,
  .error {
    color: var(--_danger);
  }
  [aria-pressed='true'] {
    border-color: var(--_accent);
    color: var(--_accent);
  }
  [aria-disabled='true'] {
    cursor: progress;
    opacity: 0.7;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5em;
    align-items: center;
  }
  .note,
  .error {
    margin: 0;
    font-size: 0.875em;
  }
  .note {
    color: var(--_muted);
  }
`;

/** Comment text: paragraphs, code, quotes and lists. */
export const bodyStyles = css`
  .body > :first-child {
    margin-top: 0.25em;
  }
  .body :is(p, ul, ol, pre, blockquote) {
    margin: 0.5em 0;
  }
  .body li > p {
    margin: 0;
  }
  .body :is(code, pre) {
    background: var(--_surface);
    border-radius: 3px;
    font:
      0.875em ui-monospace,
      Menlo,
      Consolas,
      monospace;
  }
  .body code {
    padding: 0.1em 0.3em;
  }
  .body pre {
    padding: 0.75em;
    overflow-x: auto;
  }
  .body pre code {
    padding: 0;
  }
  .body blockquote {
    padding-inline-start: 0.75em;
    border-inline-start: 3px solid var(--_border);
    color: var(--_muted);
  }
`;
