import { LIMITS, type PublicComment, type ImportRequest } from '@sala/protocol';
import { describe, expect, it } from 'vitest';
import {
  countMetadata,
  countMetadataOf,
  METADATA_MAX_BYTES,
  readCountMetadata,
  toCommentActivity,
} from './comment-activity.js';
import { newCommentId, isCommentId } from './comment-id.js';
import { readImportRequest, type PreparedThread } from './import-input.js';
import { mergeImport } from './imported-thread.js';
import { erased, newComment, withEditedBody, type StoredComment } from './stored-comment.js';
import {
  buildSnapshot,
  entriesOf,
  partSummary,
  readThreadQuery,
  snapshotOfBlocks,
  threadPage,
  VersionDigest,
  type ThreadQuery,
  type ThreadSnapshot,
} from './thread.js';

const NOW = new Date('2026-11-20T10:00:00.000Z');

function stored(body: string, parent: StoredComment | null = null): StoredComment {
  return newComment(
    { pageId: 'post-1', parentId: parent?.id ?? null, name: 'Dara', email: 'dara@example.com', website: null, body },
    { id: newCommentId(), now: NOW, avatar: 'a'.repeat(16), tokenHash: 'h' },
  );
}

const bodies = (comments: { body: string; deleted?: boolean }[]) =>
  comments.map((c) => (c.deleted ? '(deleted)' : c.body));
const oldest: ThreadQuery = { sort: 'oldest', after: null, limit: LIMITS.pageSizeDefault };

describe('buildSnapshot', () => {
  it('orders comments oldest first whatever order list() returned, and counts the visible ones', () => {
    const a = stored('a');
    const b = stored('b', a);
    const c = stored('c');
    const snapshot = buildSnapshot('post-1', [c, a, b], NOW);
    expect(bodies(snapshot.comments)).toEqual(['a', 'b', 'c']);
    expect(snapshot.total).toBe(3);
  });

  it('keeps a deleted comment as a blank placeholder only while a shown reply hangs from it', () => {
    const root = stored('root');
    const middle = stored('middle', root);
    const leaf = stored('leaf', middle);
    const lonely = stored('lonely');

    const deletedChain = [erased(root, NOW), erased(middle, NOW), leaf, erased(lonely, NOW)];
    const snapshot = buildSnapshot('post-1', deletedChain, NOW);
    expect(bodies(snapshot.comments)).toEqual(['(deleted)', '(deleted)', 'leaf']);
    expect(snapshot.total).toBe(1);
    expect(JSON.stringify(snapshot)).not.toContain('dara@example.com');

    expect(buildSnapshot('post-1', [erased(root, NOW), erased(middle, NOW), erased(leaf, NOW)], NOW).comments).toEqual(
      [],
    );
  });

  it('never carries the email', () => {
    expect(JSON.stringify(buildSnapshot('post-1', [stored('hi')], NOW))).not.toContain('dara@example.com');
  });

  it('reuses no entry whose comment the snapshot shows without parsed text (written before it was sent)', () => {
    const kept = stored('stays **the same**');
    const older = stored('from before');
    const built = buildSnapshot('post-1', [kept, older], NOW);
    const snapshot = JSON.parse(JSON.stringify(built)) as ThreadSnapshot;
    delete snapshot.comments[1]!.parsed;
    expect([...entriesOf(snapshot).keys()]).toEqual([kept.id]);
    expect((entriesOf(snapshot).get(kept.id)!.view as PublicComment).parsed).toEqual([
      ['p', 'stays ', ['strong', 'the same']],
    ]);
  });
});

