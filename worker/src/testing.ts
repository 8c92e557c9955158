/**
 * Test helpers: call the real Worker in workerd with an execution context whose background work (the snapshot
 * rebuilds) a test can wait for, instead of polling. Imported by tests only.
 */
import type { CreateCommentRequest, CreateCommentResponse, ThreadResponse } from '@sala/protocol';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import worker, { type createWorker } from './index.js';

export { countingKv, freshPage } from './testing-kv.js';

/** An origin the demo site in wrangler.jsonc allows. */
export const ALLOWED_ORIGIN = 'http://localhost:5173';

export interface SendOptions {
  /** Sent as the body with Content-Type: application/json. */
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
  /** Origin header; ALLOWED_ORIGIN unless given, none when null. */
  origin?: string | null;
  bindings?: Env;
  /** The Worker instance to call (an isolate of its own, from `createWorker`); the default export unless given. */
  worker?: Pick<ReturnType<typeof createWorker>, 'fetch'>;
}

export interface Sent<T> {
  status: number;
  headers: Headers;
  /** The raw response text, for asserting what never appears in it. */
  text: string;
  body: T;
  /** Resolves when the work the request left running (rebuilds) has finished. */
  settled: Promise<void>;
}

/** Background work of every request sent so far that nobody has waited for yet. */
const unsettled = new Set<Promise<void>>();

/**
 * Waits for the rebuilds of every request sent so far. Posting several comments and then waiting once lets
 * their rebuilds coalesce, as they do in production, instead of paying the one-second write spacing each.
 */
export async function rebuildsDone(): Promise<void> {
  while (unsettled.size > 0) {
    const pending = [...unsettled];
    await Promise.all(pending);
    pending.forEach((promise) => unsettled.delete(promise));
  }
}

export async function send<T = unknown>(method: string, path: string, options: SendOptions = {}): Promise<Sent<T>> {
  const headers = new Headers(options.headers);
  const origin = options.origin === undefined ? ALLOWED_ORIGIN : options.origin;
  if (origin !== null) headers.set('Origin', origin);
  let body = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    if (!headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
  }

  const ctx = createExecutionContext();
  const request = new Request(`https://sala.test${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const response = await (options.worker ?? worker).fetch(request, options.bindings ?? env, ctx);
  const text = await response.text();
  const settled = waitOnExecutionContext(ctx);
  unsettled.add(settled);
  return {
    status: response.status,
    headers: response.headers,
    text,
    // HTML answers (the one-click moderation pages) are read through `text`.
    body: (text === '' || !/json/.test(response.headers.get('Content-Type') ?? '') ? undefined : JSON.parse(text)) as T,
    settled,
  };
}

let commentNumber = 0;

/**
 * A comment as the widget sends it: `elapsedMs` as a person takes to write, and a body of its own each call,
 * because the same text twice on one page is refused as a duplicate.
 */
export function commentFields(page: string, fields: Partial<CreateCommentRequest> = {}): CreateCommentRequest {
  commentNumber += 1;
  const body = `Hello from Phnom Penh (${commentNumber})`;
  return { page, name: 'Dara', email: 'dara@example.com', body, elapsedMs: 20_000, ...fields };
}

/** POSTs a comment; the thread shows it once `rebuildsDone()` (which getThread awaits) resolves. */
export async function postComment(
  page: string,
  fields: Partial<CreateCommentRequest> = {},
): Promise<CreateCommentResponse> {
  const sent = await send<CreateCommentResponse>('POST', '/api/v1/comments', { json: commentFields(page, fields) });
  if (sent.status !== 201) throw new Error(`POST failed: ${sent.status} ${sent.text}`);
  return sent.body;
}

/** The thread of `page` once every change sent so far has been rebuilt into it. */
export async function getThread(page: string, query = ''): Promise<ThreadResponse> {
  await rebuildsDone();
  const sent = await send<ThreadResponse>('GET', `/api/v1/comments?page=${encodeURIComponent(page)}${query}`);
  if (sent.status !== 200) throw new Error(`GET failed: ${sent.status} ${sent.text}`);
  return sent.body;
}
