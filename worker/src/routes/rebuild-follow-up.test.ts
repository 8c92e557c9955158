/**
 * A new isolate's first change on a big thread leaves the page's rebuild to a request of its own (`rebuild:
 * 'pending'`, then `POST /api/v1/comments/rebuild`): worker/docs/cpu-routes.md, 2026-12-07.
 */
import type { ApiErrorBody, CreateCommentResponse, EditCommentResponse, RebuildThreadResponse } from '@sala/protocol';
import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetIsolateState } from '../domain/isolate-state.js';
import { countKey, dirtyKey, pageRef, threadKey } from '../storage/keys.js';
import { repairDirtyThreads } from '../storage/repair.js';
import { BIG_THREAD, SNAPSHOT_SPLIT } from '../storage/threads.js';
import { commentFields, countingKv, freshPage, getThread, postComment, rebuildsDone, send } from '../testing.js';

/** Threads split after a few comments here, and count as big from five (as 1,000 comments do at the real sizes). */
const sizes = { ...SNAPSHOT_SPLIT };
const bigThread = { ...BIG_THREAD };
beforeAll(() => {
  Object.assign(SNAPSHOT_SPLIT, { partChars: 700, tailChars: 1_500 });
  Object.assign(BIG_THREAD, { comments: 5 });
});
afterAll(() => {
  Object.assign(SNAPSHOT_SPLIT, sizes);
  Object.assign(BIG_THREAD, bigThread);
});

/** A page of `count` comments, rebuilt (split in parts past a few), each comment's token kept. */
async function thread(count: number): Promise<{ page: string; posted: CreateCommentResponse[] }> {
  const page = freshPage();
  const posted: CreateCommentResponse[] = [];
  for (let i = 0; i < count; i++) posted.push(await postComment(page));
  await rebuildsDone();
  return { page, posted };
}

/** The ids another isolate's reader is served: this one's copies forgotten first. */
async function readersSee(page: string): Promise<string[]> {
  resetIsolateState();
  return (await getThread(page)).comments.map(({ id }) => id);
}

function followUp(page: string | null, options: { bindings?: Env; site?: string; origin?: null } = {}) {
  const query = new URLSearchParams();
  if (options.site !== undefined) query.set('site', options.site);
  if (page !== null) query.set('page', page);
  return send<RebuildThreadResponse & ApiErrorBody>('POST', `/api/v1/comments/rebuild?${query}`, options);
}

/** What a request wrote to the page's snapshot or count: the keys of its puts there. */
async function snapshotWrites(page: string, calls: { method: string; args: unknown[] }[]): Promise<string[]> {
  const ref = await pageRef('demo', page);
  const thread = threadKey(ref);
  return calls
    .filter(({ method }) => method === 'put')
    .map(({ args }) => String(args[0]))
    .filter((key) => key.startsWith(thread) || key === countKey(ref));
}

