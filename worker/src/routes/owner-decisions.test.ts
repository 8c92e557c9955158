/**
 * The owner's decisions against the commenter's edits when KV serves a stale copy, as it does for up to 60 s in
 * a location other than the one that wrote: whichever read the stale copy, the owner's latest decision and the
 * commenter's latest text both survive.
 */
import type { AdminCommentListResponse, EditCommentResponse } from '@sala/protocol';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { ownerDecision } from '../domain/stored-comment.js';
import { CommentStore } from '../storage/comments.js';
import { commentKey, decisionKey, pageRef } from '../storage/keys.js';
import { rebuildThread } from '../storage/thread-rebuild.js';
import { ThreadStore } from '../storage/threads.js';
import { commentFields, countingKv, freshPage, rebuildsDone, send } from '../testing.js';
import { TestSite } from '../testing-admin.js';

type KvGet = (key: string | string[], options?: unknown) => Promise<unknown>;

function parsed(text: string | null, options: unknown): unknown {
  const type = typeof options === 'string' ? options : (options as { type?: string } | undefined)?.type;
  return text === null || type !== 'json' ? text : JSON.parse(text);
}

/**
 * `kv` as a far location sees it: every key that names `commentId` reads as it was when this was called (a key
 * missing then reads as missing, as KV caches misses too). Writes go through.
 */