describe('the page’s link in the snapshot', () => {
  const sent = (pageUrl: string | undefined, status: StoredComment['status'] = 'approved'): StoredComment => ({
    ...stored('x'),
    status,
    ...(pageUrl !== undefined ? { pageUrl } : {}),
  });
  const WALK = 'https://mekong.blogspot.com/2026/11/walk.html';
  const ALIAS = 'https://mekong.blogspot.com/2026/11/walk/';

  it('is the address most shown comments came with, the oldest on a tie, and never one only held comments gave', () => {
    expect(buildSnapshot('p', [sent(WALK), sent(ALIAS), sent(WALK)], NOW).pageUrl).toBe(WALK);
    expect(buildSnapshot('p', [sent(WALK), sent(ALIAS)], NOW).pageUrl).toBe(WALK);
    expect(buildSnapshot('p', [sent(ALIAS), sent(WALK)], NOW).pageUrl).toBe(ALIAS);
    expect(buildSnapshot('p', [sent(WALK), sent(ALIAS, 'pending'), sent(ALIAS, 'spam')], NOW).pageUrl).toBe(WALK);
    expect(buildSnapshot('p', [sent(undefined), sent(ALIAS, 'pending')], NOW)).not.toHaveProperty('pageUrl');
  });

  it('is not served with the thread', () => {
    const snapshot = buildSnapshot('p', [sent(WALK)], NOW);
    expect(JSON.stringify(threadPage(snapshot, oldest))).not.toContain('walk');
  });
});

describe('snapshotOfBlocks', () => {
  const WALK = 'https://mekong.blogspot.com/2026/11/walk.html';
  const ALIAS = 'https://mekong.blogspot.com/2026/11/walk/';
  const sent = (body: string, pageUrl: string, parent: StoredComment | null = null): StoredComment => ({
    ...stored(body, parent),
    pageUrl,
  });

  it('carries a part as it was, its sources indexing the addresses it had, and counts it for the page', () => {
    const [a, b] = [sent('a', ALIAS), sent('b', ALIAS)];
    const c = sent('c', WALK);
    const previous = buildSnapshot('post-1', [a, b, c], NOW);
    expect(previous.links).toEqual([ALIAS, WALK]);
    const carried = { members: previous.comments.slice(0, 2), sources: previous.sources!.slice(0, 2) };
    // A fourth comment, sent with the page's other address.
    const d = sent('d', WALK);
    const rest = [entriesOf(previous).get(c.id)!, ...entriesOfNew([d])];

    const next = snapshotOfBlocks('post-1', [carried, rest], previous.links!, NOW);
    expect(next.comments.slice(0, 2)).toEqual(carried.members);
    expect(next.sources!.slice(0, 2).every((source, i) => source === carried.sources[i])).toBe(true);
    expect(next.links!.slice(0, 2)).toEqual([ALIAS, WALK]);
    expect(next.total).toBe(4);
    // Two and two: the oldest comment's address wins the tie, and it is in the carried part.
    expect(next.pageUrl).toBe(ALIAS);
    expect(bodies(next.comments as PublicComment[])).toEqual(['a', 'b', 'c', 'd']);
  });

  it("carries a part whose sources were not read by its summary: the address's votes and the count's days", () => {
    const [a, b] = [sent('a', ALIAS), sent('b', ALIAS)];
    const c = sent('c', WALK);
    const previous = buildSnapshot('post-1', [a, b, c], NOW);
    const summary = partSummary(previous.sources!.slice(0, 2), NOW.getTime())!;
    expect(summary).toMatchObject({ newest: NOW.toISOString(), days: [['2026-11-20', 2]], votes: [[0, 2, a.id]] });
    const carried = { members: previous.comments.slice(0, 2), sources: undefined, summary };
    const d = sent('d', WALK);
    const rest = [entriesOf(previous).get(c.id)!, ...entriesOfNew([d])];

    const next = snapshotOfBlocks('post-1', [carried, rest], previous.links!, NOW);
    // Its sources stay out of the snapshot's (its sources value is kept by key); the rest are there.
    expect(next.sources!.map(([id]) => id)).toEqual([c.id, d.id]);
    expect(next.total).toBe(4);
    expect(next.pageUrl).toBe(ALIAS);
    // The count's activity: the part from its summary, the rest one by one, as if every comment were counted.
    const whole = buildSnapshot('post-1', [a, b, c, d], NOW);
    const later = NOW.getTime() + 10 * 86_400_000;
    expect(countMetadataOf(next.total, next.comments.slice(2), [summary], later)).toEqual(countMetadata(whole, later));
    // Past the count's 31 days, its days are left out as the others' are.
    const past = NOW.getTime() + 40 * 86_400_000;
    expect(countMetadataOf(next.total, next.comments.slice(2), [summary], past)).toEqual(countMetadata(whole, past));
  });

  it("digests a part's ids and versions: any comment added, gone or at another version changes it", () => {
    const digest = (entries: [string, string][]) => {
      const made = new VersionDigest();
      for (const [id, version] of entries) made.add(id, version);
      return made.value;
    };
    const [x, y, z] = [newCommentId(), newCommentId(), newCommentId()];
    const listed: [string, string][] = [
      [x, 'w1/'],
      [y, 'w2/2026-11-20T10:00:00.000Z'],
      [z, 'w3/'],
    ];
    expect(digest(listed)).toBe(digest(listed.map(([id, version]) => [id, version])));
    expect(digest(listed.slice(0, 2))).not.toBe(digest(listed));
    expect(digest([listed[0]!, [y, 'w2/2026-11-20T10:00:00.001Z'], listed[2]!])).not.toBe(digest(listed));
    expect(digest([listed[0]!, [y, 'w2/'], listed[2]!])).not.toBe(digest(listed));
    // The summary's digest is the listing's when the sources hold the same ids and versions.
    const sources = buildSnapshot('post-1', [stored('a'), stored('b')], NOW).sources!;
    expect(partSummary(sources, NOW.getTime())!.digest).toBe(digest(sources.map(([id, version]) => [id, version])));
  });

  it("shows a hidden comment as a placeholder while a carried part's reply hangs from it", () => {
    const parent = stored('parent');
    const reply = stored('reply', parent);
    const previous = buildSnapshot('post-1', [parent, reply], NOW);
    const carried = { members: previous.comments.slice(1), sources: previous.sources!.slice(1) };
    const hidden = { ...entriesOf(previous).get(parent.id)!, view: null };
    const next = snapshotOfBlocks('post-1', [[hidden], carried], [], NOW);
    expect(bodies(next.comments as PublicComment[])).toEqual(['(deleted)', 'reply']);
    expect(next.total).toBe(1);
  });
});

