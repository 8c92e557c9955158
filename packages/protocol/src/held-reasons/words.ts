/**
 * Why a comment was held, one sentence per reason code (`HoldReason`, `SpamReason`), `{name}`s filled from the
 * reason's facts: the admin page's words, which the Worker's mail to the owner uses too, so the two say the same.
 * Each language is a module of its own (`@sala/protocol/held-reasons/ja`), so the admin page's chunk for a language
 * carries only that language's.
 */
export interface HeldReasonWords {
  reasonHoldAll: string;
  reasonFirstTime: string;
  reasonHasLink: string;
  reasonEditAddedLink: string;
  reasonHoldWord: string;
  reasonSpamScore: string;
  signalLinks: string;
  signalFirstTimeLinksOne: string;
  signalFirstTimeLinksOther: string;
  signalKeywordLinksOne: string;
  signalKeywordLinksOther: string;
  signalOddLinks: string;
  signalSpamWords: string;
  signalIdentityWords: string;
  signalCannedPhrase: string;
  signalLinkOnly: string;
  signalMarkupLinks: string;
  signalNameLink: string;
  signalWebsiteAndLinks: string;
  signalNoTiming: string;
  signalFastTyping: string;
  signalShouting: string;
  signalAkismet: string;
  signalKnownCommenter: string;
  signalCaptchaPassed: string;
}
