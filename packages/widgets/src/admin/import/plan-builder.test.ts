import { describe, expect, it } from 'vitest';
import { DEFAULT_IMPORT_OPTIONS } from './plan.js';
import { PlanBuilder, type SourceComment } from './plan-builder.js';

const PAGE = 'https://blog.example/2026/11/post.html';

function comment(sourceId: string, parentSourceId: string | null, extra: Partial<SourceComment> = {}): SourceComment {
  return {
    sourceId,
    parentSourceId,
    thread: 'post',
    authorName: 'Dara',
    createdAt: '2026-11-02T05:00:00Z',
    html: `Comment ${sourceId}`,
    status: 'approved',
    ...extra,
  };
}

function build(comments: SourceComment[]) {
  const builder = new PlanBuilder('disqus', DEFAULT_IMPORT_OPTIONS);
  builder.thread('post', { url: PAGE });
  comments.forEach((entry) => builder.comment(entry));
  return builder.build();
}

describe('PlanBuilder', () => {
  it('lists parents before replies whatever the file’s order, and breaks a cycle at the top level', () => {
    const plan = build([
      comment('c', 'b'),
      comment('b', 'a'),
      comment('a', null),
      comment('x', 'y'),
      comment('y', 'x'),
    ]);
    const order = plan.threads[0]!.comments.map((entry) => [entry.sourceId, entry.parentSourceId ?? null]);
    expect(order).toEqual([
      ['a', null],
      ['b', 'a'],
      ['c', 'b'],
      ['y', null],
      ['x', 'y'],
    ]);
  });

  it('threads a reply chain 20,000 deep without running out of stack', () => {
    const chain = Array.from({ length: 20_000 }, (_, i) => comment(`c${i}`, i === 0 ? null : `c${i - 1}`)).reverse();
    const plan = build(chain);
    const comments = plan.threads[0]!.comments;
    expect(comments).toHaveLength(20_000);
    expect(comments[0]!.sourceId).toBe('c0');
    expect(comments.at(-1)).toMatchObject({ sourceId: 'c19999', parentSourceId: 'c19998' });
  });

  it('unpins a reply and keeps a pinned top-level comment pinned', () => {
    const plan = build([comment('a', null, { pinned: true }), comment('b', 'a', { pinned: true })]);
    expect(plan.threads[0]!.comments.map((entry) => entry.pinned ?? false)).toEqual([true, false]);
  });

  it('drops an email or website it cannot use rather than the comment', () => {
    const plan = build([
      comment('a', null, { authorEmail: 'not an email', authorUrl: 'javascript:alert(1)' }),
      comment('b', null, { authorEmail: ' dara@example.com ', authorUrl: 'https://dara.example' }),
    ]);
    const [first, second] = plan.threads[0]!.comments;
    expect(first!.authorEmail).toBeUndefined();
    expect(first!.authorUrl).toBeUndefined();
    expect(second).toMatchObject({ authorEmail: 'dara@example.com', authorUrl: 'https://dara.example/' });
  });
});
