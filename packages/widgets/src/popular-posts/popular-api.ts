/** GET /api/v1/popular through the shared client, keeping only entries a list item can be drawn from. */
import type { PopularBy, PopularPost, PopularPostsResponse, PopularRange } from '@sala/protocol';
import { ApiError, type ApiClient } from '../internal/api-client.js';
import { httpUrl } from '../internal/host-page.js';

export interface PopularQuery {
  range: PopularRange;
  by: PopularBy;
  limit: number;
  label: string | undefined;
  /** Page ids to leave out: the post the reader is on. */
  exclude: string[];
}

/** An entry a list item can be drawn from: a title, and a link that can only be a web address. */
function isPopularPost(value: unknown): value is PopularPost {
  const post = value as Partial<PopularPost> | null;
  return (
    typeof post?.pageId === 'string' &&
    typeof post.title === 'string' &&
    typeof post.url === 'string' &&
    httpUrl(post.url) !== undefined
  );
}

export async function getPopularPosts(
  client: ApiClient,
  { range, by, limit, label, exclude }: PopularQuery,
  signal: AbortSignal,
): Promise<PopularPostsResponse> {
  const query = { range, by, limit, label, exclude };
  const response = await client.request<PopularPostsResponse>('GET', '/popular', { query, signal });
  if (!Array.isArray(response.posts)) throw new ApiError('bad_response', 'The popular posts answer has no posts list');
  return { ...response, posts: response.posts.filter(isPopularPost) };
}
