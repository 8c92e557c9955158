/**
 * A new isolate's first change on a big thread leaves the page's rebuild to a request of its own (`rebuild:
 * { token }`, then `POST /api/v1/comments/rebuild` with that token): worker/docs/cpu-routes.md, 2026-12-07.
 */
import type { ApiErrorBody, CreateCommentResponse, EditCommentResponse } from '@sala/protocol';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { resetIsolateState } from '../domain/isolate-state.js';
import { toBase64Url } from '../domain/bytes.js';
import { signRebuildToken } from '../domain/rebuild-token.js';
import { countKey, dirtyKey, pageRef, threadKey } from '../storage/keys.js';
import { repairDirtyThreads } from '../storage/repair.js';
import { commentFields, countingKv, freshPage, getThread, send } from '../testing.js';
import { followUp, readersSee, smallBigThreads, snapshotWrites, thread } from '../testing-follow-up.js';

smallBigThreads();

/** The token of a change answered with one. */
function tokenOf(sent: { body: { rebuild?: { token: string } } }): string {
  expect(sent.body.rebuild).toEqual({ token: expect.stringMatching(/^[\w-]+\.[\w-]+$/) });
  return sent.body.rebuild!.token;
}

/** The KV calls of `method` among `calls`. */
const callsOf = (calls: { method: string }[], method: string) => calls.filter((call) => call.method === method);

