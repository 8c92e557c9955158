import { PAGE_ID_MAX } from './page-id.js';

/** Sizes and windows shared by the Worker (which enforces them) and the widgets (which show them). */
export const LIMITS = {
  /** Longest page id or URL we accept; longer ones are almost always tracking junk. */
  pageId: PAGE_ID_MAX,
  name: 64,
  email: 254,
  website: 2048,
  /** Characters of comment source, as typed. */
  body: 10_000,
  /** Bytes of a JSON request body; checked before parsing. */
  requestBytes: 32 * 1024,
  /** Top-level comments per thread page. */
  pageSizeDefault: 20,
  pageSizeMax: 100,
  /** Pages per counts request; one bulk KV get takes at most 100 keys. (The widgets' `COUNTS_PER_REQUEST`.) */
  countsPages: 100,
  /** Default window in which a commenter may edit or delete their own comment. */
  editWindowSeconds: 15 * 60,
  /**
   * Edits one comment takes from its author within that window: each is three KV writes and a rebuild, and the free
   * plan has 1,000 writes a day; one edit a second for 15 minutes was 900 of them. Enough to fix a few typos.
   */
  editsPerComment: 5,
  /**
   * Comments per moderation request: 100 decisions took 8 ms of CPU (p95 13 ms) against the free plan's 10 ms per
   * request, 50 took 4.7 to 7.2 ms median (p95 up to 19), 25 take 3.0 to 4.4 (`npm run bench:cpu:routes -w worker`).
   * The admin page sends more in several requests.
   */
  moderateComments: 25,
  /**
   * Comments per import request: requests of at most 100 comments took a median 3.9 ms of CPU but p95 11 ms and
   * max 20 ms against the free plan's 10 ms (`npm run bench:import -w worker`); 50 keeps room. The Import tab sends
   * a bigger thread in parts of whole reply trees.
   */
  importComments: 50,
  /**
   * The most comments a post may have for the request that publishes it (its last part, or the cron's run for a
   * queued post) to stay within the Workers Free plan's 10 ms of CPU, as measured (worker/docs/import.md
   * "A 3,000-comment post's last part": 2,000 comments 8.0–8.7 ms; 3,000 comments 10–18 ms of work). Bigger posts go
   * after every other thread, in the Import tab's requests and in the cron's queue, so a post stopped for its CPU
   * holds back nothing smaller.
   */
  freePlanPostComments: 2_000,
  /** Deepest nesting of quotes and lists the Markdown parser builds (its `MARKDOWN_DEPTH`; limits.test.ts). */
  markdownDepth: 4,
} as const;
