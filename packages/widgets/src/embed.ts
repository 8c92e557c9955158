/**
 * The script-tag build (`<script type="module" src="https://…/embed.js">`): elements talk to the Worker that
 * served this file, and each element's code loads only when its tag appears on the page. embed.js itself
 * imports nothing, so a page of the template without any Sala element pays for this file alone.
 */
import { loadWhenPresent } from './internal/lazy-define.js';

const workerOrigin = new URL(import.meta.url).origin;

/** Points elements at this Worker before the first of them is defined. */
function configured<T>(load: () => Promise<T>): () => Promise<T> {
  return () => import('./internal/config.js').then(({ setDefaultApi }) => setDefaultApi(workerOrigin)).then(load);
}

loadWhenPresent({
  'sala-comments': configured(() => import('./comments/comments.js')),
  'sala-popular-posts': configured(() => import('./popular-posts/popular-posts.js')),
  'sala-comment-count': configured(() => import('./comment-count/comment-count.js')),
  'sala-recent-comments': configured(() => import('./recent-comments/recent-comments.js')),
});
