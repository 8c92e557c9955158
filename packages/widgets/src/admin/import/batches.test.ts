import { expect, it } from 'vitest';
import type { ImportComment, ImportRequest, ImportThread } from '@sala/protocol';
import {
  FREE_PLAN_POST_COMMENTS,
  IMPORT_BATCH_LIMITS,
  importBatches,
  newImportRun,
  ONE_COMMENT_LAST_PART_OVER,
  tallyResults,
} from './batches.js';

const MiB = 1024 * 1024;

function comment(sourceId: string, fields: Partial<ImportComment> = {}): ImportComment {
  return {
    sourceId,
    authorName: `Reader ${sourceId}`,
    createdAt: '2024-05-01T10:00:00.000Z',
    body: `Comment ${sourceId}`,
    status: 'approved',
    ...fields,
  };
}

/** A part's comments as the file had them: without the times of parents in other parts the tab adds. */
function withoutParentTimes(comments: ImportComment[]): ImportComment[] {
  return comments.map(({ parentCreatedAt: _parentCreatedAt, ...comment }) => comment);
}

function thread(index: number, comments: ImportComment[] = [comment(`c${index}`)]): ImportThread {
  return { pageId: `https://blog.example/2024/05/post-${index}`, title: `Post ${index}`, comments };
}

function bytes(request: ImportRequest): number {
  return new TextEncoder().encode(JSON.stringify(request)).length;
}

/**
 * Every request a batcher makes must be one the Worker takes: limits, one part per page, and in a whole thread
 * parents first (in parts, the Worker checks parents once the last part is there).
 */
function expectSendable(requests: ImportRequest[], limits = IMPORT_BATCH_LIMITS): void {
  for (const request of requests) {
    expect(request.threads.length).toBeLessThanOrEqual(limits.threads);
    const comments = request.threads.reduce((sum, sent) => sum + sent.comments.length, 0);
    expect(comments).toBeLessThanOrEqual(limits.comments);
    // As sent: with the run's id.
    expect(bytes({ ...request, run: newImportRun() })).toBeLessThanOrEqual(limits.bytes);
    const pages = request.threads.map((sent) => sent.pageId);
    expect(new Set(pages).size).toBe(pages.length);
    for (const sent of request.threads) {
      if (sent.part) continue;
      const before = new Set<string>();
      for (const { sourceId, parentSourceId } of sent.comments) {
        if (parentSourceId) expect(before.has(parentSourceId), `${parentSourceId} before ${sourceId}`).toBe(true);
        before.add(sourceId);
      }
    }
  }
}

it('sends 120 small threads as 50, 50 and 20, in the file’s order, the extras with the first only', () => {
  const threads = Array.from({ length: 120 }, (_, index) => thread(index));
  const { batches, tooLarge } = importBatches({ source: 'sala', threads, extras: { replaceSettings: true } });
  expect(tooLarge).toEqual([]);
  expect(batches.map((batch) => batch.request.threads.length)).toEqual([50, 50, 20]);
  expect(batches.map((batch) => batch.request.replaceSettings)).toEqual([true, undefined, undefined]);
  expect(batches.flatMap((batch) => batch.request.threads)).toEqual(threads);
  expect(batches.map((batch) => batch.comments)).toEqual([50, 50, 20]);
  expectSendable(batches.map((batch) => batch.request));
});

it('fills each request up to 1 MiB of JSON and no further', () => {
  // 30 threads of about 100 KB: ten fit in a MiB, eleven do not.
  const body = 'ស'.repeat(33_000); // three bytes each in UTF-8
  const threads = Array.from({ length: 30 }, (_, index) => thread(index, [comment(`c${index}`, { body })]));
  const { batches } = importBatches({ source: 'blogger', threads });
  const requests = batches.map((batch) => batch.request);
  expectSendable(requests);
  expect(requests.map((request) => request.threads.length)).toEqual([10, 10, 10]);
  // Exactly full: one more thread would have gone over.
  const withNext = { ...requests[0]!, threads: [...requests[0]!.threads, threads[10]!] };
  expect(bytes(withNext)).toBeGreaterThan(MiB);
});

