/**
 * A fake admin API (`/api/v1/admin`) behind a stubbed fetch, for <sala-admin>: a session that a password opens,
 * comments by status, settings with the Worker's field naming, tokens, bans, closed threads and deliveries. It
 * records every request and fails on demand, like fake-api.ts does for the public API.
 */
import { vi } from 'vitest';
import type {
  AdminComment,
  AdminCommentStatus,
  AdminPostListResponse,
  AdminPostStats,
  PopularBy,
  PopularRange,
  AdminLanguage,
  AdminSignInRequest,
  AdminSite,
  ApiErrorBody,
  ConfigProblem,
  ApiTokenInfo,
  Ban,
  CreateBanRequest,
  ExportPage,
  ImportComment,
  ImportRequest,
  ImportThreadResult,
  ModerateRequest,
  ModerationResult,
  SiteSettings,
  ThreadState,
  UsageResponse,
  WebhookDelivery,
} from '@sala/protocol';

export interface RecordedAdminRequest {
  method: string;
  url: URL;
  /** The path below /api/v1/admin, e.g. `/sites/demo/moderate`. */
  path: string;
  body: unknown;
  credentials: RequestCredentials | undefined;
  keepalive: boolean;
}

type Failure = {
  method: string;
  path: RegExp;
  status: number;
  /** Sala's error body, or an HTML page (`errorPage`): what Cloudflare answers for a Worker that failed. */
  error: ApiErrorBody['error'] | { page: string };
  /** Only a request this accepts fails (its JSON body and URL); any matching one when absent. */
  when?: (body: unknown, url: URL) => boolean;
};

export const SITE: AdminSite = { id: 'demo', name: 'Mekong Notes', origins: ['https://blog.example'] };
/** A Blogger post's page id, and its address, which the id drops `.html` from and Blogger alone serves. */
export const POST = 'https://blog.example/2026/11/morning-walk';
export const POST_URL = `${POST}.html`;

export function adminComment(id: string, fields: Partial<AdminComment> = {}): AdminComment {
  return {
    id,
    pageId: POST,
    parentId: null,
    status: 'pending',
    author: { name: `Reader ${id}`, avatar: `seed-${id}`, email: `${id}@example.com` },
    ipHash: `ip${id}0123456789abcdef`,
    body: `Comment **${id}**`,
    createdAt: new Date(Date.now() - 5 * 60_000).toISOString(),
    ...fields,
  };
}

export function defaultSettings(): SiteSettings {
  return {
    extraOrigins: [],
    moderation: 'publish',
    rejectWords: [],
    holdWords: [],
    maxLinks: 3,
    ownerName: 'Sophea',
    turnstile: null,
    akismet: null,
    webhooks: [],
    notifyEmail: null,
  };
}

export class FakeAdminApi {
  readonly requests: RecordedAdminRequest[] = [];
  password = 'open sesame';
  signedIn = false;
  /** The language the Worker keeps for the owner's mail (`AdminSessionResponse.language`); null: none yet. */
  ownerLanguage: string | null = 'en';
  sites: AdminSite[] = [SITE];
  /** Mistakes in the server's configuration, as GET /sites lists them. */
  problems: ConfigProblem[] = [];
  settings: SiteSettings = defaultSettings();
  /** Bumped by every save, as the Worker's version changes with the saved document. */
  settingsVersion = 1;
  comments: AdminComment[] = [];
  tokens: ApiTokenInfo[] = [];
  bans: Ban[] = [];
  closed: ThreadState[] = [];
  deliveries: WebhookDelivery[] = [];
  /** Per-post statistics; null: this Worker has no such route (404), as before the popular-posts work. */
  posts: AdminPostStats[] | null = null;
  /** What GET /usage answers; null answers 404, as a Worker without the route does. */
  usage: UsageResponse | null = null;
  countLimit = 1000;
  /** The export's pages in order; each page's cursor is its index (GET /sites/:site/export?cursor=). */
  exportPages: ExportPage[] = [];
  /** The parts received of posts sent in parts, by page, until their last part. */
  #staged = new Map<string, ImportComment[]>();
  /** Imported comments' source ids by page, as the Worker's imported documents hold them. */
  imported = new Map<string, Set<string>>();
  /** The import run that last wrote each page, and what it added (the Worker's `ImportedThread.importRun`). */
  #importRuns = new Map<string, { id: string; added: number }>();
  /** Whether POST /import takes `?dryRun=1`; false answers it 404, as a Worker without dry runs might. */
  dryRuns = true;
  /** Threads written before the day's write budget runs out; the rest are queued for the cron. */
  writeBudget = Infinity;
  /** What a queuing answer says ran out (`ImportResponse.queuedFor`). */
  queuedFor: 'writes' | 'lists' = 'writes';
  #threadsWritten = 0;
  /** Threads queued past the write budget in a day before the rest is paused, as the Worker's queue allowance. */
  queueAllowance = Infinity;
  #queuedToday = 0;
  /** Threads queued for the cron, and their comments (GET /import). */
  queued = { threads: 0, comments: 0 };
  /** The comments of each page queued, as sent: sent again exactly so, it is answered `queued` (a dry run too). */
  #waiting = new Map<string, string>();
  /** The parts of each post sent in parts, as staged (by part index): kept while the post waits, as the Worker's. */
  #stagedParts = new Map<string, string[]>();
  /** As the Worker's budget says at GET /import: spent (`queuedFor`, tonight) or with room (the next cron run). */
  roomToday = false;
  #failures: Failure[] = [];
  #created = 0;

