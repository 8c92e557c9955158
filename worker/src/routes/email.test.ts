/** Email through the HTTP API (fetch intercepted): the owner's held-comment mail, and reply mails with double opt-in. */
import type {
  AdminCommentResponse,
  AdminLanguage,
  AdminSessionResponse,
  ApiErrorBody,
  ExportPage,
  SiteSettingsResponse,
} from '@sala/protocol';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { confirmRepliesMail, heldCommentMail, replyMail } from '../domain/email-messages.js';
import { commentFields, countingKv, freshPage, rebuildsDone, send } from '../testing.js';
import { asOwner, freshAddress, OWN_ORIGIN, ownLanguageKv, TestSite } from '../testing-admin.js';
import { EMAIL_LINK_STRINGS } from './email-link-strings.js';
import { MAIL_STRINGS, OWNER_MAIL_STRINGS } from './email-mail-strings.js';
import { pageLanguage } from './link-page.js';
import { LINK_STRINGS } from './moderation-link-strings.js';

interface SentMail {
  url: string;
  authorization: string | null;
  from: string;
  to: string[];
  subject: string;
  text: string;
  headers: Record<string, string>;
}

function interceptMail(): SentMail[] {
  const mails: SentMail[] = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input as RequestInfo, init as RequestInit);
    const body = (await request.json()) as Omit<SentMail, 'url' | 'authorization'>;
    mails.push({ url: request.url, authorization: request.headers.get('Authorization'), ...body });
    return Response.json({ id: 'mail-id' });
  });
  return mails;
}

/** A site with email on, serving its blog (and its test pages, testing.ts `freshPage`) from blog.example.com. */
async function mailingSite(): Promise<TestSite> {
  const site = await TestSite.create();
  const sites = JSON.parse(site.bindings.SITES) as Record<string, { origins: string[] }>;
  sites[site.id]!.origins.push('https://blog.example.com');
  Object.assign(site.bindings, {
    SITES: JSON.stringify(sites),
    EMAIL_API_KEY: 're_test_key',
    EMAIL_FROM: 'Sala <comments@example.com>',
  });
  return site;
}

const linkIn = (text: string, kind: string) =>
  new URL(new RegExp(`https://sala\\.test/api/v1/${kind}/\\S+`).exec(text)![0]).pathname;

/** What the widget keeps in localStorage and sends with each new comment, the browser's own secret. */
const browserKey = () => crypto.randomUUID().replaceAll('-', '');

/** Dara's comment on a fresh page asking for reply mails from her browser, and the confirmation link it mailed her. */
async function daraAsksForReplies(site: TestSite, mails: SentMail[]) {
  const page = freshPage();
  const parent = await site.postOk(
    commentFields(page, { email: 'dara@example.com', notifyReplies: true, commenterKey: browserKey() }),
  );
  await rebuildsDone();
  return { page, parent, confirm: linkIn(mails.at(-1)!.text, 'email-links') };
}

afterEach(() => vi.restoreAllMocks());