/** The entries of new comments, as the rebuild makes them. */
function entriesOfNew(comments: StoredComment[]) {
  return [...entriesOf(buildSnapshot('post-1', comments, NOW)).values()];
}

describe('threadPage', () => {
  it('shows a reply whose parent is missing at the top level rather than losing it', () => {
    const ghost = stored('ghost');
    const orphan = stored('orphan', ghost);
    const page = threadPage(buildSnapshot('post-1', [orphan], NOW), oldest);
    expect(bodies(page.comments)).toEqual(['orphan']);
  });

  it('keeps its place when a newer comment arrives between two pages', () => {
    const [a, b, c] = [stored('a'), stored('b'), stored('c')];
    const first = threadPage(buildSnapshot('post-1', [a, b, c], NOW), { ...oldest, limit: 2 });
    const d = stored('d');
    const second = threadPage(buildSnapshot('post-1', [a, b, c, d], NOW), {
      ...oldest,
      limit: 2,
      after: first.nextCursor,
    });
    expect([...bodies(first.comments), ...bodies(second.comments)]).toEqual(['a', 'b', 'c', 'd']);
    expect(second.nextCursor).toBeNull();
  });
});

describe('readThreadQuery', () => {
  it('defaults to the oldest first, 20 at a time, from the start', () => {
    expect(readThreadQuery({})).toEqual({ sort: 'oldest', after: null, limit: LIMITS.pageSizeDefault });
    expect(readThreadQuery({ sort: 'newest', limit: '100', cursor: '' })).toEqual({
      sort: 'newest',
      after: null,
      limit: 100,
    });
  });

  it('names the parameter at fault', () => {
    for (const [params, field] of [
      [{ sort: 'top' }, 'sort'],
      [{ limit: '101' }, 'limit'],
      [{ limit: '1e2' }, 'limit'],
      [{ limit: '-1' }, 'limit'],
      [{ limit: '' }, 'limit'],
      [{ cursor: 'abc' }, 'cursor'],
    ] as const) {
      expect(() => readThreadQuery(params)).toThrowError(expect.objectContaining({ code: 'invalid_field', field }));
    }
  });
});

