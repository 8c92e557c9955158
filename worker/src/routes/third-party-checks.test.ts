/** Turnstile and Akismet, each asked through an intercepted fetch (no network). */
import type { ApiErrorBody } from '@sala/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { commentFields, freshPage } from '../testing.js';
import { TestSite } from '../testing-admin.js';

// Cloudflare's published Turnstile test keys (these always pass in the real service).
const TURNSTILE = { siteKey: '1x00000000000000000000AA', secretKey: '1x0000000000000000000000000000000AA' };

interface Outgoing {
  url: string;
  form: URLSearchParams;
}

function interceptFetch(answer: (request: Outgoing) => Response | Promise<Response>): Outgoing[] {
  const sent: Outgoing[] = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input as RequestInfo, init as RequestInit);
    const type = request.headers.get('Content-Type') ?? '';
    const form = type.includes('multipart')
      ? new URLSearchParams([...(await request.formData()).entries()].map(([k, v]) => [k, String(v)]))
      : new URLSearchParams(await request.text());
    const outgoing = { url: request.url, form };
    sent.push(outgoing);
    return answer(outgoing);
  });
  return sent;
}

/** No timing and little besides a link: score 4, risky enough for the challenge. */
const risky = (page: string) => ({ page, name: 'Visitor', body: 'https://example.com/interesting' });

afterEach(() => vi.restoreAllMocks());

describe('Turnstile', () => {
  it('is never shown for an ordinary comment', async () => {
    const site = await TestSite.create();
    await site.settings({ turnstile: TURNSTILE });
    const sent = interceptFetch(() => Response.json({ success: true }));
    expect((await site.post(commentFields(freshPage()))).status).toBe(201);
    expect(sent).toEqual([]);
  });

  it('asks for a challenge on a risky comment, then accepts it with a passing token', async () => {
    const site = await TestSite.create();
    await site.settings({ turnstile: TURNSTILE });
    const sent = interceptFetch(() => Response.json({ success: true, 'error-codes': [] }));
    const page = freshPage();

    const asked = await site.post<ApiErrorBody>(risky(page));
    expect([asked.status, asked.body.error.code, asked.body.error.siteKey]).toEqual([
      403,
      'captcha_required',
      TURNSTILE.siteKey,
    ]);
    expect(sent).toEqual([]);

    const passed = await site.post({ ...risky(page), captchaToken: 'XXXX.DUMMY.TOKEN.XXXX' });
    expect(passed.status).toBe(201);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe('https://challenges.cloudflare.com/turnstile/v0/siteverify');
    expect(sent[0]!.form.get('secret')).toBe(TURNSTILE.secretKey);
    expect(sent[0]!.form.get('response')).toBe('XXXX.DUMMY.TOKEN.XXXX');
    const approved = (await site.queue('approved')).comments[0]!;
    expect(approved.spam!.reasons.map((reason) => reason.code)).toContain('captcha-passed');
  });

  it('refuses a failing token with captcha_failed, and holds the comment when siteverify is down', async () => {
    const site = await TestSite.create();
    await site.settings({ turnstile: TURNSTILE });
    const page = freshPage();
    interceptFetch(() => Response.json({ success: false, 'error-codes': ['invalid-input-response'] }));
    const failed = await site.post<ApiErrorBody>({ ...risky(page), captchaToken: 'bad' });
    expect([failed.status, failed.body.error.code]).toEqual([403, 'captcha_failed']);

    vi.restoreAllMocks();
    interceptFetch(() => {
      throw new TypeError('network down');
    });
    const held = await site.postOk({ ...risky(page), captchaToken: 'whatever' });
    expect(held.comment.status).toBe('pending');
  });
});

describe('Akismet', () => {
  const AKISMET = { apiKey: 'abc123key', blogUrl: 'https://blog.example.com' };

  it('files what Akismet calls spam, publishes what it calls ham, and sends it what it needs', async () => {
    const site = await TestSite.create();
    await site.settings({ akismet: AKISMET });
    let verdict = 'true';
    const sent = interceptFetch(() => new Response(verdict));
    const page = freshPage();

    const spam = await site.postOk(commentFields(page, { body: 'Totally normal words here' }), '2001:db8::9');
    expect(spam.comment.status).toBe('pending');
    expect((await site.queue('spam')).comments.map((comment) => comment.id)).toEqual([spam.comment.id]);
    expect(sent[0]!.url).toBe('https://abc123key.rest.akismet.com/1.1/comment-check');
    expect(Object.fromEntries(sent[0]!.form)).toMatchObject({
      blog: AKISMET.blogUrl,
      user_ip: '2001:db8::9',
      comment_type: 'comment',
      comment_author: 'Dara',
      comment_author_email: 'dara@example.com',
      comment_content: 'Totally normal words here',
      permalink: page,
    });

    verdict = 'false';
    expect((await site.postOk(commentFields(page))).comment.status).toBeUndefined();

    // A Blogger post: Akismet gets the address the reader had, .html and all.
    await site.postOk({ ...commentFields(`${page}.html`), pageUrl: `${page}.html?m=1` });
    expect(sent.at(-1)!.form.get('permalink')).toBe(`${page}.html`);
  });

  it('changes nothing when Akismet cannot answer (wrong key, outage)', async () => {
    const site = await TestSite.create();
    await site.settings({ akismet: AKISMET });
    interceptFetch(() => new Response('invalid'));
    expect((await site.postOk(commentFields(freshPage()))).comment.status).toBeUndefined();
  });
});
