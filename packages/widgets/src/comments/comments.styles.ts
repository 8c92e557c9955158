/** Styles of <sala-comments>: every colour and size is a --sala-* knob with a fallback, light and dark. */
import { css } from 'lit';
import { bodyStyles, controlStyles } from '../internal/styles.js';

export const commentsStyles = [
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
      --_text: var(--sala-text, #1f2328);
      --_muted: var(--sala-muted, #59636e);
      --_accent: var(--sala-accent, #0969da);
      --_on-accent: var(--sala-on-accent, #fff);
      --_surface: var(--sala-surface, #f6f8fa);
      --_field: var(--sala-field-bg, #fff);
      --_border: var(--sala-border, #d1d9e0);
      --_danger: var(--sala-danger, #cf222e);
      --_radius: var(--sala-radius, 6px);
      --_avatar: var(--sala-avatar-size, 2.5rem);
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
    .visually-hidden {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }
  `,
];
