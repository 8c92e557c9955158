/** @sala/widgets: every Sala element, defined on import, with its types. */
export { SalaComments } from './comments/comments.js';
export { setDefaultApi } from './internal/config.js';
export type { Strings } from './internal/i18n/en.js';
export type { Theme } from './internal/theme.js';
export type { SalaCommentPostedDetail, SalaErrorCode, SalaErrorDetail } from './events.js';
export type { ErrorCode, PublicAuthor, PublicComment, ThreadSort } from '@sala/protocol';
