/**
 * /api/v1/email-links/:token: the links in commenters' mails. "confirm" (double opt-in for reply mails) and
 * "unsubscribe". A GET shows one button and changes nothing (mail scanners open links); its POST acts, as does
 * the one-click unsubscribe POST a mail client sends for the List-Unsubscribe-Post header (RFC 8058). Every page is
 * in the commenter's language, the browser's (email-link-strings.ts).
 */
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../app-env.js';
import { readEmailLink, type EmailLinkClaims } from '../domain/email-links.js';
import { emailHash } from '../domain/identity-hashes.js';
import { EmailSubscriptions } from '../storage/email-subscriptions.js';
import { findSite } from '../storage/sites.js';
import { EMAIL_LINK_STRINGS, type EmailLinkStrings } from './email-link-strings.js';
import { escapeHtml, linkPage, pageWords } from './link-page.js';

export const emailLinks = new Hono<AppEnv>();

/** A sentence with its `{site}` and `{email}` put in, as text (functions: a `$&` in a site's name is text). */
function fill(sentence: string, values: { site: string; email?: string }): string {
  return sentence.replace('{site}', () => values.site).replace('{email}', () => values.email ?? '');
}

/** The page's words, in the commenter's language: the browser's, from its Accept-Language. */
function wordsOf(c: Context<AppEnv>): EmailLinkStrings {
  return pageWords(c, EMAIL_LINK_STRINGS).words;
}

/** A page in the commenter's language: `title` and `sentences` are text, `form` HTML. */
function page(
  c: Context<AppEnv>,
  status: ContentfulStatusCode,
  title: string,
  sentences: string[],
  form = '',
): Response {
  const content = sentences.map((sentence) => `<p>${escapeHtml(sentence)}</p>`).join('') + form;
  return linkPage(c, status, title, content, '', pageWords(c, EMAIL_LINK_STRINGS).lang);
}

async function check(
  c: Context<AppEnv>,
): Promise<{ claims: EmailLinkClaims; siteName: string } | { refusal: Response }> {
  const words = wordsOf(c);
  const link = await readEmailLink(c.env.SALA_SECRET, c.req.param('token') ?? '', Math.floor(Date.now() / 1000));
  if (!link.ok) {
    return link.reason === 'expired'
      ? { refusal: page(c, 410, words.expiredTitle, [words.expiredText]) }
      : { refusal: page(c, 400, words.invalidTitle, [words.invalidText]) };
  }
  const site = findSite(c.env, link.claims.site);
  if (site === null) return { refusal: page(c, 404, words.goneTitle, [words.goneText]) };
  return { claims: link.claims, siteName: site.name };
}

emailLinks.get('/:token', async (c) => {
  const checked = await check(c);
  if ('refusal' in checked) return checked.refusal;
  const { claims, siteName } = checked;
  const words = wordsOf(c);
  const values = { site: siteName, email: claims.email };
  const [question, button] =
    claims.action === 'confirm'
      ? [words.confirmQuestion, words.confirmButton]
      : [words.unsubscribeQuestion, words.unsubscribeButton];
  return page(
    c,
    200,
    fill(question, values),
    [fill(words.forAddress, values)],
    `<form method="post"><button type="submit">${escapeHtml(button)}</button></form>`,
  );
});

emailLinks.post('/:token', async (c) => {
  const checked = await check(c);
  if ('refusal' in checked) return checked.refusal;
  const { claims, siteName } = checked;
  const subscriptions = new EmailSubscriptions(c.env.SALA);
  const hash = await emailHash(c.env.SALA_SECRET, claims.email);
  const words = wordsOf(c);
  if (claims.action === 'confirm') {
    await subscriptions.confirm(claims.site, hash, claims.commenter);
    return page(c, 200, words.confirmedTitle, [fill(words.confirmedText, { site: siteName })]);
  }
  await subscriptions.unsubscribe(claims.site, hash);
  return page(c, 200, words.unsubscribedTitle, [fill(words.unsubscribedText, { site: siteName })]);
});
