/**
 * The words of the mails a commenter gets (the confirmation, and replies to their comment), in the reader widget's
 * languages: in the language the widget showed them when they asked (the comment's `lang`), as the pages those mails
 * link to speak the commenter's (email-link-strings.ts). The owner's held-comment mail speaks the admin page's
 * languages, in the one the page last saved the settings in (`SiteSettings.ownerLanguage`). The German, Spanish, French, Portuguese, Indonesian, Japanese, Khmer and
 * Vietnamese wording is machine-assisted, as the widget's is: corrections are welcome. Every link ends its line, so
 * no word of a language sticks to it.
 */
import type { MailWords, OwnerMailWords } from '../domain/email-messages.js';
import type { ReasonWords } from '../domain/held-reasons.js';

/** {site}: the site's name; {page}: the post's address (or the site's name); {url}: a link; {author}: a name. */
const en: MailWords = {
  confirmSubject: '[{site}] Confirm reply notifications',
  confirmAsked: 'Someone using this address commented on {page} and asked to be emailed about replies.',
  confirmLink: 'If that was you, confirm here: {url}',
  confirmIgnore: 'If it was not, ignore this mail: nothing more will be sent.',
  replySubject: '[{site}] {author} replied to your comment',
  replied: '{author} replied to your comment on {page}:',
  /** {text}: the start of the reader's own comment. */
  yourComment: 'Your comment: {text}',
  readThread: 'Read the thread: {url}',
  stopMails: 'Stop these mails: {url}',
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
  replied: '{author} respondió a tu comentario en {page}:',
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
  replied: '{author} a répondu à votre commentaire sur {page}\u00a0:',
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
  replied: '{author} membalas komentar Anda di {page}:',
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
  replied: '{author} បានឆ្លើយតបមតិយោបល់របស់អ្នកនៅលើ {page}៖',
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
  replied: '{author} respondeu ao seu comentário em {page}:',
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
  replied: '{author} đã trả lời bình luận của bạn trên {page}:',
  yourComment: 'Bình luận của bạn: {text}',
  readThread: 'Đọc cuộc thảo luận: {url}',
  stopMails: 'Ngừng nhận các email này: {url}',
};

/** The mails' words by language: the widget's nine. */
export const MAIL_STRINGS = { en, de, es, fr, id, ja, km, pt, vi } satisfies Record<string, MailWords>;

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

/**
 * Why a comment was held, for the owner's mail beyond English (whose lines are held-reasons.ts', as in the webhooks):
 * the admin page's own sentences for the same codes (its strings/*.ts), so the mail and the page say the same.
 */
const reasonsId: ReasonWords = {
  reasonHoldAll: 'Situs menahan setiap komentar',
  reasonFirstTime: 'Baru pertama kali berkomentar',
  reasonHasLink: 'Berisi tautan',
  reasonEditAddedLink: 'Suntingan menambahkan tautan',
  reasonHoldWord: 'Berisi “{word}”',
  reasonSpamScore: 'Tampak seperti spam (skor {score})',
  signalLinks: '{count} tautan',
  signalFirstTimeLinksOne: 'Satu tautan dari orang yang baru pertama kali berkomentar',
  signalFirstTimeLinksOther: '{count} tautan dari orang yang baru pertama kali berkomentar',
  signalKeywordLinksOne: 'Satu tautan dengan kata kunci jualan sebagai teksnya',
  signalKeywordLinksOther: '{count} tautan dengan kata kunci jualan sebagai teksnya',
  signalOddLinks: 'Tautan ke penyingkat tautan atau domain yang rawan spam: {hosts}',
  signalSpamWords: 'Kata spam: {words}',
  signalIdentityWords: 'Kata spam di nama atau situs web: {words}',
  signalCannedPhrase: 'Frasa spam umum dari orang asing dengan tautan: “{phrase}”',
  signalLinkOnly: 'Hampir hanya berisi tautan',
  signalMarkupLinks: 'Tautan HTML atau BBCode yang ditempel',
  signalNameLink: 'Alamat web sebagai nama',
  signalWebsiteAndLinks: 'Situs web dan tautan di dalam teks',
  signalNoTiming: 'Dikirim tanpa catatan waktu formulir (bukan dari formulir komentar?)',
  signalFastTyping: '{characters} karakter dalam {seconds} detik',
  signalShouting: 'Sebagian besar huruf kapital',
  signalAkismet: 'Akismet menilainya spam',
  signalKnownCommenter: 'Pernah ada komentarnya yang disetujui',
  signalCaptchaPassed: 'Lolos verifikasi Turnstile',
};

