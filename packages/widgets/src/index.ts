/** @sala/widgets: every Sala element, defined on import, with its types. */
export { SalaComments } from './comments/comments.js';
export { SalaCommentCount } from './comment-count/comment-count.js';
export { SalaPopularPosts } from './popular-posts/popular-posts.js';
export { SalaRecentComments } from './recent-comments/recent-comments.js';
export { setDefaultApi } from './internal/config.js';
export type { Strings } from './internal/i18n/en.js';
export type { Theme } from './internal/theme.js';
export type {
  SalaCommentsAttributes,
  SalaCommentCountAttributes,
  SalaCommonAttributes,
  SalaElementAttributes,
  SalaEventListeners,
  SalaPopularPostsAttributes,
  SalaRecentCommentsAttributes,
} from './attributes.js';
export type {
  SalaCommentDeletedDetail,
  SalaCommentEditedDetail,
  SalaCommentPostedDetail,
  SalaErrorCode,
  SalaErrorDetail,
  SalaEventMap,
} from './events.js';
// The public API's wire types (`/api/v1`), for apps that call it or read the events' comments. @sala/protocol is
// private: the published .d.ts carries these itself.
export type {
  ApiErrorBody,
  CommentStatus,
  CountsResponse,
  CreateCommentRequest,
  CreateCommentResponse,
  EditCommentRequest,
  EditCommentResponse,
  ErrorCode,
  PackedBlock,
  PackedInline,
  PackedItem,
  PageMeta,
  PopularBy,
  PopularPost,
  PopularPostsResponse,
  PopularRange,
  PublicAuthor,
  PublicComment,
  RecentComment,
  RecentCommentsResponse,
  ThreadResponse,
  ThreadSort,
  ViewBeacon,
} from '@sala/protocol';
// Named in the elements' declarations: exported so the published .d.ts can name them too (TS2742).
export type { ApiClient } from './internal/api-client.js';
export type { Translator } from './internal/i18n/locale.js';
export type { SalaElement } from './internal/sala-element.js';
export type { ListRequest, SalaList } from './internal/sala-list.js';
