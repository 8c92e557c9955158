/**
 * The words of the mails a commenter gets (the confirmation, and replies to their comment), in the reader widget's
 * languages: in the language the widget showed them when they asked (the comment's `lang`), as the pages those mails
 * link to speak the commenter's (email-link-strings.ts). The owner's held-comment mail speaks the admin page's
 * languages, in the one the page last said at sign-in or on changing (routes/notifications.ts `ownerLanguageFor`).
 * The Arabic, German, Spanish, French, Portuguese, Indonesian, Japanese, Khmer and Vietnamese wording is
 * machine-assisted, as the widget's is: corrections are welcome. Every link ends its line, the post's address too (no colon after it), so
 * no word or punctuation of a language sticks to it: a mail app would take a Khmer `៖` right after it into the link.
 */
import type { MailWords, OwnerMailWords } from '../domain/email-messages.js';
import { heldReasonWordsAr } from '@sala/protocol/held-reasons/ar';
import { heldReasonWordsDe } from '@sala/protocol/held-reasons/de';
import { heldReasonWordsEs } from '@sala/protocol/held-reasons/es';
import { heldReasonWordsFr } from '@sala/protocol/held-reasons/fr';
import { heldReasonWordsId } from '@sala/protocol/held-reasons/id';
import { heldReasonWordsJa } from '@sala/protocol/held-reasons/ja';
import { heldReasonWordsKm } from '@sala/protocol/held-reasons/km';
import { heldReasonWordsPt } from '@sala/protocol/held-reasons/pt';
import { heldReasonWordsVi } from '@sala/protocol/held-reasons/vi';

/** {site}: the site's name; {page}: the post's address (or the site's name); {url}: a link; {author}: a name. */
const en: MailWords = {
  confirmSubject: '[{site}] Confirm reply notifications',
  confirmAsked: 'Someone using this address commented on {page} and asked to be emailed about replies.',
  confirmLink: 'If that was you, confirm here: {url}',
  confirmIgnore: 'If it was not, ignore this mail: nothing more will be sent.',
  replySubject: '[{site}] {author} replied to your comment',
  replied: '{author} replied to your comment on {page}',
  /** {text}: the start of the reader's own comment. */
  yourComment: 'Your comment: {text}',
  readThread: 'Read the thread: {url}',
  stopMails: 'Stop these mails: {url}',
};

// Each line starts with an Arabic word, the reply's verb before its author's name as Arabic puts it ("ردّ سوك …"):
// a mail app that sets a line's direction by its first letter (Gmail's dir="auto") shows it right to left, where a
// line starting with a Latin name would read left to right. A post's address has a line of its own, which starts with
// its "https" (left to right in such an app), followed by a space and a left-to-right mark (U+200E) for an app that
// lays every line out right to left: in a right-to-left line a permalink's closing "/", with Arabic or the line's end
// after it, took the line's direction and was drawn before the "https"; with the mark after it, it stays at the end.
// An isolate (U+2068 … U+2069) would do as much, but its closing mark would touch the address, and a mail app's link,
// which runs to the next space, would take it in; and in the middle of an Arabic line the space after the address
// joins the address's run, drawn as a double gap on one side and none on the other.
const ar: MailWords = {
  confirmSubject: '[{site}] تأكيد إشعارات الردود',
  confirmAsked: 'علّق شخص يستخدم هذا العنوان على هذه الصفحة وطلب أن تصله الردود بالبريد الإلكتروني:\n{page} \u200e',
  confirmLink: 'إن كنت أنت، فأكّد من هنا: {url}',
  confirmIgnore: 'وإن لم تكن أنت، فتجاهل هذه الرسالة: لن يُرسَل إليك شيء بعد الآن.',
  replySubject: '[{site}] ردّ {author} على تعليقك',
  replied: 'ردّ {author} على تعليقك في:\n{page} \u200e',
  yourComment: 'تعليقك: {text}',
  readThread: 'اقرأ النقاش:\n{url} \u200e',
  stopMails: 'أوقف هذه الرسائل: {url}',
};

const de: MailWords = {
  confirmSubject: '[{site}] E-Mails über Antworten bestätigen',
  confirmAsked:
    'Jemand hat mit dieser Adresse auf {page} kommentiert und möchte per E-Mail über Antworten informiert werden.',
  confirmLink: 'Wenn du das warst, bestätige hier: {url}',
  confirmIgnore: 'Wenn nicht, ignoriere diese E-Mail: Es kommt nichts weiter.',
  replySubject: '[{site}] {author} hat auf deinen Kommentar geantwortet',
  replied: '{author} hat auf deinen Kommentar auf {page} geantwortet:',
  yourComment: 'Dein Kommentar: {text}',
  readThread: 'Zur Diskussion: {url}',
  stopMails: 'Diese E-Mails abbestellen: {url}',
};

