import type { PublicComment } from '@sala/protocol';
import { describe, expect, it } from 'vitest';
import { METADATA_MAX_BYTES, countMetadata, readCountMetadata, toCommentActivity } from './comment-activity.js';
import type { ThreadSnapshot } from './thread.js';

const NOW = Date.UTC(2030, 0, 31, 12);

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
      NOW,
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
      comment(new Date(NOW - Math.floor(i / 40) * 86_400_000).toISOString()),
    );
    const metadata = countMetadata(snapshot(comments), NOW);
    expect(Object.keys(metadata.days)).toHaveLength(31);
    expect(new TextEncoder().encode(JSON.stringify(metadata)).byteLength).toBeLessThanOrEqual(METADATA_MAX_BYTES);
  });

  it('reads back what it wrote and refuses what it did not', () => {
    const metadata = countMetadata(snapshot([comment('2030-01-31T08:00:00.000Z')]), NOW);
    expect(readCountMetadata(JSON.parse(JSON.stringify(metadata)))).toEqual(metadata);
    expect(readCountMetadata(null)).toBeNull(); // a count key written before the metadata existed
    expect(readCountMetadata({ total: '3', days: {} })).toBeNull();
    expect(readCountMetadata({ total: 1, days: { yesterday: 1, '2030-01-01': -2 } })).toEqual({ total: 1, days: {} });
  });
});
