/**
 * The startup warm-up. V8 compiles each function on its first call, and a new isolate's first request paid for
 * compiling everything its route runs (worker/README.md "A fresh isolate's first request"). Cloudflare limits an
 * isolate's startup (evaluating the module) apart from its requests, at 1 s, so the module runs the common routes
 * and the cron's stages once as it loads, through a Worker instance of its own over an in-memory KV, a synthetic
 * site and stand-ins for every binding: the code is compiled before any request comes. Then a change on a thread
 * big enough to be split in parts and the owner's decisions on it (`warmBigThread`), a post imported in parts
 * (`warmImport`), the cron's fold and ranking over hundreds of pages (warm-cron.ts), and last counts of a blog index's
 * 100 pages.
 *
 * Rules of workerd's global scope, which this keeps: no I/O (the KV here answers with settled promises; the cron reads
 * no page), no timers and no random values. Some things workerd refuses there the routes do: a Response with a body
 * (every JSON answer), a Request with one (a body stand-in is read instead), an edit token's random bytes (what a new
 * comment does after it, saving and rebuilding, is run here on the same code). A step that meets one stops there,
 * having run everything before it; the rest go on. Everything settles within the microtasks of the module's
 * evaluation (WebCrypto answers at once in workerd): nothing is left running into the first request, and were
 * anything ever left, the Worker's handlers wait for `warmedUp()` before theirs (index.ts). The warm-up
 * never throws, and afterwards every piece of module state is put back as the modules left it
 * (domain/isolate-state.ts).
 */
import type { ImportComment, ImportRequest } from '@sala/protocol';
import { avatarSeed } from './domain/avatar.js';
import { newCommentId } from './domain/comment-id.js';
import { readNewComment } from './domain/comment-input.js';
import { hashEditToken } from './domain/edit-token.js';
import { signSession } from './domain/owner-session.js';
import { resetIsolateState } from './domain/isolate-state.js';
import { WARM_UP } from './warm-mark.js';
import type { WorkerOptions } from './index.js';
import { newComment, toAuthorsView, type StoredComment } from './domain/stored-comment.js';
import { saveComment } from './storage/changes.js';
import { SESSION_COOKIE, signingKey } from './middleware/owner-auth.js';
import { AdminSessionStore } from './storage/admin-sessions.js';
import { CommentStore } from './storage/comments.js';
import { pageRef } from './storage/keys.js';
import { scheduleRebuild } from './storage/thread-rebuild.js';
import { namePartsBy, SNAPSHOT_SPLIT } from './storage/threads.js';
import { warmCronAtScale } from './warm-cron.js';

export interface WarmWorker {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response>;
  scheduled(controller: ScheduledController, env: Env): Promise<void>;
}

const SITE = 'warm-up';
const ORIGIN = 'https://warm-up.invalid';
/** The page the warm-up comments on and reads. */
export const WARM_UP_PAGE = `${ORIGIN}/2026/12/warm-up`;
const PAGE = WARM_UP_PAGE;
const OTHER_PAGE = `${ORIGIN}/2026/12/another`;
/** The page of the warm-up's big thread (`warmBigThread`). */
export const BIG_WARM_UP_PAGE = `${ORIGIN}/2026/12/a-long-thread`;
const HOUR_MS = 3_600_000;

type WarmValues = Map<string, { value: string | ArrayBuffer; metadata: unknown }>;

/** A KV namespace in memory, answering at once: a settled promise per call, as few microtasks as it takes. */
class WarmKv {
  #values: WarmValues = new Map();

  /** Itself as the binding the Worker's code takes. */
  get namespace(): KVNamespace {
    return this as unknown as KVNamespace;
  }

  /** Its contents, to `restore`. */
  snapshot(): unknown {
    return new Map(this.#values);
  }

  /**
   * The contents `snapshot` gave, bytes copied: a read hands back the stored bytes themselves, which the cron folds
   * in place.
   */
  restore(snapshot: unknown): void {
    this.#values = new Map(
      [...(snapshot as WarmValues)].map(([key, { value, metadata }]) => [
        key,
        { value: typeof value === 'string' ? value : value.slice(0), metadata },
      ]),
    );
  }

