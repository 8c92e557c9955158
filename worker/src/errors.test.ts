import { Hono } from 'hono';
import { describe, expect, it, vi } from 'vitest';
import { ApiError, renderError, renderNotFound } from './errors.js';

function appThrowing(error: unknown) {
  const app = new Hono();
  app.get('/boom', () => {
    throw error;
  });
  app.onError(renderError);
  app.notFound(renderNotFound);
  return app;
}

describe('renderError', () => {
  it('renders an ApiError as the protocol error body, field included', async () => {
    const response = await appThrowing(new ApiError('invalid_field', 400, 'name is required.', 'name')).request(
      '/boom',
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: 'invalid_field', message: 'name is required.', field: 'name' },
    });
  });

  it('logs anything else and answers 500 internal without the detail', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const response = await appThrowing(new Error('KV exploded: secret detail')).request('/boom');
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'internal' } });
    expect(text).not.toContain('secret detail');
    expect(log).toHaveBeenCalled();
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await appThrowing(null).request('/nowhere');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
