/**
 * The owner's list of one page's comments by status: read from list metadata and only the comments it serves, it
 * must give exactly what reading every comment gives.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../bench/random.js';
import { newCommentId } from '../domain/comment-id.js';
import {
  erased,
  newComment,
  ownerDecision,
  type ModerationStatus,
  type StoredComment,
} from '../domain/stored-comment.js';
import { countingKv, freshPage } from '../testing-kv.js';
import { CommentStore } from './comments.js';
import { ImportedThreads } from './imported-threads.js';
import { commentKey, pageRef, type PageRef } from './keys.js';

const STATUSES: ModerationStatus[] = ['approved', 'approved', 'approved', 'pending', 'spam', 'rejected'];

function comment(pageId: string, id: string, status: ModerationStatus): StoredComment {
  return newComment(
    { pageId, parentId: null, name: 'Reader', email: 'reader@example.com', website: null, body: `Comment ${id}` },
    { id, now: new Date(Date.UTC(2026, 10, 1)), avatar: 'seed', tokenHash: 'hash', status },
  );
}

/** A page of comments of every status: own keys, a key from before metadata, imported ones, the owner's decisions. */
async function seedPage(seed: number): Promise<{ ref: PageRef; decided: number }> {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const pageId = freshPage('list');
  const ref = await pageRef('demo', pageId);
  const store = new CommentStore(env.SALA);
  const ids: string[] = [];
  const imported: StoredComment[] = [];
  for (let i = 0; i < 30; i++) {
    const id = newCommentId(Date.UTC(2020, 0, 1) + i * 1000);
    imported.push(comment(pageId, id, pick(STATUSES)));
    ids.push(id);
  }
  await new ImportedThreads(env.SALA).write(ref, { pageId, updatedAt: new Date().toISOString(), comments: imported });
  for (let i = 0; i < 60; i++) {
    const id = newCommentId(Date.UTC(2026, 10, 1) + i * 1000);
    const made = comment(pageId, id, pick(STATUSES));
    if (i % 20 === 7)
      await env.SALA.put(commentKey(ref, id), JSON.stringify(made)); // no metadata: an older key
    else await store.put(ref, random() < 0.1 ? erased(made, new Date()) : made);
    ids.push(id);
  }
  let decided = 0;
  for (const id of ids) {
    if (random() > 0.2) continue;
    const current = (await store.get(ref, id))!;
    const action = pick(['approve', 'reject', 'spam', 'pin', 'delete'] as const);
    const now = new Date();
    const after: StoredComment =
      action === 'delete'
        ? erased(current, now)
        : action === 'pin'
          ? { ...current, pinned: true }
          : { ...current, status: action === 'approve' ? 'approved' : action === 'reject' ? 'rejected' : 'spam' };
    await store.decide(ref, id, ownerDecision(after, now));
    decided += 1;
  }
  return { ref, decided };
}

describe("the owner's list of one page by status", () => {
  it('gives, page after page, what reading every comment gives', async () => {
    for (const seed of [1, 2]) {
      const { ref } = await seedPage(seed);
      const store = new CommentStore(env.SALA);
      const all = await store.listAll(ref);
      for (const status of ['approved', 'pending', 'spam', 'rejected'] as const) {
        const expected = all
          .filter((comment) => comment.status === status && comment.deletedAt === undefined)
          .map((comment) => comment.id)
          .sort()
          .reverse();
        const listed: string[] = [];
        let before: string | null = null;
        for (;;) {
          const { comments, more }: { comments: StoredComment[]; more: boolean } = await store.listByStatus(
            ref,
            status,
            before,
            4,
          );
          listed.push(...comments.map((comment) => comment.id));
          if (!more) break;
          before = comments[comments.length - 1]!.id;
        }
        expect(listed, `seed ${seed}, ${status}`).toEqual(expected);
      }
    }
  });

  it('reads only the comments it serves, those the owner decided on and keys from before metadata', async () => {
    const { ref, decided } = await seedPage(3);
    const counting = countingKv(env.SALA);
    const { comments } = await new CommentStore(counting.kv).listByStatus(ref, 'approved', null, 5);
    expect(comments).toHaveLength(5);
    const commentKeysRead = counting.calls
      .filter((call) => call.method === 'get' && Array.isArray(call.args[0]))
      .flatMap((call) => call.args[0] as string[])
      .filter((key) => key.startsWith(commentKey(ref, '')));
    // 90 comments on the page; at most the 6 it needs, the decided ones and the 3 older keys can be read.
    expect(commentKeysRead.length).toBeLessThanOrEqual(6 + decided + 3);
    expect(commentKeysRead.length).toBeLessThan(50);
  });
});

describe('the page of a linked comment', () => {
  /** A post with 80 held comments, newest first in the list: `ids[69]` is the 70th. */
  async function heldPost(): Promise<{ ref: PageRef; ids: string[] }> {
    const pageId = freshPage('linked');
    const ref = await pageRef('demo', pageId);
    const store = new CommentStore(env.SALA);
    const ids: string[] = [];
    for (let i = 0; i < 80; i++) {
      const id = newCommentId(Date.UTC(2027, 10, 1) + i * 1000);
      await store.put(ref, comment(pageId, id, 'pending'));
      ids.push(id);
    }
    return { ref, ids: ids.reverse() };
  }

  it('starts at the comment when it is further down than the first page, reading no more than a page', async () => {
    const { ref, ids } = await heldPost();
    const counting = countingKv(env.SALA);
    const served = await new CommentStore(counting.kv).listByStatus(ref, 'pending', null, 50, ids[69]!);
    expect(served.comments.map((comment) => comment.id)).toEqual(ids.slice(69));
    expect([served.more, served.fromLinked]).toEqual([false, true]);
    const commentKeysRead = counting.calls
      .filter((call) => call.method === 'get' && Array.isArray(call.args[0]))
      .flatMap((call) => call.args[0] as string[])
      .filter((key) => key.startsWith(commentKey(ref, '')));
    expect(commentKeysRead).toHaveLength(11);
  });

  it('serves the first page when the comment is in it, or is no longer in this list', async () => {
    const { ref, ids } = await heldPost();
    const store = new CommentStore(env.SALA);
    const inFirst = await store.listByStatus(ref, 'pending', null, 50, ids[10]!);
    expect(inFirst.comments.map((comment) => comment.id)).toEqual(ids.slice(0, 50));
    expect(inFirst.fromLinked).toBeUndefined();

    // Approved since the link was made: its decision key says so.
    const approved = { ...(await store.get(ref, ids[69]!))!, status: 'approved' as const };
    await store.decide(ref, ids[69]!, ownerDecision(approved, new Date()));
    const gone = await store.listByStatus(ref, 'pending', null, 50, ids[69]!);
    expect(gone.comments.map((comment) => comment.id)).toEqual(ids.slice(0, 50));
    expect([gone.more, gone.fromLinked]).toEqual([true, undefined]);
  });
});
