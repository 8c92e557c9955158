import type {
  AdminSessionResponse,
  ApiErrorBody,
  CreateCommentResponse,
  EditCommentResponse,
  ModerateResponse,
  PopularPostsResponse,
  ThreadResponse,
} from '@sala/protocol';
import { createScheduledController } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newCommentId } from '../domain/comment-id.js';
import { newComment } from '../domain/stored-comment.js';
import worker from '../index.js';
import { saveComment } from '../storage/changes.js';
import { DirtyPages } from '../storage/dirty-pages.js';
import { commentPrefix, DIRTY_PREFIX, pageRef } from '../storage/keys.js';
import { repairDirtyThreads } from '../storage/repair.js';
import { asOwner, freshAddress, OWN_ORIGIN, ownLanguageKv, TestSite } from '../testing-admin.js';
import { limitedKv, withKv } from '../testing-quota.js';
import { commentFields, countingKv, freshPage, getThread, postComment, rebuildsDone, send } from '../testing.js';
import { at, freshSite, isolate, runCron, sendView, serveBlog, storeBatch, type Isolate } from '../testing-views.js';

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

const BLOG = 'https://blog.example.com';

async function popularViews(target: Isolate): Promise<Record<string, number>> {
  const sent = await send<PopularPostsResponse>('GET', `/api/v1/popular?site=${target.site.id}&range=7d&limit=20`, {
    worker: target.worker,
    bindings: target.site.bindings,
  });
  return Object.fromEntries(sent.body.posts.map((post) => [post.pageId, post.views]));
}

describe('the cron when KV writes run out for the day', () => {
  beforeEach(() => {
    serveBlog(); // the blog's own pages, which the cron reads for what the lists show
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('finishes without throwing, loses no stored views, and a run after the reset catches up', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const site = freshSite();
    const target = isolate(site);
    const stored = `${BLOG}/stored-${crypto.randomUUID()}`;
    const buffered = `${BLOG}/buffered-${crypto.randomUUID()}`;

    // One batch an isolate wrote this morning, and one view still in this isolate's buffer.
    await storeBatch(site, at(10, 5), { [stored]: 7 });
    vi.setSystemTime(at(10, 6));
    expect((await sendView(target, buffered)).status).toBe(204);

    // A ranking run, then more runs (the :10 fold among them), all with every write refused.
    const limited = limitedKv(env.SALA, { put: 0, delete: 0 });
    for (const when of [at(10, 50), at(11, 10), at(11, 20)]) {
      vi.setSystemTime(when);
      await expect(runCron(target, when, withKv(site.bindings, limited.kv))).resolves.toBeUndefined();
    }
    expect(limited.written).toEqual([]);
    expect(limited.refused.some((refusal) => refusal.operation === 'put')).toBe(true);
    expect(await popularViews(target)).toEqual({});
    // Clear lines, not stack traces: the stage names itself and says when it picks up.
    const said = warnings.mock.calls.map((call) => call.join(' '));
    expect(said.some((line) => /cron stage "lists of .*" stopped at the KV daily limit.*00:00 UTC/.test(line))).toBe(
      true,
    );
    expect(said.filter((line) => /view batches wait/.test(line))).toHaveLength(1);
    // No stack traces for the limit (other config hints may log errors of their own).
    expect(errors.mock.calls.map((call) => call.join(' ')).filter((line) => /limit exceeded/.test(line))).toEqual([]);

    // After 00:00 UTC, with KV writing again: the buffered view is written and both are counted.
    vi.setSystemTime(at(24, 10));
    await runCron(target, at(24, 10));
    vi.setSystemTime(at(24, 20));
    await runCron(target, at(24, 20));
    expect(await popularViews(target)).toEqual({ [stored]: 7, [buffered]: 1 });
  });

  it('keeps a saved comment whose snapshot could not be written, and shows it once a run can write', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const site = freshSite();
    const target = isolate(site);
    const page = freshPage();
    // The POST's own writes (marker, index entry, comment) land; the rebuild's count and snapshot do not.
    const posting = limitedKv(env.SALA, { put: 3 });
    const sent = await send<CreateCommentResponse>('POST', `/api/v1/comments?site=${site.id}`, {
      json: commentFields(page),
      bindings: withKv(site.bindings, posting.kv),
    });
    expect(sent.status).toBe(201);
    await sent.settled;

    const thread = async () =>
      (
        await send<ThreadResponse>('GET', `/api/v1/comments?site=${site.id}&page=${encodeURIComponent(page)}`, {
          bindings: site.bindings,
        })
      ).body;
    const later = Date.now() + 10 * 60_000;
    const exhausted = limitedKv(env.SALA, { put: 0, delete: 0 });
    await expect(runCron(target, later, withKv(site.bindings, exhausted.kv))).resolves.toBeUndefined();
    expect((await thread()).total).toBe(0);

    await runCron(target, later + 10 * 60_000);
    expect((await thread()).comments.map((comment) => comment.id)).toEqual([sent.body.comment.id]);
    // Its dirty marker is gone once the snapshot is written.
    const markers = await env.SALA.list({ prefix: `${DIRTY_PREFIX}${site.id}:` });
    expect(markers.keys).toEqual([]);
  });
});

