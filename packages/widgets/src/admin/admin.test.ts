import type { ConfigProblem } from '@sala/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanUp, deepQuery, expectFocus, focused, mountAdmin, page } from '../test/admin-render.js';
import { adminComment, FakeAdminApi } from '../test/fake-admin-api.js';
import { adminEn } from './strings/en.js';
import { adminPacks } from './strings/admin-strings.js';
import adminKm from './strings/km.js';

const placeholders = (text: string) =>
  [...text.matchAll(/\{\w+\}/g)]
    .map((match) => match[0])
    .sort()
    .join();

/** Names and bare placeholders, which read the same in every language. */
const sameInEveryLanguage = new Set([
  'countAtLeast',
  'formatSlack',
  'formatDiscord',
  'colWebhook',
  'importSource.blogger-takeout',
  'webhookLegend',
  'importSkippedItem',
  'importLargePost',
  'fullStop',
  'cellLabel',
]);

/** Words a language borrows from English as they are: Indonesian and Vietnamese say "Email" and "Spam",
 * Indonesian "Format" and "Status" too; German, Spanish and Portuguese say "Spam", "Webhooks" and "Tokens", German
 * "Import", "Name", "Moderation" and "Status" too, French "Site", "Sections" and "Format", Portuguese "Site", "Post"
 * and "links". */
const untranslatedOnPurpose: Record<string, string[]> = {
  de: [
    'tabImport',
    'statusSpam',
    'markSpam',
    'banByName',
    'moderationHeading',
    'webhooksHeading',
    'webhookFormat',
    'tokensTable',
    'colName',
    'colStatus',
    'kind.name',
    'importFormat',
  ],
  es: ['statusSpam', 'webhooksHeading', 'tokensTable'],
  fr: ['siteLabel', 'navLabel', 'webhooksHeading', 'webhookFormat'],
  pt: [
    'siteLabel',
    'tabPosts',
    'statusSpam',
    'signalLinks',
    'webhooksHeading',
    'tokensTable',
    'postsTable',
    'colPage',
    'importPostsOne',
    'importPostsOther',
    'importColumnPost',
  ],
  id: [
    'statusSpam',
    'emailLabel',
    'markSpam',
    'notificationsHeading',
    'webhookFormat',
    'colStatus',
    'kind.email',
    'importFormat',
  ],
  vi: ['statusSpam', 'emailLabel', 'markSpam', 'notificationsHeading', 'kind.email'],
};

let api: FakeAdminApi;

beforeEach(() => {
  api = new FakeAdminApi().install();
});

afterEach(cleanUp);

