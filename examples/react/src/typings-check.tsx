/**
 * Type-checked, never run: each line marked @ts-expect-error must fail and the others must pass, or `npm run typecheck`
 * fails, so the JSX typings cannot go loose.
 */
import type {} from '@sala/widgets/react';

// @ts-expect-error `sort` is 'oldest' or 'newest'
export const wrongSort = <sala-comments sort="sideways" />;
// @ts-expect-error the detail of `sala-comment-posted` has no `text`
export const wrongDetail = <sala-comments onsala-comment-posted={(event) => event.detail.text} />;
// @ts-expect-error `<sala-popular-posts>` has no `sort`
export const wrongAttribute = <sala-popular-posts sort="newest" />;

// Every event's detail is typed (an untyped `event` would be an implicit any).
export const editedId = <sala-comments onsala-comment-edited={(event) => event.detail.comment.body.trim()} />;
export const deletedId = <sala-comments onsala-comment-deleted={(event) => event.detail.comment.id.trim()} />;
// @ts-expect-error the detail of `sala-comment-deleted` has no `text`
export const wrongDeleted = <sala-comments onsala-comment-deleted={(event: { detail: { text: string } }) => event} />;
