/**
 * Per-address rate limits with the Workers Rate Limiting binding. The address is CF-Connecting-IP (set by
 * Cloudflare, and by wrangler dev), counted by its network for IPv6 (its /64: `addressSubject`), turned into a
 * salted hash before use and never stored raw. The binding's counts are per Cloudflare location and approximate:
 * a brake on floods, not an exact quota.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.js';
import { addressSubject, ipHash } from '../domain/identity-hashes.js';
import { ApiError } from '../errors.js';

export interface RateLimitOptions {
  /** The binding to count with (declared in wrangler.jsonc `ratelimits`). */
  limiter: (env: Env) => RateLimit;
  /** Names the limit in the key, so two limits on one binding would not share counts. */
  name: string;
  message: string;
  /**
   * What to do without CF-Connecting-IP, which only happens outside Cloudflare (tests calling the Worker
   * directly): 'skip' the limit, or count all such requests under one 'shared' key.
   */
  withoutAddress: 'skip' | 'shared';
}

export function rateLimit(options: RateLimitOptions): MiddlewareHandler<AppEnv> {
  return async function rateLimit(c, next) {
    const address = c.req.header('CF-Connecting-IP');
    // Its network (an IPv6 /64 is one sender) for the count, the stored comment and bans.
    const hash = address ? await ipHash(c.env.SALA_SECRET, addressSubject(address)) : null;
    c.set('ipHash', hash);
    // IP bans made before they covered a /64 are of the whole address: still checked, so none silently lapses.
    c.set('wholeIpHash', address ? await ipHash(c.env.SALA_SECRET, address) : null);
    if (address || options.withoutAddress === 'shared') {
      const sender = hash ?? 'no-address';
      const { success } = await options.limiter(c.env).limit({ key: `${options.name}:${sender}` });
      if (!success) throw new ApiError('rate_limited', 429, options.message);
    }
    await next();
  };
}
