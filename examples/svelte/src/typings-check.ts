/**
 * Type-checked, never run: each line marked @ts-expect-error must fail and the others must pass, or `npm run typecheck`
 * fails, so the typings cannot go loose.
 */
import type { SvelteHTMLElements } from 'svelte/elements';
import type {} from '@sala/widgets/svelte';

// @ts-expect-error `sort` is 'oldest' or 'newest'
export const wrongSort: SvelteHTMLElements['sala-comments'] = { sort: 'sideways' };
export const wrongDetail: SvelteHTMLElements['sala-comments'] = {
  // @ts-expect-error the detail of `sala-comment-posted` has no `text`
  'onsala-comment-posted': (event) => event.detail.text,
};
// @ts-expect-error `<sala-popular-posts>` has no `sort`
export const wrongAttribute: SvelteHTMLElements['sala-popular-posts'] = { sort: 'newest' };
// Every event's detail is typed.
export const rightDetails: SvelteHTMLElements['sala-comments'] = {
  'onsala-comment-edited': (event) => event.detail.comment.body.trim(),
  'onsala-comment-deleted': (event) => event.detail.comment.id.trim(),
};
