/**
 * Why a comment was held, in the owner's language: the Worker sends reasons as codes with their facts
 * (`{ code: 'spam-words', words: ['casino'] }`), each rendered here from the admin strings.
 */
import type { HoldReason, SpamReason } from '@sala/protocol';
import type { AdminStringKey, AdminTranslator } from './strings/admin-strings.js';

const HOLD_KEYS: Record<Exclude<HoldReason['code'], 'note'>, AdminStringKey> = {
  'hold-all': 'reasonHoldAll',
  'first-time': 'reasonFirstTime',
  'has-link': 'reasonHasLink',
  'edit-added-link': 'reasonEditAddedLink',
  'hold-word': 'reasonHoldWord',
  'spam-score': 'reasonSpamScore',
};

const SIGNAL_KEYS: Partial<Record<SpamReason['code'], AdminStringKey>> = {
  links: 'signalLinks',
  'odd-links': 'signalOddLinks',
  'spam-words': 'signalSpamWords',
  'identity-words': 'signalIdentityWords',
  'canned-phrase': 'signalCannedPhrase',
  'fast-typing': 'signalFastTyping',
  'link-only': 'signalLinkOnly',
  'markup-links': 'signalMarkupLinks',
  'name-link': 'signalNameLink',
  'website-and-links': 'signalWebsiteAndLinks',
  'no-timing': 'signalNoTiming',
  shouting: 'signalShouting',
  akismet: 'signalAkismet',
  'known-commenter': 'signalKnownCommenter',
  'captcha-passed': 'signalCaptchaPassed',
};

/** `value` in the page's locale (its digits and separators), for a score or a count shown in a sentence. */
export function formatNumber(value: number, i18n: AdminTranslator): string {
  return new Intl.NumberFormat(i18n.lang).format(value);
}

/** A spam signal's points with their sign ("+2", "-3", "0"), in the page's digits as the score above them. */
export function signedPoints(points: number, i18n: AdminTranslator): string {
  return new Intl.NumberFormat(i18n.lang, { signDisplay: 'exceptZero' }).format(points);
}

/** Words as the comment had them, quoted, so a word is never mistaken for part of the sentence. */
const quoted = (words: readonly string[]) => words.map((word) => `“${word}”`).join(', ');

/**
 * A code's facts as placeholder values; a reason stored without them shows its placeholders' names. A count or a
 * score is written in the page's digits, as its other numbers (Arabic-Indic in Egypt's Arabic), not left as the
 * Western digits a bare number fills a sentence with.
 */
function values(reason: Record<string, unknown>, i18n: AdminTranslator): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(reason)) {
    if (typeof value === 'string') out[name] = value;
    else if (typeof value === 'number') out[name] = formatNumber(value, i18n);
    else if (Array.isArray(value)) out[name] = name === 'hosts' ? value.join(', ') : quoted(value.map(String));
  }
  return out;
}

export function holdReasonText(reason: HoldReason, i18n: AdminTranslator): string {
  if (reason.code === 'note') return reason.text;
  const key = HOLD_KEYS[reason.code] as AdminStringKey | undefined;
  // A code newer than this page: its name says more than nothing.
  return key ? i18n.t(key, values(reason, i18n)) : reason.code;
}

export function spamReasonText(reason: SpamReason, i18n: AdminTranslator): string {
  switch (reason.code) {
    case 'note':
      return reason.text;
    case 'first-time-links':
      return i18n.plural(reason.count, 'signalFirstTimeLinksOne', 'signalFirstTimeLinksOther');
    case 'keyword-links':
      return i18n.plural(reason.count, 'signalKeywordLinksOne', 'signalKeywordLinksOther');
    default: {
      const key = SIGNAL_KEYS[reason.code];
      return key ? i18n.t(key, values(reason, i18n)) : reason.code;
    }
  }
}
