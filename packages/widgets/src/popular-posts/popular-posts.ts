/** Defines <sala-popular-posts>; import this file to use the element. */
import { define } from '../internal/define.js';
import { SalaPopularPosts } from './popular-posts.component.js';

define('sala-popular-posts', SalaPopularPosts);

declare global {
  interface HTMLElementTagNameMap {
    'sala-popular-posts': SalaPopularPosts;
  }
}

export { SalaPopularPosts };
export type { SalaErrorCode, SalaErrorDetail } from '../events.js';
