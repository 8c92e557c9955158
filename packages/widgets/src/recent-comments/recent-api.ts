/** GET /api/v1/recent-comments through the shared client, keeping only entries a list item can be drawn from. */
import type { RecentComment, RecentCommentsResponse } from '@sala/protocol';
import { ApiError, type ApiClient } from '../internal/api-client.js';

function isRecentComment(value: unknown): value is RecentComment {
  const comment = value as Partial<RecentComment> | null;
  return (
    typeof comment?.id === 'string' &&
    typeof comment.pageId === 'string' &&
    typeof comment.excerpt === 'string' &&
    typeof comment.createdAt === 'string' &&
    typeof comment.author?.name === 'string' &&
    (comment.page === null || (typeof comment.page?.url === 'string' && typeof comment.page.title === 'string'))
  );
}

export async function getRecentComments(
  client: ApiClient,
  limit: number,
  signal: AbortSignal,
): Promise<RecentComment[]> {
  const response = await client.request<RecentCommentsResponse>('GET', '/recent-comments', {
    query: { limit },
    signal,
  });
  if (!Array.isArray(response.comments)) throw new ApiError('bad_response', 'The recent comments answer has no list');
  return response.comments.filter(isRecentComment);
}
