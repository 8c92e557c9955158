/**
 * English strings of the comment form: they travel with <sala-comments> (composer.ts), not in the pack every element
 * shares; those of the errors only posting meets are in en-posting.ts. Every other language's pack holds them with the rest. `{name}` marks a value.
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
};
