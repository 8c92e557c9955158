/** Styles of the moderation queue: filters, the bulk bar and the comment rows, one column on a phone. */
import { css } from 'lit';

export const queueStyles = css`
  .statuses {
    display: flex;
    flex-wrap: wrap;
    gap: 0.375rem;
    margin: 0 0 0.75rem;
  }
  .statuses .count {
    display: inline-block;
    min-width: 1.25rem;
    margin-inline-start: 0.25rem;
    padding: 0 0.375rem;
    border-radius: 999px;
    background: var(--_surface);
    color: var(--_text);
    font-size: 0.875em;
  }
  .filters {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: 0.5rem 0.75rem;
    margin: 0 0 0.75rem;
  }
  .filters .field {
    margin: 0;
    flex: 1 1 14rem;
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
    margin: 0 0 0.5rem;
    min-height: 2.25rem;
  }
  .toolbar .spacer {
    margin-inline-start: auto;
  }
  .bulk {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.375rem;
    padding: 0.375rem 0.5rem;
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  ol.items {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .item {
    display: flex;
    gap: 0.75rem;
    padding: 0.75rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    margin: 0 0 0.5rem;
    scroll-margin: 4rem;
    /* The toast after an action lies over the screen's foot: the comment made current stays above it. */
    scroll-margin-bottom: var(--_toast-room, 4rem);
  }
  .item.selected {
    background: var(--_selected);
  }
  /* The current comment's bar at its start edge: its left, its right in Arabic (a shadow has no logical side). */
  .item.current {
    border-color: var(--_accent);
    box-shadow: inset 3px 0 0 var(--_accent);
  }
  .item.current:dir(rtl) {
    box-shadow: inset -3px 0 0 var(--_accent);
  }
  .item:focus {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  .select input {
    width: 1.25rem;
    height: 1.25rem;
    margin: 0.25rem 0 0;
  }
  .content {
    flex: 1;
    min-width: 0;
  }
  .meta {
    display: flex;
    gap: 0.625rem;
    align-items: flex-start;
  }
  .meta svg {
    flex: none;
    width: var(--_avatar);
    height: var(--_avatar);
    border-radius: 50%;
  }
  .author {
    margin: 0;
    font-size: 1rem;
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 0.5rem;
    align-items: center;
  }
  .details,
  .page {
    margin: 0;
    font-size: 0.875em;
  }
  .why {
    margin: 0.5rem 0;
    padding: 0.5rem 0.75rem;
    border-inline-start: 3px solid var(--_accent);
    background: var(--_surface);
    /* Square where the bar is, at the start edge whichever side that is. */
    border-radius: var(--_radius);
    border-start-start-radius: 0;
    border-end-start-radius: 0;
    font-size: 0.9375em;
  }
  .why-title {
    margin: 0 0 0.25rem;
    font-size: 0.9375em;
  }
  .why ul {
    margin: 0.25rem 0;
    padding-inline-start: 1.25rem;
  }
  .why .score {
    margin: 0.25rem 0 0;
    font-weight: 600;
  }
  .points {
    display: inline-block;
    min-width: 2rem;
    font-variant-numeric: tabular-nums;
    font-weight: 600;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.375rem;
    margin-top: 0.5rem;
  }
  .inline-form {
    display: grid;
    gap: 0.375rem;
    margin-top: 0.75rem;
  }
  .inline-form label {
    font-weight: 600;
  }
  .inline-form textarea {
    width: 100%;
  }
  .inline-form .row {
    scroll-margin-bottom: var(--_toast-room, 4rem);
  }
  .kept-reply button {
    justify-self: start;
  }
  .status-line {
    margin: 0.75rem 0;
  }
  @media (max-width: 32rem) {
    .item {
      padding: 0.625rem;
      gap: 0.5rem;
    }
    .meta svg {
      width: 2rem;
      height: 2rem;
    }
    .actions button {
      flex: 1 1 auto;
    }
  }
`;
