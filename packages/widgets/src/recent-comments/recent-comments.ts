/** Defines <sala-recent-comments>; import this file to use the element. */
import { define } from '../internal/define.js';
import { SalaRecentComments } from './recent-comments.component.js';

define('sala-recent-comments', SalaRecentComments);

declare global {
  interface HTMLElementTagNameMap {
    'sala-recent-comments': SalaRecentComments;
  }
}

export { SalaRecentComments };
export type { SalaErrorCode, SalaErrorDetail } from '../events.js';
