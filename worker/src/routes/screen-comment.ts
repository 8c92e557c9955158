/**
 * The spam and moderation layers a new comment passes before it is saved, in order of cost: the honeypot and
 * timing (no I/O), the site's link cap and reject words (cached settings), then one bulk KV read for the thread's
 * state, bans, duplicates and whether the commenter is known; finally the spam score and the moderation mode
 * decide its status, with Akismet's verdict and a Turnstile challenge when the site has them. A refusal throws
 * the ApiError the widget shows; nothing is stored for it.
 */
import type { HoldReason, SpamAssessment } from '@sala/protocol';
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import type { NewCommentInput } from '../domain/comment-input.js';
import { duplicatesFingerprinted, duplicatesVisible, RecentBodies } from '../domain/duplicates.js';
import { commenterHash, emailHash, nameHash, readCommenterKey } from '../domain/identity-hashes.js';
import { readSpamAssessment } from '../domain/held-reasons.js';
import { editHolds, judgeNewComment, type Decision } from '../domain/moderation.js';
import {
  assessSpam,
  CAPTCHA_SCORE,
  countLinks,
  MIN_ELAPSED_MS,
  readSpamFields,
  type SpamSignals,
} from '../domain/spam.js';
import type { StoredComment } from '../domain/stored-comment.js';
import { wordsFound } from '../domain/words.js';
import { ApiError } from '../errors.js';
import type { BanSubject } from '../storage/bans.js';
import { readEditFacts, readScreeningFacts } from '../storage/comment-screening.js';
import type { PageRef } from '../storage/keys.js';
import { KnownCommenters } from '../storage/known-commenters.js';
import { SiteSettingsStore } from '../storage/site-settings.js';
import { mailLanguage, type MailLanguage } from './email-mail-strings.js';
import { emailEnabled, requestReplyConfirmation } from './email.js';
import { notifyComment } from './notifications.js';
import { askAkismet, verifyTurnstile } from './third-party-checks.js';
import { isolateState } from '../domain/isolate-state.js';

export interface Screened extends Decision {
  spam: SpamAssessment;
  /** Asked to hear about replies, and gave an email to hear at. */
  notifyReplies: boolean;
  /** The language of its mails, when it asked for them and sent one they have words in (`lang`); else null. */
  lang: MailLanguage | null;
  /**
   * What the POST tells its sender about reply mails (`CreateCommentResponse.replyMail`): `on` when the address was
   * confirmed from this browser (its commenter key), `confirm` when it gets (or lately got) a mail to confirm; null
   * when the comment did not ask, has no commenter key, or email is off.
   */
  replyMail: 'confirm' | 'on' | null;
  ipHash: string | null;
  /** Keyed hash of the commenter key the browser sent; null without one. */
  commenterHash: string | null;
  knownCommenter: boolean;
}

/** Texts this isolate accepted lately: catches a repeat before the page's snapshot shows the first one. */
const recentBodies = isolateState(new RecentBodies());

function rejected(message: string, field?: string): ApiError {
  return new ApiError('comment_rejected', 400, message, field);
}

function banned(): ApiError {
  return new ApiError('banned', 403, 'You cannot comment on this site.');
}

function threadClosed(): ApiError {
  return new ApiError('thread_closed', 403, 'Comments on this page are closed.');
}

/**
 * What a ban on a commenter may be stored under: their name, their email, and each address hash given (an IPv6
 * /64's and, for bans made before they covered a /64, the whole address's; null ones and repeats are left out).
 */
async function banSubjects(
  secret: string,
  author: { name: string; email: string | null },
  ipHashes: (string | null)[],
): Promise<BanSubject[]> {
  const subjects: BanSubject[] = [{ kind: 'name', hash: await nameHash(secret, author.name) }];
  if (author.email !== null) subjects.push({ kind: 'email', hash: await emailHash(secret, author.email) });
  for (const hash of new Set(ipHashes)) if (hash !== null) subjects.push({ kind: 'ip', hash });
  return subjects;
}

