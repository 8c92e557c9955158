/**
 * The mails Sala sends, as plain text (no HTML: nothing a commenter wrote can become markup in a mail client
 * either). Pure: the caller sends them.
 */
import { toPlainText, withoutBidiControls, type HeldReasonWords } from '@sala/protocol';
import { pageAddress } from './page-address.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  /** For the List-Unsubscribe headers (RFC 2369, RFC 8058 one-click). */
  unsubscribeUrl?: string;
}

export interface CommentSummary {
  author: string;
  body: string;
  pageId: string;
  /** The page's address as a link (keeps `.html`); the page id stands in when the comment came without it. */
  pageUrl?: string;
}

/** A held comment for the owner's mail: what it says, and why it waits (lines in the mail's language). */
export interface HeldCommentSummary extends CommentSummary {
  reasons: string[];
}

/**
 * A commenter's mails in one language (routes/email-mail-strings.ts has a table of them), each line a template:
 * `{site}`, `{page}`, `{author}`, `{text}` and `{url}` are put in by the mail.
 */
export interface MailWords {
  confirmSubject: string;
  confirmAsked: string;
  confirmLink: string;
  confirmIgnore: string;
  replySubject: string;
  replied: string;
  yourComment: string;
  readThread: string;
  stopMails: string;
}

/**
 * The owner's held-comment mail in one language (routes/email-mail-strings.ts has a table of them): `{site}`,
 * `{author}`, `{page}` and `{url}` are put in by the mail.
 */
export interface OwnerMailWords {
  heldSubject: string;
  commented: string;
  heldBecause: string;
  approveLink: string;
  rejectLink: string;
  allWaiting: string;
  linksOnce: string;
  /** Why it was held; absent: the English lines webhooks carry too (domain/held-reasons.ts). */
  reasons?: HeldReasonWords;
}

/** `template` with its `{name}`s filled in one pass: a name typed as "{url}" stays as typed. */
function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) => values[name] ?? placeholder);
}

const excerpt = (body: string) => toPlainText(body, 500);

/** To the owner, in `words`' language (the admin page's): a comment waits for them, with one-click links. */
export function heldCommentMail(
  to: string,
  siteName: string,
  comment: HeldCommentSummary,
  links: { approve: string; reject: string; admin: string },
  words: OwnerMailWords,
): Mail {
  const why = comment.reasons.length > 0 ? ['', words.heldBecause, ...comment.reasons.map((line) => `- ${line}`)] : [];
  // A name from before names were checked for them, or imported, could reverse the rest of the subject or line.
  const author = withoutBidiControls(comment.author);
  return {
    to,
    subject: fill(words.heldSubject, { site: siteName, author }),
    text: [
      fill(words.commented, { author, page: pageAddress(comment) }),
      '',
      excerpt(comment.body),
      ...why,
      '',
      fill(words.approveLink, { url: links.approve }),
      fill(words.rejectLink, { url: links.reject }),
      fill(words.allWaiting, { url: links.admin }),
      '',
      words.linksOnce,
    ].join('\n'),
  };
}

/**
 * To a commenter who asked to hear about replies: confirm it was them (double opt-in), in `words`' language. Anyone
 * can type anyone's address, so nothing in it is the sender's: the site's name, and the post's address only when it
 * is on the site (`page`), never a page id a script made up ("Your parcel is waiting at …").
 */
export function confirmRepliesMail(
  to: string,
  siteName: string,
  page: string | undefined,
  confirmUrl: string,
  words: MailWords,
): Mail {
  return {
    to,
    subject: fill(words.confirmSubject, { site: siteName }),
    text: [
      fill(words.confirmAsked, { page: page ?? siteName }),
      '',
      fill(words.confirmLink, { url: confirmUrl }),
      '',
      words.confirmIgnore,
    ].join('\n'),
  };
}

/** To a confirmed commenter, in `words`' language (their comment's): someone replied to their comment. */
export function replyMail(
  to: string,
  siteName: string,
  parent: CommentSummary,
  reply: CommentSummary,
  unsubscribeUrl: string,
  words: MailWords,
): Mail {
  const author = withoutBidiControls(reply.author);
  return {
    to,
    subject: fill(words.replySubject, { site: siteName, author }),
    text: [
      fill(words.replied, { author, page: pageAddress(reply) }),
      '',
      excerpt(reply.body),
      '',
      fill(words.yourComment, { text: toPlainText(parent.body, 200) }),
      '',
      fill(words.readThread, { url: pageAddress(reply) }),
      fill(words.stopMails, { url: unsubscribeUrl }),
    ].join('\n'),
    unsubscribeUrl,
  };
}