const es: MailWords = {
  confirmSubject: '[{site}] Confirma los avisos de respuestas',
  confirmAsked: 'Alguien con esta dirección comentó en {page} y pidió recibir un correo cuando le respondan.',
  confirmLink: 'Si fuiste tú, confírmalo aquí: {url}',
  confirmIgnore: 'Si no, ignora este correo: no se enviará nada más.',
  replySubject: '[{site}] {author} respondió a tu comentario',
  replied: '{author} respondió a tu comentario en {page}',
  yourComment: 'Tu comentario: {text}',
  readThread: 'Leer la conversación: {url}',
  stopMails: 'Dejar de recibir estos correos: {url}',
};

// The spaces before « : » are no-break spaces, as in the widget's French.
const fr: MailWords = {
  confirmSubject: '[{site}] Confirmez les notifications de réponses',
  confirmAsked: 'Quelqu’un a commenté {page} avec cette adresse et a demandé à recevoir un e-mail pour chaque réponse.',
  confirmLink: 'Si c’était vous, confirmez ici\u00a0: {url}',
  confirmIgnore: 'Sinon, ignorez cet e-mail\u00a0: rien d’autre ne sera envoyé.',
  replySubject: '[{site}] {author} a répondu à votre commentaire',
  replied: '{author} a répondu à votre commentaire sur {page}',
  yourComment: 'Votre commentaire\u00a0: {text}',
  readThread: 'Lire la discussion\u00a0: {url}',
  stopMails: 'Ne plus recevoir ces e-mails\u00a0: {url}',
};

const id: MailWords = {
  confirmSubject: '[{site}] Konfirmasi notifikasi balasan',
  confirmAsked: 'Seseorang dengan alamat ini berkomentar di {page} dan meminta dikirimi email tentang balasan.',
  confirmLink: 'Jika itu Anda, konfirmasi di sini: {url}',
  confirmIgnore: 'Jika bukan, abaikan email ini: tidak akan ada kiriman lagi.',
  replySubject: '[{site}] {author} membalas komentar Anda',
  replied: '{author} membalas komentar Anda di {page}',
  yourComment: 'Komentar Anda: {text}',
  readThread: 'Baca percakapannya: {url}',
  stopMails: 'Berhenti menerima email ini: {url}',
};

const ja: MailWords = {
  confirmSubject: '[{site}] 返信通知の確認',
  confirmAsked: 'このアドレスで {page} にコメントした方が、返信をメールで受け取ることを希望しました。',
  confirmLink: 'ご本人の場合は、こちらで確認してください：{url}',
  confirmIgnore: '心当たりがない場合は、このメールを無視してください。今後メールが届くことはありません。',
  replySubject: '[{site}] {author} さんがあなたのコメントに返信しました',
  replied: '{author} さんが {page} のあなたのコメントに返信しました：',
  yourComment: 'あなたのコメント：{text}',
  readThread: 'スレッドを読む：{url}',
  stopMails: 'このメールの配信を停止：{url}',
};

const km: MailWords = {
  confirmSubject: '[{site}] បញ្ជាក់ការជូនដំណឹងអំពីការឆ្លើយតប',
  confirmAsked: 'មាននរណាម្នាក់ប្រើអាសយដ្ឋាននេះ បញ្ចេញមតិនៅលើ {page} ហើយស្នើសុំទទួលអ៊ីមែលអំពីការឆ្លើយតប។',
  confirmLink: 'បើជាអ្នក សូមបញ្ជាក់នៅទីនេះ៖ {url}',
  confirmIgnore: 'បើមិនមែនទេ សូមកុំខ្វល់នឹងអ៊ីមែលនេះ៖ នឹងគ្មានអ្វីផ្ញើមកទៀតទេ។',
  replySubject: '[{site}] {author} បានឆ្លើយតបមតិយោបល់របស់អ្នក',
  replied: '{author} បានឆ្លើយតបមតិយោបល់របស់អ្នកនៅលើ {page}',
  yourComment: 'មតិយោបល់របស់អ្នក៖ {text}',
  readThread: 'អានការពិភាក្សា៖ {url}',
  stopMails: 'ឈប់ទទួលអ៊ីមែលទាំងនេះ៖ {url}',
};

