import { describe, expect, it } from 'vitest';
import { hintHash, hintsChanged } from './page-hints.js';
import { PAGE_META_LIMITS, cleanText, samePageMeta, shorten, validatePageMeta } from './page-meta.js';

const blogOrigins = (origin: string) => origin === 'https://blog.example.com';

function validMeta(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    url: 'https://blog.example.com/2025/03/rice-noodles.html',
    title: 'Rice noodles at home',
    image: 'https://blogger.googleusercontent.com/img/b/abc/s1600/noodles.jpg',
    description: 'How we make fresh rice noodles.',
    published: '2025-03-05T10:00:00-08:00',
    labels: ['Food', 'Cambodia'],
    ...overrides,
  };
}

function errorField(input: unknown): string | null {
  const result = validatePageMeta(input, blogOrigins);
  return result.ok ? null : result.field;
}

describe('validatePageMeta', () => {
  it('keeps what a popular-posts entry shows, with the date stored as ISO in UTC', () => {
    const result = validatePageMeta(validMeta(), blogOrigins);
    expect(result).toEqual({
      ok: true,
      meta: {
        url: 'https://blog.example.com/2025/03/rice-noodles.html',
        title: 'Rice noodles at home',
        image: 'https://blogger.googleusercontent.com/img/b/abc/s1600/noodles.jpg',
        description: 'How we make fresh rice noodles.',
        published: '2025-03-05T18:00:00.000Z',
        labels: ['Food', 'Cambodia'],
      },
    });
  });

  it('needs only a URL and a title', () => {
    const result = validatePageMeta({ url: 'https://blog.example.com/p', title: 'Hello' }, blogOrigins);
    expect(result).toEqual({ ok: true, meta: { url: 'https://blog.example.com/p', title: 'Hello', labels: [] } });
  });

  it('shortens an over-long title at a word, with an ellipsis, instead of rejecting the view', () => {
    const title = `${'Street food of Phnom Penh '.repeat(12)}`.trim();
    const result = validatePageMeta(validMeta({ title }), blogOrigins);
    if (!result.ok) throw new Error(result.message);
    expect(Array.from(result.meta.title).length).toBeLessThanOrEqual(PAGE_META_LIMITS.title);
    expect(result.meta.title.endsWith('…')).toBe(true);
    expect(result.meta.title).toMatch(/\S…$/);
    expect(title.startsWith(result.meta.title.slice(0, -1))).toBe(true);
  });

  it('shortens an over-long description to 300 characters', () => {
    const result = validatePageMeta(validMeta({ description: 'word '.repeat(200) }), blogOrigins);
    if (!result.ok) throw new Error(result.message);
    expect(Array.from(result.meta.description ?? '').length).toBeLessThanOrEqual(300);
    expect(result.meta.description).toMatch(/word…$/);
  });

  it('keeps markup characters as literal text (the widget renders text, never HTML)', () => {
    const title = '<img src=x onerror=alert(1)> & <b>bold</b>';
    const result = validatePageMeta(validMeta({ title }), blogOrigins);
    expect(result.ok && result.meta.title).toBe(title);
  });

  it('strips control characters and bidi overrides, and folds whitespace', () => {
    const result = validatePageMeta(validMeta({ title: 'Hello\u0000\n\tworld\u202e!' }), blogOrigins);
    expect(result.ok && result.meta.title).toBe('Hello world!');
  });

  it('keeps zero-width spaces that Khmer text uses between words', () => {
    expect(cleanText('ស្រុក\u200bខ្មែរ')).toBe('ស្រុក\u200bខ្មែរ');
  });

  it('rejects a javascript: or data: thumbnail', () => {
    expect(errorField(validMeta({ image: 'javascript:alert(1)' }))).toBe('meta.image');
    expect(errorField(validMeta({ image: 'data:image/svg+xml,<svg onload=alert(1)>' }))).toBe('meta.image');
    expect(errorField(validMeta({ image: '/relative.jpg' }))).toBe('meta.image');
  });

  it('accepts a thumbnail on another origin (images live on CDNs)', () => {
    const image = 'https://cdn.example.net/photo.jpg';
    const result = validatePageMeta(validMeta({ image }), blogOrigins);
    expect(result.ok && result.meta.image).toBe(image);
  });

  it('rejects a page URL on an origin the site does not own, so nobody can inject foreign links', () => {
    expect(errorField(validMeta({ url: 'https://evil.example.org/2025/03/rice-noodles.html' }))).toBe('meta.url');
    expect(errorField(validMeta({ url: 'http://blog.example.com/p' }))).toBe('meta.url');
  });

  it('rejects a page URL that is not http(s)', () => {
    expect(errorField(validMeta({ url: 'javascript:alert(1)' }))).toBe('meta.url');
    expect(errorField(validMeta({ url: 'mailto:a@example.com' }))).toBe('meta.url');
    expect(errorField(validMeta({ url: undefined }))).toBe('meta.url');
  });

  it('rejects a missing or blank title', () => {
    expect(errorField(validMeta({ title: undefined }))).toBe('meta.title');
    expect(errorField(validMeta({ title: ' \n ' }))).toBe('meta.title');
  });

  it('rejects a published date that is not a date', () => {
    expect(errorField(validMeta({ published: 'yesterday' }))).toBe('meta.published');
    expect(errorField(validMeta({ published: '1' }))).toBe('meta.published');
    expect(errorField(validMeta({ published: 1741190400000 }))).toBe('meta.published');
  });

  it('keeps at most 10 distinct labels and drops over-long ones', () => {
    const labels = ['Food', 'food', ' ', 'x'.repeat(51), ...Array.from({ length: 15 }, (_, i) => `Label ${i}`)];
    const result = validatePageMeta(validMeta({ labels }), blogOrigins);
    if (!result.ok) throw new Error(result.message);
    expect(result.meta.labels).toEqual(['Food', ...Array.from({ length: 9 }, (_, i) => `Label ${i}`)]);
  });

  it('rejects labels that are not a list of strings', () => {
    expect(errorField(validMeta({ labels: 'Food' }))).toBe('meta.labels');
    expect(errorField(validMeta({ labels: [{ name: 'Food' }] }))).toBe('meta.labels');
  });

  it('rejects metadata that is not an object', () => {
    expect(errorField('title')).toBe('meta');
    expect(errorField(null)).toBe('meta');
  });
});

