/** Defines <sala-comments>, and the form inside it; import this file to use the element. */
import { define } from '../internal/define.js';
import { SalaComments } from './comments.component.js';
import { SalaCommentComposer } from './composer.js';

define('sala-comment-composer', SalaCommentComposer);
define('sala-comments', SalaComments);

declare global {
  interface HTMLElementTagNameMap {
    'sala-comments': SalaComments;
  }
}

export { SalaComments };
export type { SalaCommentPostedDetail, SalaErrorCode, SalaErrorDetail } from '../events.js';
