import { describe, expect, it } from 'vitest';
import { parseViewBeacon } from './view-beacon.js';

const options = { isAllowedOrigin: (origin: string) => origin === 'https://blog.example.com', sampleRate: 1 };
const meta = { url: 'https://blog.example.com/2025/03/noodles.html', title: 'Noodles', labels: [] };

describe('parseViewBeacon', () => {
  it('counts the page under its normalised id, so mobile and desktop views add up', () => {
    const result = parseViewBeacon(
      { page: 'https://Blog.example.com/2025/03/noodles.html?m=1#comments', meta },
      options,
    );
    expect(result).toEqual({
      ok: true,
      view: { pageId: 'https://blog.example.com/2025/03/noodles', meta, weight: 1 },
    });
  });

  it('keeps the weight of a sampled view up to the site’s sample rate', () => {
    const sampled = parseViewBeacon({ page: 'post-1', meta, weight: 10 }, { ...options, sampleRate: 10 });
    expect(sampled.ok && sampled.view.weight).toBe(10);
    const forged = parseViewBeacon({ page: 'post-1', meta, weight: 1000 }, { ...options, sampleRate: 10 });
    expect(forged.ok && forged.view.weight).toBe(10);
    const unsampledSite = parseViewBeacon({ page: 'post-1', meta, weight: 30 }, options);
    expect(unsampledSite.ok && unsampledSite.view.weight).toBe(1);
  });

  it('names the field at fault', () => {
    const field = (body: unknown) => {
      const result = parseViewBeacon(body, options);
      return result.ok ? null : result.field;
    };
    expect(field('hello')).toBe('body');
    expect(field({ page: '', meta })).toBe('page');
    expect(field({ page: 'post-1', meta, weight: 0.5 })).toBe('weight');
    expect(field({ page: 'post-1', meta, weight: '3' })).toBe('weight');
    expect(field({ page: 'post-1', meta: { ...meta, url: 'https://elsewhere.example/x' } })).toBe('meta.url');
  });
});
