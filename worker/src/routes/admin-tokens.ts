/** /api/v1/admin/tokens: API tokens for scripts. Created here, shown once, stored hashed, revocable. */
import type { ApiTokenListResponse, CreateApiTokenRequest, CreateApiTokenResponse } from '@sala/protocol';
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { ApiError, invalidField } from '../errors.js';
import { adminJson } from './admin-input.js';
import { ApiTokenStore } from '../storage/api-tokens.js';

export const adminTokens = new Hono<AppEnv>();

function readCreateToken(json: unknown): CreateApiTokenRequest {
  const name = typeof json === 'object' && json !== null ? (json as Record<string, unknown>).name : undefined;
  if (typeof name !== 'string' || name.trim() === '' || name.trim().length > 64) {
    throw invalidField('name', 'name must be 1 to 64 characters saying what the token is for.');
  }
  return { name: name.trim() };
}

adminTokens.get('/', async (c) => c.json<ApiTokenListResponse>({ tokens: await new ApiTokenStore(c.env.SALA).list() }));

adminTokens.post('/', adminJson, async (c) => {
  const { name } = readCreateToken(c.get('jsonBody'));
  return c.json<CreateApiTokenResponse>(await new ApiTokenStore(c.env.SALA).create(name), 201);
});

adminTokens.delete('/:id', async (c) => {
  if (!(await new ApiTokenStore(c.env.SALA).revoke(c.req.param('id')))) {
    throw new ApiError('not_found', 404, 'There is no such API token.');
  }
  return c.body(null, 204);
});
