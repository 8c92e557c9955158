/**
 * The words of the pages commenters open from Sala's mails (confirm reply mails, unsubscribe), in the reader widget's
 * languages: a commenter reads them as they read the comments. A small table of the Worker's own, as the one-click
 * owner pages have (moderation-link-strings.ts). The Arabic (shown right to left, link-page.ts), German, Spanish,
 * French, Portuguese, Indonesian, Japanese, Khmer and Vietnamese wording is machine-assisted, as the widget's is:
 * corrections are welcome.
 */

const en = {
  expiredTitle: 'This link has expired',
  expiredText: 'Leave another comment and ask again.',
  invalidTitle: 'This link is not valid',
  invalidText: 'It may have been cut short when it was copied.',
  goneTitle: 'This site is gone',
  goneText: 'Nothing to do.',
  /** {site}: the site's name, put in by the caller. */
  confirmQuestion: 'Email me about replies on {site}?',
  confirmButton: 'Yes, email me',
  unsubscribeQuestion: 'Stop reply emails from {site}?',
  unsubscribeButton: 'Unsubscribe',
  /** {email}: the address the link was mailed to. */
  forAddress: 'For {email}.',
  confirmedTitle: 'Confirmed',
  confirmedText: 'You will get an email when someone replies to your comments on {site}.',
  unsubscribedTitle: 'Unsubscribed',
  unsubscribedText: 'No more reply emails from {site}.',
};

export type EmailLinkStrings = typeof en;

const ar: EmailLinkStrings = {
  expiredTitle: 'انتهت صلاحية هذا الرابط',
  expiredText: 'اكتب تعليقًا آخر واطلب ذلك من جديد.',
  invalidTitle: 'هذا الرابط غير صالح',
  invalidText: 'ربما اقتُطع جزء منه عند نسخه.',
  goneTitle: 'هذا الموقع لم يعد موجودًا',
  goneText: 'لا شيء عليك فعله.',
  confirmQuestion: 'هل تريد أن تصلك رسائل بالردود على {site}؟',
  confirmButton: 'نعم، راسلني',
  unsubscribeQuestion: 'هل تريد إيقاف رسائل الردود من {site}؟',
  unsubscribeButton: 'إلغاء الاشتراك',
  forAddress: 'للعنوان {email}.',
  confirmedTitle: 'تم التأكيد',
  confirmedText: 'ستصلك رسالة عندما يردّ أحد على تعليقاتك في {site}.',
  unsubscribedTitle: 'تم إلغاء الاشتراك',
  unsubscribedText: 'لن تصلك رسائل الردود من {site} بعد الآن.',
};

const de: EmailLinkStrings = {
  expiredTitle: 'Dieser Link ist abgelaufen',
  expiredText: 'Schreib einen weiteren Kommentar und bitte dort noch einmal darum.',
  invalidTitle: 'Dieser Link ist ungültig',
  invalidText: 'Vielleicht wurde er beim Kopieren abgeschnitten.',
  goneTitle: 'Diese Website gibt es nicht mehr',
  goneText: 'Hier ist nichts mehr zu tun.',
  confirmQuestion: 'Per E-Mail über Antworten auf {site} informiert werden?',
  confirmButton: 'Ja, per E-Mail informieren',
  unsubscribeQuestion: 'Keine E-Mails mehr über Antworten auf {site}?',
  unsubscribeButton: 'Abmelden',
  forAddress: 'Für {email}.',
  confirmedTitle: 'Bestätigt',
  confirmedText: 'Du bekommst eine E-Mail, wenn jemand auf deine Kommentare auf {site} antwortet.',
  unsubscribedTitle: 'Abgemeldet',
  unsubscribedText: 'Du bekommst keine E-Mails über Antworten auf {site} mehr.',
};