/**
 * Refuses an edit as its author's new comment would be refused: on a thread the owner closed since (an edit within
 * the window otherwise still rewrote a published comment there), or from a banned commenter, checked against the
 * name and email the comment carries, the address it was posted from, and the address the edit comes from (what a
 * new comment from there is checked against). A ban made within the edit window otherwise left its author the rest
 * of it to rewrite what readers see. One bulk KV read for both.
 */
async function refuseEdit(c: Context<AppEnv>, page: PageRef, comment: StoredComment): Promise<void> {
  const { name, email } = comment.author;
  // The address the edit comes from, hashed by the rate limit before it (null without one).
  const subjects = await banSubjects(c.env.SALA_SECRET, { name, email: email ?? null }, [
    comment.ipHash ?? null,
    c.get('ipHash') ?? null,
    c.get('wholeIpHash') ?? null,
  ]);
  const facts = await readEditFacts(c.env.SALA, page, subjects);
  if (facts.closed !== null) throw threadClosed();
  if (facts.ban !== null) throw banned();
}

/**
 * The same closed thread, bans, words and link rules for an edit: an edit must not smuggle in what the POST refuses,
 * and what the POST would hold sends the comment back to the queue. Returns why it is held again (empty: it is not).
 */
export async function screenEdit(
  c: Context<AppEnv>,
  page: PageRef,
  comment: StoredComment,
  body: string,
): Promise<HoldReason[]> {
  await refuseEdit(c, page, comment);
  const previous = comment.body;
  const settings = await new SiteSettingsStore(c.env.SALA).get(c.get('site'));
  const links = countLinks(body);
  if (links > settings.maxLinks) {
    throw rejected(`A comment may contain at most ${settings.maxLinks} links on this site.`, 'body');
  }
  if (wordsFound(body, settings.rejectWords).length > 0) {
    throw rejected('This comment contains words this site does not accept.', 'body');
  }
  // Known as when it was posted: its score then says so, and that is what the owner or the rules let through.
  const knownCommenter =
    comment.spam !== undefined &&
    readSpamAssessment(comment.spam).reasons.some((reason) => reason.code === 'known-commenter');
  const { name, website } = comment.author;
  return editHolds(settings, previous, body, countLinks(previous), links, {
    name,
    website: website ?? null,
    knownCommenter,
  });
}

