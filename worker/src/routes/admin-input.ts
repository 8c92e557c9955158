/** Reading admin request input: the JSON body middleware and small field readers shared by the admin routes. */
import { LIMITS } from '@sala/protocol';
import { jsonBody } from '../middleware/json-body.js';
import { ApiError } from '../errors.js';

/** Admin bodies: settings documents and bulk actions can be larger than a comment. */
export const adminJson = jsonBody({ maxBytes: 4 * LIMITS.requestBytes });

export function asObject(json: unknown): Record<string, unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ApiError('invalid_json', 400, 'The request body must be a JSON object.');
  }
  return json as Record<string, unknown>;
}