const reasonsJa: ReasonWords = {
  reasonHoldAll: 'このサイトはすべてのコメントを保留します',
  reasonFirstTime: '初めてのコメント投稿者',
  reasonHasLink: 'リンクを含む',
  reasonEditAddedLink: '編集でリンクが追加された',
  reasonHoldWord: '「{word}」を含む',
  reasonSpamScore: 'スパムの可能性（スコア {score}）',
  signalLinks: '{count} 件のリンク',
  signalFirstTimeLinksOne: '初めての投稿者からのリンク 1 件',
  signalFirstTimeLinksOther: '初めての投稿者からのリンク {count} 件',
  signalKeywordLinksOne: '宣伝用のキーワードを文字にしたリンク 1 件',
  signalKeywordLinksOther: '宣伝用のキーワードを文字にしたリンク {count} 件',
  signalOddLinks: '短縮 URL サービスやスパムの多いドメインへのリンク: {hosts}',
  signalSpamWords: 'スパムの語句: {words}',
  signalIdentityWords: '名前またはウェブサイトにスパムの語句: {words}',
  signalCannedPhrase: '見知らぬ人からのリンク付きの定型スパム文: 「{phrase}」',
  signalLinkOnly: 'ほぼリンクだけ',
  signalMarkupLinks: '貼り付けられた HTML や BBCode のリンク',
  signalNameLink: '名前がウェブアドレス',
  signalWebsiteAndLinks: 'ウェブサイトと本文中のリンク',
  signalNoTiming: 'フォームの入力時間なしで送信（コメントフォームからではない？）',
  signalFastTyping: '{seconds} 秒で {characters} 文字',
  signalShouting: 'ほとんどが大文字',
  signalAkismet: 'Akismet がスパムと判定',
  signalKnownCommenter: '以前に承認されたコメントあり',
  signalCaptchaPassed: 'Turnstile の確認を通過',
};

const reasonsKm: ReasonWords = {
  reasonHoldAll: 'គេហទំព័រនេះរក្សាទុកមតិយោបល់ទាំងអស់ដើម្បីពិនិត្យ',
  reasonFirstTime: 'អ្នកបញ្ចេញមតិលើកដំបូង',
  reasonHasLink: 'មានតំណភ្ជាប់',
  reasonEditAddedLink: 'ការកែសម្រួលបានបន្ថែមតំណភ្ជាប់',
  reasonHoldWord: 'មានពាក្យ “{word}”',
  reasonSpamScore: 'មើលទៅដូចសារឥតបានការ (ពិន្ទុ {score})',
  signalLinks: 'តំណភ្ជាប់ {count}',
  signalFirstTimeLinksOne: 'តំណភ្ជាប់មួយពីអ្នកបញ្ចេញមតិលើកដំបូង',
  signalFirstTimeLinksOther: 'តំណភ្ជាប់ {count} ពីអ្នកបញ្ចេញមតិលើកដំបូង',
  signalKeywordLinksOne: 'តំណភ្ជាប់មួយដែលអត្ថបទរបស់វាជាពាក្យគន្លឹះលក់ដូរ',
  signalKeywordLinksOther: 'តំណភ្ជាប់ {count} ដែលអត្ថបទរបស់វាជាពាក្យគន្លឹះលក់ដូរ',
  signalOddLinks: 'តំណភ្ជាប់ទៅសេវាបង្រួមតំណ ឬដែនដែលគេប្រើច្រើនសម្រាប់សារឥតបានការ៖ {hosts}',
  signalSpamWords: 'ពាក្យសារឥតបានការ៖ {words}',
  signalIdentityWords: 'ពាក្យសារឥតបានការក្នុងឈ្មោះ ឬគេហទំព័រ៖ {words}',
  signalCannedPhrase: 'ឃ្លាសារឥតបានការទូទៅ ពីអ្នកមិនស្គាល់ដែលមានតំណភ្ជាប់៖ “{phrase}”',
  signalLinkOnly: 'ស្ទើរតែគ្មានអ្វីក្រៅពីតំណភ្ជាប់',
  signalMarkupLinks: 'តំណភ្ជាប់ HTML ឬ BBCode ដែលបានបិទភ្ជាប់',
  signalNameLink: 'ប្រើអាសយដ្ឋានគេហទំព័រជាឈ្មោះ',
  signalWebsiteAndLinks: 'មានគេហទំព័រ និងតំណភ្ជាប់ក្នុងអត្ថបទ',
  signalNoTiming: 'បានផ្ញើដោយគ្មានរយៈពេលសរសេររបស់ទម្រង់ (ប្រហែលមិនមែនពីទម្រង់មតិយោបល់?)',
  signalFastTyping: 'តួអក្សរ {characters} ក្នុងរយៈពេល {seconds} វិនាទី',
  signalShouting: 'ភាគច្រើនជាអក្សរធំ',
  signalAkismet: 'Akismet ថាជាសារឥតបានការ',
  signalKnownCommenter: 'ធ្លាប់មានមតិយោបល់ត្រូវបានអនុម័តពីមុន',
  signalCaptchaPassed: 'បានឆ្លងកាត់ការត្រួតពិនិត្យ Turnstile',
};

