/** Talks to the Sala API (`/api/v1`): builds URLs, sends JSON, and turns every failure into one typed ApiError. */
import { isApiErrorBody } from '@sala/protocol';
import type { PublicComment, ThreadResponse, ThreadSort } from '@sala/protocol';
import type { SalaErrorCode } from '../events.js';

export class ApiError extends Error {
  constructor(
    readonly code: SalaErrorCode,
    message: string,
    /** The request field at fault, when the server named one. */
    readonly field?: string,
    /** With `captcha_required`: the Turnstile site key to show the check with. */
    readonly siteKey?: string,
    /** With `daily_limit_reached`: when the server takes writes again (ISO time). */
    readonly resumesAt?: string,
  ) {
    super(message);
  }
}

/**
 * Whether asking again may go better: the network, an answer that was not Sala's (a proxy's 502), the server's own
 * trouble (500), too many requests (429) or a day's writes used up (503). Not a refusal of this page or request.
 */
export function isRetryable({ code }: ApiError): boolean {
  return ['network', 'bad_response', 'internal', 'rate_limited', 'daily_limit_reached'].includes(code);
}

/** Anything caught, as an ApiError, so callers have one shape to show. */
export function toApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError('bad_response', String(error));
}

/** Whether a value has the fields a comment is rendered from, so junk from any source cannot break a render. */
export function isPublicComment(value: unknown): value is PublicComment {
  const comment = value as Partial<PublicComment> | null;
  return (
    typeof comment?.id === 'string' &&
    (comment.parentId === null || typeof comment.parentId === 'string') &&
    typeof comment.body === 'string' &&
    typeof comment.createdAt === 'string' &&
    typeof comment.author?.name === 'string' &&
    (comment.author.website === undefined || typeof comment.author.website === 'string')
  );
}

/** The query of one page of a thread (a type, not an interface, so it passes as `RequestOptions.query` as it is). */
export type ThreadQuery = {
  page: string;
  sort: ThreadSort;
  cursor?: string | null;
};

export interface RequestOptions {
  /** Query parameters; an array repeats the parameter (`page=a&page=b`). Empty values are left out. */
  query?: Record<string, string | number | readonly string[] | null | undefined>;
  body?: unknown;
  token?: string;
  signal?: AbortSignal;
  /** Lets the request outlive the page (the rebuild a change asks for as the reader closes the tab). */
  keepalive?: boolean;
}

export class ApiClient {
  /**
   * @param origin where the Worker runs, e.g. `https://comments.example.com`
   * @param site the site id, or undefined to let the Worker use its default site
   */
  constructor(
    readonly origin: string,
    readonly site: string | undefined,
  ) {}

  async getThread(query: ThreadQuery, signal?: AbortSignal): Promise<ThreadResponse> {
    const thread = await this.request<ThreadResponse>('GET', '/comments', { query, signal });
    if (!Array.isArray(thread.comments)) throw new ApiError('bad_response', 'A thread without comments');
    return { ...thread, comments: thread.comments.filter(isPublicComment) };
  }

  /**
   * One request under `/api/v1`. Beyond the thread, each element and chunk makes its own through it (posting in
   * sending.ts, deleting in own-actions.ts), so their code stays out of the chunk every element shares.
   */
  request<T>(method: string, path: string, options: RequestOptions): Promise<T> {
    const url = new URL(`${this.origin}/api/v1${path}`);
    const query = { site: this.site, ...options.query };
    for (const [name, value] of Object.entries(query)) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (item !== undefined && item !== null && item !== '') url.searchParams.append(name, String(item));
      }
    }
    // The public API never needs cookies; sending none also keeps an admin session out of reach.
    return sendJson<T>(method, url, { ...options, credentials: 'omit' });
  }
}

export interface SendOptions {
  body?: unknown;
  /** Sent as `Authorization: Bearer …`. */
  token?: string;
  signal?: AbortSignal;
  credentials: RequestCredentials;
  /** Lets the request outlive the page (an admin action committed as the owner leaves). */
  keepalive?: boolean;
}

/** One JSON request to a Sala API; every failure becomes an ApiError. Shared by the public and admin clients. */
export async function sendJson<T>(method: string, url: URL, options: SendOptions): Promise<T> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.token) headers['Authorization'] = `Bearer ${options.token}`;

  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal ?? null,
      credentials: options.credentials,
      keepalive: options.keepalive === true,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError('network', `${method} ${url.pathname} failed: ${String(error)}`);
  }
  if (response.status === 204) return undefined as T;

  const payload: unknown = await response.json().catch(() => undefined);
  if (response.ok && payload !== undefined) return payload as T;
  if (isApiErrorBody(payload)) {
    const { code, message, field, siteKey, resumesAt } = payload.error;
    throw new ApiError(code, message, field, siteKey, resumesAt);
  }
  throw new ApiError('bad_response', `${method} ${url.pathname}: ${response.status}, not from Sala`);
}

/**
 * Keeps only the newest of overlapping requests: starting one aborts the one before, and a superseded
 * request resolves to undefined instead of overwriting newer data (the shape @lit/task uses).
 */
export class LatestRequest {
  #controller: AbortController | undefined;

  async run<T>(request: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> {
    this.abort();
    const controller = new AbortController();
    this.#controller = controller;
    try {
      const value = await request(controller.signal);
      return controller.signal.aborted ? undefined : value;
    } catch (error) {
      if (controller.signal.aborted) return undefined;
      throw error;
    } finally {
      if (this.#controller === controller) this.#controller = undefined;
    }
  }

  abort(): void {
    this.#controller?.abort();
    this.#controller = undefined;
  }
}
