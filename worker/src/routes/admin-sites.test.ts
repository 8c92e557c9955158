import type {
  AdminSiteListResponse,
  ApiErrorBody,
  SettingsConflictBody,
  SiteSettings,
  SiteSettingsResponse,
} from '@sala/protocol';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { send } from '../testing.js';
import { asOwner, signIn, TestSite } from '../testing-admin.js';

function settings(overrides: Partial<SiteSettings> = {}): SiteSettings {
  return {
    extraOrigins: [],
    moderation: 'publish',
    rejectWords: [],
    holdWords: [],
    maxLinks: 3,
    ownerName: 'Sala demo',
    turnstile: null,
    akismet: null,
    webhooks: [],
    ...overrides,
  };
}

/** Saves the demo site's settings over whatever version is saved now, as a tab just opened would. */
async function saveDemo(cookie: string, saving: SiteSettings) {
  const current = await asOwner<SiteSettingsResponse>(cookie, 'GET', '/sites/demo/settings');
  return asOwner<SiteSettingsResponse>(cookie, 'PUT', '/sites/demo/settings', {
    json: { ...saving, version: current.body.version },
  });
}

describe('site settings', () => {
  it('lists the sites of the SITES var', async () => {
    const cookie = await signIn();
    const sent = await asOwner<AdminSiteListResponse>(cookie, 'GET', '/sites');
    expect(sent.body.sites.map((site) => site.id)).toContain('demo');
  });

  it('answers defaults until saved, then what was saved, normalised', async () => {
    const cookie = await signIn();
    const before = await asOwner<SiteSettingsResponse>(cookie, 'GET', '/sites/demo/settings');
    expect(before.status).toBe(200);
    expect(before.body.site.id).toBe('demo');

    const saved = await saveDemo(
      cookie,
      settings({ holdWords: ['Casino', 'casino', ' free money '], moderation: 'hold-links' }),
    );
    expect(saved.status).toBe(200);
    expect(saved.body.settings.holdWords).toEqual(['casino', 'free money']);
    const after = await asOwner<SiteSettingsResponse>(cookie, 'GET', '/sites/demo/settings');
    expect(after.body.settings.moderation).toBe('hold-links');
    await saveDemo(cookie, settings());
  });

  it('takes admin bodies up to 128 KiB, four times a comment’s 32 KiB, as worker/README.md says', async () => {
    const site = await TestSite.create();
    const ban = (padding: number) =>
      site.admin<{ error?: { code: string; message: string } }>('POST', '/bans', {
        json: { kind: 'email', value: `big-${padding}@example.com`, padding: 'x'.repeat(padding) },
      });
    expect((await ban(100 * 1024)).status).toBe(201);
    const over = await ban(128 * 1024);
    expect([over.status, over.body.error?.code]).toEqual([413, 'payload_too_large']);
    expect(over.body.error?.message).toContain('131072 bytes');
  });

  it('names the field of a bad settings document', async () => {
    const cookie = await signIn();
    const cases: [Partial<SiteSettings> | Record<string, unknown>, string][] = [
      [{ moderation: 'sometimes' }, 'moderation'],
      [{ maxLinks: 99 }, 'maxLinks'],
      [{ extraOrigins: ['https://ok.example', 'not an origin'] }, 'extraOrigins[1]'],
      [{ holdWords: ['fine', 42] }, 'holdWords[1]'],
      [{ ownerName: '' }, 'ownerName'],
      [{ turnstile: { siteKey: 'x' } }, 'turnstile.secretKey'],
      [
        { webhooks: [{ id: 'a', url: 'http://hooks.example/x', format: 'json', events: [], secret: 'x'.repeat(16) }] },
        'webhooks[0].url',
      ],
      [
        { webhooks: [{ id: 'a', url: 'https://hooks.example/x', format: 'xml', events: [], secret: 'x'.repeat(16) }] },
        'webhooks[0].format',
      ],
      [
        { webhooks: [{ id: 'a', url: 'https://hooks.example/x', format: 'json', events: [], secret: 'short' }] },
        'webhooks[0].secret',
      ],
    ];
    for (const [change, field] of cases) {
      const sent = await asOwner<ApiErrorBody>(cookie, 'PUT', '/sites/demo/settings', {
        json: { ...settings(), ...change },
      });
      expect([sent.status, sent.body.error.field]).toEqual([400, field]);
    }
  });

  it('refuses a save made from a copy older than the saved settings, and answers with the saved ones', async () => {
    const site = await TestSite.create();
    // Two tabs open the settings.
    const first = (await site.admin<SiteSettingsResponse>('GET', '/settings')).body;
    const second = (await site.admin<SiteSettingsResponse>('GET', '/settings')).body;
    expect(second.version).toBe(first.version);

    const firstSave = await site.admin<SiteSettingsResponse>('PUT', '/settings', {
      json: { ...first.settings, moderation: 'hold-all', version: first.version },
    });
    expect(firstSave.status).toBe(200);
    expect(firstSave.body.version).not.toBe(first.version);

    const secondSave = await site.admin<SettingsConflictBody>('PUT', '/settings', {
      json: { ...second.settings, holdWords: ['casino'], version: second.version },
    });
    expect(secondSave.status).toBe(409);
    expect(secondSave.body.error.code).toBe('settings_conflict');
    expect(secondSave.body.settings.moderation).toBe('hold-all');
    expect(secondSave.body.version).toBe(firstSave.body.version);

    const saved = (await site.admin<SiteSettingsResponse>('GET', '/settings')).body;
    expect([saved.settings.moderation, saved.settings.holdWords]).toEqual(['hold-all', []]);
    // Re-applied over the version the conflict named, the second tab's change saves and keeps the first's.
    const retried = await site.admin<SiteSettingsResponse>('PUT', '/settings', {
      json: { ...secondSave.body.settings, holdWords: ['casino'], version: secondSave.body.version },
    });
    expect(retried.status).toBe(200);
    expect([retried.body.settings.moderation, retried.body.settings.holdWords]).toEqual(['hold-all', ['casino']]);
  });

  it('refuses a save that does not say which version it was edited from', async () => {
    const site = await TestSite.create();
    const { settings: current } = (await site.admin<SiteSettingsResponse>('GET', '/settings')).body;
    const sent = await site.admin<ApiErrorBody>('PUT', '/settings', { json: { ...current, moderation: 'hold-all' } });
    expect([sent.status, sent.body.error.code, sent.body.error.field]).toEqual([400, 'invalid_field', 'version']);
    expect((await site.admin<SiteSettingsResponse>('GET', '/settings')).body.settings.moderation).toBe('publish');
  });

  it('answers 404 for a site this server does not serve', async () => {
    const cookie = await signIn();
    const sent = await asOwner<ApiErrorBody>(cookie, 'GET', '/sites/nope/settings');
    expect([sent.status, sent.body.error.code]).toEqual([404, 'unknown_site']);
  });

  it('lets an origin added in the settings embed the site', async () => {
    const cookie = await signIn();
    const page = encodeURIComponent('https://blog.example.com/p');
    const origin = 'https://added.example.org';
    expect((await send('GET', `/api/v1/comments?page=${page}`, { origin })).status).toBe(403);
    await saveDemo(cookie, settings({ extraOrigins: [origin] }));
    const allowed = await send('GET', `/api/v1/comments?page=${page}`, { origin });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('Access-Control-Allow-Origin')).toBe(origin);
    await saveDemo(cookie, settings());
  });

  it('keeps the origin of an address pasted into Allowed origins, and refuses one without its scheme', async () => {
    const site = await TestSite.create();
    const { settings: current, version } = (await site.admin<SiteSettingsResponse>('GET', '/settings')).body;
    const pasted = ['https://myblog.blogspot.com/', 'https://Other.example.org/2024/05/post.html'];
    const saved = await site.admin<SiteSettingsResponse>('PUT', '/settings', {
      json: { ...current, extraOrigins: pasted, version },
    });
    expect(saved.body.settings.extraOrigins).toEqual(['https://myblog.blogspot.com', 'https://other.example.org']);
    const page = encodeURIComponent('https://myblog.blogspot.com/p');
    const allowed = await send('GET', `/api/v1/comments?site=${site.id}&page=${page}`, {
      origin: 'https://myblog.blogspot.com',
      bindings: site.bindings,
    });
    expect(allowed.status).toBe(200);

    const noScheme = await site.admin<ApiErrorBody>('PUT', '/settings', {
      json: { ...current, extraOrigins: ['https://ok.example', 'myblog.blogspot.com/'], version: saved.body.version },
    });
    expect([noScheme.status, noScheme.body.error]).toEqual([
      400,
      {
        code: 'invalid_field',
        field: 'extraOrigins[1]',
        message:
          'extraOrigins[1] needs its scheme: write https://myblog.blogspot.com (or http:// if the site has no https).',
      },
    ]);
  });
});

