/**
 * Per-address rate limits with the Workers Rate Limiting binding. The address is CF-Connecting-IP (set by
 * Cloudflare, and by wrangler dev), counted by its network for IPv6 (its /64: `addressSubject`), turned into a
 * salted hash before use and never stored raw. The binding's counts are per Cloudflare location and approximate:
 * a brake on floods, not an exact quota. A refusal says how long to wait (`Retry-After`): until the period's window
 * ends, windows being aligned to the clock (`wrangler dev`'s binding counts so; Cloudflare documents no other).
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.js';
import { addressHashes } from '../domain/identity-hashes.js';
import { rateLimited } from '../errors.js';

export interface RateLimitOptions {
  /** The binding to count with (declared in wrangler.jsonc `ratelimits`). */
  limiter: (env: Env) => RateLimit;
  /** Names the limit in the key, so two limits on one binding would not share counts. */
  name: string;
  message: string;
  /** The binding's `period` in wrangler.jsonc `ratelimits` (10 or 60 seconds): when a refused sender may retry. */
  periodSeconds: 10 | 60;
  /**
   * What to do without CF-Connecting-IP, which only happens outside Cloudflare (tests calling the Worker
   * directly): 'skip' the limit, or count all such requests under one 'shared' key.
   */
  withoutAddress: 'skip' | 'shared';
}

export function rateLimit(options: RateLimitOptions): MiddlewareHandler<AppEnv> {
  return async function rateLimit(c, next) {
    const address = c.req.header('CF-Connecting-IP');
    // Its network (an IPv6 /64 is one sender) for the count, the stored comment and bans; the whole address for
    // IP bans made before they covered a /64: still checked, so none silently lapses.
    const hashes = address ? await addressHashes(c.env.SALA_SECRET, address) : null;
    const hash = hashes?.network ?? null;
    c.set('ipHash', hash);
    c.set('wholeIpHash', hashes?.whole ?? null);
    if (address || options.withoutAddress === 'shared') {
      const sender = hash ?? 'no-address';
      const { success } = await options.limiter(c.env).limit({ key: `${options.name}:${sender}` });
      if (!success) throw rateLimited(options.message, secondsLeftInWindow(options.periodSeconds, Date.now()));
    }
    await next();
  };
}

/** Seconds from `now` (ms) until the clock-aligned window of `periodSeconds` ends: 15 at 12:00:45.3 for 60. */
export function secondsLeftInWindow(periodSeconds: number, now: number): number {
  return periodSeconds - (Math.floor(now / 1000) % periodSeconds);
}
