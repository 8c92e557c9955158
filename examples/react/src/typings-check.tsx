/** Type-checked, never run: each line must fail, or `npm run typecheck` fails, so the JSX typings cannot go loose. */
import type {} from '@sala/widgets/react';

// @ts-expect-error `sort` is 'oldest' or 'newest'
export const wrongSort = <sala-comments sort="sideways" />;
// @ts-expect-error the detail of `sala-comment-posted` has no `text`
export const wrongDetail = <sala-comments onsala-comment-posted={(event) => event.detail.text} />;
// @ts-expect-error `<sala-popular-posts>` has no `sort`
export const wrongAttribute = <sala-popular-posts sort="newest" />;