it('leaves room in each request for the run’s id it is sent with', () => {
  const threads = [thread(0), thread(1)];
  const limits = { ...IMPORT_BATCH_LIMITS, bytes: bytes({ source: 'blogger', threads }) };
  const { batches } = importBatches({ source: 'blogger', threads }, limits);
  expect(batches.map((batch) => batch.request.threads.length)).toEqual([1, 1]);
  expectSendable(
    batches.map((batch) => batch.request),
    limits,
  );
  expect(newImportRun()).toMatch(/^[0-9a-f]{32}$/);
  expect(newImportRun()).not.toBe(newImportRun());
});

it('sends a thread over 1 MiB in parts, each in its own request and marked with its place', () => {
  // 40 top-level comments with 4 replies each (a reply to a reply among them), about 60 KB per tree.
  const body = 'x'.repeat(12_000);
  const comments = Array.from({ length: 40 }, (_, tree) => [
    comment(`t${tree}`, { body }),
    comment(`t${tree}-r1`, { body, parentSourceId: `t${tree}` }),
    comment(`t${tree}-r2`, { body, parentSourceId: `t${tree}-r1` }),
    comment(`t${tree}-r3`, { body, parentSourceId: `t${tree}` }),
    comment(`t${tree}-r4`, { body, parentSourceId: `t${tree}-r2` }),
  ]).flat();
  const big = { ...thread(1, comments), closed: true };
  // The byte limit alone: 200 comments would be split at 50 comments first.
  const limits = { ...IMPORT_BATCH_LIMITS, comments: Infinity };
  const { batches, tooLarge } = importBatches({ source: 'blogger', threads: [thread(0), big, thread(2)] }, limits);
  expect(tooLarge).toEqual([]);
  const requests = batches.map((batch) => batch.request);
  expectSendable(requests, limits);
  const parts = requests.flatMap((request) => request.threads).filter((sent) => sent.pageId === big.pageId);
  expect(parts.map((part) => part.part)).toEqual([
    { index: 0, count: 3 },
    { index: 1, count: 3 },
    { index: 2, count: 3 },
  ]);
  // Every comment exactly once, in the thread's order, and each part keeps the thread's fields.
  expect(parts.flatMap((part) => withoutParentTimes(part.comments))).toEqual(comments);
  expect(parts.every((part) => part.closed === true && part.title === 'Post 1')).toBe(true);
  // The small threads around it still go, before and after.
  expect(requests[0]!.threads[0]!.pageId).toBe(thread(0).pageId);
  expect(requests.at(-1)!.threads.at(-1)!.pageId).toBe(thread(2).pageId);
});

it('fills each request up to 50 comments, and sends a thread over 50 in parts of 50, in order', () => {
  // 30 trees of a comment and its two replies (the second answering the first): 90 comments.
  const comments = Array.from({ length: 30 }, (_, tree) => [
    comment(`t${tree}`),
    comment(`t${tree}-r1`, { parentSourceId: `t${tree}` }),
    comment(`t${tree}-r2`, { parentSourceId: `t${tree}-r1` }),
  ]).flat();
  const small = (index: number) => thread(index, [comment(`s${index}-a`), comment(`s${index}-b`)]);
  const { batches, tooLarge } = importBatches({ source: 'disqus', threads: [small(0), thread(1, comments), small(2)] });
  expect(tooLarge).toEqual([]);
  const requests = batches.map((batch) => batch.request);
  expectSendable(requests);
  const counts = requests.map((request) => request.threads.reduce((sum, sent) => sum + sent.comments.length, 0));
  expect(counts.every((count) => count <= 50)).toBe(true);
  expect(batches.map((batch) => batch.comments)).toEqual(counts);
  // The small thread, the big one's first 50 comments, then its other 40 with the last thread.
  expect(counts).toEqual([2, 50, 42]);
  const parts = requests.flatMap((request) => request.threads).filter((sent) => sent.pageId === thread(1).pageId);
  expect(parts.map((part) => part.comments.length)).toEqual([50, 40]);
  expect(parts.map((part) => part.part)).toEqual([
    { index: 0, count: 2 },
    { index: 1, count: 2 },
  ]);
  expect(parts.flatMap((part) => withoutParentTimes(part.comments))).toEqual(comments);
  // Parts need not be whole reply trees: the second starts with a reply whose parent is in the first.
  expect(parts[1]!.comments[0]).toMatchObject({ sourceId: 't16-r2', parentSourceId: 't16-r1' });
});

