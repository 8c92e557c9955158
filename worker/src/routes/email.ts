/**
 * Email through an HTTP email API (Workers cannot speak SMTP): held comments to the owner, and reply
 * notifications to commenters who asked and confirmed (double opt-in). Off unless EMAIL_API_KEY and EMAIL_FROM are
 * set. The request is Resend's (`POST {from, to, subject, text, headers}` with a Bearer key); EMAIL_API_URL points
 * it at another service taking the same. A failed send is logged, not retried: mail APIs queue on their side.
 */
import type { SiteSettings } from '@sala/protocol';
import { toAdminComment } from '../domain/admin-comment.js';
import { EMAIL_LINK_SECONDS, signEmailLink } from '../domain/email-links.js';
import { confirmRepliesMail, heldCommentMail, replyMail, type Mail } from '../domain/email-messages.js';
import { heldReasonLines, heldReasonLinesIn } from '../domain/held-reasons.js';
import { addressOnSite, pageAddress } from '../domain/page-address.js';
import { emailHash } from '../domain/identity-hashes.js';
import type { StoredComment } from '../domain/stored-comment.js';
import { CommentStore } from '../storage/comments.js';
import { EmailSubscriptions } from '../storage/email-subscriptions.js';
import { pageRef } from '../storage/keys.js';
import type { Site } from '../storage/sites.js';
import { mailWords, OWNER_MAIL_STRINGS, type OwnerMailLanguage } from './email-mail-strings.js';
import type { NotifyContext } from './notifications.js';
import { isolateState } from '../domain/isolate-state.js';

const DEFAULT_API_URL = 'https://api.resend.com/emails';
const TIMEOUT_MS = 10_000;

export function emailEnabled(env: Env): boolean {
  return Boolean(env.EMAIL_API_KEY && env.EMAIL_FROM);
}

export async function sendEmail(env: Env, mail: Mail): Promise<boolean> {
  if (!emailEnabled(env)) return false;
  const headers: Record<string, string> = {};
  if (mail.unsubscribeUrl) {
    headers['List-Unsubscribe'] = `<${mail.unsubscribeUrl}>`;
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  try {
    const response = await fetch(env.EMAIL_API_URL || DEFAULT_API_URL, {
      method: 'POST',
      headers: { Authorization: `Bearer ${env.EMAIL_API_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ from: env.EMAIL_FROM, to: [mail.to], subject: mail.subject, text: mail.text, headers }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!response.ok)
      console.error('[sala] email API answered', response.status, (await response.text()).slice(0, 200));
    else await response.body?.cancel();
    return response.ok;
  } catch (error) {
    console.error('[sala] email API could not be reached', error);
    return false;
  }
}

async function emailLink(
  context: NotifyContext,
  site: string,
  email: string,
  link: { action: 'confirm'; commenter: string } | { action: 'unsubscribe' },
): Promise<string> {
  const token = await signEmailLink(context.env.SALA_SECRET, {
    site,
    email,
    ...link,
    expiresAt: Math.floor(Date.now() / 1000) + EMAIL_LINK_SECONDS[link.action],
  });
  return `${context.origin}/api/v1/email-links/${token}`;
}

/** The owner's mail about a held comment, in `lang` (the owner's, as notifications.ts looks it up; null: English). */
export async function emailOwnerAboutHeld(
  context: NotifyContext,
  site: Site,
  settings: SiteSettings,
  comment: StoredComment,
  links: { approve: string; reject: string },
  lang: OwnerMailLanguage | null,
): Promise<void> {
  if (!settings.notifyEmail || !emailEnabled(context.env)) return;
  const { heldBecause, spam } = toAdminComment(comment);
  const words = OWNER_MAIL_STRINGS[lang ?? 'en'];
  const summary = {
    author: comment.author.name,
    body: comment.body,
    pageId: comment.pageId,
    ...(comment.pageUrl !== undefined ? { pageUrl: comment.pageUrl } : {}),
    reasons: words.reasons
      ? heldReasonLinesIn(words.reasons, heldBecause ?? [], spam)
      : heldReasonLines(heldBecause ?? [], spam),
  };
  await sendEmail(
    context.env,
    heldCommentMail(settings.notifyEmail, site.name, summary, { ...links, admin: `${context.origin}/admin` }, words),
  );
}

/** Confirmation requests sent lately by this isolate, so one address is not mailed on every comment. */
const recentlyAsked = isolateState(new Map<string, number>());
const ASK_AGAIN_MS = 24 * 60 * 60 * 1000;

/**
 * Double opt-in: asks the address to confirm (the POST's bulk read found it not confirmed for this browser), unless it
 * was asked in the last day. The confirmation is for the comment's commenter key: an address typed by someone else is
 * asked again, never mailed their replies. A comment without a key has nothing to bind it to, and gets no reply mails.
 */
export async function requestReplyConfirmation(
  context: NotifyContext,
  site: Site,
  comment: StoredComment,
): Promise<void> {
  const email = comment.author.email;
  const commenter = comment.commenterHash;
  if (!email || commenter === undefined || !emailEnabled(context.env)) return;
  const hash = await emailHash(context.env.SALA_SECRET, email);
  const key = `${site.id}:${hash}:${commenter}`;
  const askedAt = recentlyAsked.get(key);
  if (askedAt !== undefined && Date.now() - askedAt < ASK_AGAIN_MS) return;
  recentlyAsked.set(key, Date.now());
  if (recentlyAsked.size > 5000) recentlyAsked.delete(recentlyAsked.keys().next().value!);
  const confirmUrl = await emailLink(context, site.id, email, { action: 'confirm', commenter });
  const page = addressOnSite(pageAddress(comment), site.origins);
  const mail = confirmRepliesMail(email, site.name, page, confirmUrl, mailWords(comment.lang));
  await sendEmail(context.env, mail);
}

/**
 * Tells the parent's author about a reply now shown, if they asked, confirmed from the browser that wrote the
 * parent, and did not write the reply themselves.
 */
export async function emailReplyToParentAuthor(
  context: NotifyContext,
  site: Site,
  reply: StoredComment,
): Promise<void> {
  if (reply.parentId === null || !emailEnabled(context.env)) return;
  const page = await pageRef(site.id, reply.pageId);
  const parent = await new CommentStore(context.env.SALA).get(page, reply.parentId);
  const to = parent?.author.email;
  const commenter = parent?.commenterHash;
  if (!parent || parent.notifyReplies !== true || parent.deletedAt !== undefined || !to || !commenter) return;
  if (reply.author.email?.toLowerCase() === to.toLowerCase()) return;
  const toHash = await emailHash(context.env.SALA_SECRET, to);
  if (!(await new EmailSubscriptions(context.env.SALA).isConfirmed(site.id, toHash, commenter))) return;
  // The owner's replies from the admin page may lack the address; the parent on the same page has it.
  const pageUrl = reply.pageUrl ?? parent.pageUrl;
  const summary = (comment: StoredComment) => ({
    author: comment.author.name,
    body: comment.body,
    pageId: comment.pageId,
    ...(pageUrl !== undefined ? { pageUrl } : {}),
  });
  const unsubscribeUrl = await emailLink(context, site.id, to, { action: 'unsubscribe' });
  // In the language the parent's author read the widget in when they asked.
  const words = mailWords(parent.lang);
  await sendEmail(context.env, replyMail(to, site.name, summary(parent), summary(reply), unsubscribeUrl, words));
}