describe('signing in', () => {
  it('asks for the password, says when it is wrong, and opens the queue once it is right', async () => {
    await mountAdmin();
    const password = page.getByLabelText('Password');
    await expectFocus(password);

    await password.fill('guess');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.element(page.getByText('That password is not right.')).toBeVisible();
    await expect.element(password).toHaveAttribute('aria-invalid', 'true');
    await expect.element(password).toHaveAccessibleDescription('That password is not right.');

    await password.fill('open sesame');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectFocus(page.getByRole('heading', { name: 'Comments', level: 2 }));
    const signIn = api.requestsTo('POST', '/session').at(-1)!;
    // The session is an HttpOnly cookie the page never sees; the browser sends it only to this origin.
    expect(signIn.credentials).toBe('same-origin');
    // With the page's language, which the owner's mail about held comments speaks from now on.
    expect(signIn.body).toEqual({ password: 'open sesame', language: 'en' });
  });

  it('says when there were too many attempts, or when no password is set on the server', async () => {
    await mountAdmin();
    api.failNext('POST', 429, { code: 'rate_limited', message: 'Too many sign-in attempts' });
    await page.getByLabelText('Password').fill('guess');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.element(page.getByRole('alert')).toHaveTextContent('Too many attempts. Wait a minute and try again.');

    api.failNext('POST', 401, { code: 'unauthorized', message: 'No ADMIN_PASSWORD is set' });
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.element(page.getByRole('alert').getByText(/wrangler secret put ADMIN_PASSWORD/)).toBeVisible();
  });

  it('says signing in waits for the daily reset, until when on the owner’s clock, when the server’s writes ran out', async () => {
    await mountAdmin({ lang: 'km' });
    const resumesAt = '2030-01-16T00:00:00.000Z';
    api.failNext('POST', 503, { code: 'daily_limit_reached', message: 'Signing in is paused', resumesAt });
    await page.getByLabelText('ពាក្យសម្ងាត់').fill('open sesame');
    await page.getByRole('button', { name: 'ចូល' }).click();
    // 00:00 UTC on the owner's clock, as their locale writes it: "07:00", "12:00 AM".
    const resumes = new Date(resumesAt);
    const hour = `(0?${resumes.getHours()}|${resumes.getHours() % 12 || 12})`;
    await expect
      .poll(() => deepQuery('[role="alert"]')?.textContent)
      .toMatch(new RegExp(`^អ្នកអាចចូលម្ដងទៀតនៅម៉ោង ${hour}:00.* \\(តាមម៉ោងរបស់អ្នក\\)៖ ការចូលត្រូវរក្សាទុកវគ្គមួយ`));
  });

  it('signs out, and sends the owner back to sign-in when the session ends', async () => {
    api.signedIn = true;
    api.comments = [adminComment('c1')];
    await mountAdmin();
    await expect.element(page.getByRole('heading', { name: 'Comments', level: 2 })).toBeVisible();

    api.signedIn = false;
    await page.getByRole('button', { name: /^Approved/ }).click();
    await expect.element(page.getByText('Your session has ended. Sign in again.')).toBeVisible();
    await expectFocus(page.getByLabelText('Password'));

    await page.getByLabelText('Password').fill('open sesame');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.element(page.getByText('You signed out.')).toBeVisible();
    expect(api.requestsTo('DELETE', '/session')).toHaveLength(1);
    expect(api.signedIn).toBe(false);
  });

  it('tells the Worker the page’s language for the owner’s mail at sign-in, and again only when it switches', async () => {
    api.ownerLanguage = null;
    const admin = await mountAdmin({ lang: 'ja' });
    await page.getByLabelText('パスワード').fill('open sesame');
    await page.getByRole('button', { name: 'ログイン' }).click();
    await expect.element(page.getByRole('link', { name: '設定' })).toBeVisible();
    expect(api.requestsTo('POST', '/session').at(-1)!.body).toEqual({ password: 'open sesame', language: 'ja' });
    const told = () => api.requestsTo('PUT', '/session/language').map((request) => request.body);
    // The sign-in said it: nothing more to send, however often the page renders.
    await page.getByRole('link', { name: '設定' }).click();
    expect(told()).toEqual([]);

    // The page turns Khmer while signed in: said once, and the next mail is Khmer.
    admin.setAttribute('lang', 'km');
    await expect.element(page.getByRole('link', { name: 'ការកំណត់' })).toBeVisible();
    await vi.waitFor(() => expect(told()).toEqual([{ language: 'km' }]));
    await page.getByRole('link', { name: 'ការហាមឃាត់ និងខ្សែមតិដែលបានបិទ' }).click();
    expect(told()).toHaveLength(1);
    expect(api.ownerLanguage).toBe('km');
  });

  it('tells a language on load only when the Worker keeps another: a page left signed in, now in Vietnamese', async () => {
    api.signedIn = true;
    api.ownerLanguage = 'vi';
    await mountAdmin({ lang: 'vi' });
    await expect.element(page.getByRole('heading', { level: 2 })).toBeVisible();
    expect(api.requestsTo('PUT', '/session/language')).toEqual([]);
    cleanUp();
    api.install();

    api.ownerLanguage = 'en';
    await mountAdmin({ lang: 'vi-VN' });
    await vi.waitFor(() =>
      expect(api.requestsTo('PUT', '/session/language').map((request) => request.body)).toEqual([
        { language: 'vi-VN' },
      ]),
    );
    expect(api.ownerLanguage).toBe('vi');
  });
});

