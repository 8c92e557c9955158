/**
 * The owner's admin API (`/api/v1/admin`, types in @sala/protocol admin.ts), on the page's own origin with the
 * session cookie: the Worker refuses admin changes from any other origin.
 */
import type {
  AdminCommentListResponse,
  AdminPostListQuery,
  AdminPostListResponse,
  AdminCommentResponse,
  AdminCommentStatus,
  AdminLanguage,
  AdminSessionResponse,
  AdminSignInRequest,
  AdminSiteListResponse,
  ApiTokenListResponse,
  BanListResponse,
  BanResponse,
  ClosedThreadListResponse,
  CommentRef,
  CreateApiTokenResponse,
  CreateBanRequest,
  ExportPage,
  ImportRequest,
  ImportResponse,
  ImportStatusResponse,
  ModerateResponse,
  ModerationAction,
  PageRebuild,
  SaveSiteSettingsRequest,
  SiteSettings,
  SiteSettingsResponse,
  ThreadState,
  UsageResponse,
  WebhookDeliveryListResponse,
} from '@sala/protocol';
import { isApiErrorBody } from '@sala/protocol';
import { ApiError, sendJson } from '../internal/api-client.js';

export interface CommentQuery {
  status: AdminCommentStatus;
  /** Only this post's comments (any form of its URL). */
  page?: string;
  /** Search in author name, page and the start of the body. */
  q?: string;
  cursor?: string | null;
  limit?: number;
  /** With `page`: the page of the list holding this comment, a link's (`AdminCommentListResponse.fromLinked`). */
  comment?: string | null;
}

type Query = Record<string, string | number | null | undefined>;

interface CallOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  keepalive?: boolean;
}

export class AdminApi {
  /** @param origin the Worker's origin: the page's own, since the session cookie is SameSite=Strict. */
  constructor(readonly origin: string = location.origin) {}

  session(signal?: AbortSignal): Promise<AdminSessionResponse> {
    return this.#call('GET', '/session', { signal });
  }

  /** `language`: the page's, for the owner's mail about held comments (the Worker keeps it for every site). */
  signIn(password: string, language: string): Promise<AdminSessionResponse> {
    return this.#call('POST', '/session', { body: { password, language } satisfies AdminSignInRequest });
  }

  /** The page's language changed while signed in (or differs from the one the Worker keeps for the owner's mail). */
  tellLanguage(language: string): Promise<AdminLanguage> {
    return this.#call('PUT', '/session/language', { body: { language } satisfies AdminLanguage });
  }

  signOut(): Promise<void> {
    return this.#call('DELETE', '/session');
  }

  sites(): Promise<AdminSiteListResponse> {
    return this.#call('GET', '/sites');
  }

  settings(site: string, signal?: AbortSignal): Promise<SiteSettingsResponse> {
    return this.#call('GET', `${sitePath(site)}/settings`, { signal });
  }

  /** Refused with `settings_conflict` when the settings were saved again since `version` was read. */
  saveSettings(site: string, settings: SiteSettings, version: string): Promise<SiteSettingsResponse> {
    const body: SaveSiteSettingsRequest = { ...settings, version };
    return this.#call('PUT', `${sitePath(site)}/settings`, { body });
  }

  comments(
    site: string,
    { status, page, q, cursor, limit, comment }: CommentQuery,
    signal?: AbortSignal,
  ): Promise<AdminCommentListResponse> {
    const query = { status, page, q, cursor, limit, comment };
    return this.#call('GET', `${sitePath(site)}/comments`, { query, signal });
  }

