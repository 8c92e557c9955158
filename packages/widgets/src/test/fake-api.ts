/**
 * A fake Sala API behind a stubbed fetch: serves thread, popular-posts, recent-comment and count fixtures, takes
 * view beacons, records every request, fails on demand.
 */
import { vi } from 'vitest';
import {
  packMarkdown,
  type ApiErrorBody,
  type PopularPost,
  type PublicComment,
  type RecentComment,
} from '@sala/protocol';

export const API = 'https://comments.test';

export interface RecordedRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: unknown;
  signal: AbortSignal | null;
  keepalive: boolean;
  credentials: RequestCredentials | undefined;
}

type Failure = { method: string; path: string; status: number; error: ApiErrorBody['error'] };

export class FakeApi {
  readonly requests: RecordedRequest[] = [];
  /** Page id -> its comments, oldest first, each reply after its parent. */
  readonly threads = new Map<string, PublicComment[]>();
  /** Edit tokens handed out, by comment id. */
  readonly tokens = new Map<string, string>();
  /** What GET /popular lists, in order; the fake applies `limit`, `label` and `exclude` like the Worker. */
  popularPosts: PopularPost[] = [];
  /** `viewSample` the list and thread answers carry; undefined leaves it out. */
  viewSample: number | undefined;
  /** The thread's answer says reply mails are on (`replyMails`), as a Worker with email set up does. */
  replyMails = false;
  /** What the POST of a comment asking for reply mails answers (`replyMail`), as the Worker would for its browser. */
  replyMail: 'confirm' | 'on' = 'confirm';
  /** What GET /recent-comments lists, newest first. */
  recentComments: RecentComment[] = [];
  /** Comment counts by page id, for GET /counts; pages not here count 0. */
  readonly counts = new Map<string, number>();
  /** The `createdAt` of the newest comment each page's count holds, sent for the pages named with `newest=`. */
  readonly newest = new Map<string, string>();
  /** How long ago (ms) each page's count was written, sent with `newest` (the Worker's `age`). */
  readonly ages = new Map<string, number>();
  pageSize = 20;
  /**
   * Answer like a Worker from before `parsed` (or a snapshot it built): comments carry only their source. By default
   * comments are sent parsed, as the Worker's rebuild stores them.
   */
  unparsed = false;
  /** Hold every edit, as the Worker holds one that adds a link or a word on the owner's list: `status: 'pending'`. */
  holdEdits = false;
  /** Comments the Worker holds (an edit held, or as a test says): a delete answers that the count did not hold them. */
  readonly held = new Set<string>();
  /** Refuse a new comment sent this soon after its page's first form, as the Worker does (MIN_ELAPSED_MS); 0: never. */
  minElapsedMs = 0;
  /**
   * Answer a new comment and an edit with `rebuild: { token }`, as a new isolate's first change on a big thread is:
   * `POST /api/v1/comments/rebuild` with that token then answers that it rebuilt the page (403 with any other).
   */
  rebuildPending = false;
  /** The rebuild tokens answered so far: `rebuild-{comment id}-{n}`. */
  readonly rebuildTokens = new Set<string>();
  /** Awaited before answering, so a test can hold a response back. */
  gate: (request: RecordedRequest) => Promise<void> = async () => {};
  #failures: Failure[] = [];
  #created = 0;

  install(): this {
    vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => this.#handle(input, init));
    return this;
  }

  /** The next request with this method (and under `path`, if given) answers with this error. */
  failNext(method: string, status: number, error: ApiErrorBody['error'], path = '/api/v1/'): void {
    this.#failures.push({ method, path, status, error });
  }

  /** What the Worker's eventually consistent thread shows once it catches up with a write. */
  publish(pageId: string, comment: PublicComment): void {
    this.threads.set(pageId, [...(this.threads.get(pageId) ?? []), comment]);
  }

  requestsMatching(method: string, path = '/api/v1/comments'): RecordedRequest[] {
    return this.requests.filter((request) => request.method === method && request.url.pathname.startsWith(path));
  }

  async #handle(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
    const url = new URL(String(input));
    const method = init.method ?? 'GET';
    const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    const request = {
      method,
      url,
      headers: new Headers(init.headers),
      body,
      signal: init.signal ?? null,
      keepalive: init.keepalive === true,
      credentials: init.credentials,
    };
    this.requests.push(request);
    await this.gate(request);
    init.signal?.throwIfAborted();

