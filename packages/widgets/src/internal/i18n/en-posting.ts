/**
 * English strings only posting a comment meets: a field to fix, or a refusal. They travel with the code that posts
 * (comments/sending.ts), fetched once the reader starts on the form. `{name}` marks a value.
 */
export const enPosting = {
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
