import type { ImportComment, ImportRequest, ImportThread } from '@sala/protocol';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors.js';
import { countMetadata } from './comment-activity.js';
import { readImportRequest, type PreparedThread } from './import-input.js';
import { mergeImport } from './imported-thread.js';
import {
  assembleParts,
  concatBytes,
  joinRuns,
  PIECES,
  prebuild,
  prebuiltBytes,
  publishPrebuilt,
  readPrebuilt,
  toPrepared,
  withFacts,
  type JoinedSnapshot,
  type PrebuiltThread,
} from './prebuilt-thread.js';
import { IMPORTED_VERSION, snapshotOf, threadEntry, type ThreadSnapshot } from './thread.js';

const now = new Date('2026-01-01T00:00:00Z');
const facts = { secret: 'test-secret', siteId: 'demo', now };
const page = 'https://blog.example.com/2021/03/walk';

function comment(sourceId: string, minute: number, fields: Partial<ImportComment> = {}): ImportComment {
  return {
    sourceId,
    authorName: `Reader ${sourceId}`,
    authorEmail: `${sourceId}@example.com`,
    createdAt: new Date(Date.UTC(2021, 2, 4, 5, minute)).toISOString(),
    body: `What ${sourceId} wrote`,
    status: 'approved',
    ...fields,
  };
}

/** Every kind of comment a snapshot treats apart, some listed out of time order. */
const varied: ImportComment[] = [
  comment('a', 1, { pinned: true, body: 'Text that looks like JSON: "parentId":"?0" and $& $1 \\n' }),
  comment('b', 3, { parentSourceId: 'a', owner: true, editedAt: '2021-03-05T00:00:00Z' }),
  comment('c', 2, { status: 'pending' }),
  comment('d', 4, { parentSourceId: 'c', authorUrl: 'https://d.example.com/' }),
  comment('e', 5, { status: 'spam' }),
  comment('f', 6, { status: 'rejected' }),
  comment('g', 7, { parentSourceId: 'f', status: 'pending' }),
  comment('h', 8, { deletedAt: '2021-03-06T00:00:00Z', authorName: '', authorEmail: '', body: '' }),
  comment('i', 9, { parentSourceId: 'h', body: 'សួស្តី ពិភពលោក។' }),
];

/** Each thread read as a request of its own, as the parts of a post are sent. */
async function prepared(threads: ImportThread[]): Promise<PreparedThread[]> {
  return Promise.all(
    threads.map(async (thread) => {
      const request: ImportRequest = { source: 'disqus', threads: [thread] };
      return (await readImportRequest(request, facts)).threads[0]!;
    }),
  );
}

/** The parts of a post of two parts, each sent as a request of its own. */
function part(index: number, comments: ImportComment[]): ImportThread {
  return { pageId: page, comments, part: { index, count: 2 } };
}

/**
 * Why joining `threads`' parts is refused (`field: message`), or 'accepted': each part prebuilt, then taken as the last
 * part's request takes it (`stage`: as it is, or read back from its staged bytes).
 */
async function joinRefusal(threads: ImportThread[], stage: (part: PrebuiltThread) => PrebuiltThread): Promise<string> {
  const parts = (await prepared(threads)).map((thread) => stage(prebuild(thread)));
  try {
    assembleParts(parts, 'threads[0]');
  } catch (error) {
    return error instanceof ApiError ? `${error.field}: ${error.message}` : String(error);
  }
  return 'accepted';
}

/** What the rebuild writes for a page whose only comments are `thread`'s: the snapshot and the document. */
function rebuilt(thread: PreparedThread, closed = false) {
  const document = mergeImport(null, thread, now).next!;
  // As the rebuild reads them: imported comments, none decided on, in id order.
  const entries = document.comments
    .map((comment) => threadEntry(comment, `${IMPORTED_VERSION}/`))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const snapshot = snapshotOf(thread.pageId, entries, now, { closed, importedAt: document.updatedAt });
  return { document, snapshot: JSON.parse(JSON.stringify(snapshot)) as ThreadSnapshot };
}

