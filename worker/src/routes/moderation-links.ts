/**
 * /api/v1/moderation-links/:token: the one-click approve and reject links of notifications, valid without
 * signing in. A GET only shows what the link will do, with one button; the button's POST does it. Mail
 * scanners and chat unfurlers fetch links with GET, so a link is never used up by being looked at.
 */
import { adminCommentHash, toPlainText, type AdminCommentLink, type AdminCommentStatus } from '@sala/protocol';
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../app-env.js';
import { readActionLink, type LinkClaims } from '../domain/action-links.js';
import { isCommentId } from '../domain/comment-id.js';
import { pageAddress } from '../domain/page-address.js';
import type { StoredComment } from '../domain/stored-comment.js';
import { CommentStore } from '../storage/comments.js';
import { pageRef } from '../storage/keys.js';
import { findSite } from '../storage/sites.js';
import { UsedLinks } from '../storage/used-links.js';
import { readLimited } from '../middleware/json-body.js';
import { escapeHtml, linkPage, pageWords } from './link-page.js';
import { moderateComments } from './moderation-actions.js';
import { LINK_STRINGS, type LinkStrings } from './moderation-link-strings.js';

/** The page's words, in the owner's language: the browser's, from its Accept-Language. */
function wordsOf(c: Context<AppEnv>): LinkStrings {
  return pageWords(c, LINK_STRINGS).words;
}

/**
 * A page in the owner's language, with a way on to the admin page: to the comment, in its post's list of the status
 * it has now, when the page knows it; else to the held comments.
 */
function page(
  c: Context<AppEnv>,
  status: ContentfulStatusCode,
  title: string,
  content: string,
  comment?: AdminCommentLink,
): Response {
  const { lang, words } = pageWords(c, LINK_STRINGS);
  const [hash, text] = comment ? [adminCommentHash(comment), words.commentLink] : ['#comments', words.adminLink];
  const adminLink = `<p><a href="${escapeHtml(`/admin${hash}`)}">${escapeHtml(text)}</a></p>`;
  return linkPage(c, status, title, content, adminLink, lang);
}

/** Where the admin page shows `comment` of the link `claims`, once its status is `status`. */
function commentLink(claims: LinkClaims, status: AdminCommentStatus): AdminCommentLink {
  return { site: claims.site, status, pageId: claims.pageId, commentId: claims.commentId };
}

/** A page saying only `title` and one sentence. */
function notice(
  c: Context<AppEnv>,
  status: ContentfulStatusCode,
  title: string,
  text: string,
  comment?: AdminCommentLink,
): Response {
  return page(c, status, title, `<p>${escapeHtml(text)}</p>`, comment);
}

export const moderationLinks = new Hono<AppEnv>();

type Checked = { claims: LinkClaims; comment: StoredComment } | { refusal: Response };

async function check(c: Context<AppEnv>): Promise<Checked> {
  const words = wordsOf(c);
  const link = await readActionLink(c.env.SALA_SECRET, c.req.param('token') ?? '', Math.floor(Date.now() / 1000));
  if (!link.ok) {
    return link.reason === 'expired'
      ? { refusal: notice(c, 410, words.expiredTitle, words.expiredText) }
      : { refusal: notice(c, 400, words.invalidTitle, words.invalidText) };
  }
  const { claims } = link;
  if (await new UsedLinks(c.env.SALA).wasUsed(claims.nonce)) {
    return { refusal: notice(c, 410, words.usedTitle, words.usedText) };
  }
  const site = findSite(c.env, claims.site);
  const comment =
    site && isCommentId(claims.commentId)
      ? await new CommentStore(c.env.SALA).get(await pageRef(site.id, claims.pageId), claims.commentId)
      : null;
  if (comment === null || comment.deletedAt !== undefined) {
    return { refusal: notice(c, 404, words.goneTitle, words.goneText) };
  }
  return { claims, comment };
}