describe('email to the owner', () => {
  it('mails each held comment to notifyEmail with approve and reject links that work', async () => {
    const site = await mailingSite();
    await site.settings({ moderation: 'hold-all', notifyEmail: 'owner@example.com' });
    const mails = interceptMail();
    const page = freshPage();
    const { comment } = await site.postOk(commentFields(page, { body: 'Please let me in' }));
    await rebuildsDone();

    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({
      url: 'https://api.resend.com/emails',
      authorization: 'Bearer re_test_key',
      from: 'Sala <comments@example.com>',
      to: ['owner@example.com'],
    });
    expect(mails[0]!.subject).toContain('awaiting moderation');
    expect(mails[0]!.text).toContain('Please let me in');
    // Why it waits, in English from the stored reason codes.
    expect(mails[0]!.text).toContain('Held because:\n- the site holds every comment');
    const approve = linkIn(mails[0]!.text, 'moderation-links');
    expect((await send('POST', approve, { origin: OWN_ORIGIN, bindings: site.bindings })).status).toBe(200);
    expect((await site.thread(page)).comments.map((shown) => shown.id)).toEqual([comment.id]);
  });

  it('says where the comment is with the address the blog serves: a Blogger post’s .html', async () => {
    const site = await mailingSite();
    await site.settings({ moderation: 'hold-all', notifyEmail: 'owner@example.com' });
    const mails = interceptMail();
    const post = `${freshPage()}.html`;
    await site.postOk({ ...commentFields(`${post}?m=1`, { name: 'Sok' }), pageUrl: `${post}#comment-form` });
    await rebuildsDone();
    expect(mails[0]!.text).toContain(`Sok commented on ${post}\n`);
  });

  it('mails the owner in the language the admin page saved the settings in, English when it never said', async () => {
    const japanese = await mailingSite();
    // The admin page sends its language (its locale's tag) with every save.
    await japanese.settings({ moderation: 'hold-all', notifyEmail: 'owner@example.com', ownerLanguage: 'ja-JP' });
    const english = await mailingSite();
    await english.settings({ moderation: 'hold-all', notifyEmail: 'owner@example.com' });
    const mails = interceptMail();
    const page = freshPage();
    await japanese.postOk(commentFields(page, { name: 'Sok', body: 'Please let me in' }));
    await english.postOk(commentFields(page, { name: 'Sok', body: 'Please let me in' }));
    await rebuildsDone();

    const [ja, en] = mails;
    expect(ja!.subject).toBe('[Test blog] Sok さんのコメントが承認待ちです');
    const lines = ja!.text.split('\n');
    expect(lines[0]).toBe(`Sok さんが ${page} にコメントしました：`);
    // Why, as the admin page says it in Japanese.
    expect(lines.join('\n')).toContain('保留された理由：\n- このサイトはすべてのコメントを保留します');
    expect(
      lines.filter((line) => /^(承認|拒否|承認待ちのコメントすべて)：https:\/\/sala\.test\//.test(line)),
    ).toHaveLength(3);
    expect(lines.at(-1)).toBe('どのリンクも使えるのは一度だけで、7日後に期限が切れます。');
    expect(en!.subject).toBe('[Test blog] Comment awaiting moderation from Sok');
    expect(en!.text.split('\n')[0]).toBe(`Sok commented on ${page}`);

    // The one-click page speaks the owner's language to a browser asking for none it has, the browser's otherwise.
    const approve = new URL(/https:\/\/sala\.test\/api\/v1\/moderation-links\/\S+/.exec(ja!.text)![0]);
    const opened = async (acceptLanguage: string) =>
      (
        await send('GET', `${approve.pathname}${approve.search}`, {
          headers: { 'Accept-Language': acceptLanguage },
          bindings: japanese.bindings,
        })
      ).text;
    expect(await opened('sw-KE')).toContain('<html lang="ja">');
    expect(await opened('de-DE')).toContain('<html lang="de">');
    expect(await opened('vi, en;q=0.5')).toContain('<html lang="vi">');
    expect(linkIn(en!.text, 'moderation-links')).not.toContain('lang=');
  });

  it('mails an owner whose admin page is in Arabic in Arabic, and opens its one-click page right to left', async () => {
    const site = await mailingSite();
    await site.settings({ moderation: 'hold-all', notifyEmail: 'owner@example.com', ownerLanguage: 'ar-EG' });
    const mails = interceptMail();
    const page = freshPage();
    await site.postOk(commentFields(page, { name: 'Sok', body: 'Please let me in' }));
    await rebuildsDone();

    const [mail] = mails;
    expect(mail!.subject).toBe('[Test blog] تعليق من Sok بانتظار المراجعة');
    // Each line of Sala's own starts with an Arabic word, the verb before the name: a mail app that sets a line's
    // direction by its first letter shows it right to left. The post's address on the next line, a space and a
    // left-to-right mark after it (email-mail-strings.ts).
    const lines = mail!.text.split('\n');
    expect(lines.slice(0, 2)).toEqual(['علّق Sok على:', `${page} \u200e`]);
    expect(mail!.text).toContain('سبب الاحتجاز:\n- يحتجز الموقع كل تعليق');
    expect(
      lines.filter((line) => /^(موافقة|رفض|كل التعليقات المنتظرة): https:\/\/sala\.test\//.test(line)),
    ).toHaveLength(3);
    expect(lines.at(-1)).toBe('يعمل كل رابط مرة واحدة، وتنتهي صلاحيته بعد 7 أيام.');

    // Its page, opened in a browser asking for no language, is Arabic and right to left, the quote's bar at the right.
    const approve = new URL(/https:\/\/sala\.test\/api\/v1\/moderation-links\/\S+/.exec(mail!.text)![0]);
    expect(approve.searchParams.get('lang')).toBe('ar');
    const link = `${approve.pathname}${approve.search}`;
    const shown = await send('GET', link, { origin: null, bindings: site.bindings });
    expect(shown.text).toContain('<html lang="ar" dir="rtl">');
    expect(shown.text).toContain('<title>هل توافق على هذا التعليق؟ · Sala</title>');
    expect(shown.text).toContain('<button type="submit">موافقة</button>');
    // The post's address isolated: a path with no letter before its digits (/2026/09/walk.html) would otherwise take
    // the sentence's right-to-left order and read walk.html/2026/09/.
    expect(shown.text).toContain(`<p><strong><bdi>Sok</bdi></strong> على <bdi>${page}</bdi></p>`);
    // The comment's English words in their own direction: the quote, its bar at its start, follows them.
    expect(shown.text).toContain('<blockquote dir="auto">Please let me in</blockquote>');
    expect(shown.text).toContain(
      'blockquote{border-inline-start:3px solid #ccc;margin:1rem 0;padding-inline-start:1rem}',
    );
    const done = await send('POST', link, { origin: OWN_ORIGIN, bindings: site.bindings });
    expect([done.status, done.text]).toEqual([200, expect.stringContaining('<h1>تمت الموافقة</h1>')]);
    expect(done.text).toContain('>افتح هذا التعليق في صفحة الإدارة</a>');
  });

  it('mails an owner whose admin page is in German, Spanish, French or Portuguese in that language', async () => {
    const expected = {
      de: ['[Test blog] Kommentar von Sok wartet auf Freigabe', 'Neuer Kommentar von Sok auf', 'Freigeben: '],
      es: ['[Test blog] Comentario de Sok pendiente de moderación', 'Sok comentó en', 'Aprobar: '],
      fr: ['[Test blog] Commentaire écrit par Sok en attente de modération', 'Sok a commenté', 'Approuver\u00a0: '],
      pt: ['[Test blog] Comentário de Sok aguardando moderação', 'Sok comentou em', 'Aprovar: '],
    };
    for (const [lang, [subject, commented, approve]] of Object.entries(expected)) {
      const site = await mailingSite();
      await site.settings({ moderation: 'hold-all', notifyEmail: 'owner@example.com', ownerLanguage: lang });
      const mails = interceptMail();
      const page = freshPage();
      await site.postOk(commentFields(page, { name: 'Sok', body: 'Please let me in' }));
      await rebuildsDone();
      expect(mails.map((mail) => mail.subject)).toEqual([subject]);
      const lines = mails[0]!.text.split('\n');
      expect(lines[0]).toBe(`${commented} ${page}`);
      expect(lines.filter((line) => line.startsWith(`${approve}https://sala.test/`))).toHaveLength(1);
      // Why it was held, in the admin page's words for the language, not the English lines.
      expect(mails[0]!.text).not.toContain('the site holds every comment');
    }
  });

  it('mails the owner in the admin page’s language from sign-in on, no settings save needed, and follows a switch', async () => {
    const site = await mailingSite();
    // Settings saved by a script (or a page from before the language was sent): no ownerLanguage.
    await site.settings({ moderation: 'hold-all', notifyEmail: 'owner@example.com' });
    const counted = countingKv(ownLanguageKv(env.SALA));
    site.bindings.SALA = counted.kv;
    const puts = () => counted.calls.filter((call) => call.method === 'put').map((call) => String(call.args[0]));
    const signIn = (language: unknown) =>
      send<AdminSessionResponse & ApiErrorBody>('POST', '/api/v1/admin/session', {
        json: { password: env.ADMIN_PASSWORD, language },
        origin: OWN_ORIGIN,
        headers: { 'CF-Connecting-IP': freshAddress() },
        bindings: site.bindings,
      });
    const tell = (cookie: string, language: unknown) =>
      asOwner<AdminLanguage & ApiErrorBody>(cookie, 'PUT', '/session/language', {
        json: { language },
        bindings: site.bindings,
      });
    const mails = interceptMail();
    const holdOne = async () => {
      await site.postOk(commentFields(freshPage(), { name: 'Sok', body: `Please let me in (${mails.length})` }));
      await rebuildsDone();
      return mails.at(-1)!;
    };
    const versionBefore = (await site.admin<SiteSettingsResponse>('GET', '/settings')).body.version;

    const first = await signIn('ja-JP');
    expect([first.status, first.body.language]).toEqual([200, 'ja']);
    const ja = await holdOne();
    expect(ja.subject).toBe('[Test blog] Sok さんのコメントが承認待ちです');
    expect(ja.text).toContain('保留された理由：\n- このサイトはすべてのコメントを保留します');
    expect(ja.text).toMatch(/^承認：https:\/\/sala\.test\/api\/v1\/moderation-links\/\S+\?lang=ja$/m);
    // The language has a key of its own: the settings' version is as it was, so a save from an open tab still lands.
    expect((await site.admin<SiteSettingsResponse>('GET', '/settings')).body.version).toBe(versionBefore);

    // Signing in again in the same language, and the page saying it again, write nothing but the session.
    counted.calls.length = 0;
    const again = await signIn('ja');
    expect(puts()).toEqual([expect.stringMatching(/^v1:session:/)]);
    const cookie = again.headers.get('Set-Cookie')!.split(';')[0]!;
    expect((await tell(cookie, 'ja')).status).toBe(200);
    expect(puts()).toHaveLength(1);

    // The page switched to Khmer while signed in: one write, and the next mail is Khmer.
    expect((await tell(cookie, 'km-KH')).body).toEqual({ language: 'km' });
    expect(puts().slice(1)).toEqual([expect.stringMatching(/^v1:owner-language/)]);
    expect(
      (await asOwner<AdminSessionResponse>(cookie, 'GET', '/session', { bindings: site.bindings })).body.language,
    ).toBe('km');
    expect((await holdOne()).subject).toBe('[Test blog] មតិយោបល់ពី Sok កំពុងរង់ចាំពិនិត្យ');

    // A language saved with the settings earlier does not hold the mail back after a switch: English now.
    await site.settings({ ownerLanguage: 'vi' });
    await tell(cookie, 'en-GB');
    expect((await holdOne()).subject).toBe('[Test blog] Comment awaiting moderation from Sok');

    // Not a tag: 400 naming the field, and nothing written, not even a session.
    counted.calls.length = 0;
    const refused = await signIn('not a tag!');
    expect([refused.status, refused.body.error.field]).toEqual([400, 'language']);
    const alsoRefused = await tell(cookie, 42);
    expect([alsoRefused.status, alsoRefused.body.error.field]).toEqual([400, 'language']);
    expect(puts()).toEqual([]);
  });

  it('speaks the language chosen last: a site’s set through the API after the page’s, the page’s switched after that', async () => {
    const site = await mailingSite();
    await site.settings({ moderation: 'hold-all', notifyEmail: 'owner@example.com' });
    site.bindings.SALA = ownLanguageKv(env.SALA);
    const signIn = async (language: string) =>
      (
        await send('POST', '/api/v1/admin/session', {
          json: { password: env.ADMIN_PASSWORD, language },
          origin: OWN_ORIGIN,
          headers: { 'CF-Connecting-IP': freshAddress() },
          bindings: site.bindings,
        })
      ).headers
        .get('Set-Cookie')!
        .split(';')[0]!;
    const mails = interceptMail();
    /** The language of the mail about a new held comment, as its approve link carries it (none: English). */
    const mailLanguage = async () => {
      await site.postOk(commentFields(freshPage(), { name: 'Sok', body: `Please let me in (${mails.length})` }));
      await rebuildsDone();
      return /moderation-links\/\S+\?lang=(\w+)/.exec(mails.at(-1)!.text)?.[1] ?? 'en';
    };

    await signIn('ja');
    expect(await mailLanguage()).toBe('ja');
    // A script sets this site's language on purpose, after the page said Japanese: this site's mail is Vietnamese.
    await site.settings({ ownerLanguage: 'vi' });
    expect(await mailLanguage()).toBe('vi');
    // Signing in again in Japanese is no new choice (and no write), nor is a save sending back what it read.
    const cookie = await signIn('ja');
    await site.settings({ ownerName: 'Sophea' });
    expect(await mailLanguage()).toBe('vi');
    // The owner switches the page to Khmer after that: the latest choice again.
    await asOwner(cookie, 'PUT', '/session/language', { json: { language: 'km' }, bindings: site.bindings });
    expect(await mailLanguage()).toBe('km');
    await site.settings({ ownerName: 'Dara' });
    expect(await mailLanguage()).toBe('km');
    // Set again on purpose, it wins again; removed, the page's language is the site's.
    await site.settings({ ownerLanguage: 'ja' });
    expect(await mailLanguage()).toBe('ja');
    await site.settings({ ownerLanguage: null });
    expect(await mailLanguage()).toBe('km');
  });

  it('keeps the owner’s language over a save that leaves it out, refuses one that is not a tag, and exports it', async () => {
    const site = await TestSite.create();
    await site.settings({ ownerLanguage: 'km-KH' });
    const read = () => site.admin<SiteSettingsResponse>('GET', '/settings');
    expect((await read()).body.settings.ownerLanguage).toBe('km');
    const current = (await read()).body;
    const { ownerLanguage: _left, ...withoutIt } = current.settings;
    // A script's save, which knows nothing of the language.
    const saved = await site.admin('PUT', '/settings', {
      json: { ...withoutIt, ownerName: 'Sophea', version: current.version },
    });
    expect(saved.status).toBe(200);
    expect((await read()).body.settings.ownerLanguage).toBe('km');
    // Saved since: a copy read before is refused as ever, language or not.
    const stale = await site.admin('PUT', '/settings', {
      json: { ...current.settings, ownerLanguage: 'vi', version: current.version },
    });
    expect(stale.status).toBe(409);
    const latest = (await read()).body;
    const refused = await site.admin<ApiErrorBody>('PUT', '/settings', {
      json: { ...latest.settings, ownerLanguage: 42, version: latest.version },
    });
    expect([refused.status, refused.body.error.field]).toEqual([400, 'ownerLanguage']);

    const exported = await site.admin<ExportPage>('GET', '/export');
    expect(exported.body.head?.settings.ownerLanguage).toBe('km');
  });

  it('keeps notifyEmail when a settings PUT leaves it out, and sends nothing without an email API key', async () => {
    const site = await TestSite.create();
    await site.settings({ moderation: 'hold-all', notifyEmail: 'owner@example.com' });
    const current = await site.admin<{ settings: Record<string, unknown>; version: string }>('GET', '/settings');
    const { notifyEmail: _left, ...withoutIt } = current.body.settings;
    await site.admin('PUT', '/settings', { json: { ...withoutIt, version: current.body.version } });
    expect(
      (await site.admin<{ settings: { notifyEmail: string } }>('GET', '/settings')).body.settings.notifyEmail,
    ).toBe('owner@example.com');
    const mails = interceptMail();
    await site.postOk(commentFields(freshPage()));
    await rebuildsDone();
    expect(mails).toEqual([]);
  });
});

describe('reply mails', () => {
  it('says in the thread’s answer whether reply mails are on, which the email settings decide', async () => {
    const site = await mailingSite();
    const page = freshPage();
    expect((await site.thread(page)).replyMails).toBe(true);
    site.bindings.EMAIL_FROM = '';
    expect((await site.thread(page)).replyMails).toBeUndefined();
    Object.assign(site.bindings, { EMAIL_FROM: 'Sala <comments@example.com>', EMAIL_API_KEY: '' });
    expect((await site.thread(page)).replyMails).toBeUndefined();
  });

  it('answers the POST with what comes next: a mail to confirm, then replies once confirmed from this browser', async () => {
    const site = await mailingSite();
    const mails = interceptMail();
    const page = freshPage();
    const dara = browserKey();
    const asking = { email: 'dara@example.com', notifyReplies: true, commenterKey: dara };
    const first = await site.postOk(commentFields(page, asking));
    // Asked again before confirming (the mail went a moment ago): still to confirm, and no second mail.
    const again = await site.postOk(commentFields(page, asking));
    await rebuildsDone();
    expect([first.replyMail, again.replyMail, mails.length]).toEqual(['confirm', 'confirm', 1]);
    await send('POST', linkIn(mails[0]!.text, 'email-links'), { origin: OWN_ORIGIN, bindings: site.bindings });

    expect((await site.postOk(commentFields(page, asking))).replyMail).toBe('on');
    // Another browser typing the address learns nothing of Dara's confirmation.
    const other = await site.postOk(commentFields(page, { ...asking, commenterKey: browserKey() }));
    expect(other.replyMail).toBe('confirm');
    // Not asked, or nothing to bind a confirmation to, or email off: the answer says nothing of reply mails.
    const unasked = await site.postOk(commentFields(page, { ...asking, notifyReplies: false }));
    const keyless = await site.postOk(commentFields(page, { email: 'dara@example.com', notifyReplies: true }));
    site.bindings.EMAIL_API_KEY = '';
    const off = await site.postOk(commentFields(page, asking));
    expect([unasked, keyless, off].map((sent) => 'replyMail' in sent)).toEqual([false, false, false]);
  });

  it('asks once to confirm, mails replies only after confirmation, never for one’s own reply, and unsubscribes', async () => {
    const site = await mailingSite();
    const mails = interceptMail();
    const { page, parent, confirm } = await daraAsksForReplies(site, mails);
    expect(mails.map((mail) => [mail.to[0], mail.subject])).toEqual([
      ['dara@example.com', expect.stringContaining('Confirm')],
    ]);

    // Not confirmed yet: a reply sends nothing.
    await site.postOk(commentFields(page, { parentId: parent.comment.id, name: 'Sok', email: 'sok@example.com' }));
    await rebuildsDone();
    expect(mails).toHaveLength(1);

    // Opening the link changes nothing; its button confirms.
    const shown = await send('GET', confirm, { origin: null, bindings: site.bindings });
    expect(shown.text).toContain('<form method="post">');
    await site.postOk(commentFields(page, { parentId: parent.comment.id, name: 'Sok', email: 'sok@example.com' }));
    await rebuildsDone();
    expect(mails).toHaveLength(1);
    expect((await send('POST', confirm, { origin: OWN_ORIGIN, bindings: site.bindings })).status).toBe(200);

    await site.postOk(
      commentFields(page, {
        parentId: parent.comment.id,
        name: 'Sok',
        email: 'sok@example.com',
        body: 'Agreed, Dara!',
      }),
    );
    await site.postOk(
      commentFields(page, { parentId: parent.comment.id, email: 'DARA@example.com', body: 'Replying to myself' }),
    );
    await rebuildsDone();
    expect(mails).toHaveLength(2);
    const reply = mails[1]!;
    expect(reply.to).toEqual(['dara@example.com']);
    expect(reply.subject).toBe('[Test blog] Sok replied to your comment');
    expect(reply.text).toContain(`Read the thread: ${page}\n`);
    expect(reply.text).toContain('Agreed, Dara!');
    expect(reply.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const unsubscribe = linkIn(reply.text, 'email-links');
    expect(reply.headers['List-Unsubscribe']).toBe(`<https://sala.test${unsubscribe}>`);

    // The mail client's one-click POST (RFC 8058) unsubscribes.
    const done = await send('POST', unsubscribe, {
      origin: null,
      body: 'List-Unsubscribe=One-Click',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      bindings: site.bindings,
    });
    expect(done.status).toBe(200);
    await site.postOk(commentFields(page, { parentId: parent.comment.id, name: 'Sok', email: 'sok@example.com' }));
    await rebuildsDone();
    expect(mails).toHaveLength(2);
  });

  it('asks again when the address comes with another browser’s key, and mails replies to the one that confirmed', async () => {
    const site = await mailingSite();
    const mails = interceptMail();
    const page = freshPage();
    const dara = browserKey();
    await site.postOk(commentFields(page, { email: 'dara@example.com', notifyReplies: true, commenterKey: dara }));
    await rebuildsDone();
    await send('POST', linkIn(mails[0]!.text, 'email-links'), { origin: OWN_ORIGIN, bindings: site.bindings });

    // Someone else types Dara's address: Dara is asked to confirm (a mail she can ignore), never mailed their replies.
    const forged = await site.postOk(
      commentFields(page, {
        name: 'Not Dara',
        email: 'dara@example.com',
        notifyReplies: true,
        commenterKey: browserKey(),
      }),
    );
    const keyless = await site.postOk(
      commentFields(page, { name: 'Not Dara', email: 'dara@example.com', notifyReplies: true }),
    );
    await rebuildsDone();
    expect(mails.map((mail) => [mail.to[0], mail.subject])).toEqual([
      ['dara@example.com', expect.stringContaining('Confirm')],
      ['dara@example.com', expect.stringContaining('Confirm')],
    ]);
    for (const parent of [forged, keyless]) {
      await site.postOk(commentFields(page, { parentId: parent.comment.id, name: 'Sok', email: 'sok@example.com' }));
    }
    await rebuildsDone();
    expect(mails).toHaveLength(2);

    // Dara's own browser is not asked again, and hears about replies.
    const own = await site.postOk(
      commentFields(page, { email: 'dara@example.com', notifyReplies: true, commenterKey: dara }),
    );
    await site.postOk(commentFields(page, { parentId: own.comment.id, name: 'Sok', email: 'sok@example.com' }));
    await rebuildsDone();
    expect(mails.map((mail) => [mail.to[0], mail.subject])).toEqual([
      ['dara@example.com', expect.stringContaining('Confirm')],
      ['dara@example.com', expect.stringContaining('Confirm')],
      ['dara@example.com', '[Test blog] Sok replied to your comment'],
    ]);
  });

  it('sends the reader of a reply mail to the Blogger post’s .html, which the id without it would 404', async () => {
    const site = await mailingSite();
    const mails = interceptMail();
    const post = `${freshPage()}.html`;
    const sent = (fields: Parameters<typeof commentFields>[1]) => ({ ...commentFields(post, fields), pageUrl: post });
    const parent = await site.postOk(
      sent({ email: 'dara@example.com', notifyReplies: true, commenterKey: browserKey() }),
    );
    await rebuildsDone();
    expect(mails[0]!.text).toContain(`commented on ${post} and asked`);
    await send('POST', linkIn(mails[0]!.text, 'email-links'), { origin: OWN_ORIGIN, bindings: site.bindings });

    await site.postOk(sent({ parentId: parent.comment.id, name: 'Sok', email: 'sok@example.com' }));
    await rebuildsDone();
    expect(mails[1]!.text).toContain(`Sok replied to your comment on ${post}\n`);
    expect(mails[1]!.text).toContain(`Read the thread: ${post}\n`);

    // The owner answers from the admin page, which sends no address: the reply links where its parent does.
    const owners = await site.admin<AdminCommentResponse>('POST', '/comments', {
      json: { page: post, parentId: parent.comment.id, body: 'Thanks!' },
    });
    expect(owners.body.comment.pageUrl).toBe(post);
  });

  it('puts nothing a sender typed in the confirmation mail: anyone can send it to anyone’s address', async () => {
    const site = await mailingSite();
    const mails = interceptMail();
    const lure = 'Your parcel is held: pay the fee at https://spam.example/parcel';
    for (const page of [lure, 'https://spam.example/parcel', 'https://blog.example.com/2030/walk']) {
      await site.postOk(
        commentFields(page, {
          email: `${crypto.randomUUID()}@example.com`,
          notifyReplies: true,
          commenterKey: browserKey(),
        }),
      );
    }
    await rebuildsDone();
    expect(mails.map((mail) => mail.text.split('\n')[0])).toEqual([
      'Someone using this address commented on Test blog and asked to be emailed about replies.',
      'Someone using this address commented on Test blog and asked to be emailed about replies.',
      'Someone using this address commented on https://blog.example.com/2030/walk and asked to be emailed about replies.',
    ]);
    expect(mails.map((mail) => mail.text).join('\n')).not.toContain('spam.example');
  });

  it('shows the commenter’s pages in their browser’s language, among the widget’s, else English', async () => {
    const site = await mailingSite();
    const mails = interceptMail();
    const { page, parent, confirm } = await daraAsksForReplies(site, mails);
    /** A link opened in a browser whose Accept-Language is `languages`. */
    const openIn = (languages: string, link: string) =>
      send('GET', link, { origin: null, bindings: site.bindings, headers: { 'Accept-Language': languages } });
    const shown = await openIn('fr-FR;q=0.5, km-KH, en;q=0.8', confirm);
    expect(shown.text).toContain('<html lang="km">');
    expect(shown.text).toContain('<h1>ផ្ញើអ៊ីមែលមកខ្ញុំ ពេលមានការឆ្លើយតបនៅលើ Test blog ឬ?</h1>');
    expect(shown.text).toContain('<p>សម្រាប់ dara@example.com។</p>');
    expect(shown.text).toContain('<button type="submit">បាទ/ចាស ផ្ញើអ៊ីមែលមកខ្ញុំ</button>');
    expect(shown.headers.get('Vary')).toContain('Accept-Language');
    const confirmed = await send('POST', confirm, {
      origin: OWN_ORIGIN,
      bindings: site.bindings,
      headers: { 'Accept-Language': 'vi-VN, en;q=0.5' },
    });
    expect(confirmed.text).toContain('<html lang="vi">');
    expect(confirmed.text).toContain('<h1>Đã xác nhận</h1>');

    await site.postOk(commentFields(page, { parentId: parent.comment.id, name: 'Sok', email: 'sok@example.com' }));
    await rebuildsDone();
    const unsubscribe = linkIn(mails[1]!.text, 'email-links');
    // A regional tag reads its language.
    const german = await openIn('de-AT, de;q=0.9', unsubscribe);
    expect(german.text).toContain('<html lang="de">');
    expect(german.text).toContain('<button type="submit">Abmelden</button>');
    const french = await send('POST', unsubscribe, {
      origin: null,
      body: 'List-Unsubscribe=One-Click',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Accept-Language': 'fr-CA' },
      bindings: site.bindings,
    });
    expect([french.status, french.text]).toEqual([200, expect.stringContaining('<h1>Désabonnement effectué</h1>')]);

    const altered = await openIn('pt-BR', `${confirm.slice(0, -3)}abc`);
    expect([altered.status, altered.text]).toEqual([400, expect.stringContaining('<h1>Este link não é válido</h1>')]);
    // Arabic, laid out right to left.
    const arabic = await openIn('ar-EG, en;q=0.5', unsubscribe);
    expect(arabic.text).toContain('<html lang="ar" dir="rtl">');
    expect(arabic.text).toContain('<h1>هل تريد إيقاف رسائل الردود من Test blog؟</h1>');
    expect(arabic.text).toContain('<button type="submit">إلغاء الاشتراك</button>');
    // A browser in none of the widget's languages reads English.
    const english = await openIn('sw-KE, he;q=0.9', unsubscribe);
    expect(english.text).toContain('<html lang="en">');
    expect(english.text).toContain('<h1>Stop reply emails from Test blog?</h1>');
  });

  it('mails a Khmer, an Arabic and a German reader in the language the widget showed them, the reply in the parent’s', async () => {
    const site = await mailingSite();
    const mails = interceptMail();
    const page = freshPage();
    /** A reader's comment asking for reply mails in `lang`, their confirmation of it, and Sok's reply to it. */
    async function readerIn(lang: string | undefined, email: string) {
      const asked = await site.postOk(
        commentFields(page, { email, notifyReplies: true, commenterKey: browserKey(), ...(lang ? { lang } : {}) }),
      );
      await rebuildsDone();
      const confirmation = mails.at(-1)!;
      const confirm = linkIn(confirmation.text, 'email-links');
      expect((await send('POST', confirm, { origin: OWN_ORIGIN, bindings: site.bindings })).status).toBe(200);
      // The reply's own language is not the one its parent's author reads.
      await site.postOk(
        commentFields(page, { parentId: asked.comment.id, name: 'Sok', email: 'sok@example.com', lang: 'vi' }),
      );
      await rebuildsDone();
      const reply = mails.at(-1)!;
      expect([confirmation.to, reply.to]).toEqual([[email], [email]]);
      const unsubscribe = linkIn(reply.text, 'email-links');
      expect(reply.headers['List-Unsubscribe']).toBe(`<https://sala.test${unsubscribe}>`);
      expect(reply.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
      return { confirmation, confirm, reply, unsubscribe };
    }

    // Arabic, each line starting with an Arabic word: a mail app sets a line's direction by its first letter.
    const arabic = await readerIn('ar-EG', 'sara@example.com');
    expect(arabic.confirmation.subject).toBe('[Test blog] تأكيد إشعارات الردود');
    expect(arabic.confirmation.text.split('\n')).toEqual([
      'علّق شخص يستخدم هذا العنوان على هذه الصفحة وطلب أن تصله الردود بالبريد الإلكتروني:',
      `${page} \u200e`,
      '',
      `إن كنت أنت، فأكّد من هنا: https://sala.test${arabic.confirm}`,
      '',
      'وإن لم تكن أنت، فتجاهل هذه الرسالة: لن يُرسَل إليك شيء بعد الآن.',
    ]);
    expect(arabic.reply.subject).toBe('[Test blog] ردّ Sok على تعليقك');
    expect(arabic.reply.text).toContain(`ردّ Sok على تعليقك في:\n${page} \u200e\n`);
    expect(arabic.reply.text).toContain(`اقرأ النقاش:\n${page} \u200e\n`);
    expect(arabic.reply.text).toContain(`أوقف هذه الرسائل: https://sala.test${arabic.unsubscribe}`);

    const khmer = await readerIn('km', 'dara@example.com');
    expect(khmer.confirmation.subject).toBe('[Test blog] បញ្ជាក់ការជូនដំណឹងអំពីការឆ្លើយតប');
    expect(khmer.confirmation.text.split('\n')).toEqual([
      `មាននរណាម្នាក់ប្រើអាសយដ្ឋាននេះ បញ្ចេញមតិនៅលើ ${page} ហើយស្នើសុំទទួលអ៊ីមែលអំពីការឆ្លើយតប។`,
      '',
      `បើជាអ្នក សូមបញ្ជាក់នៅទីនេះ៖ https://sala.test${khmer.confirm}`,
      '',
      'បើមិនមែនទេ សូមកុំខ្វល់នឹងអ៊ីមែលនេះ៖ នឹងគ្មានអ្វីផ្ញើមកទៀតទេ។',
    ]);
    expect(khmer.reply.subject).toBe('[Test blog] Sok បានឆ្លើយតបមតិយោបល់របស់អ្នក');
    expect(khmer.reply.text).toContain(`Sok បានឆ្លើយតបមតិយោបល់របស់អ្នកនៅលើ ${page}\n`);
    expect(khmer.reply.text).toContain(`អានការពិភាក្សា៖ ${page}\n`);
    expect(khmer.reply.text).toContain(`ឈប់ទទួលអ៊ីមែលទាំងនេះ៖ https://sala.test${khmer.unsubscribe}`);

    // A regional tag speaks its language.
    const german = await readerIn('de-AT', 'lena@example.com');
    expect(german.confirmation.subject).toBe('[Test blog] E-Mails über Antworten bestätigen');
    expect(german.confirmation.text).toContain(
      `Wenn du das warst, bestätige hier: https://sala.test${german.confirm}\n`,
    );
    expect(german.reply.subject).toBe('[Test blog] Sok hat auf deinen Kommentar geantwortet');
    expect(german.reply.text).toContain(`Zur Diskussion: ${page}\n`);
    expect(german.reply.text).toContain(`Diese E-Mails abbestellen: https://sala.test${german.unsubscribe}`);

    // A language the mails have no words in, or none sent (an older widget, another client): English.
    for (const [lang, email] of [
      ['sw', 'amani@example.com'],
      ['constructor', 'proto@example.com'],
      [undefined, 'older@example.com'],
    ] as const) {
      const english = await readerIn(lang, email);
      expect(english.confirmation.subject).toBe('[Test blog] Confirm reply notifications');
      expect(english.confirmation.text).toContain(
        `If that was you, confirm here: https://sala.test${english.confirm}\n`,
      );
      expect(english.reply.subject).toBe('[Test blog] Sok replied to your comment');
      expect(english.reply.text).toContain(`Stop these mails: https://sala.test${english.unsubscribe}`);
    }

    // Not a string: refused naming it, as every optional field of the wrong type is.
    const refused = await site.post<ApiErrorBody>(commentFields(page, { lang: 7 } as never));
    expect([refused.status, refused.body.error.field]).toEqual([400, 'lang']);
  });

  it('mails a reply that the owner approves later, and refuses altered links', async () => {
    const site = await mailingSite();
    const mails = interceptMail();
    const { page, parent, confirm } = await daraAsksForReplies(site, mails);
    await send('POST', confirm, { origin: OWN_ORIGIN, bindings: site.bindings });

    await site.settings({ moderation: 'hold-all' });
    const held = await site.postOk(
      commentFields(page, { parentId: parent.comment.id, name: 'Sok', email: 'sok@example.com' }),
    );
    await rebuildsDone();
    expect(mails).toHaveLength(1);
    await site.moderate('approve', [{ page, id: held.comment.id }]);
    await rebuildsDone();
    expect(mails.map((mail) => mail.subject)).toEqual([
      expect.stringContaining('Confirm'),
      expect.stringContaining('replied'),
    ]);

    const altered = `${confirm.slice(0, -3)}abc`;
    expect((await send('POST', altered, { origin: OWN_ORIGIN, bindings: site.bindings })).status).toBe(400);
  });
});

describe('the mails’ words in every language', () => {
  it('never put a character right after an address, which a mail app would take into the link (a Khmer ៖)', () => {
    const post = 'https://blog.example.com/2026/12/central-market.html';
    const links = [
      'https://sala.test/approve',
      'https://sala.test/reject',
      'https://sala.test/admin',
      'https://sala.test/confirm',
    ];
    const comment = { author: 'Sok', body: 'Lovely', pageId: post, pageUrl: post, reasons: ['held'] };
    const [approve, reject, admin, confirm] = links;
    const mails = [
      ...Object.values(OWNER_MAIL_STRINGS).map((words) =>
        heldCommentMail(
          'owner@example.com',
          'Blog',
          comment,
          { approve: approve!, reject: reject!, admin: admin! },
          words,
        ),
      ),
      ...Object.values(MAIL_STRINGS).flatMap((words) => [
        confirmRepliesMail('dara@example.com', 'Blog', post, confirm!, words),
        replyMail('dara@example.com', 'Blog', comment, comment, 'https://sala.test/u', words),
      ]),
    ];
    // Each line where an address is followed by anything but a space or the line's end.
    const stuck = mails
      .flatMap((mail) => mail.text.split('\n'))
      .filter((line) =>
        [post, ...links, 'https://sala.test/u'].some((url) =>
          line
            .split(url)
            .slice(1)
            .some((after) => /^\S/.test(after)),
        ),
      );
    expect(stuck).toEqual([]);
    expect(mails).toHaveLength(10 + 2 * 10);
  });

  it('gives an Arabic mail’s post address a line of its own, a space and a left-to-right mark after it', () => {
    // A WordPress permalink: its closing "/" is what a right-to-left line drew before the "https".
    const post = 'https://blog.example.com/2026/11/water-festival/';
    const comment = { author: 'Sok', body: 'Lovely', pageId: post, pageUrl: post, reasons: [] };
    const mails = [
      heldCommentMail(
        'o@example.com',
        'Blog',
        comment,
        { approve: 'a', reject: 'r', admin: 'd' },
        OWNER_MAIL_STRINGS.ar,
      ),
      confirmRepliesMail('dara@example.com', 'Blog', post, 'https://sala.test/c', MAIL_STRINGS.ar),
      replyMail('dara@example.com', 'Blog', comment, comment, 'https://sala.test/u', MAIL_STRINGS.ar),
    ];
    const lines = mails.flatMap((mail) => mail.text.split('\n'));
    // The lines holding the address: it alone, then U+0020 U+200E; no isolate mark anywhere near it.
    const around = lines.filter((line) => line.includes(post)).map((line) => line.split(post));
    expect(around).toEqual([
      ['', ' \u200e'],
      ['', ' \u200e'],
      ['', ' \u200e'],
      ['', ' \u200e'],
    ]);
    expect(lines.filter((line) => /[\u2066-\u2069]/.test(line))).toEqual([]);
  });
});

/** The languages of the one-click owner pages (moderation-link-strings.ts). */
const OWNER_PAGES = { en: 1, ar: 1, de: 1, es: 1, fr: 1, id: 1, ja: 1, km: 1, pt: 1, vi: 1 };

describe('pageLanguage', () => {
  it('picks the most preferred of the page’s languages, by weight, then by order', () => {
    expect(pageLanguage('km-KH,km;q=0.9,en-US;q=0.8,en;q=0.7', OWNER_PAGES)).toBe('km');
    expect(pageLanguage('sw-TZ, ja;q=0.4, id;q=0.6', OWNER_PAGES)).toBe('id');
    expect(pageLanguage('VI, ja', OWNER_PAGES)).toBe('vi');
    expect(pageLanguage('en-GB;q=0.8, ja-JP;q=0.8', OWNER_PAGES)).toBe('en');
    expect(pageLanguage('fr-CA, ja;q=0.4', { ...OWNER_PAGES, fr: 1 })).toBe('fr');
  });

  it('reads English for a browser in none of them, a refused one, a malformed header or none', () => {
    expect(pageLanguage('sw, he;q=0.5', OWNER_PAGES)).toBe('en');
    expect(pageLanguage('km;q=0, *', OWNER_PAGES)).toBe('en');
    expect(pageLanguage('constructor, ;;;, =', OWNER_PAGES)).toBe('en');
    expect(pageLanguage(undefined, OWNER_PAGES)).toBe('en');
  });
});

describe('French mails and pages', () => {
  it('put no name or site after a word French elides before a vowel ("de Anna" for "d’Anna")', () => {
    const patterns = { ...MAIL_STRINGS.fr, ...OWNER_MAIL_STRINGS.fr, ...EMAIL_LINK_STRINGS.fr, ...LINK_STRINGS.fr };
    const elided = Object.entries(patterns).flatMap(([key, text]) =>
      typeof text === 'string' && /\b(de|le|la|que) \{(name|author|site|page|email)\}/i.test(text) ? [key] : [],
    );
    expect(elided).toEqual([]);
    expect(OWNER_MAIL_STRINGS.fr.heldSubject.replace('{author}', 'Anna')).toBe(
      '[{site}] Commentaire écrit par Anna en attente de modération',
    );
  });
});
