/** Test helpers for the admin API: signing in, and calling admin routes as the owner. Imported by tests only. */
import type {
  AdminCommentListResponse,
  AdminSessionResponse,
  CommentRef,
  CreateApiTokenResponse,
  CreateCommentRequest,
  CreateCommentResponse,
  ModerateResponse,
  ModerationAction,
  PublicComment,
  SiteSettings,
  SiteSettingsResponse,
  ThreadResponse,
} from '@sala/protocol';
import { env } from 'cloudflare:workers';
import { OWNER_LANGUAGE_KEY } from './storage/keys.js';
import { rebuildsDone, send, type SendOptions, type Sent } from './testing.js';

/** The Worker's own origin in tests (testing.ts sends every request to https://sala.test). */
export const OWN_ORIGIN = 'https://sala.test';

/** A fresh client address per call, each in a /64 of its own, so rate limits counted in one test never reach another. */
export function freshAddress(): string {
  const random = crypto.getRandomValues(new Uint16Array(3));
  return `2001:db8:${Array.from(random, (part) => part.toString(16)).join(':')}::1`;
}

/**
 * `kv` with the Worker-wide owner language (storage/owner-language.ts) under a key of its own: a test signing in with a
 * language changes the owner's mail of no other test sharing the namespace.
 */
export function ownLanguageKv(kv: KVNamespace): KVNamespace {
  const own = `${OWNER_LANGUAGE_KEY}:${crypto.randomUUID()}`;
  return new Proxy(kv, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (key: unknown, ...rest: unknown[]) =>
        (value as (...params: unknown[]) => unknown).apply(target, [key === OWNER_LANGUAGE_KEY ? own : key, ...rest]);
    },
  });
}

/** Signs in with the test password; returns the Cookie header value to send. */
export async function signIn(password = env.ADMIN_PASSWORD): Promise<string> {
  const sent = await send<AdminSessionResponse>('POST', '/api/v1/admin/session', {
    json: { password },
    origin: OWN_ORIGIN,
    headers: { 'CF-Connecting-IP': freshAddress() },
  });
  if (sent.status !== 200) throw new Error(`sign-in failed: ${sent.status} ${sent.text}`);
  const setCookie = sent.headers.get('Set-Cookie') ?? '';
  return setCookie.split(';')[0]!;
}

/** Calls an admin route as the signed-in owner, from the admin page's origin. */
export function asOwner<T = unknown>(
  cookie: string,
  method: string,
  path: string,
  options: SendOptions = {},
): Promise<Sent<T>> {
  return send<T>(method, `/api/v1/admin${path}`, {
    origin: OWN_ORIGIN,
    ...options,
    headers: { Cookie: cookie, ...options.headers },
  });
}

export async function createToken(cookie: string, name = 'script'): Promise<CreateApiTokenResponse> {
  const sent = await asOwner<CreateApiTokenResponse>(cookie, 'POST', '/tokens', { json: { name } });
  if (sent.status !== 201) throw new Error(`token failed: ${sent.status} ${sent.text}`);
  return sent.body;
}

/**
 * A site of its own for one test, so settings (moderation mode, words, bans) changed by a test reach no other
 * test, whichever file or order they run in. Every call goes through it with its bindings and `?site=`.
 */
export class TestSite {
  readonly id = `t-${crypto.randomUUID().slice(0, 12)}`;
  readonly bindings: Env;

  constructor(readonly cookie: string) {
    const sites = JSON.parse(env.SITES) as Record<string, unknown>;
    sites[this.id] = { name: 'Test blog', origins: ['http://localhost:*'] };
    this.bindings = { ...env, SITES: JSON.stringify(sites) };
  }

  static async create(): Promise<TestSite> {
    return new TestSite(await signIn());
  }

  /** POSTs a comment as the widget does (fields as commentFields makes them), from `address` if given. */
  post<T = CreateCommentResponse>(
    fields: CreateCommentRequest | Record<string, unknown>,
    address?: string,
  ): Promise<Sent<T>> {
    return send<T>('POST', `/api/v1/comments?site=${this.id}`, {
      json: fields,
      bindings: this.bindings,
      ...(address ? { headers: { 'CF-Connecting-IP': address } } : {}),
    });
  }

  async postOk(
    fields: CreateCommentRequest | Record<string, unknown>,
    address?: string,
  ): Promise<CreateCommentResponse> {
    const sent = await this.post(fields, address);
    if (sent.status !== 201) throw new Error(`POST failed: ${sent.status} ${sent.text}`);
    return sent.body;
  }

  /** The public thread once every change so far is rebuilt. */
  async thread(page: string): Promise<ThreadResponse> {
    await rebuildsDone();
    const sent = await send<ThreadResponse>(
      'GET',
      `/api/v1/comments?site=${this.id}&page=${encodeURIComponent(page)}`,
      {
        bindings: this.bindings,
      },
    );
    if (sent.status !== 200) throw new Error(`GET failed: ${sent.status} ${sent.text}`);
    return sent.body;
  }

  /** An admin call under /api/v1/admin/sites/{id}. */
  admin<T = unknown>(method: string, path: string, options: SendOptions = {}): Promise<Sent<T>> {
    return asOwner<T>(this.cookie, method, `/sites/${this.id}${path}`, { bindings: this.bindings, ...options });
  }

  async settings(change: Partial<SiteSettings>): Promise<void> {
    const current = await this.admin<SiteSettingsResponse>('GET', '/settings');
    const saved = await this.admin('PUT', '/settings', {
      json: { ...current.body.settings, ...change, version: current.body.version },
    });
    if (saved.status !== 200) throw new Error(`settings failed: ${saved.status} ${saved.text}`);
  }

  async queue(status = 'pending', query = ''): Promise<AdminCommentListResponse> {
    await rebuildsDone();
    const sent = await this.admin<AdminCommentListResponse>('GET', `/comments?status=${status}${query}`);
    if (sent.status !== 200) throw new Error(`queue failed: ${sent.status} ${sent.text}`);
    return sent.body;
  }

  async moderate(action: ModerationAction, comments: CommentRef[]): Promise<ModerateResponse> {
    const sent = await this.admin<ModerateResponse>('POST', '/moderate', { json: { action, comments } });
    if (sent.status !== 200) throw new Error(`moderate failed: ${sent.status} ${sent.text}`);
    return sent.body;
  }
}

/**
 * Every comment the public thread of `page` shows, page after page (GET /comments, following `nextCursor`), and its
 * total, once the rebuilds under way are done: what a reader scrolling the whole thread would see.
 */
export async function wholeThread(site: TestSite, page: string): Promise<{ total: number; comments: PublicComment[] }> {
  await rebuildsDone();
  const comments: PublicComment[] = [];
  let total = 0;
  let cursor: string | null = '';
  while (cursor !== null) {
    const after: string = cursor === '' ? '' : `&cursor=${encodeURIComponent(cursor)}`;
    const sent = await send<ThreadResponse>(
      'GET',
      `/api/v1/comments?site=${site.id}&page=${encodeURIComponent(page)}&limit=100${after}`,
      { bindings: site.bindings },
    );
    if (sent.status !== 200) throw new Error(`GET /comments answered ${sent.status}: ${sent.text}`);
    comments.push(...sent.body.comments);
    total = sent.body.total;
    cursor = sent.body.nextCursor;
  }
  return { total, comments };
}
