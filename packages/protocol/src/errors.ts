/** The one error shape every Sala API response uses, so widgets can show a message for each code. */
export const ERROR_CODES = [
  'invalid_json',
  'invalid_field',
  'payload_too_large',
  'unsupported_media_type',
  'site_required',
  'unknown_site',
  'origin_not_allowed',
  'site_config_invalid',
  'not_found',
  'parent_not_found',
  'invalid_token',
  'edit_window_closed',
  'rate_limited',
  'too_many_edits',
  'thread_closed',
  'unauthorized',
  'forbidden',
  'banned',
  'comment_rejected',
  'duplicate_comment',
  'captcha_required',
  'captcha_failed',
  'conflict',
  'daily_limit_reached',
  'settings_conflict',
  'too_many_threads',
  'too_many_comments',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiErrorBody {
  error: {
    code: ErrorCode;
    /** English, for developers and logs; widgets show their own translated text per code. */
    message: string;
    /** The request field at fault, when there is one (`name`, `body`, `page`...). */
    field?: string;
    /** With `captcha_required`: the Turnstile site key to render the challenge with. */
    siteKey?: string;
    /** With `daily_limit_reached`: when writing works again (ISO time, the next 00:00 UTC). */
    resumesAt?: string;
  };
}

export function isApiErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string';
}
