import type { ThreadResponse } from '@sala/protocol';
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

describe('the deployed Worker', () => {
  it('serves the API through its default export', async () => {
    const response = await exports.default.fetch('https://sala.test/api/v1/comments?page=post-1');
    expect(response.status).toBe(200);
    expect(((await response.json()) as ThreadResponse).pageId).toBe('post-1');
  });

  it('answers an unknown API path with a JSON 404', async () => {
    const response = await exports.default.fetch('https://sala.test/api/v1/nothing-here');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});

describe('hostile input', () => {
  it('never produces a 5xx', async () => {
    const json = { 'Content-Type': 'application/json', Origin: 'http://localhost:5173' };
    const requests: [string, RequestInit?][] = [
      ['/api/v1/comments?page=%'],
      ['/api/v1/comments?page=%E0%A4%A&site=%ZZ'],
      ['/api/v1/comments?page=post-1&cursor=%00&limit=99999999999999999999'],
      ['/api/v1/counts?page=%'],
      ['/api/v1/comments/%?page=post-1', { method: 'DELETE', headers: { ...json, Authorization: 'Bearer x' } }],
      [
        '/api/v1/comments/%E0%A4%A',
        { method: 'PATCH', headers: { ...json, Authorization: `Bearer ${'A'.repeat(5000)}` }, body: '{}' },
      ],
      ['/api/v1/comments', { method: 'POST', headers: json, body: '['.repeat(20_000) }],
      ['/api/v1/comments', { method: 'POST', headers: json, body: '{"page":{"toString":1},"name":[],"body":{}}' }],
      ['/api/v1/comments', { method: 'POST', headers: json, body: '{"__proto__":{"page":"x"},"constructor":1}' }],
      ['/api/v1/comments', { method: 'POST', headers: json, body: '"\\ud800"' }],
      ['/api/v1/comments', { method: 'POST', headers: { ...json, 'Content-Length': 'abc' }, body: '{}' }],
      ['/api/v1/comments', { method: 'POST', headers: { ...json, Origin: 'null' }, body: '{}' }],
      ['/api/v1/comments', { method: 'PUT', headers: json, body: '{}' }],
    ];
    for (const [path, init] of requests) {
      const response = await exports.default.fetch(`https://sala.test${path}`, init);
      expect(response.status, path).toBeLessThan(500);
      expect(response.headers.get('Content-Type'), path).toMatch(/^application\/json/);
    }
  });
});
