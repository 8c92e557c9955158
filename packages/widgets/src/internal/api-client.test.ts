import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError, LatestRequest } from './api-client.js';

afterEach(() => vi.unstubAllGlobals());

function answer(status: number, body?: string) {
  const calls: [URL, RequestInit][] = [];
  vi.stubGlobal('fetch', async (url: URL, init: RequestInit) => {
    calls.push([url, init]);
    return new Response(body ?? null, { status });
  });
  return calls;
}

describe('ApiClient', () => {
  it('turns an error body into an ApiError with code and field', async () => {
    answer(400, JSON.stringify({ error: { code: 'invalid_field', message: 'too long', field: 'body' } }));
    const error = await new ApiClient('https://api.test', 'blog')
      .request('POST', '/comments', { body: { page: 'p', name: 'a', body: 'b' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'invalid_field', message: 'too long', field: 'body' });
  });

  it('calls a 5xx without a Sala body a bad response, and never sends cookies', async () => {
    const calls = answer(502, '<html>Bad gateway</html>');
    await expect(
      new ApiClient('https://api.test', undefined).getThread({ page: 'p', sort: 'oldest' }),
    ).rejects.toMatchObject({
      code: 'bad_response',
    });
    expect(calls[0]![1].credentials).toBe('omit');
    expect(calls[0]![0].search).toBe('?page=p&sort=oldest');
  });

  it('drops comments that lack what a render needs', async () => {
    const good = {
      id: 'a',
      parentId: null,
      body: 'hi',
      createdAt: '2026-11-27T00:00:00Z',
      author: { name: 'A', avatar: 'x' },
    };
    // A website that is not text would make the link helper throw inside render().
    const oddWebsite = { ...good, id: 'c', author: { name: 'C', avatar: 'y', website: 42 } };
    const comments = [good, { id: 'b' }, null, oddWebsite];
    answer(200, JSON.stringify({ pageId: 'p', sort: 'oldest', total: 3, nextCursor: null, comments }));
    const thread = await new ApiClient('https://api.test', undefined).getThread({ page: 'p', sort: 'oldest' });
    expect(thread.comments).toEqual([good]);
  });

  it('sends the edit token as a bearer token', async () => {
    const calls = answer(204);
    await new ApiClient('https://api.test', 's').request('DELETE', '/comments/a%2Fb', {
      query: { page: 'p' },
      token: 'secret',
    });
    expect(String(calls[0]![0])).toBe('https://api.test/api/v1/comments/a%2Fb?site=s&page=p');
    expect(new Headers(calls[0]![1].headers).get('Authorization')).toBe('Bearer secret');
  });
});

describe('LatestRequest', () => {
  it('aborts the previous request and drops its answer', async () => {
    const latest = new LatestRequest();
    let first!: AbortSignal;
    const slow = latest.run((signal) => {
      first = signal;
      return new Promise<string>((resolve) => setTimeout(() => resolve('old'), 20));
    });
    const fast = latest.run(async () => 'new');
    expect(first.aborted).toBe(true);
    expect(await fast).toBe('new');
    expect(await slow).toBeUndefined();
  });
});