  /**
   * The server's clock for the import's times (its `resumesAt`, and the `serverTime` of its answers); a test may move
   * it on to another day, or away from the browser's.
   */
  now: () => number = () => Date.now();

  /**
   * Whether a decision, or the owner's edit or reply, leaves its pages' rebuild to the admin page
   * (`ModerateResponse.rebuilds`, `AdminCommentResponse.rebuilds`), as a new isolate's first change on a big thread
   * does: one token per page changed, `rebuild:<page>`.
   */
  leavesRebuilds = false;

  /** Awaited before answering, so a test can hold responses back. */
  gate: () => Promise<void> = async () => {};

  install(): this {
    vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => this.#handle(input, init));
    return this;
  }

  /** The next request with this method (and path, if given) answers with this error. */
  failNext(method: string, status: number, error: ApiErrorBody['error'], path = /.*/): void {
    this.#failures.push({ method, path, status, error });
  }

  /**
   * Answers the next `method` request to `path` that `when` accepts with `status` and an HTML page instead of Sala's
   * JSON, as Cloudflare answers when it stops a Worker (error 1102, "Worker exceeded resource limits").
   */
  failNextWithPage(
    method: string,
    status: number,
    page: string,
    path: RegExp,
    when: (body: unknown, url: URL) => boolean,
  ): void {
    this.#failures.push({ method, path, status, error: { page }, when });
  }

  requestsTo(method: string, path: string | RegExp): RecordedAdminRequest[] {
    return this.requests.filter(
      (request) =>
        request.method === method && (typeof path === 'string' ? request.path === path : path.test(request.path)),
    );
  }

  async #handle(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
    const url = new URL(String(input), location.href);
    const method = init.method ?? 'GET';
    const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    const path = url.pathname.replace(/^\/api\/v1\/admin/, '');
    this.requests.push({ method, url, path, body, credentials: init.credentials, keepalive: init.keepalive ?? false });
    await this.gate();
    init.signal?.throwIfAborted();

