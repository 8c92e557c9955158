/**
 * Reasons a comment was held, as stored and as shown: stored comments from before reasons were codes carry English
 * text, read here into codes (or kept as a `note`), and every code has one English sentence for webhooks and mail.
 * The admin page renders the same codes in the owner's language.
 */
import type { HeldReasonWords, HoldReason, SpamAssessment, SpamReason } from '@sala/protocol';

/** A hold reason as stored: a code, or English text written before codes existed. */
export type StoredHoldReason = HoldReason | string;

/** A score part as stored: a code with its facts, or the old shape with an English `detail`. */
export type StoredSpamReason = SpamReason | { code: string; points: number; detail: string };

export interface StoredSpamAssessment {
  score: number;
  reasons: StoredSpamReason[];
}

/** The English the Worker wrote before reasons were codes, read back into the code it meant. */
function legacyHoldReason(text: string): HoldReason {
  if (text === 'the site holds every comment') return { code: 'hold-all' };
  if (text === 'first-time commenter') return { code: 'first-time' };
  if (text === 'contains a link') return { code: 'has-link' };
  if (text === 'an edit added a link') return { code: 'edit-added-link' };
  const word = /^contains “(.+)”$/.exec(text);
  if (word) return { code: 'hold-word', word: word[1]! };
  const score = /^spam score (-?\d+)$/.exec(text);
  if (score) return { code: 'spam-score', score: Number(score[1]) };
  return { code: 'note', text };
}

export function readHoldReasons(stored: readonly StoredHoldReason[]): HoldReason[] {
  return stored.map((reason) => (typeof reason === 'string' ? legacyHoldReason(reason) : reason));
}

/** Old codes that needed no facts keep their meaning; the two with numbers get them back from the English. */
const FACTLESS_CODES = new Set([
  'link-only',
  'name-link',
  'website-and-links',
  'no-timing',
  'shouting',
  'akismet',
  'known-commenter',
  'captcha-passed',
]);

function legacySpamReason(code: string, points: number, detail: string): SpamReason {
  if (FACTLESS_CODES.has(code)) return { code: code as 'link-only', points };
  const links = /^(\d+) links$/.exec(detail);
  if (code === 'links' && links) return { code, points, count: Number(links[1]) };
  const typing = /^(\d+) characters in (\d+) s$/.exec(detail);
  if (code === 'fast-typing' && typing) {
    return { code, points, characters: Number(typing[1]), seconds: Number(typing[2]) };
  }
  return { code: 'note', points, text: detail };
}

export function readSpamAssessment(stored: StoredSpamAssessment): SpamAssessment {
  return {
    score: stored.score,
    reasons: stored.reasons.map((reason) =>
      'detail' in reason ? legacySpamReason(reason.code, reason.points, reason.detail) : reason,
    ),
  };
}

const quoted = (words: readonly string[]) => words.map((word) => `“${word}”`).join(', ');

/** One hold reason in English, for webhooks and mail. */
export function holdReasonText(reason: HoldReason): string {
  switch (reason.code) {
    case 'hold-all':
      return 'the site holds every comment';
    case 'first-time':
      return 'first-time commenter';
    case 'has-link':
      return 'contains a link';
    case 'edit-added-link':
      return 'an edit added a link';
    case 'hold-word':
      return `contains “${reason.word}”`;
    case 'spam-score':
      return `spam score ${reason.score}`;
    case 'note':
      return reason.text;
  }
}

