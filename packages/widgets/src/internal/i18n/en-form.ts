/**
 * English strings of the comment form, and of the errors only posting meets: they travel in the form's chunk
 * (composer.ts). Every other language's pack holds them with the rest. `{name}` marks a value.
 */
export const enForm = {
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
  honeypot: 'Leave this empty',

  'invalid.name': 'Enter your name, at most {max} characters.',
  'invalid.email': 'Enter a valid email address, or leave it empty.',
  'invalid.website': 'Enter a web address starting with http:// or https://, or leave it empty.',
  'invalid.body': 'Write a comment of at most {max} characters.',

  'error.invalid_json': 'The comment server could not read the request. Please try again.',
  'error.invalid_field': 'Some of what you entered is not valid. Please check it.',
  'error.payload_too_large': 'This comment is too long.',
  'error.unsupported_media_type': 'The comment server could not read the request. Please try again.',
  'error.parent_not_found': 'The comment you are replying to no longer exists.',
  'error.banned': 'You can no longer comment on this site.',
  'error.comment_rejected': 'This comment was not accepted.',
  'error.duplicate_comment': 'You have already posted this comment.',
  'error.captcha_required': 'Please complete the check below; your comment is sent once it passes.',
  'error.captcha_failed': 'The check did not pass. Please try again.',
};
