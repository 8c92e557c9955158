/**
 * The script-tag build (`<script type="module" src="https://…/embed.js">`): elements talk to the Worker that
 * served this file, and each element's code loads only when its tag appears on the page.
 */
import { setDefaultApi } from './internal/config.js';
import { loadWhenPresent } from './internal/lazy-define.js';

setDefaultApi(new URL(import.meta.url).origin);

loadWhenPresent({
  'sala-comments': () => import('./comments/comments.js'),
  'sala-popular-posts': () => import('./popular-posts/popular-posts.js'),
  'sala-comment-count': () => import('./comment-count/comment-count.js'),
  'sala-recent-comments': () => import('./recent-comments/recent-comments.js'),
});
