/**
 * Webhook bodies and their signature. One event becomes one body per webhook: generic JSON (`WebhookPayload`),
 * or the message shapes Slack and Discord incoming webhooks accept. Every body is signed the same way:
 *
 *   Sala-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(webhook secret, "<t>.<raw body>")>
 *
 * A receiver recomputes the HMAC over the exact bytes it got and refuses a `t` more than a few minutes old
 * (which stops replays). Pure: no fetch, no KV.
 */
import type { AdminComment, WebhookEvent, WebhookFormat, WebhookPayload } from '@sala/protocol';
import { toPlainText, withoutBidiControls } from '@sala/protocol';
import { toHex } from './bytes.js';
import { heldReasonLines } from './held-reasons.js';
import { pageAddress } from './page-address.js';

/** What a webhook says: the `json` format sends it as is (the wire type lives in the protocol). */
export type WebhookMessage = WebhookPayload;

const HEADLINES: Record<WebhookEvent, string> = {
  'comment.created': 'New comment',
  'comment.held': 'Comment awaiting moderation',
  'comment.approved': 'Comment approved',
};

/**
 * What a webhook may carry of a comment: no email or address hash, and the name without bidi controls (a name
 * imported, or stored before names were checked, may hold them): every format puts it among other words, in a chat
 * line or wherever a receiver writes the JSON's, and U+202E in it would reverse the rest of that line.
 */
function publicSide(comment: AdminComment): AdminComment {
  const { email: _email, ...author } = comment.author;
  const { ipHash: _ipHash, ...rest } = comment;
  return { ...rest, author: { ...author, name: withoutBidiControls(author.name) } };
}

/** Slack's mrkdwn treats &, < and > as markup. */
function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Discord renders Markdown; a backslash before each markup character shows it as typed. */
function discordEscape(text: string): string {
  return text.replace(/([\\*_~`|>[\]()#-])/g, '\\$1');
}

export function webhookBody(format: WebhookFormat, message: WebhookMessage): string {
  const comment = publicSide(message.comment);
  if (format === 'json') {
    const payload: WebhookPayload = { ...message, comment };
    return JSON.stringify(payload);
  }
  const excerpt = toPlainText(comment.body, 500);
  const headline = HEADLINES[message.event];
  // Why a held comment waits, in English: the json format carries the same reasons as codes.
  const reasons =
    message.event === 'comment.held' ? heldReasonLines(comment.heldBecause ?? [], comment.spam).join('; ') : '';
  // The address the comment came with: Blogger serves `walk.html`, never the id's `walk`.
  const page = pageAddress(comment);
  if (format === 'slack') {
    const lines = [
      `*${headline}* on ${slackEscape(page)}`,
      `*${slackEscape(comment.author.name)}*: ${slackEscape(excerpt)}`,
    ];
    if (reasons) lines.push(`Held because: ${slackEscape(reasons)}`);
    if (message.links) lines.push(`<${message.links.approve}|Approve> · <${message.links.reject}|Reject>`);
    return JSON.stringify({ text: lines.join('\n') });
  }
  const lines = [
    `**${headline}** on ${/^https?:\/\//.test(page) ? `<${page}>` : discordEscape(page)}`,
    `**${discordEscape(comment.author.name)}**: ${discordEscape(excerpt)}`,
  ];
  if (reasons) lines.push(`Held because: ${discordEscape(reasons)}`);
  if (message.links) lines.push(`[Approve](<${message.links.approve}>) · [Reject](<${message.links.reject}>)`);
  // No @everyone, @here or role pings, whatever the comment says.
  return JSON.stringify({ content: lines.join('\n').slice(0, 2000), allowed_mentions: { parse: [] } });
}

/** The `Sala-Signature` header value for `body` sent at `unixSeconds`. */
export async function signWebhook(secret: string, body: string, unixSeconds: number): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(`${unixSeconds}.${body}`));
  return `t=${unixSeconds},v1=${toHex(mac)}`;
}

/**
 * How long to wait before each retry after the first attempt, in the request's background work (then by cron): a
 * second, then four. Mutable for the tests: their setup (testing-setup.ts) waits nothing, as a fetch the test
 * intercepts has no server to give time to; the test of the retries sets short ones and checks they are waited.
 */
export const IMMEDIATE_RETRY_DELAYS = { ms: [1000, 4000] };
/** Attempts in all, the cron's included (it retries on two of its runs an hour), before a delivery is given up. */
export const MAX_ATTEMPTS = 6;
