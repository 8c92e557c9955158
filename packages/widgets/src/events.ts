/** Events Sala elements fire, with their detail types: the one place listeners and docs read from. */
import type { ErrorCode, PublicComment } from '@sala/protocol';

/**
 * Why something failed: an API error code, or one the widget found itself
 * (`network`: the API was unreachable; `bad_response`: it answered something else than JSON;
 * `not_configured`: no API origin is set).
 */
export type SalaErrorCode = ErrorCode | 'network' | 'bad_response' | 'not_configured';

/** `sala-comment-posted`: the reader posted a comment or a reply. */
export interface SalaCommentPostedDetail {
  comment: PublicComment;
  /** The thread it went to, which may no longer be the element's (an app changed `page-id` while it was sent). */
  pageId: string;
}

/** `sala-comment-edited`: the reader saved an edit of their own comment; `comment` reads as it now does. */
export interface SalaCommentEditedDetail {
  comment: PublicComment;
  pageId: string;
}

/** `sala-comment-deleted`: the reader deleted their own comment; `comment` is the one deleted, as it read before. */
export interface SalaCommentDeletedDetail {
  comment: PublicComment;
  pageId: string;
}

/** `sala-error`: a request failed; the element already shows a translated message. */
export interface SalaErrorDetail {
  code: SalaErrorCode;
  /** English, for logs. */
  message: string;
}

/** Every event a Sala element fires, by name. */
export interface SalaEventMap {
  'sala-comment-posted': CustomEvent<SalaCommentPostedDetail>;
  'sala-comment-edited': CustomEvent<SalaCommentEditedDetail>;
  'sala-comment-deleted': CustomEvent<SalaCommentDeletedDetail>;
  'sala-error': CustomEvent<SalaErrorDetail>;
}

// The events bubble and are composed, so a listener on the element, the document or the window gets them typed.
declare global {
  interface HTMLElementEventMap extends SalaEventMap {}
  interface DocumentEventMap extends SalaEventMap {}
  interface WindowEventMap extends SalaEventMap {}
}

/** The `sala-error` event for a failure; it crosses shadow roots so the page can listen on the element. */
export function errorEvent({ code, message }: SalaErrorDetail): CustomEvent<SalaErrorDetail> {
  return new CustomEvent('sala-error', { detail: { code, message }, bubbles: true, composed: true });
}
