/**
 * Spam signals of a new comment and the score they add up to. Pure: every fact (timing, links, Akismet's verdict,
 * a passed captcha) comes in as input, and the reasons go out with the score, so the owner sees why.
 */
import { parseMarkdown, type Block, type Inline, type SpamAssessment, type SpamReason } from '@sala/protocol';

/** Held for review at or above this score, whatever the moderation mode. */
export const HOLD_SCORE = 3;
/** Filed as spam (not shown in the pending queue) at or above this score. */
export const SPAM_SCORE = 6;
/** A site with Turnstile asks for it at or above this score. */
export const CAPTCHA_SCORE = 3;
/** Fewer milliseconds than this between the form rendering and sending is not a person typing. */
export const MIN_ELAPSED_MS = 3000;

/** The request fields that exist for spam defence only. */
export interface SpamFields {
  /** The honeypot: people never see the field, so anything in it was typed by a bot. */
  honeypot: string | null;
  elapsedMs: number | null;
  captchaToken: string | null;
}

export function readSpamFields(json: unknown): SpamFields {
  const fields = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  const { hp, elapsedMs, captchaToken } = fields;
  return {
    // A honeypot filled with anything but a string (a bot sending numbers) still counts as filled.
    honeypot: hp === undefined || hp === null || hp === '' ? null : String(hp),
    elapsedMs: typeof elapsedMs === 'number' && Number.isFinite(elapsedMs) && elapsedMs >= 0 ? elapsedMs : null,
    captchaToken: typeof captchaToken === 'string' && captchaToken.length <= 4096 ? captchaToken : null,
  };
}

function inlineLinks(nodes: Inline[]): number {
  return nodes.reduce((sum, node) => {
    if (node.type === 'link') return sum + 1;
    if (node.type === 'emphasis' || node.type === 'strong') return sum + inlineLinks(node.children);
    return sum;
  }, 0);
}

function blockLinks(blocks: Block[]): number {
  return blocks.reduce((sum, block) => {
    switch (block.type) {
      case 'paragraph':
        return sum + inlineLinks(block.children);
      case 'quote':
        return sum + blockLinks(block.children);
      case 'list':
        return sum + block.items.reduce((itemSum, item) => itemSum + blockLinks(item), 0);
      default:
        return sum;
    }
  }, 0);
}

/** Links the comment will render: Markdown links and bare URLs (code is not linked, so it does not count). */
export function countLinks(body: string): number {
  return blockLinks(parseMarkdown(body));
}

export interface SpamSignals {
  body: string;
  name: string;
  website: string | null;
  linkCount: number;
  elapsedMs: number | null;
  /** The commenter has had a comment approved on this site before. */
  knownCommenter: boolean;
  /** Akismet's verdict, when the site uses it. */
  akismet?: 'spam' | 'ham' | null;
  captchaPassed?: boolean;
}

const URL_LIKE = /(https?:\/\/|www\.|\.(com|net|org|ru|cn|xyz|top|info|biz)\b)/i;

/** The score and its reasons. Each signal is weak alone; together they separate bots from people well enough. */
export function assessSpam(signals: SpamSignals): SpamAssessment {
  const reasons: SpamReason[] = [];
  const add = (code: string, points: number, detail: string) => reasons.push({ code, points, detail });
  const text = signals.body.trim();

  if (signals.linkCount >= 2) add('links', signals.linkCount - 1, `${signals.linkCount} links`);
  if (signals.linkCount >= 1 && text.replace(/\S*https?:\/\/\S*/g, '').trim().length < 20) {
    add('link-only', 2, 'little besides a link');
  }
  if (URL_LIKE.test(signals.name)) add('name-link', 3, 'a web address as the name');
  if (signals.website !== null && signals.linkCount >= 1)
    add('website-and-links', 1, 'a website and links in the text');
  if (signals.elapsedMs === null) {
    add('no-timing', 2, 'sent without the form’s timing (not from the widget?)');
  } else if (text.length > 200 && text.length / Math.max(signals.elapsedMs / 1000, 0.001) > 25) {
    add('fast-typing', 1, `${text.length} characters in ${Math.round(signals.elapsedMs / 1000)} s`);
  }
  const letters = text.replace(/[^\p{L}]/gu, '');
  if (letters.length >= 20 && letters.replace(/[^\p{Lu}]/gu, '').length / letters.length > 0.7) {
    add('shouting', 1, 'mostly capital letters');
  }
  if (signals.akismet === 'spam') add('akismet', 6, 'Akismet says spam');
  if (signals.knownCommenter) add('known-commenter', -3, 'has had a comment approved before');
  if (signals.captchaPassed) add('captcha-passed', -3, 'passed the Turnstile challenge');

  return { score: reasons.reduce((sum, reason) => sum + reason.points, 0), reasons };
}