    const failure = this.#failures.findIndex(
      (candidate) => candidate.method === method && candidate.path.test(path) && (candidate.when?.(body, url) ?? true),
    );
    if (failure !== -1) {
      const [{ status, error }] = this.#failures.splice(failure, 1) as [Failure];
      if ('page' in error) return new Response(error.page, { status, headers: { 'Content-Type': 'text/html' } });
      return json(status, { error });
    }
    if (method === 'POST' && path === '/session') return this.#signIn(body as AdminSignInRequest);
    if (!this.signedIn) return json(401, { error: { code: 'unauthorized', message: 'Sign in.' } });
    return (
      this.#route(method, path, url, body) ??
      json(404, { error: { code: 'not_found', message: `no route ${method} ${path}` } })
    );
  }

  #signIn({ password, language }: AdminSignInRequest): Response {
    if (password !== this.password)
      return json(401, { error: { code: 'unauthorized', message: 'Wrong.', field: 'password' } });
    this.signedIn = true;
    if (language !== undefined) this.ownerLanguage = firstSubtag(language);
    return json(200, {
      signedIn: true,
      via: 'session',
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      ...(this.ownerLanguage !== null ? { language: this.ownerLanguage } : {}),
    });
  }

  #route(method: string, path: string, url: URL, body: unknown): Response | undefined {
    const key = `${method} ${path.replace(/^\/sites\/[^/]+/, '/sites/:site')}`;
    switch (key) {
      case 'GET /session':
        return json(200, {
          signedIn: true,
          via: 'session',
          ...(this.ownerLanguage !== null ? { language: this.ownerLanguage } : {}),
        });
      case 'PUT /session/language':
        this.ownerLanguage = firstSubtag((body as AdminLanguage).language);
        return json(200, { language: this.ownerLanguage });
      case 'DELETE /session':
        this.signedIn = false;
        return new Response(null, { status: 204 });
      case 'GET /sites':
        return json(200, { sites: this.sites, problems: this.problems });
      case 'GET /sites/:site/settings':
        return json(200, { site: this.sites[0], settings: this.settings, version: `v${this.settingsVersion}` });
      case 'PUT /sites/:site/settings': {
        const { version, ...settings } = body as SiteSettings & { version: string };
        const saved = { site: this.sites[0], settings: this.settings, version: `v${this.settingsVersion}` };
        if (version !== saved.version) {
          return json(409, { error: { code: 'settings_conflict', message: 'Saved since.' }, ...saved });
        }
        this.settings = settings;
        this.settingsVersion += 1;
        return json(200, { ...saved, settings, version: `v${this.settingsVersion}` });
      }
      case 'GET /sites/:site/comments':
        return this.#list(url);
      case 'POST /sites/:site/moderate':
        return this.#moderate(body as ModerateRequest);
      // The public API's follow-up of a decision answered with `rebuilds` (no session needed there).
      case 'POST /api/v1/comments/rebuild':
        return url.searchParams.get('token') === `rebuild:${url.searchParams.get('page')}`
          ? json(200, { rebuilt: true })
          : json(403, { error: { code: 'invalid_token', message: 'Not a token this server issued.' } });
      case 'POST /sites/:site/comments': {
        const request = body as { page: string; parentId: string; body: string };
        // As the Worker: a reply answers an approved comment on the same page.
        const parent = this.comments.find((candidate) => candidate.id === request.parentId);
        if (request.parentId && (parent?.status !== 'approved' || parent.deleted || parent.pageId !== request.page)) {
          const error = { code: 'parent_not_found', message: 'Reply to an approved comment on this page.' };
          return json(400, { error: { ...error, field: 'parentId' } });
        }
        const reply = adminComment(`reply-${++this.#created}`, {
          pageId: request.page,
          parentId: request.parentId,
          body: request.body,
          status: 'approved',
          author: { name: this.settings.ownerName, avatar: 'owner', owner: true },
        });
        this.comments.push(reply);
        return json(201, { comment: reply, ...this.#rebuildsOf([request.page]) });
      }
      case 'GET /sites/:site/threads/closed':
        return json(200, { threads: this.closed });
      case 'PUT /sites/:site/threads': {
        const { page, closed, pageUrl } = body as { page: string; closed: boolean; pageUrl?: string };
        this.closed = this.closed.filter((thread) => thread.pageId !== page);
        const state: ThreadState = { pageId: page, ...(pageUrl ? { pageUrl } : {}), closed };
        if (closed) this.closed.push({ ...state, closedAt: new Date().toISOString() });
        return json(200, state);
      }
      case 'GET /sites/:site/bans':
        return json(200, { bans: this.bans });
      case 'POST /sites/:site/bans': {
        const request = body as CreateBanRequest;
        const ban: Ban = {
          id: `ban-${++this.#created}`,
          kind: request.kind,
          label: request.value,
          createdAt: new Date().toISOString(),
          expiresAt: request.durationSeconds
            ? new Date(Date.now() + request.durationSeconds * 1000).toISOString()
            : null,
          ...(request.reason ? { reason: request.reason } : {}),
        };
        this.bans.push(ban);
        return json(201, { ban });
      }
      case 'GET /sites/:site/deliveries':
        return json(200, { deliveries: this.deliveries });
      case 'GET /sites/:site/posts':
        return this.posts ? json(200, this.#postPage(url)) : undefined;
      case 'GET /tokens':
        return json(200, { tokens: this.tokens });
      case 'GET /sites/:site/export': {
        const index = Number(url.searchParams.get('cursor') ?? 0);
        const page = this.exportPages[index];
        if (!page) return undefined;
        return json(200, { ...page, nextCursor: index + 1 < this.exportPages.length ? String(index + 1) : null });
      }
      case 'POST /sites/:site/import':
        return this.#import(body as ImportRequest, url.searchParams.has('dryRun'));
      case 'GET /sites/:site/import': {
        const waiting = this.roomToday
          ? { resumesAt: new Date(Math.ceil((this.now() + 1) / 600_000) * 600_000).toISOString() }
          : {
              resumesAt: new Date(Math.ceil((this.now() + 1) / 86_400_000) * 86_400_000).toISOString(),
              queuedFor: this.queuedFor,
            };
        return json(200, {
          queuedThreads: this.queued.threads,
          queuedComments: this.queued.comments,
          ...(this.queued.threads > 0 ? waiting : {}),
          serverTime: new Date(this.now()).toISOString(),
        });
      }
      case 'GET /usage':
        return this.usage ? json(200, this.usage) : undefined;
      case 'POST /tokens': {
        const { name } = body as { name: string };
        const token = `sala_${'x'.repeat(8)}${++this.#created}`;
        const info: ApiTokenInfo = {
          id: `token-${this.#created}`,
          name,
          prefix: token.slice(0, 9),
          createdAt: new Date().toISOString(),
        };
        this.tokens.push(info);
        return json(201, { token, info });
      }
    }
    const comment = /^PATCH \/sites\/[^/]+\/comments\/(.+)$/.exec(`${method} ${path}`);
    if (comment) {
      const found = this.comments.find((candidate) => candidate.id === decodeURIComponent(comment[1]!));
      if (!found) return undefined;
      Object.assign(found, { body: (body as { body: string }).body, editedAt: new Date().toISOString() });
      return json(200, { comment: found, ...this.#rebuildsOf([found.pageId]) });
    }
    const ban = /^DELETE \/sites\/[^/]+\/bans\/(.+)$/.exec(`${method} ${path}`);
    if (ban) {
      this.bans = this.bans.filter((candidate) => candidate.id !== decodeURIComponent(ban[1]!));
      return new Response(null, { status: 204 });
    }
    const token = /^DELETE \/tokens\/(.+)$/.exec(`${method} ${path}`);
    if (token) {
      this.tokens = this.tokens.filter((candidate) => candidate.id !== decodeURIComponent(token[1]!));
      return new Response(null, { status: 204 });
    }
    return undefined;
  }

  /** As the Worker: by `by` in `range`, most first, ties by the other count, then all-time views; one page. */
  #postPage(url: URL): AdminPostListResponse {
    const range = (url.searchParams.get('range') ?? 'all') as PopularRange;
    const by = (url.searchParams.get('by') ?? 'views') as PopularBy;
    const other = by === 'views' ? 'comments' : 'views';
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const limit = Number(url.searchParams.get('limit') ?? 50);
    const sorted = [...this.posts!].sort(
      (a, b) => b[by][range] - a[by][range] || b[other][range] - a[other][range] || b.views.all - a.views.all,
    );
    return { posts: sorted.slice(offset, offset + limit), total: sorted.length };
  }

  #list(url: URL): Response {
    const status = (url.searchParams.get('status') ?? 'pending') as AdminCommentStatus;
    const page = url.searchParams.get('page');
    const q = url.searchParams.get('q')?.toLowerCase();
    const comments = this.comments
      .filter((comment) => comment.status === status && !comment.deleted)
      .filter((comment) => !page || comment.pageId === page)
      .filter((comment) => !q || `${comment.author.name} ${comment.body}`.toLowerCase().includes(q));
    const counts = { pending: 0, approved: 0, spam: 0, rejected: 0 };
    for (const comment of this.comments)
      if (!comment.deleted) counts[comment.status] = Math.min(counts[comment.status] + 1, this.countLimit);
    const limit = Number(url.searchParams.get('limit') ?? 50);
    const cursor = url.searchParams.get('cursor');
    // A link's comment further down its post's list than the first page: the page served starts at it.
    const linked =
      page && cursor === null ? comments.findIndex(({ id }) => id === url.searchParams.get('comment')) : -1;
    const start = linked >= limit ? linked : Number(cursor ?? 0);
    const nextCursor = start + limit < comments.length ? String(start + limit) : null;
    return json(200, {
      comments: comments.slice(start, start + limit),
      counts,
      countLimit: this.countLimit,
      nextCursor,
      ...(status === 'approved' && !page ? { imported: this.imported.size > 0 } : {}),
      ...(linked >= limit ? { fromLinked: true } : {}),
    });
  }

  /** 00:00 UTC: the day's writes start again, the budget's and the queue allowance's. */
  newDay(): void {
    this.#threadsWritten = 0;
    this.#queuedToday = 0;
  }

  /** The Worker's import checks that a batcher could break (sizes, pages, reply order), then its merge by id. */
  #import(request: ImportRequest, dryRun: boolean): Response {
    if (dryRun && !this.dryRuns) return json(404, { error: { code: 'not_found', message: 'No dry runs here.' } });
    const refuse = (status: number, code: string, message: string, field?: string) =>
      json(status, { error: { code, message, ...(field ? { field } : {}) } });
    if (new TextEncoder().encode(JSON.stringify(request)).length > 1024 * 1024)
      return refuse(413, 'payload_too_large', 'The request is over 1 MiB.');
    if (request.threads.length > 50) return refuse(400, 'too_many_threads', 'More than 50 threads.');
    if (request.threads.reduce((sum, thread) => sum + thread.comments.length, 0) > 50)
      return refuse(400, 'too_many_comments', 'More than 50 comments.');
    const pages = new Set<string>();
    for (const [index, thread] of request.threads.entries()) {
      if (pages.has(thread.pageId))
        return refuse(400, 'invalid_field', 'This page is named twice.', `threads[${index}].pageId`);
      pages.add(thread.pageId);
      const seen = new Set<string>();
      for (const [at, comment] of thread.comments.entries()) {
        if (comment.parentSourceId && !seen.has(comment.parentSourceId))
          return refuse(
            400,
            'invalid_field',
            'The parent comes later.',
            `threads[${index}].comments[${at}].parentSourceId`,
          );
        seen.add(comment.sourceId);
      }
    }
    const threads: ImportThreadResult[] = request.threads.map((thread) => {
      // A post in parts is staged until its last part, which publishes all of it, as the Worker does; a dry run
      // counts each part as a thread of its own, as the Worker's does, but for a post waiting with its parts staged.
      const staging = !dryRun && thread.part !== undefined;
      if (staging && thread.part!.index < thread.part!.count - 1) {
        const parts = this.#stagedParts.get(thread.pageId) ?? [];
        // Sent again as staged (its answer lost, or the post waits), as the Worker answers it: `unchanged`.
        const again = parts[thread.part!.index] === JSON.stringify(thread.comments);
        this.#staged.set(thread.pageId, [...(this.#staged.get(thread.pageId) ?? []), ...thread.comments]);
        parts[thread.part!.index] = JSON.stringify(thread.comments);
        this.#stagedParts.set(thread.pageId, parts);
        return { pageId: thread.pageId, outcome: again ? 'unchanged' : 'staged', added: 0 };
      }
      const waitingParts =
        dryRun && this.#waiting.has(thread.pageId) ? this.#stagedParts.get(thread.pageId) : undefined;
      let estimate = false;
      let comments = staging ? [...(this.#staged.get(thread.pageId) ?? []), ...thread.comments] : thread.comments;
      // A dry run of a waiting post's part, as the Worker's (`dryRunOfWaiting`): a part before the last staged as sent
      // is unchanged, one changed since is checked alone and only an estimate; the last part joins the staged ones.
      if (waitingParts && thread.part) {
        const { index, count } = thread.part;
        if (index < count - 1 && waitingParts[index] === JSON.stringify(thread.comments))
          return { pageId: thread.pageId, outcome: 'unchanged', added: 0 };
        if (index < count - 1) estimate = waitingParts[index] !== undefined;
        else
          comments = [
            ...waitingParts.slice(0, index).flatMap((part) => JSON.parse(part) as ImportComment[]),
            ...thread.comments,
          ];
      }
      // Sent again while it waits exactly so, as the Worker answers it: nothing written again.
      if (this.#waiting.get(thread.pageId) === JSON.stringify(comments))
        return { pageId: thread.pageId, outcome: 'queued', added: 0 };
      const there = this.imported.get(thread.pageId) ?? new Set<string>();
      // Imported at another address already, as the Worker finds them (`ImportedElsewhere`): left there.
      const isNew = (comment: ImportComment) => !there.has(comment.sourceId);
      const other = [...this.imported].find(
        ([page, ids]) =>
          page !== thread.pageId && comments.some((comment) => isNew(comment) && ids.has(comment.sourceId)),
      );
      const away = new Set(comments.filter((c) => isNew(c) && other?.[1].has(c.sourceId)).map((c) => c.sourceId));
      const elsewhere = other ? { elsewhere: { pageId: other[0], comments: away.size } } : {};
      const fresh = comments.filter((comment) => isNew(comment) && !away.has(comment.sourceId));
      const spent = !dryRun && fresh.length > 0 && this.#threadsWritten >= this.writeBudget;
      // Past the budget and the queue's allowance: nothing of it is written, its staged parts stay.
      if (spent && this.#queuedToday >= this.queueAllowance)
        return { pageId: thread.pageId, outcome: 'paused', added: 0 };
      this.#staged.delete(thread.pageId);
      // Written by this same run, whose answer was lost: answered as the first time, as the Worker does.
      const again = this.#importRuns.get(thread.pageId);
      if (fresh.length === 0 && request.run !== undefined && again?.id === request.run)
        return { pageId: thread.pageId, outcome: 'imported', added: again.added };
      if (fresh.length === 0) return { pageId: thread.pageId, outcome: 'unchanged', added: 0, ...elsewhere };
      if (spent) {
        this.#queuedToday += 1;
        this.#waiting.set(thread.pageId, JSON.stringify(comments));
        this.queued.threads += 1;
        this.queued.comments += fresh.length;
        return { pageId: thread.pageId, outcome: 'queued', added: fresh.length, ...elsewhere };
      }
      if (!dryRun) {
        this.#threadsWritten += 1;
        for (const comment of fresh) there.add(comment.sourceId);
        this.imported.set(thread.pageId, there);
        if (request.run !== undefined) this.#importRuns.set(thread.pageId, { id: request.run, added: fresh.length });
        else this.#importRuns.delete(thread.pageId);
      }
      if (!dryRun) this.#stagedParts.delete(thread.pageId);
      return {
        pageId: thread.pageId,
        outcome: 'imported',
        added: fresh.length,
        ...(estimate ? { estimate: true } : {}),
        ...elsewhere,
      };
    });
    const queued = threads.some((thread) => thread.outcome === 'queued' || thread.outcome === 'paused');
    const resumesAt = new Date(Math.ceil((this.now() + 1) / 86_400_000) * 86_400_000).toISOString();
    const serverTime = new Date(this.now()).toISOString();
    return json(200, { threads, ...(queued ? { resumesAt, queuedFor: this.queuedFor } : {}), serverTime });
  }

  #moderate({ action, comments }: ModerateRequest): Response {
    const results: ModerationResult[] = comments.map(({ page, id, seenEdit }) => {
      const comment = this.comments.find((candidate) => candidate.id === id && candidate.pageId === page);
      // As the Worker does (domain/moderation.ts): a deleted comment takes no decision.
      if (!comment || comment.deleted) return { page, id, ok: false, error: { code: 'not_found', message: 'gone' } };
      // As the Worker does (routes/moderation-actions.ts): no approval of a text edited since the owner read it.
      if (action === 'approve' && seenEdit !== undefined && (comment.editedAt ?? null) !== seenEdit) {
        return { page, id, ok: false, error: { code: 'conflict', message: 'Edited since you read it.' } };
      }
      if (action === 'pin' && comment.parentId !== null) {
        return { page, id, ok: false, error: { code: 'conflict', message: 'Only top-level comments can be pinned.' } };
      }
      if (action === 'approve') comment.status = 'approved';
      if (action === 'reject') comment.status = 'rejected';
      if (action === 'spam') comment.status = 'spam';
      if (action === 'delete') comment.deleted = true;
      if (action === 'pin' || action === 'unpin') comment.pinned = action === 'pin';
      return { page, id, ok: true, comment: { ...comment } };
    });
    const pages = [...new Set(results.filter((result) => result.ok).map(({ page }) => page))];
    return json(200, { results, ...this.#rebuildsOf(pages) });
  }

  /** The answer's `rebuilds` for the pages changed, when `leavesRebuilds`: as the Worker's, left out when none. */
  #rebuildsOf(pages: string[]): { rebuilds?: { page: string; token: string }[] } {
    const rebuilds = pages.map((page) => ({ page, token: `rebuild:${page}` }));
    return this.leavesRebuilds && rebuilds.length > 0 ? { rebuilds } : {};
  }
}

/** As the Worker keeps a language: its first subtag, lowercase. */
function firstSubtag(tag: string): string {
  return tag.toLowerCase().split(/[-_]/)[0]!;
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}
