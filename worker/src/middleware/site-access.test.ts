import type { ApiErrorBody } from '@sala/protocol';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { Hono } from 'hono';
import { getQueryParam } from 'hono/utils/url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppEnv } from '../app-env.js';
import { addressSubject } from '../domain/identity-hashes.js';
import { renderError } from '../errors.js';
import { viewBatchPrefix } from '../storage/keys.js';
import { ViewCounter } from '../storage/view-counter.js';
import { rateLimit } from './rate-limit.js';
import { namesNoSite, siteAccess } from './site-access.js';
import { viewFlush } from './view-flush.js';

const bindings = {
  // Origins SITES does not list are looked up in the site's settings (origins the owner added).
  SALA: env.SALA,
  SALA_SECRET: 'test-secret',
  ADMIN_PASSWORD: 'test-admin-password',
  DEFAULT_SITE: 'blog',
  SITES: JSON.stringify({
    blog: { name: 'A blog', origins: ['https://*.example.com', 'http://localhost:*'] },
    other: { origins: ['https://other.test'] },
  }),
};

function appUnderTest() {
  const app = new Hono<AppEnv>();
  app.use('*', siteAccess());
  app.all('/thing', (c) => c.json({ site: c.get('site').id }));
  app.onError(renderError);
  return app;
}

/** `bindings` with SITES as given: an object, as wrangler passes one written as an object in wrangler.jsonc. */
function withSites(sites: unknown, more: Partial<Env> = {}): Partial<Env> {
  return { ...bindings, SITES: sites as string, ...more };
}

async function call(path: string, init: RequestInit = {}, env: Partial<Env> = bindings) {
  const response = await appUnderTest().request(`https://sala.test${path}`, init, env);
  const text = await response.text();
  return { response, body: (text ? JSON.parse(text) : null) as (ApiErrorBody & { site: string }) | null };
}