describe('a new isolate’s first change on a big thread', () => {
  it('answers rebuild pending and writes no snapshot; the follow-up rebuilds, and another reader then sees it', async () => {
    const { page } = await thread(12);
    resetIsolateState();
    const counted = countingKv(env.SALA);
    const sent = await send<CreateCommentResponse>('POST', '/api/v1/comments', {
      json: commentFields(page),
      bindings: { ...env, SALA: counted.kv },
    });
    await sent.settled;
    expect(sent.status).toBe(201);
    expect(sent.body.rebuild).toBe('pending');
    expect(await snapshotWrites(page, counted.calls)).toEqual([]);
    expect(await readersSee(page)).not.toContain(sent.body.comment.id);

    const asked = await followUp(page);
    expect(asked.status).toBe(200);
    expect(asked.body).toEqual({ rebuilt: true });
    const seen = await readersSee(page);
    expect(seen).toContain(sent.body.comment.id);
    expect(seen).toHaveLength(13);
  });

  it('takes the follow-up in the isolate that made the change, reading the head once between them', async () => {
    const { page } = await thread(12);
    resetIsolateState();
    const counted = countingKv(env.SALA);
    const bindings = { ...env, SALA: counted.kv };
    const sent = await send<CreateCommentResponse>('POST', '/api/v1/comments', { json: commentFields(page), bindings });
    expect(sent.body.rebuild).toBe('pending');
    expect((await followUp(page, { bindings })).body).toEqual({ rebuilt: true });
    const head = threadKey(await pageRef('demo', page));
    expect(counted.calls.filter(({ method, args }) => method === 'get' && args[0] === head)).toHaveLength(1);
    expect(await readersSee(page)).toContain(sent.body.comment.id);
  });

  it('answers an edit pending too, from the page’s count when no head is at hand', async () => {
    const { page, posted } = await thread(6);
    resetIsolateState();
    const mine = posted.at(-1)!;
    const sent = await send<EditCommentResponse>('PATCH', `/api/v1/comments/${mine.comment.id}`, {
      json: { page, body: 'Edited in a new isolate' },
      headers: { Authorization: `Bearer ${mine.editToken}` },
    });
    await sent.settled;
    expect(sent.status).toBe(200);
    expect(sent.body.rebuild).toBe('pending');
    const body = async () => (await getThread(page)).comments.find(({ id }) => id === mine.comment.id)?.body;
    resetIsolateState();
    expect(await body()).not.toContain('Edited in a new isolate');
    expect((await followUp(page)).body).toEqual({ rebuilt: true });
    resetIsolateState();
    expect(await body()).toContain('Edited in a new isolate');
  });

  it('tells a big thread from a small one by what a new comment’s screening read, with no count read', async () => {
    for (const [count, pending] of [
      [12, 'pending'],
      [2, undefined],
    ] as const) {
      const { page } = await thread(count);
      resetIsolateState();
      // A reader's GET first: the screening then reads the head from this isolate's copy, not from KV.
      await getThread(page);
      const counted = countingKv(env.SALA);
      const sent = await send<CreateCommentResponse>('POST', '/api/v1/comments', {
        json: commentFields(page),
        bindings: { ...env, SALA: counted.kv },
      });
      await sent.settled;
      expect(sent.body.rebuild).toBe(pending);
      const ref = await pageRef('demo', page);
      expect(counted.calls.filter(({ method, args }) => method === 'get' && args[0] === countKey(ref))).toEqual([]);
      if (pending) expect((await followUp(page)).body).toEqual({ rebuilt: true });
      expect(await readersSee(page)).toContain(sent.body.comment.id);
    }
    // A page's first comment: its screening found no head in KV, which says as much.
    const page = freshPage();
    const counted = countingKv(env.SALA);
    const first = await send<CreateCommentResponse>('POST', '/api/v1/comments', {
      json: commentFields(page),
      bindings: { ...env, SALA: counted.kv },
    });
    expect(first.body.rebuild).toBeUndefined();
    const ref = await pageRef('demo', page);
    expect(counted.calls.filter(({ method, args }) => method === 'get' && args[0] === countKey(ref))).toEqual([]);
  });

  it('rebuilds at once, as before, in an isolate that holds the page’s snapshot, or on a small thread', async () => {
    const big = await thread(12);
    const warm = await send<CreateCommentResponse>('POST', '/api/v1/comments', { json: commentFields(big.page) });
    expect(warm.body.rebuild).toBeUndefined();
    expect(await readersSee(big.page)).toContain(warm.body.comment.id);

    const small = await thread(2);
    resetIsolateState();
    const fresh = await send<CreateCommentResponse>('POST', '/api/v1/comments', { json: commentFields(small.page) });
    expect(fresh.body.rebuild).toBeUndefined();
    expect(await readersSee(small.page)).toContain(fresh.body.comment.id);
  });

  it('is left to the cron’s repair when nobody asks', async () => {
    const { page } = await thread(12);
    resetIsolateState();
    const sent = await send<CreateCommentResponse>('POST', '/api/v1/comments', { json: commentFields(page) });
    await sent.settled;
    expect(sent.body.rebuild).toBe('pending');
    expect(await readersSee(page)).not.toContain(sent.body.comment.id);
    await repairDirtyThreads(env.SALA, Date.now());
    expect(await readersSee(page)).toContain(sent.body.comment.id);
  });
});

describe('POST /api/v1/comments/rebuild', () => {
  it('writes nothing, after one list() call, for a page with no change to rebuild', async () => {
    const { page } = await thread(12);
    const ref = await pageRef('demo', page);
    const markers = await env.SALA.list({ prefix: dirtyKey(ref, '') });
    await Promise.all(markers.keys.map(({ name }) => env.SALA.delete(name)));
    resetIsolateState();
    const counted = countingKv(env.SALA);
    const asked = await followUp(page, { bindings: { ...env, SALA: counted.kv } });
    await asked.settled;
    expect(asked.status).toBe(200);
    expect(asked.body).toEqual({ rebuilt: false });
    expect(counted.calls.filter(({ method }) => method !== 'get')).toEqual([
      { method: 'list', args: [{ prefix: dirtyKey(ref, ''), limit: 1 }] },
    ]);
  });

  it('writes nothing when asked again for a page already rebuilt', async () => {
    const { page } = await thread(12);
    resetIsolateState();
    const sent = await send<CreateCommentResponse>('POST', '/api/v1/comments', { json: commentFields(page) });
    expect((await followUp(page)).body).toEqual({ rebuilt: true });
    for (const fresh of [false, true]) {
      if (fresh) resetIsolateState();
      const counted = countingKv(env.SALA);
      const again = await followUp(page, { bindings: { ...env, SALA: counted.kv } });
      expect(again.status).toBe(200);
      expect(counted.calls.filter(({ method }) => method === 'put' || method === 'delete')).toEqual([]);
    }
    expect(await readersSee(page)).toContain(sent.body.comment.id);
  });

  it('names a missing or malformed page, refuses an unknown site and a foreign origin, and writes nothing', async () => {
    const counted = countingKv(env.SALA);
    const bindings = { ...env, SALA: counted.kv };
    const missing = await followUp(null, { bindings });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'invalid_field', field: 'page' });
    const malformed = await followUp('https://blog.example.com/a\u0001b', { bindings });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatchObject({ code: 'invalid_field', field: 'page' });
    expect((await followUp(freshPage(), { bindings, site: 'no-such-site' })).status).toBe(404);
    const foreign = await send<ApiErrorBody>(
      'POST',
      `/api/v1/comments/rebuild?page=${encodeURIComponent(freshPage())}`,
      {
        origin: 'https://elsewhere.example',
        bindings,
      },
    );
    expect(foreign.status).toBe(403);
    expect(counted.calls.filter(({ method }) => method === 'put' || method === 'delete')).toEqual([]);
  });
});