/** One part of the spam score in English, for webhooks and mail. */
export function spamReasonText(reason: SpamReason): string {
  switch (reason.code) {
    case 'links':
      return `${reason.count} links`;
    case 'first-time-links':
      return `${reason.count === 1 ? 'a link' : `${reason.count} links`} from a first-time commenter`;
    case 'keyword-links':
      return `${reason.count === 1 ? 'a link' : `${reason.count} links`} with sales keywords as text`;
    case 'odd-links':
      return `links to shorteners or spam-prone domains (${reason.hosts.join(', ')})`;
    case 'spam-words':
      return `spam words: ${quoted(reason.words)}`;
    case 'identity-words':
      return `spam words in the name or website: ${quoted(reason.words)}`;
    case 'canned-phrase':
      return `a stock spam phrase (“${reason.phrase}”) with a link`;
    case 'fast-typing':
      return `${reason.characters} characters in ${reason.seconds} s`;
    case 'link-only':
      return 'little besides a link';
    case 'markup-links':
      return 'pasted HTML or BBCode links';
    case 'name-link':
      return 'a web address as the name';
    case 'website-and-links':
      return 'a website and links in the text';
    case 'no-timing':
      return 'sent without the form’s timing (not from the widget?)';
    case 'shouting':
      return 'mostly capital letters';
    case 'akismet':
      return 'Akismet says spam';
    case 'known-commenter':
      return 'has had a comment approved before';
    case 'captcha-passed':
      return 'passed the Turnstile challenge';
    case 'note':
      return reason.text;
  }
}

/** Every reason of a held comment, one English line each with the score parts' points: for webhooks and mail. */
export function heldReasonLines(heldBecause: readonly HoldReason[], spam: SpamAssessment | undefined): string[] {
  const lines = heldBecause.map(holdReasonText);
  for (const reason of spam?.reasons ?? []) {
    lines.push(`${spamReasonText(reason)} (${reason.points > 0 ? `+${reason.points}` : reason.points})`);
  }
  return lines;
}

/** `template` with its `{name}`s filled in one pass. */
function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) => String(values[name] ?? placeholder));
}

function holdReasonIn(words: HeldReasonWords, reason: HoldReason): string {
  switch (reason.code) {
    case 'hold-all':
      return words.reasonHoldAll;
    case 'first-time':
      return words.reasonFirstTime;
    case 'has-link':
      return words.reasonHasLink;
    case 'edit-added-link':
      return words.reasonEditAddedLink;
    case 'hold-word':
      return fill(words.reasonHoldWord, { word: reason.word });
    case 'spam-score':
      return fill(words.reasonSpamScore, { score: reason.score });
    case 'note':
      return reason.text;
  }
}

function spamReasonIn(words: HeldReasonWords, reason: SpamReason): string {
  switch (reason.code) {
    case 'links':
      return fill(words.signalLinks, { count: reason.count });
    case 'first-time-links':
      return reason.count === 1
        ? words.signalFirstTimeLinksOne
        : fill(words.signalFirstTimeLinksOther, { count: reason.count });
    case 'keyword-links':
      return reason.count === 1
        ? words.signalKeywordLinksOne
        : fill(words.signalKeywordLinksOther, { count: reason.count });
    case 'odd-links':
      return fill(words.signalOddLinks, { hosts: reason.hosts.join(', ') });
    case 'spam-words':
      return fill(words.signalSpamWords, { words: quoted(reason.words) });
    case 'identity-words':
      return fill(words.signalIdentityWords, { words: quoted(reason.words) });
    case 'canned-phrase':
      return fill(words.signalCannedPhrase, { phrase: reason.phrase });
    case 'fast-typing':
      return fill(words.signalFastTyping, { characters: reason.characters, seconds: reason.seconds });
    case 'link-only':
      return words.signalLinkOnly;
    case 'markup-links':
      return words.signalMarkupLinks;
    case 'name-link':
      return words.signalNameLink;
    case 'website-and-links':
      return words.signalWebsiteAndLinks;
    case 'no-timing':
      return words.signalNoTiming;
    case 'shouting':
      return words.signalShouting;
    case 'akismet':
      return words.signalAkismet;
    case 'known-commenter':
      return words.signalKnownCommenter;
    case 'captcha-passed':
      return words.signalCaptchaPassed;
    case 'note':
      return reason.text;
  }
}

/** As `heldReasonLines`, in `words`' language: the owner's mail in the admin page's language. */
export function heldReasonLinesIn(
  words: HeldReasonWords,
  heldBecause: readonly HoldReason[],
  spam: SpamAssessment | undefined,
): string[] {
  const lines = heldBecause.map((reason) => holdReasonIn(words, reason));
  for (const reason of spam?.reasons ?? []) {
    lines.push(`${spamReasonIn(words, reason)} (${reason.points > 0 ? `+${reason.points}` : reason.points})`);
  }
  return lines;
}
