/**
 * Spam signals of a new comment and the score they add up to: how it links (how many, where to, with what text),
 * what it says (the vocabulary in spam-words.ts), who sent it and how. Pure: every fact (timing, Akismet's
 * verdict, a passed captcha) comes in as input, and each reason goes out as a code with its facts and points, so
 * the owner sees why.
 */
import { parseMarkdown, type Block, type Inline, type SpamAssessment, type SpamReason } from '@sala/protocol';
import {
  CANNED_PHRASES,
  LINK_SHORTENERS,
  REFERENCE_HOSTS,
  REFERENCE_SUFFIXES,
  SALES_ANCHOR_WORDS,
  SPAM_PRONE_TLDS,
  STRONG_SPAM_WORDS,
  WEAK_SPAM_WORDS,
} from './spam-words.js';
import { wordFinder } from './words.js';
import { onIsolateReset } from './isolate-state.js';

/** Held for review at or above this score, whatever the moderation mode. */
export const HOLD_SCORE = 3;
/** Filed as spam (not shown in the pending queue) at or above this score. */
export const SPAM_SCORE = 6;
/** A site with Turnstile asks for it at or above this score. */
export const CAPTCHA_SCORE = 3;
/** Fewer milliseconds than this between the form rendering and sending is not a person typing. */
export { MIN_ELAPSED_MS } from '@sala/protocol';

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

/** What the comment will show, from the parsed Markdown: the prose (code left out) and each link. */
export interface CommentText {
  /** The words outside code, link texts included. */
  prose: string;
  links: { href: string; text: string }[];
}

function inlineText(nodes: Inline[], into: CommentText, linkText: string[] | null): void {
  for (const node of nodes) {
    if (node.type === 'text') {
      into.prose += node.text;
      linkText?.push(node.text);
    } else if (node.type === 'break') {
      into.prose += '\n';
    } else if (node.type === 'emphasis' || node.type === 'strong') {
      inlineText(node.children, into, linkText);
    } else if (node.type === 'link') {
      const text: string[] = [];
      inlineText(node.children, into, text);
      into.links.push({ href: node.href, text: text.join('') });
    }
  }
}

function blockText(blocks: Block[], into: CommentText): void {
  for (const block of blocks) {
    if (block.type === 'paragraph') inlineText(block.children, into, null);
    else if (block.type === 'quote') blockText(block.children, into);
    else if (block.type === 'list') for (const item of block.items) blockText(item, into);
    into.prose += '\n';
  }
}

/** The last body read: one comment's screening asks for it three times (link cap, score, hold rules). */
let lastRead: { body: string; text: CommentText } | null = null;
onIsolateReset(() => (lastRead = null));

/** The comment's prose and links; the result is shared, so callers only read it. */
export function readCommentText(body: string): CommentText {
  if (lastRead?.body === body) return lastRead.text;
  const text: CommentText = { prose: '', links: [] };
  blockText(parseMarkdown(body), text);
  lastRead = { body, text };
  return text;
}

/** Links the comment will render: Markdown links and bare URLs (code is not linked, so it does not count). */
export function countLinks(body: string): number {
  return readCommentText(body).links.length;
}

export interface SpamSignals {
  body: string;
  name: string;
  website: string | null;
  elapsedMs: number | null;
  /** The commenter has had a comment approved on this site before. */
  knownCommenter: boolean;
  /** Akismet's verdict, when the site uses it. */
  akismet?: 'spam' | 'ham' | null;
  captchaPassed?: boolean;
}

const URL_LIKE = /(https?:\/\/|www\.|\.(com|net|org|ru|cn|xyz|top|info|biz)\b)/i;
/** Links typed as HTML or BBCode: the Markdown box does not render them, but bots paste them into every form. */
const MARKUP_LINK = /<a\s[^>]*href\s*=|\[url[=\]]|\[link=/i;
/** Spam words count for this much at most: words alone hold a comment but never file it as spam. */
const MAX_WORD_POINTS = 4;
/** ...and for this much in a comment that sends nobody anywhere (no link, website, address or phone number). */
const MAX_WORD_POINTS_UNPROMOTED = 2;
/** Ways to reach a seller without a link: an email address, a phone number, a messaging app. */
const CONTACT = /[^\s@]+@[^\s@]+\.[a-z]{2,}|\+?\d[\d\s().-]{7,}\d|\b(whatsapp|telegram|wechat|viber)\b|微信/i;

const findStrongWords = wordFinder(STRONG_SPAM_WORDS);
const findWeakWords = wordFinder(WEAK_SPAM_WORDS);
const findSalesWords = wordFinder(SALES_ANCHOR_WORDS);
const findCannedPhrases = wordFinder(CANNED_PHRASES);
const shorteners = new Set(LINK_SHORTENERS);
const spamProneTlds = new Set(SPAM_PRONE_TLDS);

/** The spam vocabulary in `text`, a weak word left out when it is part of a strong phrase found ("casino"). */
function spamWords(text: string): { strong: string[]; weak: string[] } {
  const strong = findStrongWords(text);
  const weak = findWeakWords(text).filter((word) => !strong.some((phrase) => phrase.includes(word)));
  return { strong, weak };
}

/** A link's host, lowercased, without `www.`; null for mailto and the unparsable. */
function hostOf(href: string): string | null {
  try {
    const url = new URL(href);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.hostname.replace(/^www\./, '') : null;
  } catch {
    return null;
  }
}

function isReferenceHost(host: string): boolean {
  const within = (domain: string) => host === domain || host.endsWith(`.${domain}`);
  return REFERENCE_HOSTS.some(within) || REFERENCE_SUFFIXES.some((suffix) => host.endsWith(`.${suffix}`));
}

function isOddHost(host: string): boolean {
  return shorteners.has(host) || spamProneTlds.has(host.slice(host.lastIndexOf('.') + 1));
}

/** A link whose text is neither its address nor a reference, but sales keywords: "[cheap viagra](…)". */
function isKeywordLink(link: { href: string; text: string }): boolean {
  const text = link.text.trim();
  if (text === '' || URL_LIKE.test(text)) return false;
  const words = spamWords(text);
  return words.strong.length + words.weak.length > 0 || findSalesWords(text).length > 0;
}

/** The words of a web address: "https://cheap-casino-online.example/pills" reads "https cheap casino online…". */
function addressWords(address: string): string {
  return address.replace(/[^a-z0-9\u0080-\uffff]+/gi, ' ');
}

/**
 * How many UTF-16 code units of `text` are letters (`\p{L}`) and how many of those capitals (`\p{Lu}`). An ASCII
 * text, most comments, is counted without a regexp: the two Unicode classes' replacements took 0.3 to 0.5 ms of a
 * fresh isolate's first comment (worker/docs/cpu-routes.md, 2026-12-07).
 */
export function lettersOf(text: string): { letters: number; capitals: number } {
  let letters = 0;
  let capitals = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 128) {
      const all = text.replace(/[^\p{L}]/gu, '');
      return { letters: all.length, capitals: all.replace(/[^\p{Lu}]/gu, '').length };
    }
    if (code >= 65 && code <= 90) {
      letters++;
      capitals++;
    } else if (code >= 97 && code <= 122) letters++;
  }
  return { letters, capitals };
}

