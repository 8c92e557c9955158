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
  /* Inside the link, in its colour: the browser's ring, drawn outside, lost 2px to a Blogger post's overflow: hidden
     where the count starts the post's footer. */
  a:focus-visible {
    outline: 2px solid;
    outline-offset: -2px;
  }
  /* Room for that ring beside the first and last letters, which it crossed; on one line, where a narrow footer broke
     it after the number and the ring crossed the letters at the break. */
  a {
    padding: 0 0.15em;
    white-space: nowrap;
  }
  /* Khmer's vowel signs above and below its letters reach past the line's font box, where the ring is drawn: room
     above and below them too (padding on an inline link moves its ring, not the line). */
  a:lang(km) {
    padding-block: 0.2em;
  }
`;
