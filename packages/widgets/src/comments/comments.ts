/** Defines <sala-comments>; import this file to use the element. It defines the form inside it when it needs it. */
import { define } from '../internal/define.js';
import { SalaComments } from './comments.component.js';

define('sala-comments', SalaComments);

declare global {
  interface HTMLElementTagNameMap {
    'sala-comments': SalaComments;
  }
}

export { SalaComments };
export type { SalaCommentPostedDetail, SalaErrorCode, SalaErrorDetail } from '../events.js';