/**
 * The score and its reasons. Each signal is weak alone and explained by its reason; together they separate
 * spam from people: see tests/fixtures/spam and the measurement in moderation.test.ts (the spam corpus).
 */
export function assessSpam(signals: SpamSignals): SpamAssessment {
  const reasons: SpamReason[] = [];
  const add = (reason: SpamReason) => reasons.push(reason);
  const text = signals.body.trim();
  const { prose, links } = readCommentText(text);
  const stranger = !signals.knownCommenter;

  // Links to reference sites are what readers cite; they do not make a stranger's comment an advert.
  const ownLinks = links.filter((link) => {
    const host = hostOf(link.href);
    return host === null || !isReferenceHost(host);
  });
  const promotes = ownLinks.length > 0 || signals.website !== null || CONTACT.test(prose);

  if (links.length >= 2) add({ code: 'links', points: links.length - 1, count: links.length });
  if (links.length >= 1 && text.replace(/\S*https?:\/\/\S*/g, '').trim().length < 20) {
    add({ code: 'link-only', points: 2 });
  }
  if (stranger && ownLinks.length >= 1) add({ code: 'first-time-links', points: 1, count: ownLinks.length });
  const keywordLinks = links.filter(isKeywordLink).length;
  if (keywordLinks > 0) add({ code: 'keyword-links', points: 2, count: keywordLinks });
  if (MARKUP_LINK.test(prose)) add({ code: 'markup-links', points: 2 });
  const addresses = [...links.map((link) => link.href), ...(signals.website !== null ? [signals.website] : [])];
  const oddHosts = new Set(addresses.map(hostOf).filter((host): host is string => host !== null && isOddHost(host)));
  if (oddHosts.size > 0) add({ code: 'odd-links', points: 2, hosts: [...oddHosts] });

  const words = spamWords(prose);
  const wordPoints = Math.min(
    promotes ? MAX_WORD_POINTS : MAX_WORD_POINTS_UNPROMOTED,
    2 * words.strong.length + Math.max(0, words.weak.length - 1),
  );
  if (wordPoints > 0) add({ code: 'spam-words', points: wordPoints, words: [...words.strong, ...words.weak] });
  const identity = spamWords([signals.name, addressWords(signals.website ?? '')].join('\n'));
  const identityWords = [...identity.strong, ...identity.weak];
  if (identityWords.length > 0) add({ code: 'identity-words', points: 2, words: identityWords });
  if (stranger && (ownLinks.length > 0 || signals.website !== null)) {
    const phrase = findCannedPhrases(prose)[0];
    if (phrase !== undefined) {
      // Sending readers elsewhere is the point of the comment; praise alone is only a hint.
      const points = /^(visit|check|click)/.test(phrase) ? 2 : 1;
      add({ code: 'canned-phrase', points, phrase });
    }
  }

  if (URL_LIKE.test(signals.name)) add({ code: 'name-link', points: 3 });
  if (signals.website !== null && ownLinks.length >= 1) add({ code: 'website-and-links', points: 1 });
  if (signals.elapsedMs === null) {
    add({ code: 'no-timing', points: 2 });
  } else if (text.length > 200 && text.length / Math.max(signals.elapsedMs / 1000, 0.001) > 25) {
    add({ code: 'fast-typing', points: 1, characters: text.length, seconds: Math.round(signals.elapsedMs / 1000) });
  }
  const { letters, capitals } = lettersOf(text);
  if (letters >= 20 && capitals / letters > 0.7) add({ code: 'shouting', points: 1 });
  if (signals.akismet === 'spam') add({ code: 'akismet', points: 6 });
  if (signals.knownCommenter) add({ code: 'known-commenter', points: -3 });
  if (signals.captchaPassed) add({ code: 'captcha-passed', points: -3 });

  return { score: reasons.reduce((sum, reason) => sum + reason.points, 0), reasons };
}