describe('shorten', () => {
  it('cuts text without spaces (Khmer) at the limit rather than returning it whole', () => {
    const khmer = 'ក'.repeat(250);
    expect(Array.from(shorten(khmer, 200)).length).toBe(200);
  });

  it('never splits an emoji in half', () => {
    const text = '😀'.repeat(10);
    expect(shorten(text, 5)).toBe('😀😀😀😀…');
  });

  it('cuts every text as cutting its code points would', () => {
    // What shorten did before it cut texts without surrogate pairs as strings.
    const byCodePoints = (text: string, max: number) => {
      const chars = Array.from(text);
      if (chars.length <= max) return text;
      const cut = chars.slice(0, max - 1).join('');
      const wordBreak = Math.max(cut.lastIndexOf(' '), cut.lastIndexOf('\u200b'));
      return `${(wordBreak > cut.length * 0.6 ? cut.slice(0, wordBreak) : cut).trimEnd()}…`;
    };
    const pieces = ['a', 'word ', 'ក', '\u200b', '😀', ' ', 'é', '𝒳'];
    let seed = 7;
    for (let run = 0; run < 2000; run++) {
      let text = '';
      const length = (seed = (seed * 48271) % 2147483647) % 40;
      for (let i = 0; i < length; i++) text += pieces[(seed = (seed * 48271) % 2147483647) % pieces.length];
      const max = 1 + (seed % 30);
      expect(shorten(text, max), JSON.stringify([text, max])).toBe(byCodePoints(text, max));
    }
  });
});

describe('samePageMeta', () => {
  it('tells an unchanged page from an edited one', () => {
    const a = { url: 'https://blog.example.com/p', title: 'A', labels: ['x'] };
    expect(samePageMeta(a, { ...a, labels: ['x'] })).toBe(true);
    expect(samePageMeta(a, { ...a, title: 'B' })).toBe(false);
    expect(samePageMeta(a, { ...a, labels: ['y'] })).toBe(false);
  });
});

const URL = 'https://blog.example.com/2030/01/angkor';

describe('hint hashes', () => {
  it('tell a retitled or moved page from an unchanged one, in any script, whatever its length', () => {
    const hint = { url: URL, title: 'Angkor Wat at dawn' };
    expect(hintHash({ ...hint })).toBe(hintHash(hint));
    // A typo fixed keeps the length; a Khmer sign changed; an address near the 2,048 limit.
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

  it('tell every edit of a page apart and spread like random 32-bit values over real-looking hints', () => {
    const words = ['angkor', 'tonle', 'kampot', 'mekong', 'phnom-penh', 'siem-reap', 'pepper', 'temples'];
    const khmer = ['អង្គរវត្ត', 'ទន្លេសាប', 'កំពត', 'ភ្នំពេញ'];
    // 2,500 pages, each with the edits a page goes through: a typo fixed, a word added, a moved address, a Khmer sign.
    const pages = Array.from({ length: 2_500 }, (_, post) => {
      const slug = `${words[post % 8]}-${words[(post >> 3) % 8]}-${post}`;
      const blog = `https://blog${post % 97}.${post % 3 ? 'example.com/posts' : 'blogspot.com/2030/01'}`;
      const url = `${blog}/${slug}${post % 3 ? '' : '.html'}`;
      const title = [`${khmer[post % 4]} ${post}`, `${words[post % 8]} at dawn 🌏 ${post}`, `Post ${post}`][post % 3]!;
      const swapped = `${title.slice(0, 2)}${title[3]}${title[2]}${title.slice(4)}`;
      return [
        { url, title },
        { url, title: swapped },
        { url, title: `${title} (updated)` },
        { url, title: title.toUpperCase() },
        { url, title: title.replace('ត', 'ដ').replace('a', 'á') },
        { url: `${url}/`, title },
        { url: `${url}?m=1`, title },
        { url: `${url}${title[0]}`, title: title.slice(1) },
      ];
    });
    // Some edits change nothing in some scripts (a Khmer title has no upper case): those are the same hint.
    const alike = pages.filter(
      (edits) => new Set(edits.map(hintHash)).size !== new Set(edits.map(({ url, title }) => `${url}\n${title}`)).size,
    );
    expect(alike).toEqual([]);
    const hints = new Map(pages.flat().map((hint) => [`${hint.url}\n${hint.title}`, hint]));
    const hashes = [...hints.values()].map(hintHash);
    // Across pages too: about 17,800 random 32-bit values collide 0.04 times on average.
    expect(hashes.length).toBeGreaterThan(17_000);
    expect(hashes.length - new Set(hashes).size).toBeLessThanOrEqual(2);
    expect(hashes.includes(0)).toBe(false);
    for (let bit = 0; bit < 32; bit++) {
      const ones = hashes.filter((hash) => (hash >>> bit) & 1).length / hashes.length;
      expect(ones).toBeGreaterThan(0.48);
      expect(ones).toBeLessThan(0.52);
    }
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
