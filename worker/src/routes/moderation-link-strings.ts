/**
 * The words of the one-click moderation links' pages, in the admin page's languages: the owner opens them from a
 * notification and reads them as they read the admin page. A table of their own, not the admin page's strings:
 * those live in the widgets package, and the Worker would carry every one of them for these few. The Indonesian,
 * Japanese, Khmer and Vietnamese wording is machine-assisted, as the admin page's is: corrections are welcome.
 */

const en = {
  expiredTitle: 'This link has expired',
  expiredText: 'Moderate the comment from the admin page instead.',
  invalidTitle: 'This link is not valid',
  invalidText: 'It may have been cut short when it was copied.',
  usedTitle: 'This link was already used',
  usedText: 'Each link works once.',
  goneTitle: 'This comment is gone',
  goneText: 'It was deleted since the notification was sent.',
  approveQuestion: 'Approve this comment?',
  rejectQuestion: 'Reject this comment?',
  approve: 'Approve',
  reject: 'Reject',
  /** HTML: {name} and {page} are escaped by the caller. */
  nameOnPage: '{name} on {page}',
  statusNow: 'Its status now: {status}.',
  pending: 'Awaiting review',
  approvedStatus: 'Approved',
  spam: 'Spam',
  rejectedStatus: 'Rejected',
  conflictTitle: 'Edited since you read it',
  conflictText: 'Nothing was changed. Open the link again to read it as it is now.',
  failedTitle: 'That did not work',
  failedText: 'Nothing was changed; try the button again in a moment.',
  approved: 'Approved',
  rejected: 'Rejected',
  adminLink: 'Open the comments on the admin page',
};

export type LinkStrings = typeof en;

const id: LinkStrings = {
  expiredTitle: 'Tautan ini sudah kedaluwarsa',
  expiredText: 'Moderasi komentar ini dari halaman admin.',
  invalidTitle: 'Tautan ini tidak valid',
  invalidText: 'Mungkin tautannya terpotong saat disalin.',
  usedTitle: 'Tautan ini sudah dipakai',
  usedText: 'Setiap tautan hanya berlaku sekali.',
  goneTitle: 'Komentar ini sudah tidak ada',
  goneText: 'Komentar ini dihapus setelah notifikasinya dikirim.',
  approveQuestion: 'Setujui komentar ini?',
  rejectQuestion: 'Tolak komentar ini?',
  approve: 'Setujui',
  reject: 'Tolak',
  nameOnPage: '{name} di {page}',
  statusNow: 'Statusnya sekarang: {status}.',
  pending: 'Menunggu moderasi',
  approvedStatus: 'Disetujui',
  spam: 'Spam',
  rejectedStatus: 'Ditolak',
  conflictTitle: 'Diedit setelah Anda membacanya',
  conflictText: 'Tidak ada yang diubah. Buka tautannya lagi untuk membaca isinya yang sekarang.',
  failedTitle: 'Tidak berhasil',
  failedText: 'Tidak ada yang diubah; coba tekan tombolnya lagi sebentar lagi.',
  approved: 'Disetujui',
  rejected: 'Ditolak',
  adminLink: 'Buka komentar di halaman admin',
};

const ja: LinkStrings = {
  expiredTitle: 'このリンクは有効期限が切れています',
  expiredText: '管理画面からコメントを承認または拒否してください。',
  invalidTitle: 'このリンクは無効です',
  invalidText: 'コピーしたときに途中で切れた可能性があります。',
  usedTitle: 'このリンクは使用済みです',
  usedText: 'リンクはそれぞれ一度だけ使えます。',
  goneTitle: 'このコメントはもうありません',
  goneText: '通知が送られた後に削除されました。',
  approveQuestion: 'このコメントを承認しますか？',
  rejectQuestion: 'このコメントを拒否しますか？',
  approve: '承認',
  reject: '拒否',
  nameOnPage: '{name}（{page}）',
  statusNow: '現在の状態：{status}',
  pending: '承認待ち',
  approvedStatus: '承認済み',
  spam: 'スパム',
  rejectedStatus: '拒否済み',
  conflictTitle: 'あなたが読んだ後に編集されました',
  conflictText: '何も変更されていません。リンクをもう一度開いて、今の内容を読んでください。',
  failedTitle: 'うまくいきませんでした',
  failedText: '何も変更されていません。少し待ってから、もう一度ボタンを押してください。',
  approved: '承認しました',
  rejected: '拒否しました',
  adminLink: '管理画面でコメントを開く',
};

