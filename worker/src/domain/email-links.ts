/**
 * Links in the mails sent to commenters: confirm that this address wants reply notifications from this site
 * (double opt-in), and unsubscribe. Signed tokens (domain/signed-token.ts); acting twice is harmless, so they
 * need no single-use record.
 */
import { readClaims, signToken, type ClaimsCheck } from './signed-token.js';

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

export type EmailLinkCheck = ClaimsCheck<EmailLinkClaims>;

export async function readEmailLink(secret: string, token: string, nowSeconds: number): Promise<EmailLinkCheck> {
  // Read loosely first: a confirmation without its commenter is an old link, not a forged one (below).
  type Read = { site: string; email: string; expiresAt: number; action: EmailLinkAction; commenter: unknown };
  const check = await readClaims<Read>(secret, PURPOSE, token, nowSeconds, (raw, expiresAt) =>
    typeof raw.s === 'string' && typeof raw.m === 'string' && (raw.a === 'confirm' || raw.a === 'unsubscribe')
      ? { site: raw.s, email: raw.m, expiresAt, action: raw.a, commenter: raw.k }
      : null,
  );
  if (!check.ok) return check;
  const { action, commenter, ...claims } = check.claims;
  if (action === 'unsubscribe') return { ok: true, claims: { ...claims, action } };
  // Confirmation links mailed before confirmations were bound to a browser name none: asking again is the way.
  if (typeof commenter !== 'string') return { ok: false, reason: 'expired' };
  return { ok: true, claims: { ...claims, action, commenter } };
}