describe('configuration problems', () => {
  it('lists every mistake in the configuration with the sites, as codes the admin page translates', async () => {
    const cookie = await signIn();
    const sites = {
      myblog: { name: 'My blog', origins: ['https://myblog.blogspot.com/', 'myblog.example.com'] },
      broken: { origins: 'https://broken.example.com' },
    };
    const bindings = { ...env, SITES: sites as unknown as string, DEFAULT_SITE: 'demo' };
    const sent = await asOwner<AdminSiteListResponse>(cookie, 'GET', '/sites', { bindings });
    expect(sent.status).toBe(200);
    expect(sent.body.sites).toEqual([
      { id: 'myblog', name: 'My blog', origins: ['https://myblog.blogspot.com', 'https://myblog.example.com'] },
    ]);
    expect(sent.body.problems).toEqual([
      {
        code: 'origin_path',
        severity: 'warning',
        setting: 'SITES.myblog.origins[0]',
        value: 'https://myblog.blogspot.com/',
        used: 'https://myblog.blogspot.com',
      },
      {
        code: 'origin_no_scheme',
        severity: 'warning',
        setting: 'SITES.myblog.origins[1]',
        value: 'myblog.example.com',
        used: 'https://myblog.example.com',
      },
      { code: 'site_origins_invalid', severity: 'error', setting: 'SITES.broken.origins' },
      { code: 'default_site_unknown', severity: 'error', setting: 'DEFAULT_SITE', value: 'demo' },
    ]);
    // The page's messages are its own, in its language; the server sends no English sentence.
    expect(sent.text).not.toMatch(/must be|is not/);

    const broken = await asOwner<ApiErrorBody>(cookie, 'GET', '/sites/broken/settings', { bindings });
    expect([broken.status, broken.body.error.code]).toEqual([503, 'site_config_invalid']);
    expect(broken.body.error.message).toMatch(/^SITES: site "broken": origins must be a list/);
  });

  it('lists no problems for the configuration the tests run with', async () => {
    const cookie = await signIn();
    const sent = await asOwner<AdminSiteListResponse>(cookie, 'GET', '/sites');
    expect(sent.body.problems).toEqual([]);
  });

  it('still signs the owner in when SITES cannot be read, to show why', async () => {
    const cookie = await signIn();
    const bindings = { ...env, SITES: '{"myblog": ' };
    const sent = await asOwner<AdminSiteListResponse>(cookie, 'GET', '/sites', { bindings });
    expect(sent.status).toBe(200);
    expect(sent.body).toEqual({
      sites: [],
      problems: [{ code: 'sites_invalid_json', severity: 'error', setting: 'SITES' }],
    });
  });
});