describe('the page', () => {
  it('opens the section the address names, and moves focus to its heading when another is chosen', async () => {
    api.signedIn = true;
    location.hash = '#tokens';
    await mountAdmin();
    await expect.element(page.getByRole('heading', { name: 'API tokens', level: 2 })).toBeVisible();
    await expect.element(page.getByRole('link', { name: 'API tokens' })).toHaveAttribute('aria-current', 'page');

    await page.getByRole('link', { name: 'Settings' }).click();
    await expectFocus(page.getByRole('heading', { name: /^Settings/, level: 2 }));
    expect(location.hash).toBe('#settings');
  });

  it('speaks Khmer when the page is in Khmer', async () => {
    api.signedIn = true;
    await mountAdmin({ lang: 'km' });
    await expect.element(page.getByRole('heading', { name: adminKm.queueHeading, level: 2 })).toBeVisible();
    expect(deepQuery('.root')?.getAttribute('lang')).toBe('km');
  });

  // What an owner on an Indonesian, Vietnamese or Japanese blog (Blogger's biggest audiences after English), or a
  // German, Spanish, French or Brazilian one, sees first, and the tab they come for when they move their comments over.
  it.each([
    [
      'id-ID',
      'id',
      {
        tabs: ['Komentar', 'Setelan', 'Impor'],
        importHeading: 'Impor komentar',
        file: 'File ekspor',
        drop: 'Pilih file, atau letakkan di sini.',
      },
    ],
    [
      'vi',
      'vi',
      {
        tabs: ['Bình luận', 'Cài đặt', 'Nhập'],
        importHeading: 'Nhập bình luận',
        file: 'Tệp xuất',
        drop: 'Chọn tệp, hoặc thả tệp vào đây.',
      },
    ],
    [
      'ja',
      'ja',
      {
        tabs: ['コメント', '設定', 'インポート'],
        importHeading: 'コメントのインポート',
        file: 'エクスポートファイル',
        drop: 'ファイルを選ぶか、ここにドロップしてください。',
      },
    ],
    [
      'de-DE',
      'de',
      {
        tabs: ['Kommentare', 'Einstellungen', 'Import'],
        importHeading: 'Kommentare importieren',
        file: 'Exportdatei',
        drop: 'Wähle die Datei oder zieh sie hierher.',
      },
    ],
    [
      'es',
      'es',
      {
        tabs: ['Comentarios', 'Ajustes', 'Importar'],
        importHeading: 'Importar comentarios',
        file: 'Archivo de exportación',
        drop: 'Elige el archivo o suéltalo aquí.',
      },
    ],
    [
      'fr-FR',
      'fr',
      {
        tabs: ['Commentaires', 'Réglages', 'Importer'],
        importHeading: 'Importer des commentaires',
        file: 'Fichier d’export',
        drop: 'Choisissez le fichier, ou déposez-le ici.',
      },
    ],
    [
      'pt-BR',
      'pt',
      {
        tabs: ['Comentários', 'Configurações', 'Importar'],
        importHeading: 'Importar comentários',
        file: 'Arquivo de exportação',
        drop: 'Escolha o arquivo ou solte-o aqui.',
      },
    ],
  ])('speaks the page’s language %s: its tabs and the Import tab', async (tag, lang, expected) => {
    api.signedIn = true;
    await mountAdmin({ lang: tag });
    const sections = page.getByRole('navigation');
    for (const name of expected.tabs) {
      await expect.element(sections.getByRole('link', { name, exact: true })).toBeVisible();
    }
    expect(deepQuery('.root')?.getAttribute('lang')).toBe(tag);
    expect(deepQuery('.root')?.getAttribute('lang')?.split('-')[0]).toBe(lang);

    await sections.getByRole('link', { name: expected.tabs[2]!, exact: true }).click();
    await expect.element(page.getByRole('heading', { name: expected.importHeading, level: 2 })).toBeVisible();
    await expect.element(page.getByLabelText(expected.file)).toHaveAccessibleDescription(expected.drop);
  });

  // A pack that misses a key shows English in its place; one that misses or renames a placeholder loses the name,
  // count or time the English says.
  describe.each(adminPacks.languages)('the "%s" admin pack', (lang) => {
    it('has every string of the English, with the same placeholders, and none left in English', async () => {
      const { default: pack } = await adminPacks.fetchPack(lang);
      const english: Record<string, string> = adminEn;
      const translated: Record<string, string> = pack;
      // Count forms beyond one and other (Arabic's `approved.few`) stand beside their …Other key, and say what it says.
      const forms = Object.keys(translated).filter((key) => /\.(zero|two|few|many)$/.test(key));
      expect(
        Object.keys(translated)
          .filter((key) => !forms.includes(key))
          .sort(),
      ).toEqual(Object.keys(english).sort());
      const other = (form: string) => form.replace(/\.\w+$/, 'Other');
      expect(forms.filter((form) => !(other(form) in english))).toEqual([]);
      // A language may say one and two without their number ("تعليق واحد", "تعليقان"), and zero as "none".
      const withoutCount = (text: string) => placeholders(text.replaceAll('{count}', ''));
      expect(forms.filter((form) => withoutCount(translated[form]!) !== withoutCount(english[other(form)]!))).toEqual(
        [],
      );
      expect(
        Object.keys(english).filter((key) =>
          lang === 'ar' && key.endsWith('One')
            ? withoutCount(translated[key]!) !== withoutCount(english[key]!)
            : placeholders(translated[key]!) !== placeholders(english[key]!),
        ),
      ).toEqual([]);
      expect(
        Object.keys(english).filter((key) => translated[key] === english[key] && !sameInEveryLanguage.has(key)),
      ).toEqual(untranslatedOnPurpose[lang] ?? []);
    });

    // "Dismiss" (a toast, a kept reply) and "Close" (the shortcuts dialog) are different acts: one word for both
    // leaves a screen reader's list of buttons with two that sound alike.
    it('says Dismiss and Close in words of their own', async () => {
      const { default: pack } = await adminPacks.fetchPack(lang);
      expect(pack.dismiss).not.toBe(pack.close);
    });

    // Dismiss (a message), Leave them out (the pingbacks option) and Left out (the import report's heading) are
    // three things: one word for all three (vi said 'Bỏ qua') read as if the import skipped what the owner closed.
    it('says Dismiss, Leave them out and Left out in words of their own', async () => {
      const { default: pack } = await adminPacks.fetchPack(lang);
      expect(new Set([pack.dismiss, pack.importPingbacksSkip, pack.importSkippedHeading]).size).toBe(3);
    });
  });

  it('leaves focus where it was when it re-renders on its own', async () => {
    api.signedIn = true;
    await mountAdmin();
    const search = page.getByLabelText('Search');
    await search.click();
    await expectFocus(search);
    expect(focused()?.id).toBe('q');
  });
});