const pt: MailWords = {
  confirmSubject: '[{site}] Confirme os avisos de respostas',
  confirmAsked:
    'Alguém usando este endereço comentou em {page} e pediu para receber um e-mail quando houver respostas.',
  confirmLink: 'Se foi você, confirme aqui: {url}',
  confirmIgnore: 'Se não foi, ignore este e-mail: nada mais será enviado.',
  replySubject: '[{site}] {author} respondeu ao seu comentário',
  replied: '{author} respondeu ao seu comentário em {page}',
  yourComment: 'Seu comentário: {text}',
  readThread: 'Ler a conversa: {url}',
  stopMails: 'Parar de receber estes e-mails: {url}',
};

const vi: MailWords = {
  confirmSubject: '[{site}] Xác nhận nhận thông báo trả lời',
  confirmAsked: 'Ai đó dùng địa chỉ này đã bình luận trên {page} và yêu cầu nhận email khi có trả lời.',
  confirmLink: 'Nếu đó là bạn, hãy xác nhận tại đây: {url}',
  confirmIgnore: 'Nếu không phải, hãy bỏ qua email này: sẽ không có gì được gửi thêm.',
  replySubject: '[{site}] {author} đã trả lời bình luận của bạn',
  replied: '{author} đã trả lời bình luận của bạn trên {page}',
  yourComment: 'Bình luận của bạn: {text}',
  readThread: 'Đọc cuộc thảo luận: {url}',
  stopMails: 'Ngừng nhận các email này: {url}',
};

/** The mails' words by language: the widget's ten. */
export const MAIL_STRINGS = { en, ar, de, es, fr, id, ja, km, pt, vi } satisfies Record<string, MailWords>;

export type MailLanguage = keyof typeof MAIL_STRINGS;

/**
 * The language of a comment's mails from the `lang` it was sent with (a language tag, `pt-BR`): its first subtag
 * when the mails have words in it, else null (English). A string is all it must be (comment-input.ts checks that).
 */
export function mailLanguage(lang: unknown): MailLanguage | null {
  if (typeof lang !== 'string') return null;
  const primary = lang.trim().toLowerCase().split(/[-_]/)[0]!;
  return Object.hasOwn(MAIL_STRINGS, primary) ? (primary as MailLanguage) : null;
}

/** The words for a stored comment's `lang`: English for none, or one no longer in the table. */
export function mailWords(lang: string | undefined): MailWords {
  return MAIL_STRINGS[mailLanguage(lang) ?? 'en'];
}

/** The owner's held-comment mail: {site}, {author}, {page} as above; {url}: a one-click link or the admin page. */
const ownerEn: OwnerMailWords = {
  heldSubject: '[{site}] Comment awaiting moderation from {author}',
  commented: '{author} commented on {page}',
  heldBecause: 'Held because:',
  approveLink: 'Approve: {url}',
  rejectLink: 'Reject: {url}',
  allWaiting: 'All comments waiting: {url}',
  linksOnce: 'Each link works once and expires after 7 days.',
};

// As the reader's Arabic mails: each line starts with an Arabic word, the verb before the commenter's name, and the
// post's address on a line of its own, followed by a space and a left-to-right mark.
const ownerAr: OwnerMailWords = {
  heldSubject: '[{site}] تعليق من {author} بانتظار المراجعة',
  commented: 'علّق {author} على:\n{page} \u200e',
  heldBecause: 'سبب الاحتجاز:',
  approveLink: 'موافقة: {url}',
  rejectLink: 'رفض: {url}',
  allWaiting: 'كل التعليقات المنتظرة: {url}',
  linksOnce: 'يعمل كل رابط مرة واحدة، وتنتهي صلاحيته بعد 7 أيام.',
  reasons: heldReasonWordsAr,
};

const ownerDe: OwnerMailWords = {
  heldSubject: '[{site}] Kommentar von {author} wartet auf Freigabe',
  commented: 'Neuer Kommentar von {author} auf {page}',
  heldBecause: 'Zurückgehalten, weil:',
  approveLink: 'Freigeben: {url}',
  rejectLink: 'Ablehnen: {url}',
  allWaiting: 'Alle wartenden Kommentare: {url}',
  linksOnce: 'Jeder Link funktioniert einmal und läuft nach 7 Tagen ab.',
  reasons: heldReasonWordsDe,
};

const ownerEs: OwnerMailWords = {
  heldSubject: '[{site}] Comentario de {author} pendiente de moderación',
  commented: '{author} comentó en {page}',
  heldBecause: 'Retenido porque:',
  approveLink: 'Aprobar: {url}',
  rejectLink: 'Rechazar: {url}',
  allWaiting: 'Todos los comentarios en espera: {url}',
  linksOnce: 'Cada enlace funciona una sola vez y caduca a los 7 días.',
  reasons: heldReasonWordsEs,
};

