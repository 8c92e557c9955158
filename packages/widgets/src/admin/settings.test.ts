import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanUp, expectFocus, mountAdmin, page } from '../test/admin-render.js';
import { defaultSettings, FakeAdminApi } from '../test/fake-admin-api.js';
import { serverFieldError, validateDraft, draftOf } from './settings-form.js';

let api: FakeAdminApi;

beforeEach(() => {
  api = new FakeAdminApi().install();
  api.signedIn = true;
  location.hash = '#settings';
});

afterEach(cleanUp);

const saves = () => api.requestsTo('PUT', '/sites/demo/settings');

describe('site settings', () => {
  it('shows what needs fixing next to each field, takes focus to the first, and saves nothing', async () => {
    await mountAdmin();
    const origins = page.getByLabelText('More allowed origins, one per line');
    await origins.fill('https://blog.example.com\nblog.example.com');
    await page.getByLabelText('Most links in one comment').fill('50');
    await page.getByLabelText('Email held comments to (optional)').fill('owner@');
    await page.getByRole('button', { name: 'Add a webhook' }).click();
    await page.getByLabelText('Address').fill('http://hooks.example.com/sala');
    await page.getByLabelText('Signing secret').fill('short');
    await page.getByRole('button', { name: 'Save settings' }).click();

    await expect.element(origins).toHaveAttribute('aria-invalid', 'true');
    await expect
      .element(origins)
      .toHaveAccessibleDescription(/Line 2 is not an origin like https:\/\/blog\.example\.com\./);
    await expect
      .element(page.getByLabelText('Most links in one comment'))
      .toHaveAccessibleDescription(/Enter a whole number from 0 to 20\./);
    await expect
      .element(page.getByLabelText('Address'))
      .toHaveAccessibleDescription('Enter an https address (http only for localhost).');
    await expect
      .element(page.getByLabelText('Signing secret'))
      .toHaveAccessibleDescription(/Use 16 to 200 characters\./);
    await expect
      .element(page.getByLabelText('Email held comments to (optional)'))
      .toHaveAccessibleDescription(/Enter an email address, or leave this empty\./);
    await expect.element(page.getByLabelText('Your name on your replies')).toHaveAttribute('aria-invalid', 'false');
    await expectFocus(origins);
    await expect
      .element(page.getByRole('status').getByText('Some settings need fixing; see the messages next to them.'))
      .toBeInTheDocument();
    expect(saves()).toHaveLength(0);
  });

  it('sends an address pasted with its path, for the server to keep only its origin', async () => {
    await mountAdmin();
    const origins = page.getByLabelText('More allowed origins, one per line');
    await origins.fill('https://myblog.blogspot.com/\nhttps://other.example.org/2024/05/post.html');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await vi.waitFor(() => expect(saves()).toHaveLength(1));
    expect(saves()[0]!.body).toMatchObject({
      extraOrigins: ['https://myblog.blogspot.com/', 'https://other.example.org/2024/05/post.html'],
    });
    await expect.element(origins).toHaveAttribute('aria-invalid', 'false');
  });

  it('leaves the site’s mail language out of a save: one chosen through the API stays', async () => {
    await mountAdmin({ lang: 'ja' });
    await page.getByLabelText('保留したコメントの通知先メールアドレス（任意）').fill('owner@example.com');
    await page.getByRole('button', { name: '設定を保存' }).click();
    await vi.waitFor(() => expect(saves()).toHaveLength(1));
    expect(saves()[0]!.body).toMatchObject({ notifyEmail: 'owner@example.com' });
    expect(saves()[0]!.body).not.toHaveProperty('ownerLanguage');
  });

  it('puts a field error from the server next to its field', async () => {
    await mountAdmin();
    await page.getByLabelText('More allowed origins, one per line').fill('https://ok.example\n\nhttps://*.example.com');
    api.failNext('PUT', 400, {
      code: 'invalid_field',
      field: 'extraOrigins[1]',
      message: 'extraOrigins[1] is not an origin',
    });
    await page.getByRole('button', { name: 'Save settings' }).click();
    // The second origin sent is on the third line of the box.
    await expect
      .element(page.getByLabelText('More allowed origins, one per line'))
      .toHaveAccessibleDescription(/Line 3 is not an origin/);
  });

  it('saves the whole document: moderation mode, words, spam checks and webhooks', async () => {
    await mountAdmin();
    await page.getByRole('radio', { name: 'Hold every comment' }).click();
    await page.getByLabelText('Hold comments containing (one word or phrase per line)').fill('casino\n\n  crypto  ');
    await page.getByRole('checkbox', { name: 'Check every comment with Akismet' }).click();
    await page.getByLabelText('Akismet API key').fill('abc123');
    await page.getByLabelText('Your blog’s address, for Akismet').fill('https://blog.example.com');
    await page.getByRole('button', { name: 'Add a webhook' }).click();
    await expectFocus(page.getByLabelText('Address'));
    await page.getByLabelText('Address').fill('https://hooks.slack.com/services/T/B/X');
    await page.getByLabelText('Format').selectOptions('Slack');
    await page.getByRole('checkbox', { name: 'a comment is published' }).click();
    await page.getByRole('button', { name: 'Save settings' }).click();

    await expect.element(page.getByRole('status').getByText('Settings saved.')).toBeVisible();
    const [save] = saves();
    expect(save!.body).toEqual({
      ...defaultSettings(),
      version: 'v1',
      moderation: 'hold-all',
      holdWords: ['casino', 'crypto'],
      akismet: { apiKey: 'abc123', blogUrl: 'https://blog.example.com' },
      webhooks: [
        {
          id: 'hook-1',
          url: 'https://hooks.slack.com/services/T/B/X',
          format: 'slack',
          events: ['comment.created', 'comment.held'],
          secret: expect.stringMatching(/^[0-9a-f]{32}$/),
        },
      ],
    });
  });
});

