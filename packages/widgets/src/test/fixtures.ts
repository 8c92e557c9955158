/** Comment fixtures: a thread with deep replies, a deleted parent, a link and some Markdown. */
import type { PublicComment } from '@sala/protocol';

export const PAGE = 'https://blog.example/2026/11/phnom-penh';

export function comment(
  id: string,
  parentId: string | null,
  name: string,
  body: string,
  extra: Partial<PublicComment> = {},
): PublicComment {
  const minutesAgo = 100 - Number(id.replace(/\D/g, '') || 0);
  return {
    id,
    parentId,
    author: { name, avatar: `seed-${name}` },
    body,
    createdAt: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
    ...extra,
  };
}

/**
 * c1 Alice
 *   c2 Bob
 *     c3 Carol            (level 3, the default max-depth)
 *       c4 Dave           (shown beside c3, "@Carol")
 *         c5 Erin         (shown beside c3, "@Dave")
 * c6 Frank (website)
 * c7 deleted
 *   c8 Gina
 */
export function threadFixture(): PublicComment[] {
  return [
    comment('c1', null, 'Alice', 'Hello **world**, see [the docs](https://example.com/docs).'),
    comment('c2', 'c1', 'Bob', 'Agreed.'),
    comment('c3', 'c2', 'Carol', 'Me too.'),
    comment('c4', 'c3', 'Dave', 'Deeper.'),
    comment('c5', 'c4', 'Erin', 'Deepest.'),
    comment('c6', null, 'Frank', '> quoted\n\n- one\n- two', {
      author: { name: 'Frank', avatar: 'f', website: 'https://frank.example/' },
    }),
    comment('c7', null, '', '', { deleted: true, author: { name: '', avatar: '' } }),
    comment('c8', 'c7', 'Gina', 'Replying to a removed comment.'),
  ];
}