describe('a new isolate’s first change on a big thread', () => {
  it('answers a rebuild token and writes no snapshot; the follow-up rebuilds, and another reader then sees it', async () => {
    const { page } = await thread(12);
    resetIsolateState();
    const counted = countingKv(env.SALA);
    const sent = await send<CreateCommentResponse>('POST', '/api/v1/comments', {
      json: commentFields(page),
      bindings: { ...env, SALA: counted.kv },
    });
    await sent.settled;
    expect(sent.status).toBe(201);
    const token = tokenOf(sent);
    expect(await snapshotWrites(page, counted.calls)).toEqual([]);
    expect(await readersSee(page)).not.toContain(sent.body.comment.id);

    const asked = await followUp(page, token);
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
    expect((await followUp(page, tokenOf(sent), { bindings })).body).toEqual({ rebuilt: true });
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
    const token = tokenOf(sent);
    const body = async () => (await getThread(page)).comments.find(({ id }) => id === mine.comment.id)?.body;
    resetIsolateState();
    expect(await body()).not.toContain('Edited in a new isolate');
    expect((await followUp(page, token)).body).toEqual({ rebuilt: true });
    resetIsolateState();
    expect(await body()).toContain('Edited in a new isolate');
  });

  it('tells a big thread from a small one by what a new comment’s screening read, with no count read', async () => {
    for (const [count, pending] of [
      [12, true],
      [2, false],
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
      if (!pending) expect(sent.body.rebuild).toBeUndefined();
      const ref = await pageRef('demo', page);
      expect(counted.calls.filter(({ method, args }) => method === 'get' && args[0] === countKey(ref))).toEqual([]);
      if (pending) expect((await followUp(page, tokenOf(sent))).body).toEqual({ rebuilt: true });
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
    tokenOf(sent);
    expect(await readersSee(page)).not.toContain(sent.body.comment.id);
    await repairDirtyThreads(env.SALA, Date.now());
    expect(await readersSee(page)).toContain(sent.body.comment.id);
  });
});

describe('POST /api/v1/comments/rebuild', () => {
  /** A change on a big thread in a new isolate: its page and its answer's token. */
  async function pendingChange(): Promise<{ page: string; sent: CreateCommentResponse; token: string }> {
    const { page } = await thread(12);
    resetIsolateState();
    const sent = await send<CreateCommentResponse>('POST', '/api/v1/comments', { json: commentFields(page) });
    await sent.settled;
    return { page, sent: sent.body, token: tokenOf(sent) };
  }

  it('refuses a call without its change’s token before any KV call: no read, no list()', async () => {
    const { page, sent, token } = await pendingChange();
    const other = await pendingChange();
    const ref = await pageRef('demo', page);
    const [, signature] = token.split('.');
    const expired = await signRebuildToken(env.SALA_SECRET!, {
      site: 'demo',
      pageHash: ref.pageHash,
      commentId: sent.comment.id,
      markerId: (JSON.parse(atob(token.split('.')[0]!.replace(/-/g, '+').replace(/_/g, '/'))) as { m: string }).m,
      expiresAt: Math.floor(Date.now() / 1000) - 1,
    });
    // Claims of this page, with another token's signature: what a script can make without the secret.
    const madeUp = toBase64Url(
      new TextEncoder().encode(JSON.stringify({ s: 'demo', p: ref.pageHash, c: 'x', m: 'y', e: 2e9 })),
    );
    const forged: [string | undefined, number, string, string][] = [
      [undefined, 400, 'invalid_field', 'no token'],
      ['', 400, 'invalid_field', 'an empty one'],
      ['not a token', 400, 'invalid_field', 'a malformed one'],
      [`${madeUp}.${signature}`, 403, 'invalid_token', 'made up'],
      [other.token, 403, 'invalid_token', 'of another page'],
      [expired, 403, 'invalid_token', 'expired'],
    ];
    for (const [given, status, code, what] of forged) {
      resetIsolateState();
      const counted = countingKv(env.SALA);
      const asked = await followUp(page, given, { bindings: { ...env, SALA: counted.kv } });
      await asked.settled;
      expect([what, counted.calls]).toEqual([what, []]);
      expect([what, asked.status, asked.body.error?.code]).toEqual([what, status, code]);
    }
    // Refused, so readers still wait for the real follow-up (or the cron's repair).
    expect(await readersSee(page)).not.toContain(sent.comment.id);
    expect((await followUp(page, token)).body).toEqual({ rebuilt: true });
    expect(await readersSee(page)).toContain(sent.comment.id);
  });

  it('writes nothing when the same token comes again after the rebuild; once the cron cleared it, one read alone', async () => {
    const { page, sent, token } = await pendingChange();
    expect((await followUp(page, token)).body).toEqual({ rebuilt: true });
    for (const fresh of [false, true]) {
      if (fresh) resetIsolateState();
      const counted = countingKv(env.SALA);
      const again = await followUp(page, token, { bindings: { ...env, SALA: counted.kv } });
      expect(again.status).toBe(200);
      expect(counted.calls.filter(({ method }) => method === 'put' || method === 'delete')).toEqual([]);
      // The marker still there: the named rebuild lists the page's markers once, and reads no comment key.
      expect(callsOf(counted.calls, 'list')).toHaveLength(1);
    }
    expect(await readersSee(page)).toContain(sent.comment.id);

    // Past the markers' settling time the cron's repair rebuilds the page and clears them.
    await repairDirtyThreads(env.SALA, Date.now() + 3 * 60_000);
    const ref = await pageRef('demo', page);
    expect((await env.SALA.list({ prefix: dirtyKey(ref, '') })).keys).toEqual([]);
    const counted = countingKv(env.SALA);
    const late = await followUp(page, token, { bindings: { ...env, SALA: counted.kv } });
    await late.settled;
    expect(late.body).toEqual({ rebuilt: false });
    expect(counted.calls.map(({ method }) => method)).toEqual(['get']);
  });

  it('counts a token apart from its senders’ addresses: its sixth call in a minute is refused, with no KV call', async () => {
    const { page, token } = await pendingChange();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const counted = countingKv(env.SALA);
      // Each from an address of its own, as a script with many would send it.
      const asked = await followUp(page, token, {
        bindings: { ...env, SALA: counted.kv },
        headers: { 'CF-Connecting-IP': `203.0.113.${i + 1}` },
      });
      await asked.settled;
      statuses.push(asked.status);
      if (asked.status === 429) expect(counted.calls).toEqual([]);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it('names a missing or malformed page, refuses an unknown site and a foreign origin, and writes nothing', async () => {
    const counted = countingKv(env.SALA);
    const bindings = { ...env, SALA: counted.kv };
    const missing = await followUp(null, 'a.b', { bindings });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'invalid_field', field: 'page' });
    const malformed = await followUp('https://blog.example.com/a\u0001b', 'a.b', { bindings });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatchObject({ code: 'invalid_field', field: 'page' });
    expect((await followUp(freshPage(), 'a.b', { bindings, site: 'no-such-site' })).status).toBe(404);
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