it('gives a reply whose parent is in another part that parent’s time, and no other comment a time more', () => {
  // 60 comments an hour apart, each after the first a reply to the one 20 before it (or the first).
  const at = (c: number) => new Date(Date.UTC(2024, 4, 1) + c * 3_600_000).toISOString();
  const comments = Array.from({ length: 60 }, (_, c) =>
    comment(`c${c}`, { createdAt: at(c), ...(c > 0 ? { parentSourceId: `c${Math.max(0, c - 20)}` } : {}) }),
  );
  const { batches } = importBatches({ source: 'disqus', threads: [thread(1, comments)] });
  const parts = batches.flatMap((batch) => batch.request.threads);
  expect(parts.map((part) => part.comments.length)).toEqual([50, 10]);
  // The Worker writes the parent's id when it stages the part: its time and source id name it.
  expect(parts[1]!.comments.map((sent) => [sent.sourceId, sent.parentCreatedAt])).toEqual(
    Array.from({ length: 10 }, (_, k) => [`c${50 + k}`, at(30 + k)]),
  );
  expect(parts[0]!.comments.some((sent) => sent.parentCreatedAt !== undefined)).toBe(false);
  expectSendable(batches.map((batch) => batch.request));
});

it('sends one reply tree of 51 comments in two parts: no tree is too large', () => {
  const tree = [comment('root')].concat(
    Array.from({ length: 50 }, (_, index) => comment(`r${index}`, { parentSourceId: 'root' })),
  );
  const { batches, tooLarge } = importBatches({ source: 'disqus', threads: [thread(0), thread(1, tree)] });
  expect(tooLarge).toEqual([]);
  expectSendable(batches.map((batch) => batch.request));
  const parts = batches.flatMap((batch) => batch.request.threads).filter((sent) => sent.pageId === thread(1).pageId);
  expect(parts.map((part) => [part.comments.length, part.part])).toEqual([
    [50, { index: 0, count: 2 }],
    [1, { index: 1, count: 2 }],
  ]);
});

it('sends a big post’s last comment alone in its last part, the one that publishes it, and a smaller post’s whole', () => {
  const post = (index: number, size: number) =>
    thread(
      index,
      Array.from({ length: size }, (_, c) =>
        comment(`p${index}-${c}`, c % 2 ? { parentSourceId: `p${index}-${c - 1}` } : {}),
      ),
    );
  const big = post(1, ONE_COMMENT_LAST_PART_OVER + 20);
  const small = post(2, ONE_COMMENT_LAST_PART_OVER);
  const { batches } = importBatches({ source: 'disqus', threads: [big, small] });
  expectSendable(batches.map((batch) => batch.request));
  const sizesOf = (sent: ImportThread) =>
    batches
      .flatMap((batch) => batch.request.threads)
      .filter((one) => one.pageId === sent.pageId)
      .map((part) => part.comments.length);
  // The request that publishes the big post checks and maps one comment of its own besides joining the others.
  expect(sizesOf(big)).toEqual([...Array.from({ length: 10 }, () => 50), 19, 1]);
  const bigParts = batches.flatMap((batch) => batch.request.threads).filter((one) => one.pageId === big.pageId);
  expect(bigParts.at(-1)!.comments).toEqual([
    { ...big.comments.at(-1), parentCreatedAt: big.comments.at(-2)!.createdAt },
  ]);
  expect(bigParts.flatMap((part) => withoutParentTimes(part.comments))).toEqual(big.comments);
  expect(sizesOf(small)).toEqual(Array.from({ length: 10 }, () => 50));
});

