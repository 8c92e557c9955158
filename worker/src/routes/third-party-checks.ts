/**
 * The optional spam checks that ask a third party, each only when the site's owner configured it: Cloudflare
 * Turnstile (siteverify) and Akismet (comment-check). An outage on their side never refuses a commenter: the
 * check simply does not lower (Turnstile) or raise (Akismet) the score, and the score decides as before.
 */
import type { SiteSettings } from '@sala/protocol';
import type { NewCommentInput } from '../domain/comment-input.js';

const TURNSTILE_VERIFY = 'https://challenges.cloudflare.com/turnstile/v0/siteverify';
const TIMEOUT_MS = 5000;

/** 'passed', 'failed' (the token is wrong, used or expired), or 'unavailable' (siteverify could not answer). */
export type CaptchaOutcome = 'passed' | 'failed' | 'unavailable';

export async function verifyTurnstile(secretKey: string, token: string): Promise<CaptchaOutcome> {
  try {
    const form = new FormData();
    form.set('secret', secretKey);
    form.set('response', token);
    const response = await fetch(TURNSTILE_VERIFY, {
      method: 'POST',
      body: form,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!response.ok) return 'unavailable';
    const result = (await response.json()) as { success?: unknown };
    return result.success === true ? 'passed' : 'failed';
  } catch (error) {
    console.error('[sala] Turnstile siteverify failed', error);
    return 'unavailable';
  }
}

export interface AkismetRequest {
  input: NewCommentInput;
  /** Akismet requires the commenter's address: sent to it for this check, never stored. */
  ip: string;
  userAgent: string;
  referrer: string;
}

/** Akismet's verdict, or null when it could not be asked. */
export async function askAkismet(
  akismet: NonNullable<SiteSettings['akismet']>,
  request: AkismetRequest,
): Promise<'spam' | 'ham' | null> {
  const { input } = request;
  const form = new URLSearchParams({
    blog: akismet.blogUrl,
    user_ip: request.ip,
    user_agent: request.userAgent,
    referrer: request.referrer,
    // The post's address as the reader had it (Blogger's `.html`), which the page id may have lost.
    permalink: input.pageUrl ?? input.pageId,
    comment_type: input.parentId === null ? 'comment' : 'reply',
    comment_author: input.name,
    comment_content: input.body,
  });
  if (input.email !== null) form.set('comment_author_email', input.email);
  if (input.website !== null) form.set('comment_author_url', input.website);
  try {
    const response = await fetch(`https://${encodeURIComponent(akismet.apiKey)}.rest.akismet.com/1.1/comment-check`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': 'Sala/1 | Akismet/1' },
      body: form,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const answer = (await response.text()).trim();
    if (answer === 'true') return 'spam';
    if (answer === 'false') return 'ham';
    // "invalid" (a wrong key) or an error page: say so in the logs, do not guess.
    console.error(
      '[sala] Akismet answered',
      response.status,
      answer.slice(0, 100),
      response.headers.get('X-akismet-debug-help'),
    );
    return null;
  } catch (error) {
    console.error('[sala] Akismet could not be reached', error);
    return null;
  }
}
