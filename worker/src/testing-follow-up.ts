/**
 * Test helpers for a big thread's rebuild left to a request of its own (`POST /api/v1/comments/rebuild` with a
 * change's token: worker/docs/cpu-routes.md, 2026-12-07), shared by the reader's and the owner's tests. Imported by
 * tests only.
 */
import type { ApiErrorBody, CreateCommentResponse, RebuildThreadResponse } from '@sala/protocol';
import { afterAll, beforeAll } from 'vitest';
import { resetIsolateState } from './domain/isolate-state.js';
import { countKey, pageRef, threadKey } from './storage/keys.js';
import { BIG_THREAD, SNAPSHOT_SPLIT } from './storage/threads.js';
import { freshPage, getThread, postComment, rebuildsDone, send } from './testing.js';

/**
 * Threads split after a few comments in the calling file's tests, and count as big from five (as 1,000 comments do at
 * the real sizes); the real sizes are put back after them.
 */
export function smallBigThreads(): void {
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
}

/** A page of `count` comments, rebuilt (split in parts past a few), each comment's answer kept. */
export async function thread(count: number): Promise<{ page: string; posted: CreateCommentResponse[] }> {
  const page = freshPage();
  const posted: CreateCommentResponse[] = [];
  for (let i = 0; i < count; i++) posted.push(await postComment(page));
  await rebuildsDone();
  return { page, posted };
}

/** The ids another isolate's reader is served: this one's copies forgotten first. */
export async function readersSee(page: string): Promise<string[]> {
  resetIsolateState();
  return (await getThread(page)).comments.map(({ id }) => id);
}

/** A change's follow-up, as the browser or the admin page sends it: `POST /rebuild?site&page&token`, no body. */
export function followUp(
  page: string | null,
  token: string | undefined,
  options: { bindings?: Env; site?: string; origin?: string | null; headers?: Record<string, string> } = {},
) {
  const query = new URLSearchParams();
  if (options.site !== undefined) query.set('site', options.site);
  if (page !== null) query.set('page', page);
  if (token !== undefined) query.set('token', token);
  return send<RebuildThreadResponse & ApiErrorBody>('POST', `/api/v1/comments/rebuild?${query}`, options);
}

/** What the calls wrote to the page's snapshot or count: the keys of their puts there. */
export async function snapshotWrites(page: string, calls: { method: string; args: unknown[] }[]): Promise<string[]> {
  const ref = await pageRef('demo', page);
  const thread = threadKey(ref);
  return calls
    .filter(({ method }) => method === 'put')
    .map(({ args }) => String(args[0]))
    .filter((key) => key.startsWith(thread) || key === countKey(ref));
}