// « écrit par {author} », not « de {author} »: a name starting with a vowel would want « d’ » (« d’Anna »).
const ownerFr: OwnerMailWords = {
  heldSubject: '[{site}] Commentaire écrit par {author} en attente de modération',
  commented: '{author} a commenté {page}',
  heldBecause: 'Retenu car\u00a0:',
  approveLink: 'Approuver\u00a0: {url}',
  rejectLink: 'Refuser\u00a0: {url}',
  allWaiting: 'Tous les commentaires en attente\u00a0: {url}',
  linksOnce: 'Chaque lien ne fonctionne qu’une fois et expire au bout de 7 jours.',
  reasons: heldReasonWordsFr,
};

const ownerPt: OwnerMailWords = {
  heldSubject: '[{site}] Comentário de {author} aguardando moderação',
  commented: '{author} comentou em {page}',
  heldBecause: 'Retido porque:',
  approveLink: 'Aprovar: {url}',
  rejectLink: 'Rejeitar: {url}',
  allWaiting: 'Todos os comentários aguardando: {url}',
  linksOnce: 'Cada link funciona uma vez só e expira depois de 7 dias.',
  reasons: heldReasonWordsPt,
};

const ownerId: OwnerMailWords = {
  heldSubject: '[{site}] Komentar dari {author} menunggu moderasi',
  commented: '{author} berkomentar di {page}',
  heldBecause: 'Ditahan karena:',
  approveLink: 'Setujui: {url}',
  rejectLink: 'Tolak: {url}',
  allWaiting: 'Semua komentar yang menunggu: {url}',
  linksOnce: 'Setiap tautan hanya berlaku sekali dan kedaluwarsa setelah 7 hari.',
  reasons: heldReasonWordsId,
};

const ownerJa: OwnerMailWords = {
  heldSubject: '[{site}] {author} さんのコメントが承認待ちです',
  commented: '{author} さんが {page} にコメントしました：',
  heldBecause: '保留された理由：',
  approveLink: '承認：{url}',
  rejectLink: '拒否：{url}',
  allWaiting: '承認待ちのコメントすべて：{url}',
  linksOnce: 'どのリンクも使えるのは一度だけで、7日後に期限が切れます。',
  reasons: heldReasonWordsJa,
};

const ownerKm: OwnerMailWords = {
  heldSubject: '[{site}] មតិយោបល់ពី {author} កំពុងរង់ចាំពិនិត្យ',
  commented: '{author} បានបញ្ចេញមតិនៅលើ {page}',
  heldBecause: 'ត្រូវបានរក្សាទុក ដោយសារ៖',
  approveLink: 'អនុម័ត៖ {url}',
  rejectLink: 'បដិសេធ៖ {url}',
  allWaiting: 'មតិយោបល់ទាំងអស់ដែលកំពុងរង់ចាំ៖ {url}',
  linksOnce: 'តំណនីមួយៗប្រើបានតែម្តង ហើយផុតកំណត់ក្រោយ 7 ថ្ងៃ។',
  reasons: heldReasonWordsKm,
};

const ownerVi: OwnerMailWords = {
  heldSubject: '[{site}] Bình luận của {author} đang chờ kiểm duyệt',
  commented: '{author} đã bình luận trên {page}',
  heldBecause: 'Bị giữ lại vì:',
  approveLink: 'Duyệt: {url}',
  rejectLink: 'Từ chối: {url}',
  allWaiting: 'Tất cả bình luận đang chờ: {url}',
  linksOnce: 'Mỗi liên kết chỉ dùng được một lần và hết hạn sau 7 ngày.',
  reasons: heldReasonWordsVi,
};

/** The owner's mail by language: the admin page's. */
export const OWNER_MAIL_STRINGS = {
  en: ownerEn,
  ar: ownerAr,
  de: ownerDe,
  es: ownerEs,
  fr: ownerFr,
  id: ownerId,
  ja: ownerJa,
  km: ownerKm,
  pt: ownerPt,
  vi: ownerVi,
} satisfies Record<string, OwnerMailWords>;

export type OwnerMailLanguage = keyof typeof OWNER_MAIL_STRINGS;

/** The owner's mail's language from a kept one (the admin page's, or the settings'): one it has words in, else null. */
export function ownerMailLanguage(lang: string | null | undefined): OwnerMailLanguage | null {
  return typeof lang === 'string' && Object.hasOwn(OWNER_MAIL_STRINGS, lang) ? (lang as OwnerMailLanguage) : null;
}
