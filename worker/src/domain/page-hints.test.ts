import { describe, expect, it } from 'vitest';
import { hintHash, hintsChanged } from './page-hints.js';

const URL = 'https://blog.example.com/2030/01/angkor';

describe('hint hashes', () => {
  it('tell a retitled or moved page from an unchanged one, in any script, whatever its length', () => {
    const hint = { url: URL, title: 'Angkor Wat at dawn' };
    expect(hintHash({ ...hint })).toBe(hintHash(hint));
    // A typo fixed keeps the length; a Khmer title is 3 bytes a character; an address near the 2,048 limit.
    expect(hintHash({ url: URL, title: 'Angkor Wta at dawn' })).not.toBe(hintHash(hint));
    expect(hintHash({ url: `${URL}/`, title: hint.title })).not.toBe(hintHash(hint));
    expect(hintHash({ url: URL, title: 'អង្គរវត្ត' })).not.toBe(hintHash({ url: URL, title: 'អង្គរវត្ដ' }));
    const long = `${URL}?${'q'.repeat(2000)}`;
    expect(hintHash({ url: long, title: 'ក'.repeat(200) })).not.toBe(hintHash({ url: long, title: 'ខ'.repeat(200) }));
    const hashes = new Set(
      Array.from({ length: 5000 }, (_, post) => hintHash({ url: `${URL}-${post}`, title: `Post ${post}` })),
    );
    expect(hashes.size).toBe(5000);
    expect(hashes.has(0)).toBe(false);
  });

  it('say the hints must be read when the newest beacon of a page disagrees with its slot, or it has none', () => {
    const angkor = { url: URL, title: 'Angkor Wat at dawn', labels: [] };
    const stored = new Map([[URL, hintHash(angkor)]]);
    const batch = (flushedAt: string, title: string) => ({
      flushedAt,
      meta: { [URL]: { ...angkor, title } },
    });
    const hashOf = (pageId: string) => stored.get(pageId);
    expect(hintsChanged([batch('2030-01-10T10:01:00Z', angkor.title)], hashOf)).toBe(false);
    expect(hintsChanged([batch('2030-01-10T10:01:00Z', 'Angkor by night')], hashOf)).toBe(true);
    // An older beacon with the old title does not count: the newest is the one kept.
    expect(
      hintsChanged([batch('2030-01-10T10:05:00Z', angkor.title), batch('2030-01-10T10:01:00Z', 'Old title')], hashOf),
    ).toBe(false);
    expect(hintsChanged([{ flushedAt: '2030-01-10T10:01:00Z', meta: { [`${URL}-new`]: angkor } }], hashOf)).toBe(true);
  });
});