function describe(words: LinkStrings, comment: StoredComment): string {
  const byline = words.nameOnPage
    // Functions, not strings: a `$&` or `$'` in a name or address is text, not a replacement pattern. The name is
    // isolated, so one stored with a bidi override cannot reverse the words after it; the address too, so in Arabic a
    // path with no letter before its digits (/2026/09/walk.html) keeps its order rather than read walk.html/2026/09/.
    .replace('{name}', () => `<strong><bdi>${escapeHtml(comment.author.name)}</bdi></strong>`)
    .replace('{page}', () => `<bdi>${escapeHtml(pageAddress(comment))}</bdi>`);
  // The comment's words run their own way, as in the admin page and the reader widget: an English comment opened from
  // an Arabic mail ends with its "!" at its right, not before its first word.
  return `<p>${byline}</p><blockquote dir="auto">${escapeHtml(toPlainText(comment.body, 600))}</blockquote>`;
}

const STATUS_WORD = {
  pending: 'pending',
  approved: 'approvedStatus',
  spam: 'spam',
  rejected: 'rejectedStatus',
} as const satisfies Record<StoredComment['status'], keyof LinkStrings>;

moderationLinks.get('/:token', async (c) => {
  const checked = await check(c);
  if ('refusal' in checked) return checked.refusal;
  const { claims, comment } = checked;
  const words = wordsOf(c);
  const approve = claims.action === 'approve';
  const status = words.statusNow.replace('{status}', words[STATUS_WORD[comment.status]]);
  return page(
    c,
    200,
    approve ? words.approveQuestion : words.rejectQuestion,
    `${describe(words, comment)}<p>${escapeHtml(status)}</p>` +
      // The edit shown, so the button approves this text and not one its author wrote since (SEEN_FIELD).
      `<form method="post"><input type="hidden" name="${SEEN_FIELD}" value="${escapeHtml(comment.editedAt ?? '')}">` +
      `<button type="submit">${escapeHtml(approve ? words.approve : words.reject)}</button></form>`,
    commentLink(claims, comment.status),
  );
});

/** The form field naming the edit the GET page showed ('' when never edited). */
const SEEN_FIELD = 'seen';

/** `CommentRef.seenEdit` from the page's form; undefined from a form without it (a page shown before it had one). */
async function seenEditOf(c: Context<AppEnv>): Promise<string | null | undefined> {
  if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(c.req.header('Content-Type') ?? '')) return undefined;
  const form = new URLSearchParams(new TextDecoder().decode(await readLimited(c.req.raw.body, 1024)));
  const seen = form.get(SEEN_FIELD);
  return seen === null ? undefined : seen === '' ? null : seen;
}

moderationLinks.post('/:token', async (c) => {
  const checked = await check(c);
  if ('refusal' in checked) return checked.refusal;
  const { claims, comment } = checked;
  const context = {
    env: c.env,
    waitUntil: (p: Promise<unknown>) => c.executionCtx.waitUntil(p),
    origin: new URL(c.req.url).origin,
  };
  const seenEdit = await seenEditOf(c);
  const [result] = await moderateComments(context, claims.site, claims.action, [
    { pageId: claims.pageId, id: claims.commentId, ...(seenEdit !== undefined ? { seenEdit } : {}) },
  ]);
  const words = wordsOf(c);
  if (result?.ok === false && result.error.code === 'conflict') {
    return notice(c, 409, words.conflictTitle, words.conflictText, commentLink(claims, comment.status));
  }
  if (!result?.ok) return notice(c, 503, words.failedTitle, words.failedText, commentLink(claims, comment.status));
  // Marked after the change is saved, so a failed attempt leaves the link usable.
  await new UsedLinks(c.env.SALA).markUsed(claims.nonce, claims.expiresAt);
  const approved = claims.action === 'approve';
  return page(
    c,
    200,
    approved ? words.approved : words.rejected,
    describe(words, comment),
    commentLink(claims, result.comment.status),
  );
});
