import type { PublicComment } from '@sala/protocol';
import { describe, expect, it } from 'vitest';
import {
  bodyFingerprint,
  duplicatesFingerprinted,
  duplicatesVisible,
  normalizeBody,
  normalizesTo,
} from './duplicates.js';

const NOW = Date.parse('2026-12-04T08:00:00.000Z');

function comment(body: string, createdAt = '2026-12-04T07:00:00.000Z'): PublicComment {
  return { id: '01KBX0000000000000000000AA', parentId: null, author: { name: 'A', avatar: 'x' }, body, createdAt };
}

describe('normalizesTo', () => {
  it('agrees with normalizeBody on case, spacing of every kind, and the characters toLowerCase lengthens', () => {
    const pieces = [
      'Comment 1',
      'comment 2',
      'Z.',
      'A',
      'b',
      ' ',
      '  ',
      '\n',
      '\t',
      '\u00a0',
      '\u3000',
      '\ufeff',
      'İ',
      'Σ',
      'ς',
      'σ',
      'ẞ',
      'é',
      '😀',
      'x',
    ];
    // A seeded walk over strings of those pieces, each compared with the normalised form of itself and of another.
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % pieces.length;
    const make = () => Array.from({ length: 1 + (next() % 9) }, () => pieces[next()]).join('');
    for (let i = 0; i < 3000; i++) {
      const body = make();
      const other = i % 3 === 0 ? body.toUpperCase() : make();
      expect(normalizesTo(body, normalizeBody(body))).toBe(true);
      expect(normalizesTo(other, normalizeBody(body))).toBe(normalizeBody(other) === normalizeBody(body));
    }
  });
});

describe('duplicatesVisible', () => {
  it('finds the same text posted within a day, whatever its case and spacing', () => {
    const thread = [comment('Thank you for this walk along the river')];
    expect(duplicatesVisible('  thank YOU for this\n\nwalk along the river ', thread, NOW)).toBe(true);
    expect(duplicatesVisible('Thank you for this walk along the rivers', thread, NOW)).toBe(false);
  });

  it('ignores texts older than a day, placeholders and short texts', () => {
    expect(
      duplicatesVisible(
        'Thank you for this walk',
        [comment('Thank you for this walk', '2026-12-02T07:00:00.000Z')],
        NOW,
      ),
    ).toBe(false);
    expect(duplicatesVisible('Thanks!', [comment('Thanks!')], NOW)).toBe(false);
    expect(
      duplicatesVisible('Thank you for this walk', [{ ...comment('Thank you for this walk'), deleted: true }], NOW),
    ).toBe(false);
  });
});

describe('duplicatesFingerprinted', () => {
  const at = '2026-12-04T07:00:00.000Z';
  const prints = ['Thank you for this walk along the river', 'Another comment on the walk']
    .map((body) => bodyFingerprint(body, at))
    .join('');

  it('finds the same text posted within a day among joined fingerprints, whatever its case and spacing', () => {
    expect(duplicatesFingerprinted('  thank YOU for this\n\nwalk along the river ', [prints], NOW)).toBe(true);
    expect(duplicatesFingerprinted('another COMMENT on the walk', ['', prints], NOW)).toBe(true);
    expect(duplicatesFingerprinted('Thank you for this walk along the rivers', [prints], NOW)).toBe(false);
  });

  it('ignores texts older than a day and short texts, and never reads a hash across two fingerprints', () => {
    expect(duplicatesFingerprinted('Another comment on the walk', [prints], NOW + 24 * 3_600_000)).toBe(false);
    expect(bodyFingerprint('Thanks!', at)).toBe('');
    expect(duplicatesFingerprinted('Thanks!', [prints], NOW)).toBe(false);
    // The hash of a text, found only straddling two fingerprints, is not that text's.
    const hash = bodyFingerprint('Thank you for this walk along the river', at).slice(0, 8);
    const straddled = `${'0'.repeat(11)}${hash}${'0'.repeat(11)}`;
    expect(straddled.indexOf(hash) % 15).not.toBe(0);
    expect(duplicatesFingerprinted('Thank you for this walk along the river', [straddled], NOW)).toBe(false);
  });
});
