import type {
  AdminSessionResponse,
  ApiErrorBody,
  CreateCommentResponse,
  EditCommentResponse,
  ModerateResponse,
} from '@sala/protocol';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { commentPrefix, pageRef } from '../storage/keys.js';
import { repairDirtyThreads } from '../storage/repair.js';
import { asOwner, freshAddress, OWN_ORIGIN, ownLanguageKv, TestSite } from '../testing-admin.js';
import { limitedKv, withKv } from '../testing-quota.js';
import { commentFields, freshPage, rebuildsDone, send } from '../testing.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/** The next 00:00 UTC, as the API reports it. */
function nextMidnight(): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)).toISOString();
}

async function storedCommentKeys(site: TestSite, page: string): Promise<string[]> {
  const listed = await env.SALA.list({ prefix: commentPrefix(await pageRef(site.id, page)) });
  return listed.keys.map((key) => key.name);
}

/** The cron's snapshot repair with KV working again (markers count as settled). */
async function cronAfterReset(): Promise<void> {
  await rebuildsDone();
  await repairDirtyThreads(env.SALA, Date.now() + 10 * 60_000);
}

/** Every comment body the owner's lists show, whatever the status. */
async function ownersBodies(site: TestSite): Promise<string[]> {
  const bodies: string[] = [];
  for (const status of ['pending', 'approved', 'spam', 'rejected']) {
    bodies.push(...(await site.queue(status)).comments.map((comment) => comment.body));
  }
  return bodies;
}

function expectPaused(sent: { status: number; headers: Headers; body: unknown; text: string }): void {
  expect(sent.status).toBe(503);
  expect((sent.body as ApiErrorBody).error).toEqual({
    code: 'daily_limit_reached',
    message: expect.stringContaining('paused until 00:00 UTC'),
    resumesAt: nextMidnight(),
  });
  const retryAfter = Number(sent.headers.get('Retry-After'));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(24 * 60 * 60);
}

describe('a new comment when the daily KV write limit runs out', () => {
  // The POST writes the dirty marker, the moderation index entry, then the comment: fail each in turn.
  it.each([
    { writesLeft: 0, fails: 'the dirty marker' },
    { writesLeft: 1, fails: 'the moderation index entry' },
    { writesLeft: 2, fails: 'the comment itself' },
  ])(
    'answers 503 daily_limit_reached and shows nothing anywhere when $fails cannot be written',
    async ({ writesLeft }) => {
      vi.spyOn(console, 'warn').mockImplementation(() => {});
      vi.spyOn(console, 'error').mockImplementation(() => {});
      const site = await TestSite.create();
      const page = freshPage();
      const fields = commentFields(page);
      const limited = limitedKv(env.SALA, { put: writesLeft });

      const sent = await send<ApiErrorBody>('POST', `/api/v1/comments?site=${site.id}`, {
        json: fields,
        bindings: withKv(site.bindings, limited.kv),
      });
      expectPaused(sent);
      expect(limited.written).toHaveLength(writesLeft);
      expect(limited.refused[0]?.operation).toBe('put');

      // After 00:00 UTC the cron runs with KV working: still nothing half-written shows up.
      await cronAfterReset();
      expect(await storedCommentKeys(site, page)).toEqual([]);
      const thread = await site.thread(page);
      expect(thread.total).toBe(0);
      expect(await ownersBodies(site)).not.toContain(fields.body);

      // And the reader's retry, once writing works again, goes through.
      const retried = await site.postOk(fields);
      await cronAfterReset();
      expect((await site.thread(page)).comments.map((comment) => comment.id)).toEqual([retried.comment.id]);
      expect(await ownersBodies(site)).toContain(fields.body);
    },
  );

  it('keeps a comment whose own key landed; the thread catches up after the reset', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const site = await TestSite.create();
    const page = freshPage();
    // Marker, index entry and comment land; the rebuild's count and snapshot writes do not.
    const limited = limitedKv(env.SALA, { put: 3 });

    const sent = await send<CreateCommentResponse>('POST', `/api/v1/comments?site=${site.id}`, {
      json: commentFields(page),
      bindings: withKv(site.bindings, limited.kv),
    });
    expect(sent.status).toBe(201);
    await sent.settled;
    expect(limited.refused.length).toBeGreaterThan(0);
    expect((await site.thread(page)).total).toBe(0);
    // The owner already sees it: its index entry was written before the comment.
    expect((await site.queue('approved')).comments.map((comment) => comment.id)).toContain(sent.body.comment.id);

    await cronAfterReset();
    expect((await site.thread(page)).comments.map((comment) => comment.id)).toEqual([sent.body.comment.id]);
  });
});

