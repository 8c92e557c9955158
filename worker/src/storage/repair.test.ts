import { createScheduledController } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { newCommentId } from '../domain/comment-id.js';
import { newComment } from '../domain/stored-comment.js';
import worker from '../index.js';
import { countingKv, freshPage, getThread, postComment, rebuildsDone } from '../testing.js';
import { saveComment } from './changes.js';
import { DirtyPages } from './dirty-pages.js';
import { pageRef } from './keys.js';

/** Runs the Worker's cron handler as if it fired at `at`. */
async function runCron(at: number, bindings: Env = env): Promise<void> {
  await worker.scheduled(createScheduledController({ scheduledTime: at, cron: '*/10 * * * *' }), bindings);
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

    await runCron(Date.now());
    expect((await getThread(pageId)).comments.map((c) => c.body)).toEqual(['seen', 'missed']);
  });

  it('keeps young markers for the next run and clears them once they are settled', async () => {
    const pageId = freshPage();
    await saveWithoutRebuild(pageId, 'one');
    await runCron(Date.now());
    expect(await markersOf(pageId)).toHaveLength(1);

    await runCron(Date.now() + 3 * 60_000);
    expect(await markersOf(pageId)).toHaveLength(0);
    expect((await getThread(pageId)).total).toBe(1);
  });

  it('gives the same thread, and writes nothing, when run twice', async () => {
    const pageId = freshPage();
    await saveWithoutRebuild(pageId, 'a');
    await saveWithoutRebuild(pageId, 'b');
    // The same scheduled time twice, as a redelivered event: two different times could straddle the moment an
    // hour of views becomes final, and the popular-posts fold in the second run would rightly write.
    const at = Date.now();
    await runCron(at);
    const first = await getThread(pageId);
    expect(first.comments.map((c) => c.body)).toEqual(['a', 'b']);

    const counted = countingKv(env.SALA);
    await runCron(at, { ...env, SALA: counted.kv });
    expect(await getThread(pageId)).toEqual(first);
    expect(counted.calls.filter((call) => call.method === 'put' || call.method === 'delete')).toEqual([]);
  });
});
