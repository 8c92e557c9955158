import type { AdminSiteListResponse, ApiErrorBody, SiteSettings, SiteSettingsResponse } from '@sala/protocol';
import { describe, expect, it } from 'vitest';
import { send } from '../testing.js';
import { asOwner, signIn } from '../testing-admin.js';

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

    const saved = await asOwner<SiteSettingsResponse>(cookie, 'PUT', '/sites/demo/settings', {
      json: settings({ holdWords: ['Casino', 'casino', ' free money '], moderation: 'hold-links' }),
    });
    expect(saved.status).toBe(200);
    expect(saved.body.settings.holdWords).toEqual(['casino', 'free money']);
    const after = await asOwner<SiteSettingsResponse>(cookie, 'GET', '/sites/demo/settings');
    expect(after.body.settings.moderation).toBe('hold-links');
    await asOwner(cookie, 'PUT', '/sites/demo/settings', { json: settings() });
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
    await asOwner(cookie, 'PUT', '/sites/demo/settings', { json: settings({ extraOrigins: [origin] }) });
    const allowed = await send('GET', `/api/v1/comments?page=${page}`, { origin });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('Access-Control-Allow-Origin')).toBe(origin);
    await asOwner(cookie, 'PUT', '/sites/demo/settings', { json: settings() });
  });
});
