/**
 * English strings of the open comment form (composer-open.ts), those only posting a comment meets (a field to fix, or
 * a refusal), and those only a reader's own comments meet (their Edit and Delete, the delete question, what the thread
 * announces after a post). They travel with the code that posts (comments/sending.ts) and the reader's own comments
 * (own-actions.ts), fetched once the reader starts on the form or has comments of their own. `{name}` marks a value.
 */
export const enPosting = {
  nameLabel: 'Name',
  emailLabel: 'Email (optional)',
  emailNote: 'Never shown to anyone.',
  notifyReplies: 'Email me replies to this comment',
  notifyRepliesNoEmail: 'Add your email to get replies.',
  websiteLabel: 'Website (optional)',
  markdownNote: 'You can use *italic*, **bold**, `code`, [links](https://…), > quotes and - lists.',
  preview: 'Preview',
  previewEmpty: 'Nothing to preview yet.',
  submit: 'Post comment',
  submitReply: 'Post reply',
  save: 'Save',
  sending: 'Sending…',
  honeypot: 'Leave this empty',

  announcePosted: 'Your comment was posted.',
  announcePending: 'Your comment was sent and awaits moderation.',
  announceSaved: 'Your comment was updated.',
  announceDeleted: 'Your comment was deleted.',
  replyMailConfirm: 'Check your inbox: open the link we emailed you to get replies to this comment.',
  replyMailOn: 'Replies to this comment will be emailed to you.',
  // Edit and Delete show only on the reader's own comments, which come with this chunk (own-actions.ts).
  // Each names its comment by when it was posted, `{at}` (see postedAt there): `postedAt`, or `postedAtOne` where the
  // hour is one by the language's plural rules (Spanish "a la 1:05", "a las 13:05"), in `postedOn` when posted on
  // another day, then in `postedSaying` with the start of the comment's text, `{text}`, when the reader posted another
  // in the same second (two tabs), and in `postedSayingNth` with its number, `{n}` of `{count}`, when their texts read
  // alike too (an edit made them, or three tabs posted "Me too!"). `{time}` is the clock time alone.
  edit: 'Edit',
  delete: 'Delete',
  editOwn: 'Edit your comment posted {at}',
  deleteOwn: 'Delete your comment posted {at}',
  deleteConfirm: 'Delete your comment posted {at}? This cannot be undone.',
  postedAt: 'at {time}',
  postedAtOne: 'at {time}',
  postedOn: 'on {date} {at}',
  postedSaying: '{at} (“{text}”)',
  postedSayingNth: '{at} (“{text}”, {n} of {count})',

  'error.unauthorized': 'You are not allowed to do that.',
  'error.forbidden': 'You are not allowed to do that.',
  'error.too_many_comments': 'This comment box is not set up correctly.',
  'error.too_many_threads': 'This comment box is not set up correctly.',
  'error.not_found': 'This comment no longer exists.',
  'error.invalid_token': 'You can no longer edit or delete this comment.',
  'error.edit_window_closed': 'The time to edit or delete this comment has passed.',
  'error.too_many_edits':
    'You have edited this comment as many times as allowed. You can still delete it and post it again.',
  'error.conflict': 'Something changed at the same moment. Please try again.',
  'error.settings_conflict': 'Something changed at the same moment. Please try again.',

  'invalid.name': 'Enter your name, at most {max} characters.',
  'invalid.email': 'Enter a valid email address, or leave it empty.',
  'invalid.website': 'Enter a web address starting with http:// or https://, or leave it empty.',
  'invalid.body': 'Write a comment of at most {max} characters.',
  'missing.body': 'Write your comment first.',

  'error.invalid_json': 'The comment server could not read the request. Please try again.',
  'error.invalid_field': 'Some of what you entered is not valid. Please check it.',
  'error.payload_too_large': 'This comment is too long.',
  'error.unsupported_media_type': 'The comment server could not read the request. Please try again.',
  'error.parent_not_found': 'The comment you are replying to no longer exists.',
  'error.banned': 'You can no longer comment on this site.',
  'error.comment_rejected': 'This comment was not accepted.',
  'rejected.body':
    'This site does not accept this text: it has more links than the site allows, or a word it does not take.',
  'error.duplicate_comment': 'You have already posted this comment.',
  'error.captcha_required': 'Please complete the check below; your comment is sent once it passes.',
  'error.captcha_failed': 'The check did not pass. Please try again.',
};