describe('siteAccess', () => {
  it("passes over a query naming no site without Hono's lookup, which finds no site there either", async () => {
    const pages = Array.from({ length: 100 }, (_, i) => `page=${encodeURIComponent(`https://blog.test/p-${i}.html`)}`);
    expect(namesNoSite(`https://sala.test/api/v1/counts?${pages.join('&')}`)).toBe(true);
    expect(namesNoSite('https://sala.test/api/v1/comments?page=post-1')).toBe(true);
    expect(namesNoSite('https://sala.test/api/v1/popular')).toBe(true);
    const queries = [
      '',
      '?',
      '?site=other',
      '?page=a%20b&site=x%2By',
      '?site',
      '?page=1&site',
      '?site=&page=%41',
      '?sites=1&page=%41',
      '?website=a&page=%41',
      '?page=site%3Dx',
      '?%73ite=other',
      '?si+te=1&page=%41',
      '?a+b=1',
      '?page=1#site=other',
      '?page=%41#&site=x',
      '?page=a&Site=b%20',
      '#?site=x',
    ];
    for (const query of queries) {
      const url = `https://sala.test/thing${query}`;
      if (namesNoSite(url)) expect(getQueryParam(url, 'site'), url).toBeUndefined();
    }
    expect(queries.filter((query) => !namesNoSite(`https://sala.test/thing${query}`))).toEqual([
      '?site=other',
      '?page=a%20b&site=x%2By',
      '?site',
      '?page=1&site',
      '?site=&page=%41',
      '?%73ite=other',
      '?si+te=1&page=%41',
      '?a+b=1',
    ]);
    expect((await call('/thing?%73ite=other')).body?.site).toBe('other');
  });

  it('uses ?site, else the default site, and refuses unknown or missing sites', async () => {
    expect((await call('/thing?site=other')).body?.site).toBe('other');
    expect((await call('/thing')).body?.site).toBe('blog');
    expect((await call('/thing?site=nope')).body?.error).toMatchObject({ code: 'unknown_site', field: 'site' });
    expect((await call('/thing?site=nope')).response.status).toBe(404);
    const noDefault = await call('/thing', {}, { ...bindings, DEFAULT_SITE: '' });
    expect([noDefault.response.status, noDefault.body?.error.code]).toEqual([400, 'site_required']);
  });

  it('lets any page read why its site is unknown, so the widget can say so', async () => {
    const { response, body } = await call('/thing?site=typo', { headers: { Origin: 'https://new-blog.test' } });
    expect([response.status, body?.error.code]).toEqual([404, 'unknown_site']);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('https://new-blog.test');
  });

  it('answers a listed origin with CORS headers and no credentials', async () => {
    const { response } = await call('/thing', { headers: { Origin: 'https://blog.example.com' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('https://blog.example.com');
    expect(response.headers.get('Access-Control-Allow-Credentials')).toBeNull();
    expect(response.headers.get('Vary')).toContain('Origin');
  });

  it('answers a preflight from a listed origin, allowing JSON bodies and the edit token header', async () => {
    const { response } = await call('/thing', {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:5173',
        'Access-Control-Request-Method': 'PATCH',
        'Access-Control-Request-Headers': 'content-type, authorization',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('http://localhost:5173');
    expect(response.headers.get('Access-Control-Allow-Methods')).toContain('PATCH');
    expect(response.headers.get('Access-Control-Allow-Headers')?.toLowerCase()).toBe('content-type,authorization');
  });

  it('refuses an origin the site does not list, preflight included, letting it read only the refusal', async () => {
    for (const method of ['GET', 'POST', 'OPTIONS']) {
      const { response, body } = await call('/thing', {
        method,
        headers: { Origin: 'https://evil.test', 'Access-Control-Request-Method': 'POST' },
      });
      expect([response.status, body?.error.code]).toEqual([403, 'origin_not_allowed']);
      // The widget on that page can say "not allowed here"; a failed (403) preflight still stops any write.
      expect(response.headers.get('Access-Control-Allow-Origin')).toBe('https://evil.test');
      expect(response.headers.get('Access-Control-Allow-Methods')).toBeNull();
      expect(JSON.stringify(body)).not.toContain('comments');
    }
    // Listed for another site is not listed for this one.
    const crossSite = await call('/thing?site=blog', { headers: { Origin: 'https://other.test' } });
    expect(crossSite.response.status).toBe(403);
  });

  it('refuses a state-changing request without Origin but lets a plain GET through', async () => {
    for (const method of ['POST', 'PATCH', 'DELETE']) {
      const { response, body } = await call('/thing', { method });
      expect([response.status, body?.error.code]).toEqual([403, 'origin_not_allowed']);
    }
    expect((await call('/thing')).response.status).toBe(200);
  });

  it("always allows the Worker's own origin", async () => {
    const { response } = await call('/thing', { method: 'POST', headers: { Origin: 'https://sala.test' } });
    expect(response.status).toBe(200);
  });

  it("says which origin was refused and where to allow it, without showing the site's origins", async () => {
    const { body } = await call('/thing?site=blog', { headers: { Origin: 'https://myblog.blogspot.com' } });
    expect(body?.error.message).toBe(
      'The origin https://myblog.blogspot.com may not use the site "blog". To allow it, add it to the site\'s ' +
        'origins in SITES (wrangler.jsonc) or to "More allowed origins" in the /admin settings.',
    );
    expect(body?.error.message).not.toContain('example.com');
  });
});

describe('siteAccess with a mistake in the configuration', () => {
  it('serves SITES written as an object', async () => {
    const env = withSites({ myblog: { origins: ['https://myblog.blogspot.com'] } }, { DEFAULT_SITE: 'myblog' });
    const { response, body } = await call('/thing', { headers: { Origin: 'https://myblog.blogspot.com' } }, env);
    expect([response.status, body?.site]).toEqual([200, 'myblog']);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('https://myblog.blogspot.com');
  });

  it('answers every request 503 naming SITES when it cannot be read, readable by the embedding page', async () => {
    const cases: [unknown, RegExp][] = [
      ['{"blog": {"origins": ["https://blog.example.com"]', /^SITES is not valid JSON/],
      [['https://blog.example.com'], /^SITES must be an object of sites/],
      ['{}', /^SITES defines no site/],
    ];
    for (const [sites, message] of cases) {
      for (const path of ['/thing', '/thing?site=blog']) {
        const { response, body } = await call(
          path,
          { headers: { Origin: 'https://blog.example.com' } },
          withSites(sites),
        );
        expect([response.status, body?.error.code]).toEqual([503, 'site_config_invalid']);
        expect(body?.error.message).toMatch(message);
        expect(response.headers.get('Access-Control-Allow-Origin')).toBe('https://blog.example.com');
      }
    }
  });

  it('answers a request for a site SITES names but cannot serve with why, naming the setting', async () => {
    const env = withSites({ myblog: { origins: 'https://myblog.blogspot.com' }, 'my blog': { origins: [] } });
    const broken = await call('/thing?site=myblog', {}, env);
    expect([broken.response.status, broken.body?.error]).toEqual([
      503,
      {
        code: 'site_config_invalid',
        message: 'SITES: site "myblog": origins must be a list of origins like https://myblog.blogspot.com',
      },
    ]);
    const badId = await call(`/thing?site=${encodeURIComponent('my blog')}`, {}, env);
    expect([badId.response.status, badId.body?.error.message]).toEqual([
      503,
      'SITES: "my blog" is not a usable site id: use 1 to 64 letters, digits, - and _.',
    ]);
  });

  it('lets an origin written with a trailing slash or a path in SITES in', async () => {
    const env = withSites({ myblog: { origins: ['https://myblog.blogspot.com/2024/'] } });
    const { response } = await call('/thing?site=myblog', { headers: { Origin: 'https://myblog.blogspot.com' } }, env);
    expect(response.status).toBe(200);
  });

  it('says DEFAULT_SITE is wrong when a request relies on it, and serves requests naming a site', async () => {
    const env = withSites({ myblog: { origins: ['https://myblog.blogspot.com'] } }, { DEFAULT_SITE: 'demo' });
    const { response, body } = await call('/thing', {}, env);
    expect([response.status, body?.error.code]).toEqual([503, 'site_config_invalid']);
    expect(body?.error.message).toMatch(/^DEFAULT_SITE names the site "demo", which SITES does not define/);
    expect((await call('/thing?site=myblog', {}, env)).response.status).toBe(200);
    expect((await call('/thing?site=other', {}, env)).body?.error.code).toBe('unknown_site');
  });

  it('refuses changes readably, naming SALA_SECRET, when it is not set; reading still works', async () => {
    const env = { ...bindings, SALA_SECRET: '' };
    const origin = { Origin: 'https://blog.example.com' };
    const { response, body } = await call('/thing', { method: 'POST', headers: origin }, env);
    expect([response.status, body?.error.code]).toEqual([503, 'site_config_invalid']);
    expect(body?.error.message).toMatch(/^SALA_SECRET is not set.*npx wrangler secret put SALA_SECRET/);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('https://blog.example.com');
    expect((await call('/thing', { headers: origin }, env)).response.status).toBe(200);
  });
});

/** A binding that has counted past its limit for everyone. */
const spent: RateLimit = { limit: async () => ({ success: false }) };

function appLimitedTo(periodSeconds: 10 | 60) {
  const app = new Hono<AppEnv>();
  app.post(
    '/comments',
    rateLimit({ limiter: () => spent, name: 'comment', message: 'Wait.', periodSeconds, withoutAddress: 'skip' }),
    (c) => c.body(null, 201),
  );
  app.onError(renderError);
  return app;
}

async function refusedAt(time: number, periodSeconds: 10 | 60) {
  vi.useFakeTimers({ now: time });
  const response = await appLimitedTo(periodSeconds).request(
    '/comments',
    { method: 'POST', headers: { 'CF-Connecting-IP': '192.0.2.7' } },
    { SALA_SECRET: 'test-secret' },
  );
  return { status: response.status, retryAfter: response.headers.get('Retry-After'), body: await response.json() };
}

describe('rateLimit', () => {
  afterEach(() => vi.useRealTimers());

  it('says in Retry-After how many seconds are left until the window ends and a retry is counted afresh', async () => {
    expect(await refusedAt(Date.UTC(2030, 0, 15, 12, 0, 45, 300), 60)).toEqual({
      status: 429,
      retryAfter: '15',
      body: { error: { code: 'rate_limited', message: 'Wait.' } } satisfies ApiErrorBody,
    });
    expect((await refusedAt(Date.UTC(2030, 0, 15, 12, 0, 59, 900), 60)).retryAfter).toBe('1');
    expect((await refusedAt(Date.UTC(2030, 0, 15, 12, 1, 0, 0), 60)).retryAfter).toBe('60');
    expect((await refusedAt(Date.UTC(2030, 0, 15, 12, 0, 43, 500), 10)).retryAfter).toBe('7');
  });
});

describe('addressSubject', () => {
  it('counts an IPv4 address as itself', () => {
    expect(addressSubject('203.0.113.7')).toBe('203.0.113.7');
    expect(addressSubject('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts an IPv6 address by its /64, however it is written', () => {
    const network = '2001:db8:a:b::/64';
    for (const address of [
      '2001:db8:a:b::1',
      '2001:0DB8:000a:000b:ffff:ffff:ffff:ffff',
      '2001:db8:a:b:1:2:3:4',
      '2001:db8:a:b::1%eth0',
    ]) {
      expect(addressSubject(address)).toBe(network);
    }
    expect(addressSubject('2001:db8::a:b:c')).toBe('2001:db8:0:0::/64');
    expect(addressSubject('2001:db8::1:2:3:4:5')).toBe('2001:db8:0:1::/64');
    expect(addressSubject('::1')).toBe('0:0:0:0::/64');
    expect(addressSubject('2001:db8:a:c::1')).not.toBe(network);
  });
});

const VIEW = {
  pageId: 'https://blog.example.com/p',
  meta: { url: 'https://blog.example.com/p', title: 'P', labels: [] },
  weight: 1,
};

function app(counter: ViewCounter) {
  const routes = new Hono<AppEnv>();
  routes.use('*', viewFlush(counter));
  routes.get('/anything', (c) => c.text(String(c.get('viewCounter') === counter)));
  return routes;
}

async function request(counter: ViewCounter, kv: KVNamespace): Promise<string> {
  const ctx = createExecutionContext();
  const response = await app(counter).fetch(new Request('https://sala.test/anything'), { ...env, SALA: kv }, ctx);
  await waitOnExecutionContext(ctx);
  return response.text();
}

async function storedBatches(site: string): Promise<number> {
  return (await env.SALA.list({ prefix: viewBatchPrefix(site) })).keys.length;
}

describe('viewFlush', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives handlers the counter and writes a due batch on any request, after the response', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const site = `f${crypto.randomUUID().slice(0, 8)}`;
    const counter = new ViewCounter({ maxAgeMs: 60_000 });
    counter.add(site, VIEW, 'reader', Date.now());
    expect(await request(counter, env.SALA)).toBe('true');
    expect(await storedBatches(site)).toBe(0); // not due yet

    vi.setSystemTime(Date.now() + 60_000);
    await request(counter, env.SALA);
    expect(await storedBatches(site)).toBe(1);
    expect(counter.bufferedViews).toBe(0);
  });

  it('keeps a batch whose write failed and writes it under the same id later', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const site = `f${crypto.randomUUID().slice(0, 8)}`;
    const counter = new ViewCounter({ maxAgeMs: 0, retryDelayMs: 30_000 });
    counter.add(site, VIEW, 'reader', Date.now());
    const failing = new Proxy(env.SALA, {
      get: (target, property) =>
        property === 'put' ? () => Promise.reject(new Error('KV 503')) : Reflect.get(target, property).bind(target),
    });
    vi.spyOn(console, 'error').mockImplementation(() => {});
    await request(counter, failing);
    expect(await storedBatches(site)).toBe(0);

    vi.setSystemTime(Date.now() + 30_000);
    await request(counter, env.SALA);
    const stored = await env.SALA.list({ prefix: viewBatchPrefix(site) });
    expect(stored.keys).toHaveLength(1);
    const batch = await env.SALA.get<{ views: Record<string, number> }>(stored.keys[0]!.name, 'json');
    expect(batch?.views).toEqual({ [VIEW.pageId]: 1 });
  });
});
