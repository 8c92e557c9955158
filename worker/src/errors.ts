/** The Worker's one error path: handlers throw `ApiError`, `renderError` turns anything thrown into the protocol's error body. */
import type { ApiErrorBody, ErrorCode } from '@sala/protocol';
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { dailyLimitResetAt, isDailyLimitError } from './domain/daily-limit.js';
import { isWarmUp } from './warm-mark.js';

/** A failure the client caused or can act on; its code, status and field reach the client as they are. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly code: ErrorCode,
    readonly status: ContentfulStatusCode,
    message: string,
    readonly field?: string,
    /** With `captcha_required`: the Turnstile site key the widget renders the challenge with. */
    readonly siteKey?: string,
    /** With `daily_limit_reached`: when writing works again (ISO time). */
    readonly resumesAt?: string,
    /** With a 429 a retry can get past: seconds until it can (the `Retry-After` header). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** Shorthand for the most common failure: one request field is missing or wrong. */
export function invalidField(field: string, message: string): ApiError {
  return new ApiError('invalid_field', 400, message, field);
}

/** A 429 that passes once the sender waits `retryAfterSeconds` (at least 1), which `Retry-After` tells clients. */
export function rateLimited(message: string, retryAfterSeconds: number): ApiError {
  return new ApiError('rate_limited', 429, message, undefined, undefined, undefined, Math.max(1, retryAfterSeconds));
}

const COMMENTS_PAUSED =
  "Comments are paused until 00:00 UTC: this comment server has used its free plan's daily allowance.";

/**
 * The 503 a request that met the daily KV limit answers with: nothing was saved; try again after the reset. `message`
 * says what waits when it is not commenting.
 */
export function dailyLimitReached(message = COMMENTS_PAUSED, now = Date.now()): ApiError {
  return new ApiError('daily_limit_reached', 503, message, undefined, undefined, dailyLimitResetAt(now).toISOString());
}

function errorResponse(c: Context, error: ApiError): Response {
  const body: ApiErrorBody = { error: { code: error.code, message: error.message } };
  if (error.field !== undefined) body.error.field = error.field;
  if (error.siteKey !== undefined) body.error.siteKey = error.siteKey;
  if (error.resumesAt !== undefined) {
    body.error.resumesAt = error.resumesAt;
    c.header('Retry-After', String(Math.max(1, Math.ceil((Date.parse(error.resumesAt) - Date.now()) / 1000))));
  }
  if (error.retryAfterSeconds !== undefined) c.header('Retry-After', String(error.retryAfterSeconds));
  return c.json(body, error.status);
}

export const renderError: ErrorHandler = (error, c) => {
  if (error instanceof ApiError) return errorResponse(c, error);
  // The free plan's daily KV limit is a state, not a bug: say so, and when it ends, instead of a 500.
  if (isDailyLimitError(error)) {
    console.warn('[sala] KV daily limit reached:', c.req.method, new URL(c.req.url).pathname, String(error));
    return errorResponse(c, dailyLimitReached());
  }
  // Anything else is our bug or an outage: log the detail, tell the client nothing about it. In workerd the startup
  // warm-up's requests all end here, making their responses (warm.ts): that is expected, not logged.
  if (!isWarmUp(c.env)) console.error('[sala] unhandled error', c.req.method, new URL(c.req.url).pathname, error);
  return errorResponse(c, new ApiError('internal', 500, 'Something went wrong on our side.'));
};

export const renderNotFound: NotFoundHandler = (c) =>
  errorResponse(c, new ApiError('not_found', 404, `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`));
