/** English strings, the default pack and the key list every other pack must fill. `{name}` marks a value. */
import type { ErrorCode } from '@sala/protocol';
import type { SalaErrorCode } from '../../events.js';

export const en = {
  heading: 'Comments',
  countOne: '{count} comment',
  countOther: '{count} comments',
  loading: 'Loading comments…',
  empty: 'Be the first to comment.',
  retry: 'Try again',
  loadMore: 'Load more comments',
  sortLabel: 'Sort',
  sortOldest: 'Oldest first',
  sortNewest: 'Newest first',

  reply: 'Reply',
  replyTo: 'Reply to {name}',
  edit: 'Edit',
  delete: 'Delete',
  deleteConfirm: 'Delete this comment? This cannot be undone.',
  cancel: 'Cancel',
  deleted: 'Comment deleted',
  edited: 'edited',
  pending: 'Awaiting moderation',

  announcePosted: 'Your comment was posted.',
  announcePending: 'Your comment was sent and awaits moderation.',
  announceSaved: 'Your comment was updated.',
  announceDeleted: 'Your comment was deleted.',

  composerLabel: 'Write a comment',
  replyLabel: 'Write a reply to {name}',
  editLabel: 'Edit your comment',
  nameLabel: 'Name',
  emailLabel: 'Email (optional)',
  emailNote: 'Never shown to anyone.',
  websiteLabel: 'Website (optional)',
  bodyLabel: 'Comment',
  markdownNote: 'You can use *italic*, **bold**, `code`, [links](https://…), > quotes and - lists.',
  preview: 'Preview',
  previewEmpty: 'Nothing to preview yet.',
  submit: 'Post comment',
  submitReply: 'Post reply',
  save: 'Save',
  sending: 'Sending…',

  'invalid.name': 'Enter your name, at most {max} characters.',
  'invalid.email': 'Enter a valid email address, or leave it empty.',
  'invalid.website': 'Enter a web address starting with http:// or https://, or leave it empty.',
  'invalid.body': 'Write a comment of at most {max} characters.',

  'error.invalid_json': 'The comment server could not read the request. Please try again.',
  'error.invalid_field': 'Some of what you entered is not valid. Please check it.',
  'error.payload_too_large': 'This comment is too long.',
  'error.unsupported_media_type': 'The comment server could not read the request. Please try again.',
  'error.site_required': 'This comment box is not set up correctly.',
  'error.unknown_site': 'This comment box is not set up correctly.',
  'error.origin_not_allowed': 'This website is not allowed to use this comment server.',
  'error.not_found': 'This comment no longer exists.',
  'error.parent_not_found': 'The comment you are replying to no longer exists.',
  'error.invalid_token': 'You can no longer edit or delete this comment.',
  'error.edit_window_closed': 'The time to edit or delete this comment has passed.',
  'error.rate_limited': 'You are commenting too fast. Please wait a moment and try again.',
  'error.thread_closed': 'Comments are closed on this page.',
  'error.internal': 'Something went wrong on the comment server. Please try again later.',
  'error.network': 'Could not reach the comment server. Check your connection and try again.',
  'error.bad_response': 'The comment server gave an unexpected answer. Please try again later.',
  'error.not_configured': 'This comment box is not set up yet.',
} satisfies Record<`error.${ErrorCode | Exclude<SalaErrorCode, ErrorCode>}`, string> & Record<string, string>;

export type StringKey = keyof typeof en;
/** A complete language pack. */
export type Strings = Record<StringKey, string>;
