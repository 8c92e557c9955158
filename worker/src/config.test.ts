/** The deployment's configuration as a user writes it, through the whole Worker: what works, what each mistake says. */
import type { ApiErrorBody, CreateCommentResponse, ThreadResponse } from '@sala/protocol';
import { createScheduledController } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import worker from './index.js';
import { commentFields, freshPage, rebuildsDone, send } from './testing.js';
import { freshAddress, OWN_ORIGIN } from './testing-admin.js';

const BLOG = 'https://myblog.blogspot.com';

/** Bindings with SITES as wrangler passes a var written as an object in wrangler.jsonc: the object itself. */
function bindingsWithSites(sites: Record<string, unknown>, more: Partial<Env> = {}): Env {
  return { ...env, SITES: sites as unknown as string, ...more };
}

/** A site id of its own per test, so the mistakes it logs are new to this isolate. */
function freshId(): string {
  return `c${crypto.randomUUID().slice(0, 8)}`;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('SITES written as an object', () => {
  it('takes a comment from an allowed origin and shows it in the thread', async () => {
    const id = freshId();
    // The origin as copied from the address bar, with its trailing slash.
    const bindings = bindingsWithSites({ [id]: { name: 'My blog', origins: [`${BLOG}/`] } });
    const page = `${BLOG}/2026/12/first-post.html`;
    const posted = await send<CreateCommentResponse>('POST', `/api/v1/comments?site=${id}`, {
      json: commentFields(page),
      origin: BLOG,
      bindings,
    });
    expect(posted.status).toBe(201);
    expect(posted.headers.get('Access-Control-Allow-Origin')).toBe(BLOG);

    await rebuildsDone();
    const thread = await send<ThreadResponse>('GET', `/api/v1/comments?site=${id}&page=${encodeURIComponent(page)}`, {
      origin: BLOG,
      bindings,
    });
    expect(thread.body.comments.map((comment) => comment.id)).toContain(posted.body.comment.id);
  });
});

describe('a mistake in the configuration', () => {
  it('is logged once per mistake by the first request, naming the setting, and never becomes a 500', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const id = freshId();
    const bindings = bindingsWithSites(
      { [id]: { origins: [`${BLOG}/2024/`, 'not an origin'] }, [`${id}-x`]: { origins: BLOG } },
      { DEFAULT_SITE: `${id}-missing` },
    );
    const page = encodeURIComponent(freshPage());
    for (let i = 0; i < 3; i += 1) {
      const sent = await send<ApiErrorBody>('GET', `/api/v1/comments?site=${id}&page=${page}`, {
        origin: BLOG,
        bindings,
      });
      expect(sent.status).toBe(200);
    }
    const logged = (spy: typeof errors) => spy.mock.calls.map((call) => String(call[0]));
    expect(logged(errors)).toEqual([
      `[sala] config: SITES: site "${id}": origins[1] "not an origin" is not an origin like https://myblog.blogspot.com; it is ignored.`,
      `[sala] config: SITES: site "${id}-x": origins must be a list of origins like https://myblog.blogspot.com`,
      `[sala] config: DEFAULT_SITE names the site "${id}-missing", which SITES does not define: add it to SITES or name one it does.`,
    ]);
    expect(logged(warnings)).toEqual([
      `[sala] config: SITES: site "${id}": origins[0] "https://myblog.blogspot.com/2024/" has a path or trailing slash; using https://myblog.blogspot.com. An origin is the scheme and host only.`,
    ]);

    const noSite = await send<ApiErrorBody>('GET', `/api/v1/comments?page=${page}`, { origin: BLOG, bindings });
    expect([noSite.status, noSite.body.error.code]).toEqual([503, 'site_config_invalid']);
    const brokenSite = await send<ApiErrorBody>('GET', `/api/v1/comments?site=${id}-x&page=${page}`, { bindings });
    expect([brokenSite.status, brokenSite.body.error.code]).toEqual([503, 'site_config_invalid']);
  });

  it('in SITES is logged by the cron too, which finishes its run', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const raw = `{"${freshId()}": {"origins": ["${BLOG}"]},}`;
    const controller = createScheduledController({ scheduledTime: Date.now(), cron: '*/10 * * * *' });
    await worker.scheduled(controller, { ...env, SITES: raw });
    expect(errors.mock.calls.map((call) => String(call[0]))).toEqual([
      expect.stringMatching(
        /^\[sala\] config: SITES is not valid JSON \(.*\)\. Write it as an object in wrangler\.jsonc/,
      ),
    ]);
  });

  it('of a missing SALA_SECRET refuses comments, sign-in and mailed links with its name, never a 500', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const bindings = { ...env, SALA_SECRET: '' };
    const posted = await send<ApiErrorBody>('POST', '/api/v1/comments', {
      json: commentFields(freshPage()),
      bindings,
    });
    expect([posted.status, posted.body.error.code]).toEqual([503, 'site_config_invalid']);
    expect(posted.body.error.message).toMatch(/^SALA_SECRET is not set/);

    const signIn = await send<ApiErrorBody>('POST', '/api/v1/admin/session', {
      json: { password: env.ADMIN_PASSWORD },
      origin: OWN_ORIGIN,
      headers: { 'CF-Connecting-IP': freshAddress() },
      bindings,
    });
    expect([signIn.status, signIn.body.error.code]).toEqual([503, 'site_config_invalid']);
    expect(signIn.body.error.message).toContain('npx wrangler secret put SALA_SECRET');

    for (const link of ['/api/v1/moderation-links/a.b', '/api/v1/email-links/a.b']) {
      const opened = await send<ApiErrorBody>('GET', link, { origin: null, bindings });
      expect([opened.status, opened.body.error.message]).toEqual([
        503,
        expect.stringMatching(/^SALA_SECRET is not set/),
      ]);
    }
  });
});