/** The snapshot a prebuilt thread publishes, as a reader's parse of its text gets it (sources from its runs' facts, if any). */
function snapshotOfJoined({ fields, runs, facts, pieces }: JoinedSnapshot): ThreadSnapshot {
  const text = new TextDecoder().decode(concatBytes(joinRuns(runs, PIECES)));
  const sources =
    facts === undefined
      ? pieces().sources
      : new TextDecoder().decode(
          concatBytes(
            joinRuns(
              facts.map((run) => run.sources),
              PIECES,
            ),
          ),
        );
  return { ...fields, sources: JSON.parse(`[${sources}]`), comments: JSON.parse(`[${text}]`) } as ThreadSnapshot;
}

const textOf = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const bytesOf = (text: string) => new TextEncoder().encode(text);

describe('a prebuilt thread', () => {
  it('publishes the snapshot the rebuild builds, placeholders and sort order included, and the same document', async () => {
    const [thread] = await prepared([{ pageId: page, pageUrl: `${page}.html`, title: 'Walk', comments: varied }]);
    const published = publishPrebuilt(readPrebuilt(prebuiltBytes(prebuild(thread!)))!, now, true);
    const expected = rebuilt(thread!, true);
    expect(snapshotOfJoined(published.snapshot)).toEqual(expected.snapshot);
    expect(JSON.parse(textOf(concatBytes(published.document)))).toEqual(expected.document);
    expect(published.countMetadata).toEqual(countMetadata(expected.snapshot, now.getTime()));
    // Shown: a, b, c as the placeholder d hangs from, d, h as the placeholder i hangs from, i; not e, f, g.
    expect(expected.snapshot.comments).toHaveLength(6);
  });

  it('publishes a thread listed oldest first, all shown, as the rebuild does too (its pieces joined as they are)', async () => {
    const inOrder = varied.filter(
      (c) => c.status === 'approved' && c.deletedAt === undefined && c.parentSourceId !== 'h',
    );
    const [thread] = await prepared([
      { pageId: page, comments: inOrder.sort((x, y) => (x.createdAt < y.createdAt ? -1 : 1)) },
    ]);
    const published = publishPrebuilt(readPrebuilt(prebuiltBytes(prebuild(thread!)))!, now, false);
    expect(snapshotOfJoined(published.snapshot)).toEqual(rebuilt(thread!).snapshot);
    expect(snapshotOfJoined(published.snapshot).comments).toHaveLength(3);
  });

  it('joins a post’s parts into what the whole thread publishes, a reply’s parent in a later part', async () => {
    const whole = (await prepared([{ pageId: page, comments: varied }]))[0]!;
    // Part 0 holds replies whose parents (a, c) come in part 1.
    const order = [[1, 3, 8], [0, 2, 4, 5, 6], [7]];
    const parts = await prepared(
      order.map((picked, index) => ({
        pageId: page,
        comments: picked.map((k) => varied[k]!),
        part: { index, count: order.length },
      })),
    );
    const values = parts.map((part) => prebuiltBytes(prebuild(part)));
    const post = assembleParts(
      values.map((value) => readPrebuilt(value)!),
      'threads[0]',
    );
    const published = publishPrebuilt(post, now, false);
    expect(snapshotOfJoined(published.snapshot)).toEqual(rebuilt(whole).snapshot);
    expect(toPrepared(post).comments.sort((x, y) => (x.id < y.id ? -1 : 1))).toEqual(
      [...whole.comments].sort((x, y) => (x.id < y.id ? -1 : 1)),
    );
  });

  it('publishes a post whose earlier parts were staged by the version before compact headers', async () => {
    const whole = (await prepared([{ pageId: page, comments: varied }]))[0]!;
    const order = [[1, 3, 8], [0, 2, 4, 5, 6], [7]];
    const parts = (
      await prepared(
        order.map((picked, index) => ({
          pageId: page,
          comments: picked.map((k) => varied[k]!),
          part: { index, count: order.length },
        })),
      )
    ).map((part) => prebuild(part));
    // As that version staged a part: its header's entries one object each, then the runs as now.
    const staged = parts.map(({ stored, shown, shownCounts: _shownCounts, ...header }) =>
      concatBytes([bytesOf(`${JSON.stringify(header)}\n`), ...stored, bytesOf('\n'), ...joinRuns(shown, PIECES)]),
    );
    const current = parts.map((part) => prebuiltBytes(part));
    expect(current[0]!.indexOf(0x0a)).toBeLessThan(staged[0]!.indexOf(0x0a));
    // Old parts, and old parts beside a part written now, join into the same post.
    for (const values of [staged, [staged[0]!, current[1]!, current[2]!]]) {
      const post = assembleParts(
        values.map((value) => readPrebuilt(value.slice())!),
        'threads[0]',
      );
      expect(snapshotOfJoined(publishPrebuilt(post, now, false).snapshot)).toEqual(rebuilt(whole).snapshot);
    }
  });

  it('joins a post whose parts were staged with their snapshot facts into what the rebuild builds, parents in earlier and later parts', async () => {
    // Every comment shown, oldest first, part after part: the snapshot is joined from the parts' runs and facts.
    const sent = Array.from({ length: 9 }, (_, k) => comment(`s${k}`, k + 1, k === 3 ? { pinned: true } : {}));
    sent[4] = { ...sent[4]!, parentSourceId: 's1' };
    sent[2] = { ...sent[2]!, parentSourceId: 's7' };
    sent[8] = { ...sent[8]!, parentSourceId: 's0' };
    // Whole, a parent is listed before its reply: s7 goes first.
    const listed = [sent[7]!, ...sent.filter((_, k) => k !== 7)];
    const whole = (await prepared([{ pageId: page, comments: listed }]))[0]!;
    const parts = await prepared(
      [0, 1, 2].map((index) => ({
        pageId: page,
        comments: sent.slice(3 * index, 3 * index + 3),
        part: { index, count: 3 },
      })),
    );
    const staged = parts.slice(0, 2).map((part) => readPrebuilt(prebuiltBytes(prebuild(part)))!);
    const post = assembleParts([...staged, withFacts(prebuild(parts[2]!))], 'threads[0]');
    const published = publishPrebuilt(post, now, false);
    expect(published.snapshot.facts).toHaveLength(3);
    const expected = rebuilt(whole).snapshot;
    expect(snapshotOfJoined(published.snapshot)).toEqual(expected);
    expect(published.countMetadata).toEqual(countMetadata(expected, now.getTime()));
    // The facts' paging index names each reply's parent as the rebuild's does, placeholders overwritten.
    const paged = published.snapshot.facts!.map((run) => textOf(run.index)).join(',');
    expect(paged).toBe(
      expected.comments
        .map((shown) => (shown.parentId === null ? shown.id : `${shown.id}:${shown.parentId}`))
        .join(','),
    );
    expect(published.snapshot.pieces().sources).toBe(
      textOf(
        concatBytes(
          joinRuns(
            published.snapshot.facts!.map((run) => run.sources),
            PIECES,
          ),
        ),
      ),
    );
  });

  it('joins parts staged with their parents’ ids (their times sent) as they are, nothing written over, beside a part staged without', async () => {
    // As the facts test's post: parents in earlier and later parts, each such reply with its parent's time.
    const sent = Array.from({ length: 9 }, (_, k) => comment(`s${k}`, k + 1, k === 3 ? { pinned: true } : {}));
    sent[4] = { ...sent[4]!, parentSourceId: 's1', parentCreatedAt: sent[1]!.createdAt };
    sent[2] = { ...sent[2]!, parentSourceId: 's7', parentCreatedAt: sent[7]!.createdAt };
    sent[8] = { ...sent[8]!, parentSourceId: 's0', parentCreatedAt: sent[0]!.createdAt };
    const listed = [sent[7]!, ...sent.filter((_, k) => k !== 7)].map(({ parentCreatedAt: _time, ...one }) => one);
    const whole = (await prepared([{ pageId: page, comments: listed }]))[0]!;
    const partOf = (index: number, comments: ImportComment[]): ImportThread => ({
      pageId: page,
      comments,
      part: { index, count: 3 },
    });
    const parts = await prepared([0, 1, 2].map((index) => partOf(index, sent.slice(3 * index, 3 * index + 3))));
    const values = parts.map((part) => prebuiltBytes(prebuild(part)));
    // Final bytes: no placeholder, so nothing to write over when the post is assembled.
    for (const value of values) expect(textOf(value)).not.toMatch(/\?\d{25}/);
    const read = values.map((value) => readPrebuilt(value.slice())!);
    const before = read.map((part) => [...part.stored, ...part.shown].map((run) => textOf(run)));
    const post = assembleParts(read, 'threads[0]');
    expect(read.map((part) => [...part.stored, ...part.shown].map((run) => textOf(run)))).toEqual(before);
    const expected = rebuilt(whole).snapshot;
    expect(snapshotOfJoined(publishPrebuilt(post, now, false).snapshot)).toEqual(expected);
    expect(post.entries.map((entry) => entry.parentSourceId)).toEqual(post.entries.map(() => undefined));
    // Part 0 as an Import tab from before sends it (its reply's parent by source id alone), beside the others.
    const [older] = await prepared([
      partOf(
        0,
        sent.slice(0, 3).map(({ parentCreatedAt: _time, ...one }) => one),
      ),
    ]);
    const mixed = assembleParts(
      [prebuiltBytes(prebuild(older!)), values[1]!, values[2]!].map((value) => readPrebuilt(value.slice())!),
      'threads[0]',
    );
    expect(snapshotOfJoined(publishPrebuilt(mixed, now, false).snapshot)).toEqual(expected);
  });

  it('refuses a post whose reply gives its parent’s time but the parent is in no part, or whose replies loop so', async () => {
    const refusal = (threads: ImportThread[]) => joinRefusal(threads, (part) => readPrebuilt(prebuiltBytes(part))!);
    const [x, y] = [comment('x', 1), comment('y', 2)];
    // y's time, a minute off: no comment of the post has that id.
    const off = new Date(Date.parse(y.createdAt) + 60_000).toISOString();
    expect(await refusal([part(0, [{ ...x, parentSourceId: 'y', parentCreatedAt: off }]), part(1, [y])])).toBe(
      'threads[0].comments: Comment x replies to y, which is in no part of this post.',
    );
    expect(
      await refusal([
        part(0, [{ ...x, parentSourceId: 'y', parentCreatedAt: y.createdAt }]),
        part(1, [{ ...y, parentSourceId: 'x', parentCreatedAt: x.createdAt }]),
      ]),
    ).toMatch(/its own ancestor/);
  });

  it('refuses a post whose reply names a parent in no part, or whose replies loop across parts', async () => {
    const refusal = (threads: ImportThread[]) => joinRefusal(threads, (part) => part);
    expect(await refusal([part(0, [comment('x', 1, { parentSourceId: 'ghost' })]), part(1, [comment('y', 2)])])).toBe(
      'threads[0].comments: Comment x replies to ghost, which is in no part of this post.',
    );
    expect(
      await refusal([
        part(0, [comment('x', 1, { parentSourceId: 'y' })]),
        part(1, [comment('y', 2, { parentSourceId: 'x' })]),
      ]),
    ).toMatch(/its own ancestor/);
    // A loop through a reply to a parent in its own part: x -> y (part 1) -> z -> x.
    expect(
      await refusal([
        part(0, [comment('x', 1, { parentSourceId: 'y' }), comment('z', 3, { parentSourceId: 'x' })]),
        part(1, [comment('y', 2, { parentSourceId: 'z' })]),
      ]),
    ).toMatch(/its own ancestor/);
  });

  it('reads back only what it wrote', () => {
    expect(readPrebuilt(bytesOf('{"source":"disqus","threads":[]}'))).toBeNull();
    expect(readPrebuilt(bytesOf('not json\n\n'))).toBeNull();
  });
});