const es: EmailLinkStrings = {
  expiredTitle: 'Este enlace ha caducado',
  expiredText: 'Deja otro comentario y vuelve a pedirlo.',
  invalidTitle: 'Este enlace no es válido',
  invalidText: 'Puede que se haya cortado al copiarlo.',
  goneTitle: 'Este sitio ya no existe',
  goneText: 'No hay nada que hacer.',
  confirmQuestion: '¿Recibir un correo cuando te respondan en {site}?',
  confirmButton: 'Sí, quiero recibirlos',
  unsubscribeQuestion: '¿Dejar de recibir correos de respuestas de {site}?',
  unsubscribeButton: 'Cancelar la suscripción',
  forAddress: 'Para {email}.',
  confirmedTitle: 'Confirmado',
  confirmedText: 'Recibirás un correo cuando alguien responda a tus comentarios en {site}.',
  unsubscribedTitle: 'Suscripción cancelada',
  unsubscribedText: 'No recibirás más correos de respuestas de {site}.',
};

// The spaces before « ? » are no-break spaces, as in the widget's French. « sur {site} », not « de {site} »: a site's
// name starting with a vowel would want « d’ » (the admin page's French says why).
const fr: EmailLinkStrings = {
  expiredTitle: 'Ce lien a expiré',
  expiredText: 'Laissez un autre commentaire et refaites la demande.',
  invalidTitle: 'Ce lien n’est pas valide',
  invalidText: 'Il a peut-être été tronqué lors de la copie.',
  goneTitle: 'Ce site n’existe plus',
  goneText: 'Il n’y a rien à faire.',
  confirmQuestion: 'Recevoir un e-mail quand on vous répond sur {site}\u00a0?',
  confirmButton: 'Oui, m’envoyer un e-mail',
  unsubscribeQuestion: 'Ne plus recevoir d’e-mails de réponses sur {site}\u00a0?',
  unsubscribeButton: 'Se désabonner',
  forAddress: 'Pour {email}.',
  confirmedTitle: 'Confirmé',
  confirmedText: 'Vous recevrez un e-mail quand quelqu’un répondra à vos commentaires sur {site}.',
  unsubscribedTitle: 'Désabonnement effectué',
  unsubscribedText: 'Vous ne recevrez plus d’e-mails de réponses sur {site}.',
};

const id: EmailLinkStrings = {
  expiredTitle: 'Tautan ini sudah kedaluwarsa',
  expiredText: 'Tulis komentar lagi dan minta sekali lagi.',
  invalidTitle: 'Tautan ini tidak valid',
  invalidText: 'Mungkin tautannya terpotong saat disalin.',
  goneTitle: 'Situs ini sudah tidak ada',
  goneText: 'Tidak ada yang perlu dilakukan.',
  confirmQuestion: 'Kirimi saya email tentang balasan di {site}?',
  confirmButton: 'Ya, kirimi saya email',
  unsubscribeQuestion: 'Berhenti menerima email balasan dari {site}?',
  unsubscribeButton: 'Berhenti berlangganan',
  forAddress: 'Untuk {email}.',
  confirmedTitle: 'Dikonfirmasi',
  confirmedText: 'Anda akan menerima email saat seseorang membalas komentar Anda di {site}.',
  unsubscribedTitle: 'Langganan dihentikan',
  unsubscribedText: 'Tidak ada lagi email balasan dari {site}.',
};

const ja: EmailLinkStrings = {
  expiredTitle: 'このリンクは有効期限が切れています',
  expiredText: 'もう一度コメントを投稿して、改めて申し込んでください。',
  invalidTitle: 'このリンクは無効です',
  invalidText: 'コピーしたときに途中で切れた可能性があります。',
  goneTitle: 'このサイトはもうありません',
  goneText: '何もする必要はありません。',
  confirmQuestion: '{site} での返信をメールで受け取りますか？',
  confirmButton: 'はい、受け取ります',
  unsubscribeQuestion: '{site} からの返信メールを停止しますか？',
  unsubscribeButton: '配信を停止',
  forAddress: '宛先：{email}',
  confirmedTitle: '確認しました',
  confirmedText: '{site} であなたのコメントに返信があると、メールでお知らせします。',
  unsubscribedTitle: '配信を停止しました',
  unsubscribedText: '{site} から返信メールが届くことはもうありません。',
};