describe('pinned comments and closed threads', () => {
  it('serves pinned top-level comments first in either order, and pages through the rest without repeats', () => {
    const a = stored('a');
    const b = { ...stored('b'), pinned: true as const };
    const reply = stored('reply to b', b);
    const c = stored('c');
    const d = { ...stored('d'), pinned: true as const };
    const snapshot = buildSnapshot('post-1', [a, b, reply, c, d], NOW);

    expect(bodies(threadPage(snapshot, oldest).comments)).toEqual(['b', 'reply to b', 'd', 'a', 'c']);
    expect(threadPage(snapshot, oldest).comments.find((comment) => comment.body === 'b')?.pinned).toBe(true);
    const newest: ThreadQuery = { sort: 'newest', after: null, limit: 20 };
    expect(bodies(threadPage(snapshot, newest).comments)).toEqual(['d', 'b', 'reply to b', 'c', 'a']);

    const seen: string[] = [];
    let query: ThreadQuery = { sort: 'oldest', after: null, limit: 1 };
    for (;;) {
      const page = threadPage(snapshot, query);
      seen.push(...bodies(page.comments));
      if (page.nextCursor === null) break;
      query = { ...query, after: page.nextCursor };
    }
    expect(seen).toEqual(['b', 'reply to b', 'd', 'a', 'c']);
  });

  it('says a thread is closed only when it is', () => {
    const a = stored('a');
    expect(threadPage(buildSnapshot('post-1', [a], NOW, { closed: true }), oldest).closed).toBe(true);
    expect(threadPage(buildSnapshot('post-1', [a], NOW), oldest).closed).toBeUndefined();
  });
});

const ACTIVITY_NOW = Date.UTC(2030, 0, 31, 12);

function comment(createdAt: string, deleted = false): PublicComment {
  return {
    id: createdAt,
    parentId: null,
    author: { name: 'A', avatar: '0' },
    body: 'x',
    createdAt,
    ...(deleted ? { deleted } : {}),
  };
}

function snapshot(comments: PublicComment[]): ThreadSnapshot {
  return { pageId: 'p', total: comments.filter((c) => !c.deleted).length, comments, builtAt: '' };
}

describe('countMetadata', () => {
  it('counts visible comments per UTC day of the last 31 days and remembers the newest', () => {
    const metadata = countMetadata(
      snapshot([
        comment('2029-12-01T10:00:00.000Z'), // older than 31 days: in the total only
        comment('2030-01-02T23:59:59.000Z'),
        comment('2030-01-31T00:00:01.000Z'),
        comment('2030-01-31T08:00:00.000Z'),
        comment('2030-01-31T09:00:00.000Z', true), // a placeholder kept for its replies
      ]),
      ACTIVITY_NOW,
    );
    expect(metadata).toEqual({
      total: 4,
      last: '2030-01-31T08:00:00.000Z',
      days: { '2030-01-02': 1, '2030-01-31': 2 },
    });
    expect(toCommentActivity(metadata)).toEqual({ total: 4, perDay: { '2030-01-02': 1, '2030-01-31': 2 } });
  });

  it('stays within KV’s 1024 bytes of metadata on a page commented on every day', () => {
    const comments = Array.from({ length: 31 * 40 }, (_, i) =>
      comment(new Date(ACTIVITY_NOW - Math.floor(i / 40) * 86_400_000).toISOString()),
    );
    const metadata = countMetadata(snapshot(comments), ACTIVITY_NOW);
    expect(Object.keys(metadata.days)).toHaveLength(31);
    expect(new TextEncoder().encode(JSON.stringify(metadata)).byteLength).toBeLessThanOrEqual(METADATA_MAX_BYTES);
  });

  it('reads back what it wrote and refuses what it did not', () => {
    const metadata = countMetadata(snapshot([comment('2030-01-31T08:00:00.000Z')]), ACTIVITY_NOW);
    expect(readCountMetadata(JSON.parse(JSON.stringify(metadata)))).toEqual(metadata);
    expect(readCountMetadata(null)).toBeNull(); // a count key written before the metadata existed
    expect(readCountMetadata({ total: '3', days: {} })).toBeNull();
    expect(readCountMetadata({ total: 1, days: { yesterday: 1, '2030-01-01': -2 } })).toEqual({ total: 1, days: {} });
  });

  it('keeps only days written YYYY-MM-DD in ASCII digits, each with a count above zero', () => {
    const days = {
      '2030-01-01': 2,
      '2030-01-02': 1.5,
      '2030-01-03': Infinity,
      '2030-01-31\n': 1, // a line break after the date
      ' 2030-01-30': 1,
      '2030-01-300': 1,
      '2030-1-29': 1,
      '2030/01/28': 1,
      '2030_01-27': 1,
      '２０３０-01-26': 1, // full-width digits
      '2030-01-٢٥': 1, // Arabic-Indic digits
      '2030-01-24': 0,
      '2030-01-23': NaN,
      '2030-01-22': '1',
      '2030-01-21': null,
      '': 1,
    };
    expect(readCountMetadata({ total: 9, days })).toEqual({
      total: 9,
      days: { '2030-01-01': 2, '2030-01-02': 1.5, '2030-01-03': Infinity },
    });
    // Every day good: the days as given, not a copy (a ranking run reads 500 keys and copies none).
    const good = { '2030-01-01': 1, '2030-01-31': 3 };
    expect(readCountMetadata({ total: 4, days: good })!.days).toBe(good);
  });
});