const reasonsVi: ReasonWords = {
  reasonHoldAll: 'Trang giữ lại mọi bình luận',
  reasonFirstTime: 'Người bình luận lần đầu',
  reasonHasLink: 'Có liên kết',
  reasonEditAddedLink: 'Một lần sửa đã thêm liên kết',
  reasonHoldWord: 'Có “{word}”',
  reasonSpamScore: 'Có vẻ là spam (điểm {score})',
  signalLinks: '{count} liên kết',
  signalFirstTimeLinksOne: 'Một liên kết từ người bình luận lần đầu',
  signalFirstTimeLinksOther: '{count} liên kết từ người bình luận lần đầu',
  signalKeywordLinksOne: 'Một liên kết có chữ là từ khóa bán hàng',
  signalKeywordLinksOther: '{count} liên kết có chữ là từ khóa bán hàng',
  signalOddLinks: 'Liên kết tới dịch vụ rút gọn liên kết hoặc tên miền hay có spam: {hosts}',
  signalSpamWords: 'Từ spam: {words}',
  signalIdentityWords: 'Từ spam trong tên hoặc trang web: {words}',
  signalCannedPhrase: 'Câu spam quen thuộc từ người lạ kèm liên kết: “{phrase}”',
  signalLinkOnly: 'Hầu như chỉ có liên kết',
  signalMarkupLinks: 'Liên kết HTML hoặc BBCode được dán vào',
  signalNameLink: 'Dùng địa chỉ web làm tên',
  signalWebsiteAndLinks: 'Có trang web và liên kết trong nội dung',
  signalNoTiming: 'Gửi đi mà không có thời gian của biểu mẫu (không phải từ khung bình luận?)',
  signalFastTyping: '{characters} ký tự trong {seconds} giây',
  signalShouting: 'Phần lớn là chữ in hoa',
  signalAkismet: 'Akismet cho là spam',
  signalKnownCommenter: 'Đã từng có bình luận được duyệt',
  signalCaptchaPassed: 'Đã vượt qua xác minh Turnstile',
};

/** The owner's held-comment mail: {site}, {author}, {page} as above; {url}: a one-click link or the admin page. */
const ownerEn: OwnerMailWords = {
  heldSubject: '[{site}] Comment awaiting moderation from {author}',
  commented: '{author} commented on {page}:',
  heldBecause: 'Held because:',
  approveLink: 'Approve: {url}',
  rejectLink: 'Reject: {url}',
  allWaiting: 'All comments waiting: {url}',
  linksOnce: 'Each link works once and expires after 7 days.',
};

const ownerId: OwnerMailWords = {
  heldSubject: '[{site}] Komentar dari {author} menunggu moderasi',
  commented: '{author} berkomentar di {page}:',
  heldBecause: 'Ditahan karena:',
  approveLink: 'Setujui: {url}',
  rejectLink: 'Tolak: {url}',
  allWaiting: 'Semua komentar yang menunggu: {url}',
  linksOnce: 'Setiap tautan hanya berlaku sekali dan kedaluwarsa setelah 7 hari.',
  reasons: reasonsId,
};

const ownerJa: OwnerMailWords = {
  heldSubject: '[{site}] {author} さんのコメントが承認待ちです',
  commented: '{author} さんが {page} にコメントしました：',
  heldBecause: '保留された理由：',
  approveLink: '承認：{url}',
  rejectLink: '拒否：{url}',
  allWaiting: '承認待ちのコメントすべて：{url}',
  linksOnce: 'どのリンクも使えるのは一度だけで、7日後に期限が切れます。',
  reasons: reasonsJa,
};

const ownerKm: OwnerMailWords = {
  heldSubject: '[{site}] មតិយោបល់ពី {author} កំពុងរង់ចាំពិនិត្យ',
  commented: '{author} បានបញ្ចេញមតិនៅលើ {page}៖',
  heldBecause: 'ត្រូវបានរក្សាទុក ដោយសារ៖',
  approveLink: 'អនុម័ត៖ {url}',
  rejectLink: 'បដិសេធ៖ {url}',
  allWaiting: 'មតិយោបល់ទាំងអស់ដែលកំពុងរង់ចាំ៖ {url}',
  linksOnce: 'តំណនីមួយៗប្រើបានតែម្តង ហើយផុតកំណត់ក្រោយ 7 ថ្ងៃ។',
  reasons: reasonsKm,
};

const ownerVi: OwnerMailWords = {
  heldSubject: '[{site}] Bình luận của {author} đang chờ kiểm duyệt',
  commented: '{author} đã bình luận trên {page}:',
  heldBecause: 'Bị giữ lại vì:',
  approveLink: 'Duyệt: {url}',
  rejectLink: 'Từ chối: {url}',
  allWaiting: 'Tất cả bình luận đang chờ: {url}',
  linksOnce: 'Mỗi liên kết chỉ dùng được một lần và hết hạn sau 7 ngày.',
  reasons: reasonsVi,
};

/** The owner's mail by language: the admin page's five. */
export const OWNER_MAIL_STRINGS = { en: ownerEn, id: ownerId, ja: ownerJa, km: ownerKm, vi: ownerVi } satisfies Record<
  string,
  OwnerMailWords
>;

/** The owner's mail's language from the settings' `ownerLanguage`: one it has words in, else null (English). */
export function ownerMailLanguage(lang: string | null | undefined): keyof typeof OWNER_MAIL_STRINGS | null {
  return typeof lang === 'string' && Object.hasOwn(OWNER_MAIL_STRINGS, lang)
    ? (lang as keyof typeof OWNER_MAIL_STRINGS)
    : null;
}