describe('settings saved elsewhere since the form loaded', () => {
  /** Another tab saves "hold every comment" after this one loaded. */
  function savedElsewhere(): void {
    api.settings = { ...defaultSettings(), moderation: 'hold-all' };
    api.settingsVersion += 1;
  }

  it('refuses the save, keeps what was typed, and saves the changed settings over theirs when the owner says so', async () => {
    await mountAdmin();
    const holdWords = page.getByLabelText('Hold comments containing (one word or phrase per line)');
    await holdWords.fill('casino');
    savedElsewhere();
    await page.getByRole('button', { name: 'Save settings' }).click();

    await expect
      .element(page.getByRole('alert').getByText(/^These settings were saved elsewhere \(another tab or device\)/))
      .toBeVisible();
    await expectFocus(page.getByRole('button', { name: 'Save mine over them' }));
    await expect.element(holdWords).toHaveValue('casino');
    expect(api.settings.holdWords).toEqual([]);

    await page.getByRole('button', { name: 'Save mine over them' }).click();
    await expect.element(page.getByRole('status').getByText('Settings saved.')).toBeVisible();
    expect(saves().map((save) => (save.body as { version: string }).version)).toEqual(['v1', 'v2']);
    // Mine over theirs where I changed something; their change to another setting stays.
    expect([api.settings.moderation, api.settings.holdWords]).toEqual(['hold-all', ['casino']]);
    await expect.element(page.getByRole('radio', { name: 'Hold every comment' })).toBeChecked();
    await expect.element(holdWords).toHaveValue('casino');
    expect(page.getByRole('alert').query()).toBeNull();
  });

  it('saves mine over theirs on a setting both changed', async () => {
    await mountAdmin();
    await page.getByRole('radio', { name: 'Hold comments with links' }).click();
    savedElsewhere();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('button', { name: 'Save mine over them' }).click();
    await expect.element(page.getByRole('status').getByText('Settings saved.')).toBeVisible();
    expect(api.settings.moderation).toBe('hold-links');
  });

  it('shows the saved settings instead when the owner drops theirs', async () => {
    await mountAdmin();
    await page.getByLabelText('Hold comments containing (one word or phrase per line)').fill('casino');
    savedElsewhere();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('button', { name: 'Show the saved settings instead' }).click();

    await expect.element(page.getByRole('radio', { name: 'Hold every comment' })).toBeChecked();
    await expect.element(page.getByLabelText('Hold comments containing (one word or phrase per line)')).toHaveValue('');
    expect(saves()).toHaveLength(1);
    expect(api.settings.moderation).toBe('hold-all');
  });
});

describe('the settings model', () => {
  it('accepts what the Worker accepts', () => {
    const draft = draftOf({ ...defaultSettings(), extraOrigins: ['https://*.example.com', 'http://localhost:*'] });
    expect(validateDraft(draft)).toEqual({});
  });

  it('places Worker errors on the fields the form shows, and reports the rest above it', () => {
    const draft = draftOf(defaultSettings());
    expect(serverFieldError('webhooks[2].id', 'Each webhook needs its own id.', draft)?.[0]).toBe('webhooks[2].url');
    expect(serverFieldError('holdWords[0]', 'too long', draft)).toEqual([
      'holdWords',
      { key: 'invalid.other', values: { message: 'too long' } },
    ]);
    expect(serverFieldError('moderation', 'bad', draft)).toBeNull();
  });
});

it('reports a failed load with a way to try again', async () => {
  api.failNext('GET', 500, { code: 'internal', message: 'boom' }, /settings/);
  await mountAdmin();
  await expect
    .element(page.getByRole('alert'))
    .toHaveTextContent('Something went wrong on the server. Try again later.');
  await page.getByRole('button', { name: 'Try again' }).click();
  await vi.waitFor(() => expect(page.getByRole('button', { name: 'Save settings' }).query()).not.toBeNull());
});