describe('editing and deleting when the daily KV write limit runs out', () => {
  async function postedComment(site: TestSite, page: string): Promise<CreateCommentResponse> {
    const created = await site.postOk(commentFields(page));
    await cronAfterReset();
    return created;
  }

  it.each([0, 1, 2])(
    'an edit with %i writes left answers 503 and the old text stays everywhere',
    async (writesLeft) => {
      vi.spyOn(console, 'warn').mockImplementation(() => {});
      vi.spyOn(console, 'error').mockImplementation(() => {});
      const site = await TestSite.create();
      const page = freshPage();
      const { comment, editToken } = await postedComment(site, page);

      const limited = limitedKv(env.SALA, { put: writesLeft });
      const sent = await send<EditCommentResponse>('PATCH', `/api/v1/comments/${comment.id}?site=${site.id}`, {
        json: { page, body: 'An edit that never lands' },
        headers: { Authorization: `Bearer ${editToken}` },
        bindings: withKv(site.bindings, limited.kv),
      });
      expectPaused(sent);

      await cronAfterReset();
      expect((await site.thread(page)).comments.map((shown) => shown.body)).toEqual([comment.body]);
      const approved = await site.queue('approved');
      expect(approved.comments.find((listed) => listed.id === comment.id)?.body).toBe(comment.body);
    },
  );

  it('a delete answers 503 and the comment stays', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const site = await TestSite.create();
    const page = freshPage();
    const { comment, editToken } = await postedComment(site, page);

    const limited = limitedKv(env.SALA, { put: 0 });
    const sent = await send(
      'DELETE',
      `/api/v1/comments/${comment.id}?site=${site.id}&page=${encodeURIComponent(page)}`,
      {
        headers: { Authorization: `Bearer ${editToken}` },
        bindings: withKv(site.bindings, limited.kv),
      },
    );
    expectPaused(sent);
    await cronAfterReset();
    expect((await site.thread(page)).comments.map((shown) => shown.id)).toEqual([comment.id]);
  });
});

describe('moderating when the daily KV write limit runs out', () => {
  it('reports daily_limit_reached for each comment and changes nothing', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const site = await TestSite.create();
    await site.settings({ moderation: 'hold-all' });
    const page = freshPage();
    const { comment } = await site.postOk(commentFields(page));
    await cronAfterReset();

    const limited = limitedKv(env.SALA, { put: 0 });
    const sent = await site.admin<ModerateResponse>('POST', '/moderate', {
      json: { action: 'approve', comments: [{ page, id: comment.id }] },
      bindings: withKv(site.bindings, limited.kv),
    });
    expect(sent.status).toBe(200);
    expect(sent.body.results).toEqual([
      {
        page,
        id: comment.id,
        ok: false,
        error: { code: 'daily_limit_reached', message: expect.stringContaining('00:00 UTC') },
      },
    ]);
    await cronAfterReset();
    expect((await site.queue('pending')).comments.map((listed) => listed.id)).toEqual([comment.id]);
    expect((await site.thread(page)).total).toBe(0);
  });
});

describe('signing in when the daily KV write limit runs out', () => {
  it('answers 503 saying signing in waits for the reset, sets no cookie, and works after it', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const limited = limitedKv(env.SALA, { put: 0 });
    const signIn = (bindings: Env) =>
      send<ApiErrorBody>('POST', '/api/v1/admin/session', {
        json: { password: env.ADMIN_PASSWORD },
        origin: OWN_ORIGIN,
        headers: { 'CF-Connecting-IP': freshAddress() },
        bindings,
      });
    const sent = await signIn(withKv(env, limited.kv));
    expectPaused(sent);
    expect(sent.body.error.message).toMatch(/^Signing in is paused until 00:00 UTC: it saves a session/);
    expect(sent.headers.get('Set-Cookie')).toBeNull();
    expect((await signIn(env)).status).toBe(200);
  });

  it('signs in with the one write left for the session; the page’s language waits for the reset, said as such', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const limited = limitedKv(ownLanguageKv(env.SALA), { put: 1 });
    const bindings = withKv(env, limited.kv);
    const sent = await send<AdminSessionResponse>('POST', '/api/v1/admin/session', {
      json: { password: env.ADMIN_PASSWORD, language: 'km' },
      origin: OWN_ORIGIN,
      headers: { 'CF-Connecting-IP': freshAddress() },
      bindings,
    });
    expect(sent.status).toBe(200);
    // Nothing kept: the answer says so, and the page tells it again (here at once, as it would at its next load).
    expect(sent.body.language).toBeUndefined();
    const cookie = sent.headers.get('Set-Cookie')!.split(';')[0]!;
    const tell = () => asOwner(cookie, 'PUT', '/session/language', { json: { language: 'km' }, bindings });
    expectPaused(await tell());
    limited.allow({ put: Infinity });
    expect((await tell()).status).toBe(200);
    expect((await asOwner<AdminSessionResponse>(cookie, 'GET', '/session', { bindings })).body.language).toBe('km');
  });
});

describe('reading when the daily KV read limit runs out', () => {
  it('answers 503 daily_limit_reached, not a 500', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const site = await TestSite.create();
    const limited = limitedKv(env.SALA, { get: 0 });
    const sent = await send('GET', `/api/v1/comments?site=${site.id}&page=${encodeURIComponent(freshPage())}`, {
      bindings: withKv(site.bindings, limited.kv),
    });
    expectPaused(sent);
  });
});
