import { describe, expect, it } from 'vitest';
import { entriesWithin, parseEntries, v1Layout } from './v1-layout.js';

/** Page ids that hold what the layout must not take for structure: braces, brackets, commas, colons, quotes. */
const ODD_IDS = [
  'https://blog.example.com/a,b',
  'page {"version":2}',
  'quote " and \\\\ backslash \\\\"',
  'https://blog.example.com/[x]:y}',
  'ខ្មែរ 🌾',
  '',
];

describe('v1Layout', () => {
  it('finds every top-level value and each object entry, whatever the page ids hold', () => {
    const counts = Object.fromEntries(ODD_IDS.map((pageId, index) => [pageId, index + 0.5]));
    const document = {
      version: 1,
      hours: { '2030-01-15T08:00:00.000Z': counts, '2030-01-15T09:00:00.000Z': {} },
      days: {},
      allTime: counts,
      finalizedThrough: '2030-01-15T08:00:00.000Z',
      meta: Object.fromEntries(ODD_IDS.map((pageId) => [pageId, { url: pageId, title: `} ${pageId} {`, labels: [] }])),
    };
    for (const text of [JSON.stringify(document), JSON.stringify(document, null, 2)]) {
      const layout = v1Layout(text)!;
      expect([...layout.keys()]).toEqual(Object.keys(document));
      for (const [key, value] of Object.entries(document)) {
        const section = layout.get(key)!;
        expect(JSON.parse(text.slice(section.start, section.end))).toEqual(value);
        if (typeof value !== 'object') continue;
        const entries = section.entries.length / 2;
        expect(entries).toBe(Object.keys(value).length);
        // Any run of entries parses to those entries.
        for (let from = 0; from <= entries; from++)
          for (let to = from; to <= entries; to++)
            expect(parseEntries(text, section, from, to)).toEqual(
              Object.fromEntries(Object.entries(value).slice(from, to)),
            );
      }
    }
  });

  it('answers null for text that is not one JSON object', () => {
    for (const text of ['', '[1]', '{"version":1', '{"a":"unended}', '{"a":1}}', '1 {"a":1}']) {
      expect(v1Layout(text), text).toBeNull();
    }
  });
});

describe('entriesWithin', () => {
  const section = { start: 0, end: 0, entries: [0, 10, 11, 31, 32, 42] };

  it('takes the entries that fit, and one too large alone only when asked', () => {
    expect(entriesWithin(section, 0, 31, false)).toEqual({ to: 2, chars: 30 });
    expect(entriesWithin(section, 1, 15, false)).toEqual({ to: 1, chars: 0 });
    expect(entriesWithin(section, 1, 15, true)).toEqual({ to: 2, chars: 20 });
    expect(entriesWithin(section, 0, 1000, false)).toEqual({ to: 3, chars: 40 });
  });
});
