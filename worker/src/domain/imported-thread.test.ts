import type { ImportRequest } from '@sala/protocol';
import { describe, expect, it } from 'vitest';
import { isCommentId } from './comment-id.js';
import { readImportRequest, type PreparedThread } from './import-input.js';
import { mergeImport } from './imported-thread.js';

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
