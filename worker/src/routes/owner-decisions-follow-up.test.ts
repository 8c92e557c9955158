/**
 * A new isolate's first decision on a big thread leaves the page's rebuild to the admin page, as a new comment leaves
 * it to its browser: `rebuilds: [{ page, token }]`, then `POST /api/v1/comments/rebuild` with that token
 * (worker/docs/cpu-routes.md, 2026-12-07). So do the owner's own edit and reply from the admin page.
 */
import type { AdminCommentResponse, CreateApiTokenResponse, ModerateResponse } from '@sala/protocol';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { resetIsolateState } from '../domain/isolate-state.js';
import { repairDirtyThreads } from '../storage/repair.js';
import { countingKv, getThread, rebuildsDone, send } from '../testing.js';
import { asOwner, OWN_ORIGIN, signIn } from '../testing-admin.js';
import { followUp, thread as postedThread, readersSee, smallBigThreads, snapshotWrites } from '../testing-follow-up.js';

let cookie = '';
smallBigThreads();
beforeAll(async () => {
  cookie = await signIn();
});

/** A page of `count` published comments, rebuilt (split in parts past a few): its id and the comments' ids. */
async function thread(count: number): Promise<{ page: string; ids: string[] }> {
  const { page, posted } = await postedThread(count);
  return { page, ids: posted.map(({ comment }) => comment.id) };
}

/** The owner's decision from the admin page, to a Worker whose KV is `kv`. */
async function decide(action: string, comments: { page: string; id: string }[], kv: KVNamespace = env.SALA) {
  const sent = await asOwner<ModerateResponse>(cookie, 'POST', '/sites/demo/moderate', {
    json: { action, comments },
    bindings: { ...env, SALA: kv },
  });
  await sent.settled;
  expect(sent.status).toBe(200);
  return sent.body;
}

/** The admin page's follow-up: from its own origin, `?site&page&token`, no body. */
const ownersFollowUp = (page: string, token: string) => followUp(page, token, { site: 'demo', origin: OWN_ORIGIN });

describe('a new isolate’s first decision on a big thread', () => {
  it('answers the page’s token and writes no snapshot; the follow-up rebuilds, and a reader then sees the decision', async () => {
    const { page, ids } = await thread(12);
    resetIsolateState();
    const counted = countingKv(env.SALA);
    const answer = await decide('reject', [{ page, id: ids[3]! }], counted.kv);
    expect(answer.results[0]).toMatchObject({ ok: true, comment: { status: 'rejected' } });
    expect(answer.rebuilds).toEqual([{ page, token: expect.stringMatching(/^[\w-]+\.[\w-]+$/) }]);
    expect(await snapshotWrites(page, counted.calls)).toEqual([]);
    expect(await readersSee(page)).toContain(ids[3]);

    const asked = await ownersFollowUp(page, answer.rebuilds![0]!.token);
    expect(asked.status).toBe(200);
    expect(asked.body).toEqual({ rebuilt: true });
    const seen = await readersSee(page);
    expect(seen).not.toContain(ids[3]);
    expect(seen).toHaveLength(11);
  });

  it('answers one token per page of a bulk decision, each page’s decisions rebuilt by its follow-up', async () => {
    const first = await thread(8);
    const second = await thread(8);
    resetIsolateState();
    const refs = [first, second].flatMap(({ page, ids }) => ids.slice(0, 2).map((id) => ({ page, id })));
    const answer = await decide('spam', refs);
    expect(answer.results.every((result) => result.ok)).toBe(true);
    expect(answer.rebuilds?.map(({ page }) => page).sort()).toEqual([first.page, second.page].sort());
    for (const { page, token } of answer.rebuilds!)
      expect((await ownersFollowUp(page, token)).body).toEqual({ rebuilt: true });
    await rebuildsDone();
    for (const { page, ids } of [first, second]) {
      const seen = await readersSee(page);
      expect(seen).toHaveLength(6);
      expect(seen).not.toContain(ids[0]);
      expect(seen).not.toContain(ids[1]);
    }
  });

  it('is left to the cron’s repair when the admin page never asks', async () => {
    const { page, ids } = await thread(12);
    resetIsolateState();
    const answer = await decide('delete', [{ page, id: ids[0]! }]);
    expect(answer.rebuilds).toHaveLength(1);
    expect(await readersSee(page)).toContain(ids[0]);
    await repairDirtyThreads(env.SALA, Date.now());
    expect(await readersSee(page)).not.toContain(ids[0]);
  });

  it('rebuilds at once, as before, in an isolate that holds the page’s snapshot, or on a small thread', async () => {
    const big = await thread(12);
    const warm = await decide('reject', [{ page: big.page, id: big.ids[0]! }]);
    expect(warm.rebuilds).toBeUndefined();
    await rebuildsDone();
    expect(await readersSee(big.page)).not.toContain(big.ids[0]);

    const small = await thread(2);
    resetIsolateState();
    const fresh = await decide('reject', [{ page: small.page, id: small.ids[0]! }]);
    expect(fresh.rebuilds).toBeUndefined();
    await rebuildsDone();
    expect(await readersSee(small.page)).not.toContain(small.ids[0]);
  });
});

