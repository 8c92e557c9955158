/**
 * Links in the mails sent to commenters: confirm that this address wants reply notifications from this site
 * (double opt-in), and unsubscribe. Signed tokens (domain/signed-token.ts); acting twice is harmless, so they
 * need no single-use record.
 */
import { readToken, signToken } from './signed-token.js';

export type EmailLinkAction = 'confirm' | 'unsubscribe';

export type EmailLinkClaims = {
  site: string;
  email: string;
  /** Unix seconds. */
  expiresAt: number;
} & (
  | {
      action: 'confirm';
      /** The commenterHash of the comment that asked: the confirmation holds for that browser's comments only. */
      commenter: string;
    }
  | { action: 'unsubscribe' }
);

/** A confirmation is asked for now; an unsubscribe link must keep working as long as old mails are read. */
export const EMAIL_LINK_SECONDS: Record<EmailLinkAction, number> = {
  confirm: 7 * 24 * 60 * 60,
  unsubscribe: 5 * 365 * 24 * 60 * 60,
};
const PURPOSE = 'email-link';

export function signEmailLink(secret: string, claims: EmailLinkClaims): Promise<string> {
  const commenter = claims.action === 'confirm' ? { k: claims.commenter } : {};
  return signToken(secret, PURPOSE, {
    s: claims.site,
    m: claims.email,
    a: claims.action,
    e: claims.expiresAt,
    ...commenter,
  });
}

export type EmailLinkCheck = { ok: true; claims: EmailLinkClaims } | { ok: false; reason: 'tampered' | 'expired' };

export async function readEmailLink(secret: string, token: string, nowSeconds: number): Promise<EmailLinkCheck> {
  const raw = await readToken(secret, PURPOSE, token);
  if (
    raw === null ||
    typeof raw.s !== 'string' ||
    typeof raw.m !== 'string' ||
    (raw.a !== 'confirm' && raw.a !== 'unsubscribe') ||
    typeof raw.e !== 'number'
  ) {
    return { ok: false, reason: 'tampered' };
  }
  if (raw.e <= nowSeconds) return { ok: false, reason: 'expired' };
  const claims = { site: raw.s, email: raw.m, expiresAt: raw.e };
  if (raw.a === 'unsubscribe') return { ok: true, claims: { ...claims, action: 'unsubscribe' } };
  // Confirmation links mailed before confirmations were bound to a browser name none: asking again is the way.
  if (typeof raw.k !== 'string') return { ok: false, reason: 'expired' };
  return { ok: true, claims: { ...claims, action: 'confirm', commenter: raw.k } };
}