const km: EmailLinkStrings = {
  expiredTitle: 'តំណនេះផុតកំណត់ហើយ',
  expiredText: 'សូមបញ្ចេញមតិម្ដងទៀត ហើយស្នើសុំម្ដងទៀត។',
  invalidTitle: 'តំណនេះមិនត្រឹមត្រូវទេ',
  invalidText: 'ប្រហែលជាវាត្រូវបានកាត់ខ្លី ពេលចម្លង។',
  goneTitle: 'គេហទំព័រនេះលែងមានទៀតហើយ',
  goneText: 'គ្មានអ្វីត្រូវធ្វើទេ។',
  confirmQuestion: 'ផ្ញើអ៊ីមែលមកខ្ញុំ ពេលមានការឆ្លើយតបនៅលើ {site} ឬ?',
  confirmButton: 'បាទ/ចាស ផ្ញើអ៊ីមែលមកខ្ញុំ',
  unsubscribeQuestion: 'ឈប់ទទួលអ៊ីមែលអំពីការឆ្លើយតបពី {site} ឬ?',
  unsubscribeButton: 'ឈប់ជាវ',
  forAddress: 'សម្រាប់ {email}។',
  confirmedTitle: 'បានបញ្ជាក់',
  confirmedText: 'អ្នកនឹងទទួលបានអ៊ីមែល ពេលមាននរណាម្នាក់ឆ្លើយតបមតិយោបល់របស់អ្នកនៅលើ {site}។',
  unsubscribedTitle: 'បានឈប់ជាវ',
  unsubscribedText: 'អ្នកនឹងលែងទទួលអ៊ីមែលអំពីការឆ្លើយតបពី {site} ទៀតហើយ។',
};

const pt: EmailLinkStrings = {
  expiredTitle: 'Este link expirou',
  expiredText: 'Deixe outro comentário e peça de novo.',
  invalidTitle: 'Este link não é válido',
  invalidText: 'Talvez ele tenha sido cortado ao ser copiado.',
  goneTitle: 'Este site não existe mais',
  goneText: 'Não há nada a fazer.',
  confirmQuestion: 'Receber um e-mail quando responderem a você em {site}?',
  confirmButton: 'Sim, quero receber',
  unsubscribeQuestion: 'Parar de receber e-mails de respostas de {site}?',
  unsubscribeButton: 'Cancelar inscrição',
  forAddress: 'Para {email}.',
  confirmedTitle: 'Confirmado',
  confirmedText: 'Você vai receber um e-mail quando alguém responder aos seus comentários em {site}.',
  unsubscribedTitle: 'Inscrição cancelada',
  unsubscribedText: 'Você não vai mais receber e-mails de respostas de {site}.',
};

const vi: EmailLinkStrings = {
  expiredTitle: 'Liên kết này đã hết hạn',
  expiredText: 'Hãy bình luận lần nữa và yêu cầu lại.',
  invalidTitle: 'Liên kết này không hợp lệ',
  invalidText: 'Có thể nó đã bị cắt ngắn khi sao chép.',
  goneTitle: 'Trang web này không còn nữa',
  goneText: 'Không cần làm gì thêm.',
  confirmQuestion: 'Nhận email khi có người trả lời bạn trên {site}?',
  confirmButton: 'Có, gửi email cho tôi',
  unsubscribeQuestion: 'Ngừng nhận email trả lời từ {site}?',
  unsubscribeButton: 'Hủy đăng ký',
  forAddress: 'Dành cho {email}.',
  confirmedTitle: 'Đã xác nhận',
  confirmedText: 'Bạn sẽ nhận được email khi có người trả lời bình luận của bạn trên {site}.',
  unsubscribedTitle: 'Đã hủy đăng ký',
  unsubscribedText: 'Bạn sẽ không nhận email trả lời từ {site} nữa.',
};

/** The pages' words by language (link-page.ts `pageWords` picks one). */
export const EMAIL_LINK_STRINGS = { en, ar, de, es, fr, id, ja, km, pt, vi } satisfies Record<string, EmailLinkStrings>;