  /**
   * One action on up to 100 comments; `keepalive` lets it finish while the owner leaves the page. The pages whose
   * rebuild the answer left to this page are asked for here (`#followUp`).
   */
  async moderate(
    site: string,
    action: ModerationAction,
    comments: CommentRef[],
    keepalive = false,
  ): Promise<ModerateResponse> {
    const answer = await this.#call<ModerateResponse>('POST', `${sitePath(site)}/moderate`, {
      body: { action, comments },
      keepalive,
    });
    this.#followUp(site, answer.rebuilds, keepalive);
    return answer;
  }

  async editComment(site: string, ref: CommentRef, body: string): Promise<AdminCommentResponse> {
    const answer = await this.#call<AdminCommentResponse>(
      'PATCH',
      `${sitePath(site)}/comments/${encodeURIComponent(ref.id)}`,
      { body: { page: ref.page, body } },
    );
    this.#followUp(site, answer.rebuilds);
    return answer;
  }

  /** Publishes the owner's reply at once, with the owner badge. */
  async reply(site: string, parent: CommentRef, body: string): Promise<AdminCommentResponse> {
    const answer = await this.#call<AdminCommentResponse>('POST', `${sitePath(site)}/comments`, {
      body: { page: parent.page, parentId: parent.id, body },
    });
    this.#followUp(site, answer.rebuilds);
    return answer;
  }

  closedThreads(site: string, signal?: AbortSignal): Promise<ClosedThreadListResponse> {
    return this.#call('GET', `${sitePath(site)}/threads/closed`, { signal });
  }

  /** `pageUrl`: the page's address as a comment came with it, for the closed-threads list's link. */
  setThreadClosed(site: string, page: string, closed: boolean, pageUrl?: string): Promise<ThreadState> {
    return this.#call('PUT', `${sitePath(site)}/threads`, { body: { page, closed, ...(pageUrl ? { pageUrl } : {}) } });
  }

  bans(site: string, signal?: AbortSignal): Promise<BanListResponse> {
    return this.#call('GET', `${sitePath(site)}/bans`, { signal });
  }

  ban(site: string, request: CreateBanRequest): Promise<BanResponse> {
    return this.#call('POST', `${sitePath(site)}/bans`, { body: request });
  }

  liftBan(site: string, id: string): Promise<void> {
    return this.#call('DELETE', `${sitePath(site)}/bans/${encodeURIComponent(id)}`);
  }

  deliveries(site: string, signal?: AbortSignal): Promise<WebhookDeliveryListResponse> {
    return this.#call('GET', `${sitePath(site)}/deliveries`, { signal });
  }

  /**
   * One page of the posts' views and comments, from the popular-posts counts, in the order asked for. Older Workers
   * answer 404 `not_found`.
   */
  posts(site: string, query: AdminPostListQuery, signal?: AbortSignal): Promise<AdminPostListResponse> {
    const { range, by, limit = null, offset = null } = query;
    return this.#call('GET', `${sitePath(site)}/posts`, { query: { range, by, limit, offset }, signal });
  }

  /** One page of the site's export; `cursor` from the previous page's `nextCursor`, none for the first. */
  exportPage(site: string, cursor: string | null, signal?: AbortSignal): Promise<ExportPage> {
    return this.#call('GET', `${sitePath(site)}/export`, { query: { cursor }, signal });
  }

  /**
   * One batch of an import (≤ 50 threads, ≤ 1 MiB). With `dryRun` nothing is written: the answer says which
   * threads are new and what each would add; a Worker without dry runs answers 404 or 400. A 2xx whose body is cut
   * or not JSON (the connection dropped mid-answer, a proxy cut it) throws `network`, as no answer, not sendJson's
   * `bad_response`: the server took the batch, so it may have written it, and the Import tab sends it again as after
   * a lost connection rather than naming its posts "Not imported".
   */
  async importBatch(
    site: string,
    request: ImportRequest,
    { dryRun = false, signal }: { dryRun?: boolean; signal?: AbortSignal } = {},
  ): Promise<ImportResponse> {
    const url = this.#url(`${sitePath(site)}/import`, { dryRun: dryRun ? 1 : null });
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(request),
        signal: signal ?? null,
        credentials: 'same-origin',
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new ApiError('network', `POST ${url.pathname} failed: ${String(error)}`);
    }
    const payload: unknown = await response.json().catch(() => undefined);
    if (response.ok && typeof payload === 'object' && payload !== null) return payload as ImportResponse;
    if (response.ok) throw new ApiError('network', `POST ${url.pathname}: ${response.status}, its answer cut short`);
    if (isApiErrorBody(payload)) {
      const { code, message, field, siteKey, resumesAt } = payload.error;
      throw new ApiError(code, message, field, siteKey, resumesAt);
    }
    throw new ApiError('bad_response', `POST ${url.pathname}: ${response.status}, not from Sala`);
  }

  /** How much of the site's import waits for a day with KV writes to spare. */
  importStatus(site: string, signal?: AbortSignal): Promise<ImportStatusResponse> {
    return this.#call('GET', `${sitePath(site)}/import`, { signal });
  }

  /** The public Atom feed of the site's latest comments (`?page=` for one thread's). */
  feedUrl(site: string): string {
    return `${this.origin}/api/v1/feeds/${encodeURIComponent(site)}/comments.atom`;
  }

  /** Today's estimated use of the free plan's daily limits. Older Workers answer 404 `not_found`. */
  usage(signal?: AbortSignal): Promise<UsageResponse> {
    return this.#call('GET', '/usage', { signal });
  }

  tokens(signal?: AbortSignal): Promise<ApiTokenListResponse> {
    return this.#call('GET', '/tokens', { signal });
  }

  createToken(name: string): Promise<CreateApiTokenResponse> {
    return this.#call('POST', '/tokens', { body: { name } });
  }

  revokeToken(id: string): Promise<void> {
    return this.#call('DELETE', `/tokens/${encodeURIComponent(id)}`);
  }

  /**
   * Asks for the rebuild of each page a change's answer left to this page (`rebuilds`: a new isolate's first change on
   * a big thread), as a reader's browser asks after a new comment; nothing waits for that, and a failure leaves the
   * page to the Worker's cron, within 10 minutes.
   */
  #followUp(site: string, rebuilds: PageRebuild[] | undefined, keepalive = false): void {
    for (const { page, token } of Array.isArray(rebuilds) ? rebuilds : []) {
      if (typeof page !== 'string' || typeof token !== 'string') continue;
      const url = new URL(`${this.origin}/api/v1/comments/rebuild`);
      for (const [name, value] of Object.entries({ site, page, token })) url.searchParams.set(name, value);
      sendJson('POST', url, { credentials: 'omit', keepalive }).catch(() => undefined);
    }
  }

  #call<T>(method: string, path: string, { query = {}, ...options }: CallOptions = {}): Promise<T> {
    return sendJson<T>(method, this.#url(path, query), { ...options, credentials: 'same-origin' });
  }

  #url(path: string, query: Query): URL {
    const url = new URL(`${this.origin}/api/v1/admin${path}`);
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, String(value));
    }
    return url;
  }
}

function sitePath(site: string): string {
  return `/sites/${encodeURIComponent(site)}`;
}
