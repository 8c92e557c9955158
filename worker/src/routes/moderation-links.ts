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
import type { StoredComment } from '../domain/stored-comment.js';
import { CommentStore } from '../storage/comments.js';
import { pageRef } from '../storage/keys.js';
import { findSite } from '../storage/sites.js';
import { UsedLinks } from '../storage/used-links.js';
import { moderateComments } from './moderation-actions.js';

export const moderationLinks = new Hono<AppEnv>();

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** A small self-contained page: no script, no third-party anything, not indexed, token never sent on. */
function page(c: Context<AppEnv>, status: ContentfulStatusCode, title: string, content: string): Response {
  c.header('Cache-Control', 'no-store');
  c.header(
    'Content-Security-Policy',
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  );
  c.header('Referrer-Policy', 'no-referrer');
  c.header('X-Robots-Tag', 'noindex');
  return c.html(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
      `<title>${escapeHtml(title)} · Sala</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;` +
      `margin:3rem auto;padding:0 1rem}blockquote{border-left:3px solid #ccc;margin:1rem 0;padding-left:1rem}` +
      `button{font:inherit;padding:.5rem 1.25rem}</style></head><body><h1>${escapeHtml(title)}</h1>${content}` +
      `<p><a href="/admin">Open the admin page</a></p></body></html>`,
    status,
  );
}

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
    `<p><strong>${escapeHtml(comment.author.name)}</strong> on ${escapeHtml(comment.pageId)}</p>` +
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
      `<form method="post"><button type="submit">${verb}</button></form>`,
  );
});

moderationLinks.post('/:token', async (c) => {
  const checked = await check(c);
  if ('refusal' in checked) return checked.refusal;
  const { claims, comment } = checked;
  const context = {
    env: c.env,
    waitUntil: (p: Promise<unknown>) => c.executionCtx.waitUntil(p),
    origin: new URL(c.req.url).origin,
  };
  const [result] = await moderateComments(context, claims.site, claims.action, [
    { pageId: claims.pageId, id: claims.commentId },
  ]);
  if (!result?.ok) {
    return page(c, 503, 'That did not work', '<p>Nothing was changed; try the button again in a moment.</p>');
  }
  // Marked after the change is saved, so a failed attempt leaves the link usable.
  await new UsedLinks(c.env.SALA).markUsed(claims.nonce, claims.expiresAt);
  return page(c, 200, claims.action === 'approve' ? 'Approved' : 'Rejected', describe(comment));
});
