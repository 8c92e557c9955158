/** Styles of <sala-comment-count>: text in the flow of the page's own, in its font and colour. */
import { css } from 'lit';

export const commentCountStyles = css`
  :host {
    display: inline;
  }
  :host([hidden]) {
    display: none;
  }
  a {
    color: var(--sala-accent, inherit);
  }
`;