it('sends a reply whose parent is in no part at the top level, as the Worker keeps it in a whole thread', () => {
  const comments = [
    comment('orphan', { parentSourceId: 'skipped-in-source' }),
    ...Array.from({ length: 60 }, (_, index) => comment(`c${index}`)),
  ];
  const { batches } = importBatches({ source: 'disqus', threads: [thread(1, comments)] });
  const sent = batches.flatMap((batch) => batch.request.threads).flatMap((part) => part.comments);
  expect(sent).toHaveLength(61);
  expect(sent[0]).toMatchObject({ sourceId: 'orphan', parentSourceId: null });
});

it('sends posts too big for the free plan’s last part after all the others, smallest first, and names them', () => {
  const many = (index: number, count: number) =>
    thread(
      index,
      Array.from({ length: count }, (_, at) => comment(`p${index}-${at}`)),
    );
  const bigger = many(0, FREE_PLAN_POST_COMMENTS + 500);
  const big = many(2, FREE_PLAN_POST_COMMENTS + 1);
  const atLimit = many(3, FREE_PLAN_POST_COMMENTS);
  const { batches, tooLarge, large } = importBatches({
    source: 'blogger',
    threads: [bigger, thread(1), big, atLimit, thread(4)],
  });
  expect(tooLarge).toEqual([]);
  expectSendable(batches.map((batch) => batch.request));
  // Each page in the order its first comment is sent: the big two after everything else, the smaller first.
  const order = [...new Set(batches.flatMap((batch) => batch.request.threads.map((sent) => sent.pageId)))];
  expect(order).toEqual([thread(1), atLimit, thread(4), big, bigger].map((sent) => sent.pageId));
  expect(large).toEqual([
    { pageId: big.pageId, title: 'Post 2', comments: FREE_PLAN_POST_COMMENTS + 1 },
    { pageId: bigger.pageId, title: 'Post 0', comments: FREE_PLAN_POST_COMMENTS + 500 },
  ]);
  // A big post's parts still go in order, each comment once, its last part the last request.
  const parts = batches.flatMap((batch) => batch.request.threads).filter((sent) => sent.pageId === bigger.pageId);
  expect(parts.map((part) => part.part!.index)).toEqual(parts.map((_, index) => index));
  expect(parts.flatMap((part) => withoutParentTimes(part.comments))).toEqual(bigger.comments);
  expect(batches.at(-1)!.request.threads.at(-1)).toBe(parts.at(-1));
});

it('reports a thread with one comment over 1 MiB as too large and sends the rest', () => {
  const body = 'x'.repeat(MiB);
  const { batches, tooLarge } = importBatches({
    source: 'disqus',
    threads: [thread(0), thread(1, [comment('huge', { body }), comment('small')]), thread(2)],
  });
  expect(tooLarge).toEqual([{ pageId: thread(1).pageId, title: 'Post 1', comments: 2 }]);
  expect(batches.flatMap((batch) => batch.request.threads.map((sent) => sent.pageId))).toEqual([
    thread(0).pageId,
    thread(2).pageId,
  ]);
});

it('counts a split thread once in the report, and a second run as unchanged', () => {
  const page = 'https://blog.example/a';
  expect(
    tallyResults([
      { pageId: page, outcome: 'imported', added: 30 },
      { pageId: page, outcome: 'imported', added: 20 },
      { pageId: 'https://blog.example/b', outcome: 'queued', added: 4 },
    ]),
  ).toEqual({ imported: 1, unchanged: 0, queued: 1, paused: 0, added: 50 });
  expect(
    tallyResults([
      { pageId: page, outcome: 'unchanged', added: 0 },
      { pageId: page, outcome: 'unchanged', added: 0 },
    ]),
  ).toEqual({ imported: 0, unchanged: 1, queued: 0, paused: 0, added: 0 });
  // A part staged before the post's last counts nothing: the last part says what happened to the post.
  expect(
    tallyResults([
      { pageId: page, outcome: 'staged', added: 0 },
      { pageId: page, outcome: 'imported', added: 90 },
    ]),
  ).toEqual({ imported: 1, unchanged: 0, queued: 0, paused: 0, added: 90 });
});