    const failure = this.#failures.findIndex(
      (candidate) => candidate.method === method && url.pathname.startsWith(candidate.path),
    );
    if (failure !== -1) {
      const [{ status, error }] = this.#failures.splice(failure, 1) as [Failure];
      return json(status, { error });
    }
    switch (`${method} ${url.pathname}`) {
      case 'POST /api/v1/views':
        return new Response(null, { status: 204 });
      case 'GET /api/v1/popular':
        return this.#popular(url);
      case 'GET /api/v1/recent-comments':
        return json(200, { comments: this.recentComments.slice(0, Number(url.searchParams.get('limit') ?? 5)) });
      case 'POST /api/v1/comments/rebuild':
        return this.rebuildTokens.has(url.searchParams.get('token') ?? '')
          ? json(200, { rebuilt: true })
          : json(403, { error: { code: 'invalid_token', message: 'Not a rebuild token of this server.' } });
      case 'GET /api/v1/counts':
        return json(200, {
          counts: Object.fromEntries(url.searchParams.getAll('page').map((page) => [page, this.counts.get(page) ?? 0])),
          ...(url.searchParams.has('newest') && {
            newest: Object.fromEntries(
              url.searchParams.getAll('newest').flatMap((page) => {
                const newest = this.newest.get(page);
                return newest === undefined ? [] : [[page, newest]];
              }),
            ),
            age: Object.fromEntries(
              url.searchParams
                .getAll('newest')
                .flatMap((page) => (this.ages.has(page) ? [[page, this.ages.get(page)]] : [])),
            ),
          }),
        });
    }
    const id = decodeURIComponent(url.pathname.split('/comments/')[1] ?? '');
    switch (method) {
      case 'GET':
        return this.#thread(url);
      case 'POST':
        return this.#create(body as Record<string, string | boolean>);
      case 'PATCH':
        return this.#authorized(request, id) ?? this.#edit(id, body as { body: string });
      case 'DELETE':
        return this.#authorized(request, id) ?? json(200, { counted: !this.held.has(id) });
    }
    return json(405, { error: { code: 'invalid_json', message: 'no such route' } });
  }

  #popular(url: URL): Response {
    const label = url.searchParams.get('label');
    const exclude = url.searchParams.getAll('exclude');
    const posts = this.popularPosts
      .filter((post) => (!label || post.labels.includes(label)) && !exclude.includes(post.pageId))
      .slice(0, Number(url.searchParams.get('limit') ?? 5));
    const range = url.searchParams.get('range') ?? '7d';
    const by = url.searchParams.get('by') ?? 'views';
    return json(200, { range, by, posts, ...(this.viewSample ? { viewSample: this.viewSample } : {}) });
  }

  #thread(url: URL): Response {
    const page = url.searchParams.get('page') ?? '';
    const sort = url.searchParams.get('sort') === 'newest' ? 'newest' : 'oldest';
    const all = this.threads.get(page) ?? [];
    const roots = all.filter((comment) => comment.parentId === null);
    if (sort === 'newest') roots.reverse();
    const start = Number(url.searchParams.get('cursor') ?? 0);
    const slice = roots.slice(start, start + this.pageSize);
    const withReplies = (comment: PublicComment): PublicComment[] => [
      comment,
      ...all.filter((reply) => reply.parentId === comment.id).flatMap(withReplies),
    ];
    return json(200, {
      pageId: page,
      sort,
      total: all.filter((comment) => !comment.deleted).length,
      comments: slice.flatMap(withReplies).map((comment) => this.#asSent(comment)),
      nextCursor: start + this.pageSize < roots.length ? String(start + this.pageSize) : null,
      ...(this.viewSample ? { viewSample: this.viewSample } : {}),
      ...(this.replyMails ? { replyMails: true } : {}),
    });
  }

  #create(request: Record<string, string | boolean>): Response {
    if (Number(request['elapsedMs']) < this.minElapsedMs) {
      const message = 'That was sent very quickly after the form opened; wait a moment and send it again.';
      return json(400, { error: { code: 'comment_rejected', message } });
    }
    const id = `new-${++this.#created}`;
    const comment: PublicComment = {
      id,
      parentId: (request['parentId'] as string | undefined) ?? null,
      author: {
        name: request['name'] as string,
        avatar: `seed-${request['name']}`,
        ...(request['website'] ? { website: request['website'] as string } : {}),
      },
      body: request['body'] as string,
      createdAt: new Date().toISOString(),
    };
    this.tokens.set(id, `token-${id}`);
    // Like KV, the thread does not list the new comment yet; tests publish() it when they want.
    const editableUntil = new Date(Date.now() + 15 * 60_000).toISOString();
    const asked = this.replyMails && request['notifyReplies'] === true && request['email'] && request['commenterKey'];
    return json(201, {
      comment: this.#asSent(comment),
      editToken: `token-${id}`,
      editableUntil,
      ...(asked ? { replyMail: this.replyMail } : {}),
      ...this.#rebuild(id),
    });
  }

  #edit(id: string, request: { body: string }): Response {
    const original = [...this.threads.values()].flat().find((comment) => comment.id === id);
    const comment = {
      ...(original ?? fixtureless(id)),
      parsed: undefined,
      body: request.body,
      editedAt: new Date().toISOString(),
      ...(this.holdEdits ? { status: 'pending' as const } : {}),
    };
    if (this.holdEdits) this.held.add(id);
    return json(200, { comment: this.#asSent(comment), ...this.#rebuild(id) });
  }

  /** A change's `rebuild` field: a new token while `rebuildPending`, else none. */
  #rebuild(id: string): { rebuild?: { token: string } } {
    if (!this.rebuildPending) return {};
    const token = `rebuild-${id}-${this.rebuildTokens.size + 1}`;
    this.rebuildTokens.add(token);
    return { rebuild: { token } };
  }

  /** A comment as the Worker sends it: its body parsed too, unless it is a placeholder or the Worker predates that. */
  #asSent(comment: PublicComment): PublicComment {
    if (this.unparsed || comment.deleted || comment.parsed) return comment;
    return { ...comment, parsed: packMarkdown(comment.body) };
  }

  #authorized(request: RecordedRequest, id: string): Response | undefined {
    const token = this.tokens.get(id);
    if (token && request.headers.get('Authorization') === `Bearer ${token}`) return undefined;
    return json(401, { error: { code: 'invalid_token', message: 'bad token' } });
  }
}

function fixtureless(id: string): PublicComment {
  return { id, parentId: null, author: { name: 'Me', avatar: 'me' }, body: '', createdAt: new Date().toISOString() };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}