export async function screenNewComment(c: Context<AppEnv>, input: NewCommentInput, page: PageRef): Promise<Screened> {
  const fields = readSpamFields(c.get('jsonBody'));
  if (fields.honeypot !== null) throw rejected('This comment could not be accepted.');
  if (fields.elapsedMs !== null && fields.elapsedMs < MIN_ELAPSED_MS) {
    throw rejected('That was sent very quickly after the form opened; wait a moment and send it again.');
  }

  const settings = await new SiteSettingsStore(c.env.SALA).get(c.get('site'));
  const linkCount = countLinks(input.body);
  if (linkCount > settings.maxLinks) {
    throw rejected(`A comment may contain at most ${settings.maxLinks} links on this site.`, 'body');
  }
  const everything = [input.name, input.body, input.website ?? ''].join('\n');
  if (wordsFound(everything, settings.rejectWords).length > 0) {
    throw rejected('This comment contains words this site does not accept.', 'body');
  }

  const secret = c.env.SALA_SECRET;
  const ipHash = c.get('ipHash') ?? null;
  const subjects = await banSubjects(secret, input, [ipHash, c.get('wholeIpHash') ?? null]);
  // Known means: this browser holds the key of a commenter approved before. The name alone proves nothing.
  const commenterKey = readCommenterKey(c.get('jsonBody'));
  const author = commenterKey === null ? null : await commenterHash(secret, commenterKey);
  const asked = c.get('jsonBody') as { notifyReplies?: unknown; lang?: unknown };
  const notifyReplies = asked.notifyReplies === true && input.email !== null;
  // Whether the address is confirmed for this browser rides on the bulk read; the confirmation mail needs it anyway.
  const mailHash =
    notifyReplies && author !== null && emailEnabled(c.env)
      ? (subjects.find((subject) => subject.kind === 'email')?.hash ?? null)
      : null;
  const facts = await readScreeningFacts(c.env.SALA, page, subjects, author, mailHash);

  if (facts.closed !== null) throw threadClosed();
  if (facts.ban !== null) throw banned();
  const now = Date.now();
  const pageKey = `${page.site}:${page.pageHash}`;
  if (
    duplicatesVisible(input.body, facts.recent.comments, now) ||
    duplicatesFingerprinted(input.body, facts.recent.fingerprints, now) ||
    recentBodies.has(pageKey, input.body, now)
  ) {
    throw new ApiError('duplicate_comment', 409, 'This comment was already posted here.', 'body');
  }

  const signals: SpamSignals = {
    body: input.body,
    name: input.name,
    website: input.website,
    elapsedMs: fields.elapsedMs,
    knownCommenter: facts.knownCommenter,
  };
  if (settings.akismet !== null) {
    signals.akismet = await askAkismet(settings.akismet, {
      input,
      ip: c.req.header('CF-Connecting-IP') ?? '',
      userAgent: c.req.header('User-Agent') ?? '',
      referrer: c.req.header('Referer') ?? '',
    });
  }
  // Turnstile only for comments that look risky: most people never see a challenge.
  if (settings.turnstile !== null && assessSpam(signals).score >= CAPTCHA_SCORE) {
    const { siteKey, secretKey } = settings.turnstile;
    if (fields.captchaToken === null) {
      throw new ApiError(
        'captcha_required',
        403,
        'Please confirm you are a person, then send again.',
        undefined,
        siteKey,
      );
    }
    const outcome = await verifyTurnstile(secretKey, fields.captchaToken);
    if (outcome === 'failed') {
      throw new ApiError('captcha_failed', 403, 'The check did not pass; try it again.', undefined, siteKey);
    }
    // 'unavailable': the score stands, and it is high enough to hold the comment for the owner.
    if (outcome === 'passed') signals.captchaPassed = true;
  }
  const decision = judgeNewComment(settings, signals);
  const replyMail = facts.mailConfirmed === null ? null : facts.mailConfirmed ? 'on' : 'confirm';
  return {
    ...decision,
    notifyReplies,
    lang: notifyReplies ? mailLanguage(asked.lang) : null,
    replyMail,
    ipHash,
    commenterHash: author,
    knownCommenter: facts.knownCommenter,
  };
}

/** What follows a saved new comment: remember its text and (once approved) its author; tell the owner. */
export function afterNewComment(c: Context<AppEnv>, page: PageRef, comment: StoredComment, screened: Screened): void {
  recentBodies.remember(`${page.site}:${page.pageHash}`, comment.body, Date.now());
  // Spam is filed quietly: the owner looks at it when they choose to.
  const event =
    comment.status === 'approved' ? 'comment.created' : comment.status === 'pending' ? 'comment.held' : null;
  const context = {
    env: c.env,
    waitUntil: (p: Promise<unknown>) => c.executionCtx.waitUntil(p),
    origin: new URL(c.req.url).origin,
  };
  if (event !== null) notifyComment(context, c.get('site'), event, comment);
  if (screened.replyMail === 'confirm' && comment.status !== 'spam') {
    c.executionCtx.waitUntil(
      requestReplyConfirmation(context, c.get('site'), comment).catch((error: unknown) => {
        console.error('[sala] could not ask for an email confirmation', error);
      }),
    );
  }
  if (comment.status === 'approved' && !screened.knownCommenter && screened.commenterHash !== null) {
    const hash = screened.commenterHash;
    c.executionCtx.waitUntil(
      new KnownCommenters(c.env.SALA).remember(page.site, hash).catch((error: unknown) => {
        console.error('[sala] could not remember an approved commenter', error);
      }),
    );
  }
}