const facts = { secret: 'test-secret', siteId: 'demo', now: new Date('2026-01-01T00:00:00Z') };
const page = 'https://blog.example.com/2021/03/walk';

function request(createdAt = '2021-03-04T05:06:07Z', source: ImportRequest['source'] = 'disqus'): ImportRequest {
  return {
    source,
    threads: [
      {
        pageId: page,
        comments: [
          { sourceId: '1', authorName: 'Dara', createdAt, body: 'Hello', status: 'approved' },
          { sourceId: '2', parentSourceId: '1', authorName: 'Sok', createdAt, body: 'Hi', status: 'approved' },
        ],
      },
    ],
  };
}

async function prepared(createdAt?: string, source?: ImportRequest['source']): Promise<PreparedThread> {
  return (await readImportRequest(request(createdAt, source), facts)).threads[0]!;
}

describe('imported comment ids', () => {
  it('are comment ids made from the creation time and the source id: the same comment, the same id', async () => {
    const [first, again] = [await prepared(), await prepared()];
    expect(first.comments.map((comment) => comment.id)).toEqual(again.comments.map((comment) => comment.id));
    expect(first.comments.every((comment) => isCommentId(comment.id))).toBe(true);
    expect(first.comments[1]!.parentId).toBe(first.comments[0]!.id);
    expect((await prepared(undefined, 'wordpress')).comments[0]!.id).not.toBe(first.comments[0]!.id);
  });

  it('keep a Sala export’s own ids', async () => {
    const input = request(undefined, 'sala');
    input.threads[0]!.comments[0]!.sourceId = '01JD0000000000000000000000';
    input.threads[0]!.comments[1]!.parentSourceId = '01JD0000000000000000000000';
    const [thread] = (await readImportRequest(input, facts)).threads;
    expect(thread!.comments[0]!.id).toBe('01JD0000000000000000000000');
    expect(thread!.comments[1]!.parentId).toBe('01JD0000000000000000000000');
  });
});

describe('mergeImport', () => {
  it('adds nothing, and writes nothing, when every comment is already stored', async () => {
    const first = mergeImport(null, await prepared(), facts.now);
    expect(first.firstImport).toBe(true);
    expect(first.added).toHaveLength(2);
    expect(mergeImport(first.next, await prepared(), facts.now)).toEqual({ next: null, added: [], firstImport: false });
  });

  it('finds a comment whose date a later export moved, and attaches a new reply to its stored id', async () => {
    const stored = mergeImport(null, await prepared('2021-03-04T05:06:07Z'), facts.now).next!;
    const moved = await prepared('2021-03-04T12:06:07Z');
    moved.comments.push({ ...moved.comments[1]!, id: '01JE0000000000000000000000', parentId: moved.comments[0]!.id });
    const merge = mergeImport(stored, moved, facts.now);
    expect(merge.added.map((comment) => comment.id)).toEqual(['01JE0000000000000000000000']);
    expect(merge.added[0]!.parentId).toBe(stored.comments[0]!.id);
    expect(merge.next!.comments).toHaveLength(3);
  });
});
