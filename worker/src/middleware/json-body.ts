/**
 * Reads a JSON request body for the handler: refuses other content types, refuses bodies over `maxBytes`
 * (by Content-Length up front and by counting the bytes that actually arrive), and parses it once.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.js';
import { ApiError } from '../errors.js';

export interface JsonBodyOptions {
  maxBytes: number;
}

function tooLarge(maxBytes: number): ApiError {
  return new ApiError('payload_too_large', 413, `The request body is larger than ${maxBytes} bytes.`);
}

/** The body's bytes, reading no more than `maxBytes` of them whatever Content-Length claimed. */
export async function readLimited(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Uint8Array> {
  if (body === null) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

export function jsonBody(options: JsonBodyOptions): MiddlewareHandler<AppEnv> {
  const { maxBytes } = options;

  return async function jsonBody(c, next) {
    const contentType = c.req.header('Content-Type') ?? '';
    if (!/^application\/json\s*(;|$)/i.test(contentType)) {
      throw new ApiError('unsupported_media_type', 415, 'Send the request body as application/json.');
    }
    const declaredLength = Number(c.req.header('Content-Length'));
    if (declaredLength > maxBytes) throw tooLarge(maxBytes);

    const bytes = await readLimited(c.req.raw.body, maxBytes);
    try {
      c.set('jsonBody', JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)));
    } catch {
      throw new ApiError('invalid_json', 400, 'The request body is not valid UTF-8 JSON.');
    }
    await next();
  };
}
