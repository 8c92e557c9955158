/**
 * English strings of the comment form as the first paint shows it, closed: they travel with <sala-comments>
 * (composer.ts), not in the pack every element shares; those of the open form are in en-posting.ts, with its code.
 * Every other language's pack holds them with the rest. `{name}` marks a value.
 */
export const enForm = {
  composerLabel: 'Write a comment',
  replyLabel: 'Write a reply to {name}',
  editLabel: 'Edit your comment',
  bodyLabel: 'Comment',
};
