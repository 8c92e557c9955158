/** Defines <sala-comment-count>; import this file to use the element. */
import { define } from '../internal/define.js';
import { SalaCommentCount } from './comment-count.component.js';

define('sala-comment-count', SalaCommentCount);

declare global {
  interface HTMLElementTagNameMap {
    'sala-comment-count': SalaCommentCount;
  }
}

export { SalaCommentCount };
export type { SalaErrorCode, SalaErrorDetail } from '../events.js';
