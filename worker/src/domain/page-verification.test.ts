import { describe, expect, it } from 'vitest';
import { keepListed, shownMeta, type VerifiedPages } from './page-verification.js';

const record = (title: string) => ({
  url: `https://blog.example/${title}`,
  checkedAt: '2030-03-01T00:00:00.000Z',
  meta: { title, url: `https://blog.example/${title}` },
  verifiedAt: '2030-03-01T00:00:00.000Z',
});

describe('the records the lists keep', () => {
  it('are those of the listed pages, in their order, whatever text a site used as a page id', () => {
    // As a stored document holds them: `__proto__` an own key, as JSON.parse makes it.
    const entries = [
      ['post-1', 'one'],
      ['__proto__', 'proto'],
      ['constructor', 'c'],
      ['7', 'seven'],
    ];
    const pages = JSON.parse(
      `{${entries.map(([id, title]) => `${JSON.stringify(id)}:${JSON.stringify(record(title!))}`).join(',')}}`,
    ) as VerifiedPages['pages'];
    const kept = keepListed({ version: 1, pages }, new Set(['post-1', '__proto__', '7']));
    expect(Object.keys(kept.pages)).toEqual(['7', 'post-1', '__proto__']);
    expect(Object.getPrototypeOf(kept.pages)).toBe(Object.prototype);
    expect(kept.pages['__proto__' as string]).toEqual(record('proto'));
    expect(Object.keys(shownMeta(kept)).sort()).toEqual(['7', '__proto__', 'post-1'].sort());
  });
});