async function frozenFor(kv: KVNamespace, commentId: string): Promise<KVNamespace> {
  const frozen = new Map<string, string | null>();
  let cursor: string | undefined;
  do {
    const listed = await kv.list({ prefix: 'v1:', ...(cursor ? { cursor } : {}) });
    for (const key of listed.keys) {
      if (key.name.includes(commentId)) frozen.set(key.name, await kv.get(key.name, 'text'));
    }
    cursor = listed.list_complete ? undefined : listed.cursor;
  } while (cursor);

  const isFrozen = (key: string): boolean => key.includes(commentId);
  const realGet = kv.get.bind(kv) as KvGet;
  const staleGet: KvGet = async (keys, options) => {
    if (!Array.isArray(keys)) {
      return isFrozen(keys) ? parsed(frozen.get(keys) ?? null, options) : realGet(keys, options);
    }
    const values = (await realGet(keys, options)) as Map<string, unknown>;
    for (const key of keys) if (isFrozen(key)) values.set(key, parsed(frozen.get(key) ?? null, options));
    return values;
  };
  return new Proxy(kv, {
    get(target, property, receiver) {
      if (property === 'get') return staleGet;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The commenter's edit, sent to a Worker whose KV is `kv`. */
function editThrough(site: TestSite, kv: KVNamespace, id: string, token: string, page: string, body: string) {
  return send<EditCommentResponse>('PATCH', `/api/v1/comments/${id}?site=${site.id}`, {
    json: { page, body },
    headers: { Authorization: `Bearer ${token}` },
    bindings: { ...site.bindings, SALA: kv },
  });
}

/** The page's snapshot as the single-writer rebuild makes it once KV has caught up everywhere (the cron's run). */
async function settledThread(site: TestSite, page: string) {
  await rebuildsDone();
  await rebuildThread(env.SALA, await pageRef(site.id, page));
  return site.thread(page);
}

function find(list: AdminCommentListResponse, id: string) {
  return list.comments.find((comment) => comment.id === id);
}

describe('the owner decides, the commenter edits, KV is stale', () => {
  it('an edit made from a copy read before the owner marked it spam does not publish it again', async () => {
    const site = await TestSite.create();
    const page = freshPage();
    const { comment, editToken } = await site.postOk(commentFields(page));
    const staleKv = await frozenFor(env.SALA, comment.id);

    await site.moderate('spam', [{ page, id: comment.id }]);
    const edited = await editThrough(site, staleKv, comment.id, editToken, page, 'Buy cheap watches, edited');
    expect(edited.status).toBe(200);

    const thread = await settledThread(site, page);
    expect(thread.comments.map((shown) => shown.id)).not.toContain(comment.id);
    expect(thread.total).toBe(0);
    expect(find(await site.queue('spam'), comment.id)?.body).toBe('Buy cheap watches, edited');
    expect(find(await site.queue('approved'), comment.id)).toBeUndefined();
  });

  it('an edit made from a copy read before the owner deleted it does not bring it back', async () => {
    const site = await TestSite.create();
    const page = freshPage();
    const { comment, editToken } = await site.postOk(commentFields(page));
    const staleKv = await frozenFor(env.SALA, comment.id);

    await site.moderate('delete', [{ page, id: comment.id }]);
    await editThrough(site, staleKv, comment.id, editToken, page, 'Back again');

    expect((await settledThread(site, page)).comments).toEqual([]);
    expect(find(await site.queue('approved'), comment.id)).toBeUndefined();
  });

  it('a pin and an approval survive an edit made from a copy read before them', async () => {
    const site = await TestSite.create();
    await site.settings({ moderation: 'hold-first-time' });
    const page = freshPage();
    const older = await site.postOk(commentFields(page, { email: 'older@example.com' }));
    await site.moderate('approve', [{ page, id: older.comment.id }]);
    const { comment, editToken } = await site.postOk(commentFields(page, { email: 'first@example.com' }));
    expect(comment.status).toBe('pending');
    const staleKv = await frozenFor(env.SALA, comment.id);

    await site.moderate('approve', [{ page, id: comment.id }]);
    await site.moderate('pin', [{ page, id: comment.id }]);
    await editThrough(site, staleKv, comment.id, editToken, page, 'A typo fixed');

    const thread = await settledThread(site, page);
    expect(thread.comments.map((shown) => [shown.id, shown.body, shown.pinned])).toEqual([
      [comment.id, 'A typo fixed', true],
      [older.comment.id, older.comment.body, undefined],
    ]);
  });

  it('an edit the screening holds stays held though the owner approved the text before it', async () => {
    const site = await TestSite.create();
    await site.settings({ moderation: 'hold-all' });
    const page = freshPage();
    const { comment, editToken } = await site.postOk(commentFields(page));
    const staleKv = await frozenFor(env.SALA, comment.id);

    await site.moderate('approve', [{ page, id: comment.id }]);
    await editThrough(site, staleKv, comment.id, editToken, page, 'Not what the owner read');

    expect((await settledThread(site, page)).comments).toEqual([]);
    const held = find(await site.queue('pending'), comment.id);
    expect(held?.body).toBe('Not what the owner read');
    // Approving the edited text publishes it.
    await site.moderate('approve', [{ page, id: comment.id }]);
    expect((await settledThread(site, page)).comments.map((shown) => shown.body)).toEqual(['Not what the owner read']);
  });

  it('an approval of the text the owner read is refused once the commenter edited it since, and nothing is shown', async () => {
    const site = await TestSite.create();
    await site.settings({ moderation: 'hold-first-time' });
    const page = freshPage();
    const { comment, editToken } = await site.postOk(commentFields(page, { body: 'Such a peaceful hill' }));
    const read = find(await site.queue('pending'), comment.id)!; // what the owner's page shows
    expect(read.body).toBe('Such a peaceful hill');
    await editThrough(site, env.SALA, comment.id, editToken, page, 'Edited after the owner looked');

    const [refused] = (await site.moderate('approve', [{ page, id: comment.id, seenEdit: read.editedAt ?? null }]))
      .results;
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect((await settledThread(site, page)).comments).toEqual([]);
    // Read again, the owner approves what it says now.
    const reread = find(await site.queue('pending'), comment.id)!;
    expect(reread.body).toBe('Edited after the owner looked');
    const [approved] = (await site.moderate('approve', [{ page, id: comment.id, seenEdit: reread.editedAt ?? null }]))
      .results;
    expect(approved?.ok).toBe(true);
    expect((await settledThread(site, page)).comments.map((shown) => shown.body)).toEqual([
      'Edited after the owner looked',
    ]);
  });

  it("the owner's own edit changes the text and leaves the decision: held stays held, published stays published", async () => {
    const site = await TestSite.create();
    await site.settings({ moderation: 'hold-all' });
    const page = freshPage();
    const held = await site.postOk(commentFields(page));
    const published = await site.postOk(commentFields(page));
    await site.moderate('approve', [
      { page, id: held.comment.id },
      { page, id: published.comment.id },
    ]);
    await editThrough(site, env.SALA, held.comment.id, held.editToken, page, 'Edited, so held again');

    for (const { comment } of [held, published]) {
      const sent = await site.admin('PATCH', `/comments/${comment.id}`, {
        json: { page, body: 'Typo fixed by the owner' },
      });
      expect(sent.status).toBe(200);
    }
    const thread = await settledThread(site, page);
    expect(thread.comments.map((shown) => [shown.id, shown.body])).toEqual([
      [published.comment.id, 'Typo fixed by the owner'],
    ]);
    expect(find(await site.queue('pending'), held.comment.id)?.body).toBe('Typo fixed by the owner');
  });

  it("the owner's decision made from a copy read before an edit keeps the edit", async () => {
    const site = await TestSite.create();
    const page = freshPage();
    const { comment, editToken } = await site.postOk(commentFields(page));
    const staleKv = await frozenFor(env.SALA, comment.id);

    await editThrough(site, env.SALA, comment.id, editToken, page, 'The corrected text');
    const rejected = await site.admin('POST', '/moderate', {
      json: { action: 'reject', comments: [{ page, id: comment.id }] },
      bindings: { ...site.bindings, SALA: staleKv },
    });
    expect(rejected.status).toBe(200);

    expect((await settledThread(site, page)).comments).toEqual([]);
    expect(find(await site.queue('rejected'), comment.id)?.body).toBe('The corrected text');
  });

  it('the rebuild reads only the comments whose key or decision changed, each with its decision in one bulk read', async () => {
    const site = await TestSite.create();
    const page = freshPage();
    const posted = [];
    for (let i = 0; i < 50; i++) posted.push(await site.postOk(commentFields(page)));
    await rebuildsDone();
    const ref = await pageRef(site.id, page);

    // Nothing changed since the last rebuild: two lists (comment keys, decision keys), no comment read, no write.
    const idle = countingKv(env.SALA);
    expect(await rebuildThread(idle.kv, ref)).toBe('unchanged');
    expect(idle.calls.filter((call) => call.method === 'get' && Array.isArray(call.args[0]))).toEqual([]);
    expect(idle.calls.filter((call) => call.method === 'list')).toHaveLength(2);

    // A decision whose own rebuild was lost (its isolate evicted): the next rebuild finds it by its version.
    const target = posted[17]!.comment.id;
    const stored = await new CommentStore(env.SALA).get(ref, target);
    await new CommentStore(env.SALA).decide(ref, target, ownerDecision({ ...stored!, status: 'spam' }, new Date()));
    const counted = countingKv(env.SALA);
    expect(await rebuildThread(counted.kv, ref)).toBe('written');
    const bulkReads = counted.calls.filter((call) => call.method === 'get' && Array.isArray(call.args[0]));
    expect(bulkReads.map((call) => call.args[0])).toEqual([[commentKey(ref, target), decisionKey(ref, target)]]);
    const snapshot = await new ThreadStore(env.SALA).read(ref);
    expect(snapshot!.comments.map((shown) => shown.id)).toEqual(
      posted.map(({ comment }) => comment.id).filter((id) => id !== target),
    );
  });
});
