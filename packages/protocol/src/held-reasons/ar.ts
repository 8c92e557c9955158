/**
 * Why a comment was held, in Arabic (held-reasons/words.ts). Machine-assisted, as the admin page's other non-English
 * words. A count is given after a colon ("روابط: 3"), never before its noun: the Worker's mail picks only one or other,
 * and the noun after an Arabic number takes a form of its own for 3 to 10 and another for 11 to 99.
 */
import type { HeldReasonWords } from './words.js';

export const heldReasonWordsAr: HeldReasonWords = {
  reasonHoldAll: 'يحتجز الموقع كل تعليق',
  reasonFirstTime: 'أول تعليق لصاحبه',
  reasonHasLink: 'يحتوي على رابط',
  reasonEditAddedLink: 'أُضيف إليه رابط بتعديل',
  reasonHoldWord: 'يحتوي على «{word}»',
  reasonSpamScore: 'يبدو مزعجًا (الدرجة {score})',
  signalLinks: 'روابط: {count}',
  signalFirstTimeLinksOne: 'رابط من شخص يعلّق لأول مرة',
  signalFirstTimeLinksOther: 'روابط من شخص يعلّق لأول مرة: {count}',
  signalKeywordLinksOne: 'رابط نصه كلمات بيع',
  signalKeywordLinksOther: 'روابط نصها كلمات بيع: {count}',
  signalOddLinks: 'روابط إلى خدمة تقصير روابط أو نطاق يكثر فيه الإزعاج: {hosts}',
  signalSpamWords: 'كلمات مزعجة: {words}',
  signalIdentityWords: 'كلمات مزعجة في الاسم أو الموقع: {words}',
  signalCannedPhrase: 'عبارة إزعاج مألوفة من شخص غريب مع رابط: «{phrase}»',
  signalLinkOnly: 'لا شيء تقريبًا سوى رابط',
  signalMarkupLinks: 'روابط HTML أو BBCode ملصقة',
  signalNameLink: 'عنوان ويب في مكان الاسم',
  signalWebsiteAndLinks: 'موقع ويب وروابط في النص',
  signalNoTiming: 'أُرسل دون توقيت النموذج (ليس من نموذج التعليق؟)',
  signalFastTyping: 'كتابة سريعة: الأحرف {characters}، الثواني {seconds}',
  signalShouting: 'أغلبه بأحرف كبيرة',
  signalAkismet: 'يراه Akismet مزعجًا',
  signalKnownCommenter: 'سبقت الموافقة على تعليق له',
  signalCaptchaPassed: 'اجتاز اختبار Turnstile',
};