describe('configuration problems', () => {
  const problems: ConfigProblem[] = [
    {
      code: 'origin_path',
      severity: 'warning',
      setting: 'SITES.myblog.origins[0]',
      value: 'https://myblog.blogspot.com/',
      used: 'https://myblog.blogspot.com',
    },
    { code: 'default_site_unknown', severity: 'error', setting: 'DEFAULT_SITE', value: 'demo' },
    { code: 'secret_missing', severity: 'error', setting: 'ADMIN_PASSWORD' },
  ];

  it('lists each mistake in a labelled region, naming the setting and its fix', async () => {
    api.signedIn = true;
    api.problems = problems;
    await mountAdmin();
    const notice = page.getByRole('region', { name: 'Fix the server configuration' });
    await expect.element(notice).toBeVisible();
    const items = notice.getByRole('listitem');
    expect(items.elements().map((item) => item.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      'Corrected for now SITES.myblog.origins[0]: "https://myblog.blogspot.com/" has a path or a trailing slash. ' +
        'Sala uses https://myblog.blogspot.com; write that instead.',
      'Mistake DEFAULT_SITE: It names the site "demo", which SITES does not define. Widgets that name no site fail ' +
        'until you add it to SITES or change DEFAULT_SITE.',
      'Mistake ADMIN_PASSWORD: This secret is not set. Set it with: npx wrangler secret put ADMIN_PASSWORD',
    ]);
    // The sections still work below it.
    await expect.element(page.getByRole('heading', { name: 'Comments', level: 2 })).toBeVisible();
  });

  it('explains why there are no sites when SITES cannot be read', async () => {
    api.signedIn = true;
    api.sites = [];
    api.problems = [{ code: 'sites_invalid_json', severity: 'error', setting: 'SITES' }];
    await mountAdmin();
    await expect
      .element(page.getByRole('region', { name: 'Fix the server configuration' }))
      .toMatchTextContent(/SITES is not valid JSON\. Write it as an object: "SITES": \{"myblog"/);
  });

  it('says it in Khmer on a Khmer page', async () => {
    api.signedIn = true;
    api.problems = problems;
    await mountAdmin({ lang: 'km' });
    const notice = page.getByRole('region', { name: adminKm.configHeading });
    await expect.element(notice).toBeVisible();
    await expect.element(notice).toMatchTextContent(adminKm.configError);
    await expect.element(notice).toMatchTextContent(adminKm.configWarning);
    await expect.element(notice).toMatchTextContent(adminKm.configSecretMissing.replace('{setting}', 'ADMIN_PASSWORD'));
    await expect
      .element(notice)
      .toMatchTextContent(
        adminKm.configOriginPath
          .replace('{value}', 'https://myblog.blogspot.com/')
          .replace('{used}', 'https://myblog.blogspot.com'),
      );
    expect(notice.element().textContent).not.toContain('Mistake');
  });

  it('shows nothing when the configuration is sound', async () => {
    api.signedIn = true;
    await mountAdmin();
    await expect.element(page.getByRole('heading', { name: 'Comments', level: 2 })).toBeVisible();
    expect(deepQuery('.config-problems')).toBeNull();
  });
});