  #read(key: string, options: unknown): unknown {
    const stored = this.#values.get(key);
    if (stored === undefined) return null;
    const type = typeof options === 'string' ? options : ((options as { type?: string } | undefined)?.type ?? 'text');
    const { value } = stored;
    if (type === 'arrayBuffer') return typeof value === 'string' ? new TextEncoder().encode(value).buffer : value;
    if (type === 'stream') return streamStandIn(typeof value === 'string' ? new TextEncoder().encode(value) : value);
    const text = typeof value === 'string' ? value : new TextDecoder().decode(value);
    return type === 'json' ? JSON.parse(text) : text;
  }

  async get(key: string | string[], options?: unknown): Promise<unknown> {
    if (Array.isArray(key)) return new Map(key.map((name) => [name, this.#read(name, options)]));
    return this.#read(key, options);
  }

  async getWithMetadata(key: string, options?: unknown): Promise<{ value: unknown; metadata: unknown }> {
    return { value: this.#read(key, options), metadata: this.#values.get(key)?.metadata ?? null };
  }

  async put(key: string, value: unknown, options: { metadata?: unknown } = {}): Promise<void> {
    let stored: string | ArrayBuffer;
    if (typeof value === 'string') stored = value;
    else if (value instanceof ArrayBuffer) stored = value.slice(0);
    else if (ArrayBuffer.isView(value))
      stored = new Uint8Array(value.buffer, value.byteOffset, value.byteLength).slice().buffer;
    else if (value instanceof ReadableStream) stored = await bytesOf(value);
    else throw new Error('the warm-up KV takes strings, bytes and streams');
    this.#values.set(key, { value: stored, metadata: options.metadata ?? null });
  }

  async delete(key: string): Promise<void> {
    this.#values.delete(key);
  }

  async list(options: { prefix?: string; limit?: number } = {}): Promise<KVNamespaceListResult<unknown>> {
    const prefix = options.prefix ?? '';
    const names = [...this.#values.keys()].filter((name) => name.startsWith(prefix)).sort();
    const keys = names.map((name) => {
      const { metadata } = this.#values.get(name)!;
      return metadata === null ? { name } : { name, metadata };
    });
    return { keys, list_complete: true, cacheStatus: null };
  }
}

/** The bindings the routes read, none of them the real ones. */
function warmEnv(): Env {
  const allow = { limit: async () => ({ success: true }) };
  return {
    SALA: new WarmKv() as unknown as KVNamespace,
    COMMENT_RATE_LIMITER: allow,
    SIGN_IN_RATE_LIMITER: allow,
    ASSETS: { fetch: async () => new Response(null, { status: 404 }) } as unknown as Fetcher,
    DEFAULT_SITE: SITE,
    SITES: JSON.stringify({ [SITE]: { name: 'Warm-up', origins: [ORIGIN] } }),
    SALA_SECRET: 'warm-up secret, never a real one',
    ADMIN_PASSWORD: 'warm-up password, never a real one',
    // Writes the views the beacons left before the popularity stage, as `npm run dev` does.
    SALA_DEV_FLUSH_VIEWS: 'true',
    [WARM_UP]: true,
  } as Env;
}

/** The bytes of a stream the Worker puts (an imported post's document), read to its end. */
async function bytesOf(stream: ReadableStream<Uint8Array>): Promise<ArrayBuffer> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  for (let read = await reader.read(); !read.done; read = await reader.read()) chunks.push(read.value);
  const bytes = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes.buffer;
}

/**
 * Bytes as the routes read a stream (`getReader`, then `read` to the end, or `cancel`), without one: a request's body
 * (workerd makes no Request with a body at startup) or a value read from KV as a stream.
 */
function streamStandIn(bytes: Uint8Array | ArrayBuffer): Pick<ReadableStream<Uint8Array>, 'getReader' | 'cancel'> {
  const chunks = [bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)];
  const reader = {
    read: async () => {
      const value = chunks.shift();
      return value === undefined ? { done: true, value: undefined } : { done: false, value };
    },
    cancel: async () => void chunks.splice(0),
    releaseLock: () => {},
  };
  return {
    getReader: (() => reader) as unknown as ReadableStream<Uint8Array>['getReader'],
    cancel: reader.cancel,
  };
}

/** A request body as the routes read one (`streamStandIn`). */
function bodyStandIn(text: string): Pick<ReadableStream<Uint8Array>, 'getReader' | 'cancel'> {
  return streamStandIn(new TextEncoder().encode(text));
}

let batchIds = 0;

/**
 * The warm-up's Worker: its cron reads no page (a request, and HTMLRewriter makes a Response: neither can be done at
 * startup), its view batches are named without random values (refused there too), its cron reports go nowhere.
 */
export const WARM_WORKER = {
  pageFetchesPerRun: 0,
  views: { randomId: () => `warm${(batchIds += 1)}` },
  log: { log: () => {} },
} satisfies WorkerOptions;

/**
 * Runs a reader's and a commenter's requests and the cron's stages through `worker`, then puts the module state back.
 * Resolves (never rejects) once done; a step that fails is skipped, and a warm-up that fails stops there.
 */
export function warmUp(makeWorker: () => WarmWorker): Promise<void> {
  return (warming = warmAndReset(makeWorker));
}

/**
 * The warm-up started as the module loaded, for a benchmark to wait on before its clock starts: in workerd it is done
 * by the end of the module's evaluation; in Node, WebCrypto answers on a later turn of the event loop.
 */
export function warmedUp(): Promise<void> {
  return warming;
}

let warming: Promise<void> = Promise.resolve();

async function warmAndReset(makeWorker: () => WarmWorker): Promise<void> {
  try {
    // First, an empty buffer detached: V8 throws away every optimized function that reads a typed array the first
    // time any buffer is detached (its "detaching protector"), which a stream or a transfer can do at any time after
    // startup. Done here, the warm-up's optimized code never counts on it and keeps (worker/docs/cpu-cron.md).
    const buffer = new ArrayBuffer(0);
    structuredClone(buffer, { transfer: [buffer] });
    await warmRequests(makeWorker());
  } catch {
    // Only a slower first request is lost: the isolate must start whatever happens here.
  } finally {
    try {
      resetIsolateState();
    } catch {
      // As above.
    }
  }
}

async function warmRequests(worker: WarmWorker): Promise<void> {
  const env = warmEnv();
  const pending: Promise<unknown>[] = [];
  const ctx = {
    waitUntil: (promise: Promise<unknown>) => void pending.push(promise),
    passThroughOnException: () => {},
    props: {},
  } as unknown as ExecutionContext;
  const send = async (path: string, init: { method?: string; body?: string; headers?: HeadersInit } = {}) => {
    const headers = new Headers(init.headers);
    headers.set('Origin', ORIGIN);
    headers.set('CF-Connecting-IP', '192.0.2.1');
    const request = new Request(`${ORIGIN}${path}`, { method: init.method ?? 'GET', headers });
    if (init.body !== undefined) {
      Object.defineProperty(request, 'body', { value: bodyStandIn(init.body) });
    }
    try {
      return await (await worker.fetch(request, env, ctx)).text();
    } finally {
      // The rebuild a change leaves in waitUntil, done before the next step.
      while (pending.length > 0) await Promise.allSettled(pending.splice(0));
    }
  };
  const json = (body: unknown) => ({
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json' },
  });
  const thread = `/api/v1/comments?page=${encodeURIComponent(PAGE)}`;
  const beacon = (page: string, userAgent: string) => ({
    method: 'POST',
    body: JSON.stringify({ page, meta: { url: page, title: 'Warm-up', labels: ['Warm'] } }),
    headers: {
      'Content-Type': 'text/plain;charset=UTF-8',
      'User-Agent': userAgent,
      'Sec-Fetch-Site': 'cross-site',
      'Sec-Fetch-Mode': 'cors',
      'Sec-Fetch-Dest': 'empty',
    },
  });
  const comments = [
    'A **warm** start, [a link](https://example.com/) and\n\n> a quote',
    'Thank you for this *lovely* walk along the river.\n\nWe went last spring: the market by the pier was as you say.',
  ].map((body, index) => ({ page: PAGE, name: `Warm ${index}`, body, elapsedMs: 30_000 }));
  /** The edit token of every comment the warm-up saves (43 base64url characters, as made): its PATCH passes the check. */
  const token = 'warm-up'.padEnd(43, '0');
  const saved: string[] = [];
  // In workerd a POST stops at the comment's edit token (no random values at startup): what follows it, the comment
  // saved and its page's snapshot rebuilt, runs here on the same code.
  const saveAndRebuild = async (comment: { page: string; name: string; body: string; parentId?: string }) => {
    const input = readNewComment(comment);
    const page = await pageRef(SITE, input.pageId);
    const now = new Date(Date.now());
    const stored = newComment(input, {
      // Its own last character: the id clock is reset between steps, and would give each the same id.
      id: newCommentId(now.getTime()).slice(0, -1) + String(saved.length + 1),
      now,
      avatar: await avatarSeed(env.SALA_SECRET, input),
      tokenHash: await hashEditToken(token),
    });
    await saveComment(env.SALA, page, stored);
    await scheduleRebuild(env.SALA, page, [stored.id]);
    saved.push(stored.id);
    return JSON.stringify(toAuthorsView(stored));
  };
  /** As a new isolate finds things: nothing of the page in its memory, so read from KV and parsed. */
  const forgetting = (step: () => Promise<unknown>) => async () => {
    resetIsolateState();
    return step();
  };
  const steps: (() => Promise<unknown>)[] = [
    () => send(thread),
    () => send('/api/v1/comments', json(comments[0])),
    () => saveAndRebuild(comments[0]!),
    () => send(thread),
    forgetting(() => send(thread)),
    // Twice: V8 compiles a regular expression to bytecode on its first use and to machine code on a later one (the
    // spam checks'), and the second rebuild is a new comment's on a thread whose snapshot it reads.
    forgetting(() => send('/api/v1/comments', json(comments[1]))),
    () => saveAndRebuild(comments[1]!),
    // A reply, then its author's edit of it (the token above), each as a new isolate's.
    forgetting(() => saveAndRebuild({ ...comments[0]!, parentId: saved[0]!, body: 'A reply, _warm_ too.' })),
    forgetting(() =>
      send(`/api/v1/comments/${saved[2]}`, {
        ...json({ page: PAGE, body: 'A reply, edited.' }),
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      }),
    ),
    () => send(`/api/v1/counts?page=${encodeURIComponent(PAGE)}&page=${encodeURIComponent(OTHER_PAGE)}`),
    // Today's browsers pass a plain check; anything else goes to the bot list's one large expression, twice as above.
    () => send('/api/v1/views', beacon(PAGE, 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0')),
    () => send('/api/v1/views', beacon(OTHER_PAGE, 'Mozilla/5.0 (Windows NT 6.1; Trident/7.0; rv:11.0) like Gecko')),
    () => send('/api/v1/views', beacon(PAGE, 'Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko')),
    () => send('/api/v1/popular'),
    () => send('/api/v1/recent-comments'),
  ];
  for (const step of steps) await step().catch(() => undefined);
  // The cron, an hour on: the :10 run folds the views' hour, the :20 run ranks, the :30 run lists recent comments.
  // Each as a new cron isolate makes it, which also lets the repair rebuild a page without waiting a second for it.
  const nextHour = Math.floor(Date.now() / HOUR_MS + 1) * HOUR_MS;
  for (const minutes of [10, 20, 30]) {
    const scheduledTime = nextHour + minutes * 60_000;
    const controller = { scheduledTime, cron: '*/10 * * * *', noRetry: () => {} } as ScheduledController;
    resetIsolateState();
    await worker.scheduled(controller, env).catch(() => undefined);
  }
  await warmPostsTab(env, send);
  await warmBigThread(env, send);
  await warmImport(env, send);
  // The cron's fold and ranking again over hundreds of pages, in a KV of their own (warm-cron.ts).
  await warmCronAtScale(worker, env, new WarmKv(), SITE, ORIGIN).catch(() => undefined);
  // Then counts of a blog index's 100 pages: after the two steps above, a new isolate's first counts request was about
  // 4 ms slower than before them, and the two-page one above does not put it back; this brings most of it back
  // (worker/docs/cpu-routes.md, 2026-12-07).
  const pages = Array.from({ length: 100 }, (_, i) => `page=${encodeURIComponent(`${ORIGIN}/2026/12/page-${i}`)}`);
  await send(`/api/v1/counts?${pages.join('&')}`).catch(() => undefined);
}

/**
 * The admin page's Posts tab, over the counts the cron just wrote: an owner opens it rarely, so its request usually
 * lands on a new isolate, which compiled all of its code (worker/README.md "CPU time"). With a session the warm-up
 * signs itself, under its own secret and password, as the sign-in would (which makes a random session id, refused
 * here), and keeps open in its own KV. In each order the tab asks, as a new isolate's first request: hints from KV.
 */
async function warmPostsTab(
  env: Env,
  send: (path: string, init: { headers: HeadersInit }) => Promise<string>,
): Promise<void> {
  const cookie = await ownerCookie(env, 'warm-up');
  for (const by of ['views', 'comments']) {
    resetIsolateState();
    await send(`/api/v1/admin/sites/${SITE}/posts?range=7d&by=${by}`, { headers: { Cookie: cookie } }).catch(
      () => undefined,
    );
  }
}

/**
 * The warm-up's big thread: 60 comments of a few sentences, split while it runs in parts of `BIG_THREAD_SPLIT`'s 8 KiB
 * instead of 64 (a real thread is split at about 150 comments): the same code, every step of it, for a fifth of the
 * startup a thread of real parts took, which made a first change no faster (worker/docs/cpu-routes.md).
 */
export const BIG_THREAD_COMMENTS = 60;
const BIG_THREAD_SPLIT = { partChars: 8 * 1024, tailChars: 16 * 1024 };

/**
 * The cookie of an owner's session named `name`, which the warm-up signs itself under its own secret, as the sign-in
 * would (which makes a random session id, refused at startup), and keeps open in its own KV for an hour.
 */
async function ownerCookie(env: Env, name: string): Promise<string> {
  const claims = { sessionId: name.padEnd(22, '0'), expiresAt: Date.now() + HOUR_MS };
  await new AdminSessionStore(env.SALA).open(claims.sessionId, claims.expiresAt);
  return `${SESSION_COOKIE}=${await signSession(await signingKey(env), claims)}`;
}

type Send = (path: string, init?: { method?: string; body?: string; headers?: HeadersInit }) => Promise<string>;

/**
 * A change on a big thread, as a new isolate's first request: its split snapshot (a head, parts sealed apart, their
 * sources and paging indexes) read, rebuilt and written again, and an owner's decision, none of which the two-comment
 * thread above runs. `SNAPSHOT_SPLIT` is put back however it ends.
 */
async function warmBigThread(env: Env, send: Send): Promise<void> {
  await withBigThreadSplit(() => warmBigThreadChanges(env, send));
}

/** Runs `step` with snapshots split at `BIG_THREAD_SPLIT`'s sizes, `SNAPSHOT_SPLIT` put back however it ends. */
async function withBigThreadSplit(step: () => Promise<void>): Promise<void> {
  const sizes = { ...SNAPSHOT_SPLIT };
  Object.assign(SNAPSHOT_SPLIT, BIG_THREAD_SPLIT);
  try {
    await step();
  } finally {
    Object.assign(SNAPSHOT_SPLIT, sizes);
  }
}

/**
 * The thread is saved straight to KV, most of it two days old (past the duplicate check's day, as most of a real big
 * thread is), one comment held, and rebuilt once (which splits it). Then, each after `resetIsolateState()`: a new
 * comment (the route's checks, which read the head's recent comments, up to its edit token; then what it does after
 * it), a reply to a comment in a sealed part, its author's edit of the new comment, and the owner's approval of the
 * held comment and rejection of a shown one, both in sealed parts, through the admin route with a session the warm-up
 * signs itself. At startup workerd refuses random values and its clock stands still, so the warm-up names its parts
 * by a counter (`namePartsBy`, which the reset puts back), and moves the comment id clock on past the ids the steps
 * before made: a write's version is its write id and decision time, and one met again would read as no change.
 */
async function warmBigThreadChanges(env: Env, send: Send): Promise<void> {
  let parts = 0;
  let steps = 0;
  const asNewIsolate = async (step: () => Promise<unknown>) => {
    resetIsolateState();
    namePartsBy(() => (parts += 1).toString(16).padStart(16, '0'));
    steps += 1;
    for (let i = 0; i < steps * 4; i++) newCommentId();
    await step().catch(() => undefined);
  };
  const kv = env.SALA;
  const token = 'warm-up'.padEnd(43, '0');
  /** A comment as a reader sends one: a few sentences of Markdown, a link in some, an email in most. */
  const fields = (n: number, parentId?: string) => ({
    page: BIG_WARM_UP_PAGE,
    name: `Reader ${n % 37}`,
    ...(n % 3 === 0 ? {} : { email: `reader${n % 37}@warm-up.invalid` }),
    body:
      `Comment ${n}: thank you for this **lovely** walk along the river. We went last spring and the market by ` +
      `the pier was as you say; the *noodle* stall is still there.\n\n> the light at dusk\n\n` +
      `Yes! ${'We stayed until the boats came in. '.repeat(1 + (n % 4))}` +
      (n % 7 === 0 ? `More at [the map](https://example.com/map/${n}).` : ''),
    ...(parentId === undefined ? {} : { parentId }),
  });
  const { pageId } = readNewComment(fields(0));
  const [page, avatar, tokenHash] = await Promise.all([
    pageRef(SITE, pageId),
    avatarSeed(env.SALA_SECRET, { name: 'Warm', email: null }),
    hashEditToken(token),
  ]);
  // Ids in the order written: one millisecond's (no random bits), counted; those after the seeding after them all.
  const prefix = newCommentId(Date.now()).slice(0, 10);
  const make = (n: number, { parentId, later = false }: { parentId?: string; later?: boolean } = {}) =>
    newComment(readNewComment(fields(n, parentId)), {
      id: `${prefix}${later ? 'Z' : '0'}${String(n).padStart(15, '0')}`,
      now: new Date(Date.now() - (n <= BIG_THREAD_COMMENTS - 10 ? 48 * HOUR_MS : 0)),
      avatar,
      tokenHash,
    });
  const json = (body: unknown, method = 'POST', headers: Record<string, string> = {}) => ({
    method,
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', ...headers },
  });
  const ids: string[] = [];
  const held = Math.floor(BIG_THREAD_COMMENTS / 4);
  await asNewIsolate(async () => {
    const comments = new CommentStore(kv);
    for (let n = 1; n <= BIG_THREAD_COMMENTS; n++) {
      const comment = make(n, n % 5 === 0 ? { parentId: ids[n - 2] } : {});
      await comments.put(page, n === held ? { ...comment, status: 'pending' } : comment, comment.id);
      ids.push(comment.id);
    }
    await scheduleRebuild(kv, page);
  });
  /** Saved and rebuilt as a POST does after its edit token. */
  const saveAndRebuild = async (comment: StoredComment) => {
    await saveComment(kv, page, comment);
    await scheduleRebuild(kv, page, [comment.id]);
  };
  const mine = make(BIG_THREAD_COMMENTS + 1, { later: true });
  await asNewIsolate(() => send('/api/v1/comments', json({ ...fields(BIG_THREAD_COMMENTS + 2), elapsedMs: 30_000 })));
  await asNewIsolate(() => saveAndRebuild(mine));
  await asNewIsolate(() => saveAndRebuild(make(BIG_THREAD_COMMENTS + 3, { parentId: ids[held], later: true })));
  await asNewIsolate(() =>
    send(
      `/api/v1/comments/${mine.id}`,
      json({ page: BIG_WARM_UP_PAGE, body: 'Edited: the market by the pier.' }, 'PATCH', {
        Authorization: `Bearer ${token}`,
      }),
    ),
  );
  const cookie = await ownerCookie(env, 'warm-up-big');
  for (const [action, id] of [
    ['approve', ids[held - 1]!],
    ['reject', ids[held + 1]!],
  ] as const) {
    await asNewIsolate(() =>
      send(
        `/api/v1/admin/sites/${SITE}/moderate`,
        json({ action, comments: [{ page: BIG_WARM_UP_PAGE, id }] }, 'POST', { Cookie: cookie }),
      ),
    );
  }
}

/** The page of the warm-up's imported post (`warmImport`). */
export const IMPORT_WARM_UP_PAGE = `${ORIGIN}/2026/12/an-imported-post`;
/** Its parts, and comments in each: as the Import tab sends a big post, 50 comments a request. */
export const IMPORT_WARM_UP_PARTS = 3;
export const IMPORT_WARM_UP_PART_COMMENTS = 50;

/**
 * A post imported in parts, as the owner's Import tab sends one too big for a request: the parts before the last
 * staged, then the last part, which joins them and publishes the post (its document streamed, its snapshot split in
 * parts of `BIG_THREAD_SPLIT`'s sizes, its count), each request as a new isolate's first, through the admin route
 * with a session the warm-up signs itself. That request is the import's heaviest, and on a new isolate it ran all of
 * that code for the first time (worker/docs/import.md, 2026-12-07). Comments dated at the clock (workerd's stands at
 * 0 at startup), some replies across parts; the snapshot's parts named by a counter, `SNAPSHOT_SPLIT` put back
 * however it ends.
 */
async function warmImport(env: Env, send: Send): Promise<void> {
  // A skipped step: only a slower first request is lost.
  await withBigThreadSplit(() => warmImportParts(env, send)).catch(() => undefined);
}

async function warmImportParts(env: Env, send: Send): Promise<void> {
  const cookie = await ownerCookie(env, 'warm-up-import');
  const total = IMPORT_WARM_UP_PARTS * IMPORT_WARM_UP_PART_COMMENTS;
  // One clock for every part: a reply's parent's time must be the one the parent's own part gives it.
  const start = Date.now();
  const createdAt = (n: number) => new Date(Math.max(0, start - (total - n) * 60_000)).toISOString();
  const comment = (n: number): ImportComment => {
    // Every third a reply to a comment a part or so before, its time given as the Import tab gives it (the part is
    // staged with its parent's id, and the last part checks those parents are in the post).
    const parent = Math.max(0, n - 1 - IMPORT_WARM_UP_PART_COMMENTS);
    return {
      sourceId: `warm-${n}`,
      ...(n % 3 === 2 ? { parentSourceId: `warm-${parent}`, parentCreatedAt: createdAt(parent) } : {}),
      authorName: `Reader ${n % 37}`,
      ...(n % 4 === 0 ? {} : { authorEmail: `reader${n % 37}@warm-up.invalid` }),
      createdAt: createdAt(n),
      body:
        `Comment ${n}: thank you for **writing** this up, see [my notes](https://example.com/notes/${n}).\n\n` +
        `> the light at dusk\n\n${'We stayed until the boats came in. '.repeat(1 + (n % 4))}`,
      // One held for the owner, as an import from a source that had some.
      status: n === 7 ? 'pending' : 'approved',
    };
  };
  let parts = 0;
  for (let index = 0; index < IMPORT_WARM_UP_PARTS; index++) {
    const from = index * IMPORT_WARM_UP_PART_COMMENTS;
    const request: ImportRequest = {
      source: 'disqus',
      threads: [
        {
          pageId: IMPORT_WARM_UP_PAGE,
          title: 'An imported post',
          comments: Array.from({ length: IMPORT_WARM_UP_PART_COMMENTS }, (_, i) => comment(from + i)),
          part: { index, count: IMPORT_WARM_UP_PARTS },
        },
      ],
    };
    resetIsolateState();
    namePartsBy(() => `1${(parts += 1).toString(16).padStart(15, '0')}`);
    // In workerd each request stops at its answer (a Response with a body), its work done.
    await send(`/api/v1/admin/sites/${SITE}/import`, {
      method: 'POST',
      body: JSON.stringify(request),
      headers: { 'Content-Type': 'application/json', Cookie: cookie },
    }).catch(() => undefined);
  }
}
