/**
 * Refuses, with 503 `site_config_invalid` naming the secret, every request to routes that sign or verify with
 * SALA_SECRET while it is not set: the owner reads which secret to set instead of "something went wrong".
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.js';
import { requireSecret } from '../storage/sites.js';

export function secretRequired(): MiddlewareHandler<AppEnv> {
  return async function secretRequired(c, next) {
    requireSecret(c.env, 'SALA_SECRET');
    await next();
  };
}
