/**
 * Links in the mails sent to commenters: confirm that this address wants reply notifications from this site
 * (double opt-in), and unsubscribe. Signed tokens (domain/signed-token.ts); acting twice is harmless, so they
 * need no single-use record.
 */
import { readToken, signToken } from './signed-token.js';

export type EmailLinkAction = 'confirm' | 'unsubscribe';

export interface EmailLinkClaims {
  site: string;
  email: string;
  action: EmailLinkAction;
  /** Unix seconds. */
  expiresAt: number;
}

/** A confirmation is asked for now; an unsubscribe link must keep working as long as old mails are read. */
export const EMAIL_LINK_SECONDS: Record<EmailLinkAction, number> = {
  confirm: 7 * 24 * 60 * 60,
  unsubscribe: 5 * 365 * 24 * 60 * 60,
};
const PURPOSE = 'email-link';

export function signEmailLink(secret: string, claims: EmailLinkClaims): Promise<string> {
  return signToken(secret, PURPOSE, { s: claims.site, m: claims.email, a: claims.action, e: claims.expiresAt });
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
  return { ok: true, claims: { site: raw.s, email: raw.m, action: raw.a, expiresAt: raw.e } };
}