/** Runs the Worker's cron handler as if it fired at `time`. */
async function cronAt(time: number, bindings: Env = env): Promise<void> {
  await worker.scheduled(createScheduledController({ scheduledTime: time, cron: '*/10 * * * *' }), bindings);
}

/** Saves a comment straight through storage, as a request would before its rebuild was lost. */
async function saveWithoutRebuild(pageId: string, body: string) {
  const page = await pageRef('demo', pageId);
  const comment = newComment(
    { pageId, parentId: null, name: 'Lost', email: null, website: null, body },
    { id: newCommentId(), now: new Date(), avatar: '0123456789abcdef', tokenHash: '' },
  );
  await saveComment(env.SALA, page, comment);
  return { page, comment };
}

async function markersOf(pageId: string) {
  const { pageHash } = await pageRef('demo', pageId);
  return (await new DirtyPages(env.SALA).list()).filter((marker) => marker.page.pageHash === pageHash);
}

describe('the snapshot repair cron', () => {
  it('puts a comment whose rebuild was lost into its thread', async () => {
    const pageId = freshPage();
    await postComment(pageId, { body: 'seen' });
    await rebuildsDone();
    await saveWithoutRebuild(pageId, 'missed');
    expect((await getThread(pageId)).comments.map((c) => c.body)).toEqual(['seen']);

    await cronAt(Date.now());
    expect((await getThread(pageId)).comments.map((c) => c.body)).toEqual(['seen', 'missed']);
  });

  it('keeps young markers for the next run and clears them once they are settled', async () => {
    const pageId = freshPage();
    await saveWithoutRebuild(pageId, 'one');
    await cronAt(Date.now());
    expect(await markersOf(pageId)).toHaveLength(1);

    await cronAt(Date.now() + 3 * 60_000);
    expect(await markersOf(pageId)).toHaveLength(0);
    expect((await getThread(pageId)).total).toBe(1);
  });

  it('gives the same thread, and writes nothing, when run twice', async () => {
    const pageId = freshPage();
    await saveWithoutRebuild(pageId, 'a');
    await saveWithoutRebuild(pageId, 'b');
    // The same scheduled time twice, as a redelivered event: two different times could straddle the moment an
    // hour of views becomes final, and the popular-posts fold in the second run would rightly write.
    const when = Date.now();
    await cronAt(when);
    const first = await getThread(pageId);
    expect(first.comments.map((c) => c.body)).toEqual(['a', 'b']);

    const counted = countingKv(env.SALA);
    await cronAt(when, { ...env, SALA: counted.kv });
    expect(await getThread(pageId)).toEqual(first);
    expect(counted.calls.filter((call) => call.method === 'put' || call.method === 'delete')).toEqual([]);
  });
});
