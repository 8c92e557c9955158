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