/** The owner's edit (`PATCH`) or reply (`POST`) from the admin page, to a Worker whose KV is `kv`. */
async function ownerWrites(method: 'PATCH' | 'POST', path: string, json: object, kv: KVNamespace = env.SALA) {
  const sent = await asOwner<AdminCommentResponse>(cookie, method, `/sites/demo${path}`, {
    json,
    bindings: { ...env, SALA: kv },
  });
  await sent.settled;
  expect(sent.status).toBe(method === 'POST' ? 201 : 200);
  return sent.body;
}

/** The bodies another isolate's reader is served, by comment id. */
async function readersRead(page: string): Promise<Map<string, string>> {
  resetIsolateState();
  return new Map((await getThread(page)).comments.map(({ id, body }) => [id, body]));
}

describe('a new isolate’s first owner edit or reply on a big thread', () => {
  it('answers the page’s token for an edit and writes no snapshot; the follow-up rebuilds, and a reader then reads the edit', async () => {
    const { page, ids } = await thread(12);
    resetIsolateState();
    const counted = countingKv(env.SALA);
    const answer = await ownerWrites('PATCH', `/comments/${ids[4]}`, { page, body: 'Edited by the owner' }, counted.kv);
    expect(answer.comment.body).toBe('Edited by the owner');
    expect(answer.rebuilds).toEqual([{ page, token: expect.stringMatching(/^[\w-]+\.[\w-]+$/) }]);
    expect(await snapshotWrites(page, counted.calls)).toEqual([]);
    expect((await readersRead(page)).get(ids[4]!)).not.toBe('Edited by the owner');

    expect((await ownersFollowUp(page, answer.rebuilds![0]!.token)).body).toEqual({ rebuilt: true });
    expect((await readersRead(page)).get(ids[4]!)).toBe('Edited by the owner');
  });

  it('answers the page’s token for a reply and writes no snapshot; the follow-up rebuilds, and a reader then sees the reply', async () => {
    const { page, ids } = await thread(12);
    resetIsolateState();
    const counted = countingKv(env.SALA);
    const answer = await ownerWrites('POST', '/comments', { page, parentId: ids[1], body: 'Thanks!' }, counted.kv);
    expect(answer.rebuilds).toEqual([{ page, token: expect.stringMatching(/^[\w-]+\.[\w-]+$/) }]);
    expect(await snapshotWrites(page, counted.calls)).toEqual([]);
    expect(await readersSee(page)).not.toContain(answer.comment.id);

    expect((await ownersFollowUp(page, answer.rebuilds![0]!.token)).body).toEqual({ rebuilt: true });
    const seen = await readersRead(page);
    expect(seen.get(answer.comment.id)).toBe('Thanks!');
    expect(seen.size).toBe(13);
  });

  it('is left to the cron’s repair when the admin page never asks', async () => {
    const { page, ids } = await thread(12);
    resetIsolateState();
    const answer = await ownerWrites('PATCH', `/comments/${ids[0]}`, { page, body: 'Fixed a typo' });
    expect(answer.rebuilds).toHaveLength(1);
    await repairDirtyThreads(env.SALA, Date.now());
    expect((await readersRead(page)).get(ids[0]!)).toBe('Fixed a typo');
  });

  it('rebuilds at once, as before, in an isolate that holds the page’s snapshot, or on a small thread', async () => {
    const big = await thread(12);
    const warm = await ownerWrites('POST', '/comments', { page: big.page, parentId: big.ids[0], body: 'Warm' });
    expect(warm.rebuilds).toBeUndefined();
    await rebuildsDone();
    expect((await readersRead(big.page)).get(warm.comment.id)).toBe('Warm');

    const small = await thread(2);
    resetIsolateState();
    const fresh = await ownerWrites('PATCH', `/comments/${small.ids[0]}`, { page: small.page, body: 'Small' });
    expect(fresh.rebuilds).toBeUndefined();
    await rebuildsDone();
    expect((await readersRead(small.page)).get(small.ids[0]!)).toBe('Small');
  });
});

describe('a script with an API token', () => {
  it('is not handed follow-ups it is not told to send: its decision, edit and reply on a big thread rebuild at once', async () => {
    const created = await asOwner<CreateApiTokenResponse>(cookie, 'POST', '/tokens', { json: { name: 'a script' } });
    expect(created.status).toBe(201);
    const bearer = { Authorization: `Bearer ${created.body.token}` };
    const { page, ids } = await thread(12);
    const asScript = async <T>(method: string, path: string, json: unknown): Promise<T> => {
      resetIsolateState();
      const counted = countingKv(env.SALA);
      const sent = await send<T>(method, `/api/v1/admin/sites/demo${path}`, {
        json,
        origin: null,
        headers: bearer,
        bindings: { ...env, SALA: counted.kv },
      });
      await sent.settled;
      expect(sent.status).toBeLessThan(300);
      expect(sent.body).not.toHaveProperty('rebuilds');
      expect(await snapshotWrites(page, counted.calls)).not.toEqual([]);
      return sent.body;
    };
    await asScript<ModerateResponse>('POST', '/moderate', { action: 'reject', comments: [{ page, id: ids[3] }] });
    await asScript<AdminCommentResponse>('PATCH', `/comments/${ids[0]}`, { page, body: 'Fixed by a script' });
    const reply = await asScript<AdminCommentResponse>('POST', '/comments', {
      page,
      parentId: ids[1],
      body: 'A script replies',
    });
    const seen = await readersSee(page);
    expect(seen).not.toContain(ids[3]);
    expect(seen).toContain(reply.comment.id);
    expect((await getThread(page)).comments.find(({ id }) => id === ids[0])?.body).toBe('Fixed by a script');
  });
});