const km: LinkStrings = {
  expiredTitle: 'តំណនេះផុតកំណត់ហើយ',
  expiredText: 'សូមអនុម័ត ឬបដិសេធមតិយោបល់នេះពីផ្ទាំងគ្រប់គ្រងជំនួសវិញ។',
  invalidTitle: 'តំណនេះមិនត្រឹមត្រូវទេ',
  invalidText: 'ប្រហែលជាវាត្រូវបានកាត់ខ្លី ពេលចម្លង។',
  usedTitle: 'តំណនេះត្រូវបានប្រើរួចហើយ',
  usedText: 'តំណនីមួយៗប្រើបានតែម្ដងប៉ុណ្ណោះ។',
  goneTitle: 'មតិយោបល់នេះលែងមានទៀតហើយ',
  goneText: 'វាត្រូវបានលុប បន្ទាប់ពីការជូនដំណឹងត្រូវបានផ្ញើ។',
  approveQuestion: 'អនុម័តមតិយោបល់នេះឬ?',
  rejectQuestion: 'បដិសេធមតិយោបល់នេះឬ?',
  approve: 'អនុម័ត',
  reject: 'បដិសេធ',
  nameOnPage: '{name} នៅលើ {page}',
  statusNow: 'ស្ថានភាពឥឡូវនេះ៖ {status}។',
  pending: 'កំពុងរង់ចាំពិនិត្យ',
  approvedStatus: 'បានអនុម័ត',
  spam: 'សារឥតបានការ',
  rejectedStatus: 'បានបដិសេធ',
  conflictTitle: 'បានកែប្រែ បន្ទាប់ពីអ្នកបានអាន',
  conflictText: 'គ្មានអ្វីត្រូវបានផ្លាស់ប្ដូរទេ។ សូមបើកតំណម្ដងទៀត ដើម្បីអានវាដូចដែលវាមានឥឡូវនេះ។',
  failedTitle: 'មិនបានសម្រេចទេ',
  failedText: 'គ្មានអ្វីត្រូវបានផ្លាស់ប្ដូរទេ។ សូមចុចប៊ូតុងម្ដងទៀត បន្តិចទៀតនេះ។',
  approved: 'បានអនុម័ត',
  rejected: 'បានបដិសេធ',
  adminLink: 'បើកមតិយោបល់នៅផ្ទាំងគ្រប់គ្រង',
};

const vi: LinkStrings = {
  expiredTitle: 'Liên kết này đã hết hạn',
  expiredText: 'Hãy kiểm duyệt bình luận từ trang quản trị.',
  invalidTitle: 'Liên kết này không hợp lệ',
  invalidText: 'Có thể nó đã bị cắt ngắn khi sao chép.',
  usedTitle: 'Liên kết này đã được dùng',
  usedText: 'Mỗi liên kết chỉ dùng được một lần.',
  goneTitle: 'Bình luận này không còn nữa',
  goneText: 'Nó đã bị xoá sau khi thông báo được gửi.',
  approveQuestion: 'Duyệt bình luận này?',
  rejectQuestion: 'Từ chối bình luận này?',
  approve: 'Duyệt',
  reject: 'Từ chối',
  nameOnPage: '{name} trên {page}',
  statusNow: 'Trạng thái hiện tại: {status}.',
  pending: 'Đang chờ kiểm duyệt',
  approvedStatus: 'Đã duyệt',
  spam: 'Spam',
  rejectedStatus: 'Đã từ chối',
  conflictTitle: 'Đã được sửa sau khi bạn đọc',
  conflictText: 'Không có gì thay đổi. Hãy mở lại liên kết để đọc nội dung hiện tại.',
  failedTitle: 'Không thành công',
  failedText: 'Không có gì thay đổi; hãy bấm nút lại sau giây lát.',
  approved: 'Đã duyệt',
  rejected: 'Đã từ chối',
  adminLink: 'Mở bình luận trên trang quản trị',
};

const LINK_STRINGS: Record<string, LinkStrings> = { en, id, ja, km, vi };

/**
 * The language of the pages for an Accept-Language header: its most preferred language these pages have (by its
 * first subtag, `km-KH` is `km`), else English, as the admin page picks from the browser's languages.
 */
export function linkLanguage(acceptLanguage: string | undefined): string {
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, order) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((param) => /^\s*q=([0-9.]+)\s*$/i.exec(param)?.[1]).find((value) => value !== undefined);
      return { lang: tag.trim().toLowerCase().split('-')[0]!, q: q === undefined ? 1 : Number(q), order };
    })
    .filter(({ lang, q }) => Object.hasOwn(LINK_STRINGS, lang) && q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
  return ranked[0]?.lang ?? 'en';
}

export function linkStrings(lang: string): LinkStrings {
  return LINK_STRINGS[lang] ?? en;
}
