/** Styles shared by Sala's shadow roots: controls, and the rendered Markdown of comments and previews. */
import { css } from 'lit';

/** Buttons, fields, focus rings and messages, drawn from the --_* palette the element's root defines. */
export const controlStyles = css`
  [hidden] {
    display: none !important;
  }
  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
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
    padding: 0.375rem 0.5rem;
  }
  button {
    min-height: 2rem;
    padding: 0.25rem 0.75rem;
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
    padding-inline: 0.375rem;
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
    gap: 0.5rem;
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
    margin-top: 0.25rem;
  }
  .body :is(p, ul, ol, pre, blockquote) {
    margin: 0.5rem 0;
  }
  .body li > p {
    margin: 0;
  }
  .body :is(code, pre) {
    background: var(--_surface);
    border-radius: 3px;
    font: 0.875em ui-monospace, Menlo, Consolas, monospace;
  }
  .body code {
    padding: 0.1em 0.3em;
  }
  .body pre {
    padding: 0.75rem;
    overflow-x: auto;
  }
  .body pre code {
    padding: 0;
  }
  .body blockquote {
    padding-inline-start: 0.75rem;
    border-inline-start: 3px solid var(--_border);
    color: var(--_muted);
  }
`;
