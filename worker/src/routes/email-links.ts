/**
 * /api/v1/email-links/:token: the links in commenters' mails. "confirm" (double opt-in for reply mails) and
 * "unsubscribe". A GET shows one button and changes nothing (mail scanners open links); its POST acts, as does
 * the one-click unsubscribe POST a mail client sends for the List-Unsubscribe-Post header (RFC 8058).
 */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { readEmailLink, type EmailLinkClaims } from '../domain/email-links.js';
import { emailHash } from '../domain/identity-hashes.js';
import { EmailSubscriptions } from '../storage/email-subscriptions.js';
import { findSite } from '../storage/sites.js';
import { escapeHtml, linkPage } from './link-page.js';

export const emailLinks = new Hono<AppEnv>();

async function check(
  c: Context<AppEnv>,
): Promise<{ claims: EmailLinkClaims; siteName: string } | { refusal: Response }> {
  const link = await readEmailLink(c.env.SALA_SECRET, c.req.param('token') ?? '', Math.floor(Date.now() / 1000));
  if (!link.ok) {
    return link.reason === 'expired'
      ? { refusal: linkPage(c, 410, 'This link has expired', '<p>Leave another comment and ask again.</p>') }
      : {
          refusal: linkPage(c, 400, 'This link is not valid', '<p>It may have been cut short when it was copied.</p>'),
        };
  }
  const site = findSite(c.env, link.claims.site);
  if (site === null) return { refusal: linkPage(c, 404, 'This site is gone', '<p>Nothing to do.</p>') };
  return { claims: link.claims, siteName: site.name };
}

emailLinks.get('/:token', async (c) => {
  const checked = await check(c);
  if ('refusal' in checked) return checked.refusal;
  const { claims, siteName } = checked;
  const [title, button] =
    claims.action === 'confirm'
      ? [`Email me about replies on ${siteName}?`, 'Yes, email me']
      : [`Stop reply emails from ${siteName}?`, 'Unsubscribe'];
  return linkPage(
    c,
    200,
    title,
    `<p>For ${escapeHtml(claims.email)}.</p><form method="post"><button type="submit">${button}</button></form>`,
  );
});

emailLinks.post('/:token', async (c) => {
  const checked = await check(c);
  if ('refusal' in checked) return checked.refusal;
  const { claims, siteName } = checked;
  const subscriptions = new EmailSubscriptions(c.env.SALA);
  const hash = await emailHash(c.env.SALA_SECRET, claims.email);
  if (claims.action === 'confirm') {
    await subscriptions.confirm(claims.site, hash, claims.commenter);
    return linkPage(
      c,
      200,
      'Confirmed',
      `<p>You will get an email when someone replies to your comments on ${escapeHtml(siteName)}.</p>`,
    );
  }
  await subscriptions.unsubscribe(claims.site, hash);
  return linkPage(c, 200, 'Unsubscribed', `<p>No more reply emails from ${escapeHtml(siteName)}.</p>`);
});
