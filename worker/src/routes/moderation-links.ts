/**
 * /api/v1/moderation-links/:token: the one-click approve and reject links of notifications, valid without
 * signing in. A GET only shows what the link will do, with one button; the button's POST does it. Mail
 * scanners and chat unfurlers fetch links with GET, so a link is never used up by being looked at.
 */
import { toPlainText } from '@sala/protocol';
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
import { escapeHtml, linkPage } from './link-page.js';
import { moderateComments } from './moderation-actions.js';

const ADMIN_LINK = '<p><a href="/admin">Open the admin page</a></p>';

function page(c: Context<AppEnv>, status: ContentfulStatusCode, title: string, content: string): Response {
  return linkPage(c, status, title, content, ADMIN_LINK);
}

export const moderationLinks = new Hono<AppEnv>();

type Checked = { claims: LinkClaims; comment: StoredComment } | { refusal: Response };

async function check(c: Context<AppEnv>): Promise<Checked> {
  const link = await readActionLink(c.env.SALA_SECRET, c.req.param('token') ?? '', Math.floor(Date.now() / 1000));
  if (!link.ok) {
    return link.reason === 'expired'
      ? { refusal: page(c, 410, 'This link has expired', '<p>Moderate the comment from the admin page instead.</p>') }
      : { refusal: page(c, 400, 'This link is not valid', '<p>It may have been cut short when it was copied.</p>') };
  }
  const { claims } = link;
  if (await new UsedLinks(c.env.SALA).wasUsed(claims.nonce)) {
    return { refusal: page(c, 410, 'This link was already used', '<p>Each link works once.</p>') };
  }
  const site = findSite(c.env, claims.site);
  const comment =
    site && isCommentId(claims.commentId)
      ? await new CommentStore(c.env.SALA).get(await pageRef(site.id, claims.pageId), claims.commentId)
      : null;
  if (comment === null || comment.deletedAt !== undefined) {
    return { refusal: page(c, 404, 'This comment is gone', '<p>It was deleted since the notification was sent.</p>') };
  }
  return { claims, comment };
}

function describe(comment: StoredComment): string {
  return (
    `<p><strong>${escapeHtml(comment.author.name)}</strong> on ${escapeHtml(pageAddress(comment))}</p>` +
    `<blockquote>${escapeHtml(toPlainText(comment.body, 600))}</blockquote>`
  );
}

moderationLinks.get('/:token', async (c) => {
  const checked = await check(c);
  if ('refusal' in checked) return checked.refusal;
  const { claims, comment } = checked;
  const verb = claims.action === 'approve' ? 'Approve' : 'Reject';
  return page(
    c,
    200,
    `${verb} this comment?`,
    `${describe(comment)}<p>It is ${escapeHtml(comment.status)} now.</p>` +
      // The edit shown, so the button approves this text and not one its author wrote since (SEEN_FIELD).
      `<form method="post"><input type="hidden" name="${SEEN_FIELD}" value="${escapeHtml(comment.editedAt ?? '')}">` +
      `<button type="submit">${verb}</button></form>`,
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
  if (result?.ok === false && result.error.code === 'conflict') {
    return page(
      c,
      409,
      'Edited since you read it',
      '<p>Nothing was changed. Open the link again to read it as it is now.</p>',
    );
  }
  if (!result?.ok) {
    return page(c, 503, 'That did not work', '<p>Nothing was changed; try the button again in a moment.</p>');
  }
  // Marked after the change is saved, so a failed attempt leaves the link usable.
  await new UsedLinks(c.env.SALA).markUsed(claims.nonce, claims.expiresAt);
  return page(c, 200, claims.action === 'approve' ? 'Approved' : 'Rejected', describe(comment));
});
