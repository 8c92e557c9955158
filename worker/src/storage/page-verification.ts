/**
 * The cron's page reads: fetches the pages beacons named (on the site's own origins only, a few per run), keeps
 * what each page's HTML says in one KV value per site, and gives popular posts and recent comments that metadata
 * instead of the beacons' (worker/README.md "Page metadata").
 */
import { readPageHead, pageMetaFromHead } from '../domain/page-head.js';
import {
  PAGE_VERIFICATION,
  emptyVerifiedPages,
  keepListed,
  pagesToVerify,
  shownMeta,
  type VerifiedPage,
  type VerifiedPages,
} from '../domain/page-verification.js';
import { isOwnOrigin } from '../domain/origins.js';
import { hintHash } from '../domain/page-hints.js';
import type { PageCounts, PopularityState, StoredPageMeta } from '../domain/popularity.js';
import { concatBytes } from '../domain/prebuilt-thread.js';
import { viewsInRange } from '../domain/ranking.js';
import { verifiedPagesKey } from './keys.js';

/**
 * Page fetches one cron invocation may still make, shared by every site it works on, and how soon a page that could
 * not be read may be tried again (a local development Worker's are `devPageReads`).
 */
export class FetchBudget {
  constructor(
    public remaining: number = PAGE_VERIFICATION.fetchesPerRun,
    readonly retryMs: number = PAGE_VERIFICATION.retryMs,
  ) {}

  take(): boolean {
    if (this.remaining <= 0) return false;
    this.remaining -= 1;
    return true;
  }
}

export interface SiteOrigins {
  id: string;
  origins: readonly string[];
}

/** The pages the lists may show (domain/ranking.ts `rankAll`): those to read, and those whose records to keep. */
export interface ListedPages {
  /** Pages read when due: each ranking's first `PAGE_VERIFICATION.readDepth`, and those with the newest comments. */
  read: ReadonlySet<string>;
  /** Pages whose records are kept: `read` and each ranking's first `PAGE_VERIFICATION.keptDepth`. */
  kept: ReadonlySet<string>;
}

/**
 * The beacons' hints of the pages the state counts: their hashes (stored with the counts), and the hints themselves
 * (`v1:popmeta`, read only when a page due to be read was never read or its beacons changed).
 */
export interface PageHints {
  /** The hash of the page's latest hint (domain/page-hints.ts); undefined when it has none. */
  hashOf(pageId: string): number | undefined;
  /** Every page's hint, read when first asked. */
  read(): Promise<Readonly<Record<string, StoredPageMeta>>>;
}

/** How a page is fetched; tests pass a stub, the Worker the global fetch. */
export type PageFetch = (url: string, init: RequestInit) => Promise<Response>;

type Fetched = { response: Response; url: string } | { problem: string } | null;

const REQUEST_HEADERS = {
  Accept: 'text/html',
  'User-Agent': 'Sala popular-posts (reads a post page once a day to list its title)',
};

/**
 * Characters per line of the stored value: a string of 128 KB or more is allocated in V8's large-object space, fresh
 * pages each time, whose faults cost decoding a 140 KB document 0.6 ms a run under load (worker/README.md "Warm,
 * steady and the main thread"). A line holding a character beyond Latin-1 takes two bytes a character: 120,000.
 */
const LINE_CHARS = 60_000;

const LINE_BREAK = 0x0a;

/**
 * `v1:verified:{site}` as stored (format 2): one JSON document, `{"format":2,"lines":[…],"pages":[` and a line break,
 * then the records as objects of page id to record, each on a line of its own under `LINE_CHARS`, `,\n` between each
 * two, then a line break and `]}`; `lines` holds each line's bytes, so a read finds them without scanning the value.
 * Read as bytes and parsed a line at a time, no string made of it reaches V8's large-object space, whatever the number
 * of pages kept.
 */
export function encodeVerifiedPages(verified: VerifiedPages): Uint8Array {
  const encoder = new TextEncoder();
  const lines: Uint8Array[] = [];
  let entries: string[] = [];
  let length = 0;
  for (const [pageId, record] of Object.entries(verified.pages)) {
    const entry = `${JSON.stringify(pageId)}:${JSON.stringify(record)}`;
    if (entries.length > 0 && length + entry.length + 3 > LINE_CHARS) {
      lines.push(encoder.encode(`{${entries.join(',')}}`));
      [entries, length] = [[], 0];
    }
    entries.push(entry);
    length += entry.length + 1;
  }
  if (entries.length > 0) lines.push(encoder.encode(`{${entries.join(',')}}`));
  const header = `{"format":2,"lines":${JSON.stringify(lines.map((line) => line.length))},"pages":[\n`;
  const between = encoder.encode(',\n');
  return concatBytes([
    encoder.encode(header),
    ...lines.flatMap((line, i) => (i === 0 ? [line] : [between, line])),
    encoder.encode('\n]}'),
  ]);
}

/**
 * The records of a stored value: format 2 (`encodeVerifiedPages`), or the single JSON object of version 1 that the
 * cron wrote before 2026-12-06 (`legacy`: the next popularity run writes it again as format 2).
 */
export function decodeVerifiedPages(stored: ArrayBuffer | null): { verified: VerifiedPages; legacy: boolean } {
  if (stored === null) return { verified: emptyVerifiedPages(), legacy: false };
  const bytes = new Uint8Array(stored);
  const decoder = new TextDecoder();
  const headerEnd = bytes.indexOf(LINE_BREAK);
  // Version 1 is JSON.stringify's, which writes no raw line break.
  if (headerEnd === -1) return { verified: JSON.parse(decoder.decode(bytes)) as VerifiedPages, legacy: true };
  const header = JSON.parse(`${decoder.decode(bytes.subarray(0, headerEnd))}]}`) as { lines: number[] };
  // The first line's object is the document's: only the records of the lines after it are copied into it.
  let pages: Record<string, VerifiedPage> | undefined;
  let at = headerEnd + 1;
  for (const length of header.lines) {
    const line = JSON.parse(decoder.decode(bytes.subarray(at, at + length))) as Record<string, VerifiedPage>;
    if (pages === undefined) pages = line;
    else {
      Object.assign(pages, line);
      // Object.assign sets a `__proto__` record as the document's prototype; any text can be a page id: keep it as a
      // record like the others, as JSON.parse keeps one on the first line.
      if (Object.hasOwn(line, '__proto__')) {
        Object.setPrototypeOf(pages, Object.prototype);
        Object.defineProperty(pages, '__proto__', {
          value: line.__proto__,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
    at += length + 2;
  }
  return { verified: { version: 1, pages: pages ?? {} }, legacy: false };
}

export class PageVerification {
  #verified: Promise<{ verified: VerifiedPages; legacy: boolean }> | undefined;

  constructor(
    private readonly kv: KVNamespace,
    /** The site whose pages these are: only its exact origins are read, or linked without being read. */
    readonly site: SiteOrigins,
    private readonly budget: FetchBudget,
    private readonly fetchPage: PageFetch = (url, init) => fetch(url, init),
  ) {}

  /**
   * The metadata the lists show, as last read, without reading any page: of the pages kept by the last popularity
   * run (which keeps only pages its state counts).
   */
  async shown(): Promise<Record<string, StoredPageMeta>> {
    return shownMeta((await this.#read()).verified);
  }

  /**
   * Reads the pages of `listed.read` that are due (never read, or last read long enough ago) and the budget allows,
   * stores what they said with the records of `listed.kept` (one write, only when something changed), and returns
   * the metadata the lists show.
   */
  async verify(
    state: PopularityState,
    now: number,
    listed: ListedPages,
    hints: PageHints,
  ): Promise<Record<string, StoredPageMeta>> {
    const { verified: before, legacy } = await this.#read();
    const verified = keepListed(before, listed.kept);
    // Whether to write, known without serialising a document of every page twice (its CPU time grows with the blog);
    // a document of version 1 is written once in the format read faster.
    let changed = legacy || Object.keys(verified.pages).length !== Object.keys(before.pages).length;
    const isOwn = (origin: string) => isOwnOrigin(origin, this.site.origins);
    const checkedAt = new Date(now).toISOString();

    // The week's views order the due pages; most runs have none or one due, so they are summed only when asked.
    let weekViews: PageCounts | undefined;
    const views = (pageId: string) => (weekViews ??= viewsInRange(state, '7d', now))[pageId] ?? 0;
    // Whether the beacons still give the address and title a page was read with, known from the hashes alone.
    const agrees = (pageId: string, known: VerifiedPage) =>
      hints.hashOf(pageId) === hintHash({ url: known.url, title: known.meta!.title });
    const withHint = [...listed.read].filter((pageId) => hints.hashOf(pageId) !== undefined);
    for (const pageId of pagesToVerify(withHint, verified, agrees, views, now, this.budget.retryMs)) {
      if (this.budget.remaining === 0) break;
      // A page read before whose beacons still agree is read again at the address it was read at (its weekly
      // re-read): the hints themselves, a large document, are read only for a new page or a changed one.
      const known = verified.pages[pageId];
      const hint = known?.meta && agrees(pageId, known) ? { url: known.url } : (await hints.read())[pageId];
      if (hint === undefined) continue;
      // A beacon's URL off the site's own origins (a wildcard host) is never fetched: a forger could own that host.
      if (!isOwn(new URL(hint.url).origin)) {
        verified.pages[pageId] = {
          ...verified.pages[pageId],
          url: hint.url,
          checkedAt,
          problem: 'not on an exact origin of the site',
        };
        changed = true;
        continue;
      }
      const fetched = await this.#fetch(hint.url, isOwn);
      if (fetched === null) break;
      changed = true;
      const record: VerifiedPage = { url: hint.url, checkedAt };
      if (known?.meta && known.verifiedAt) [record.meta, record.verifiedAt] = [known.meta, known.verifiedAt];

      let problem = 'problem' in fetched ? fetched.problem : undefined;
      if ('response' in fetched) {
        try {
          const head = await readPageHead(fetched.response, PAGE_VERIFICATION.maxPageBytes);
          const checked = pageMetaFromHead(head, { pageId, fetchedUrl: fetched.url, isOwnOrigin: isOwn });
          if (checked.ok) [record.meta, record.verifiedAt] = [checked.meta, checkedAt];
          else problem = checked.problem;
        } catch (error) {
          problem = `could not read the page: ${String(error)}`;
        }
      }
      if (problem !== undefined) {
        record.problem = problem;
        console.warn('[sala] page not verified', this.site.id, hint.url, problem);
      }
      verified.pages[pageId] = record;
    }

    if (changed) {
      await this.kv.put(verifiedPagesKey(this.site.id), encodeVerifiedPages(verified));
      this.#verified = Promise.resolve({ verified, legacy: false });
    }
    return shownMeta(verified);
  }

  #read(): Promise<{ verified: VerifiedPages; legacy: boolean }> {
    this.#verified ??= this.kv.get(verifiedPagesKey(this.site.id), 'arrayBuffer').then(decodeVerifiedPages);
    return this.#verified;
  }

  /**
   * The page's HTML, following one redirect on the site's own origins; a problem to record; or null when the budget
   * ran out first (the page waits for the next run).
   */
  async #fetch(url: string, isOwn: (origin: string) => boolean): Promise<Fetched> {
    let target = url;
    for (let hop = 0; hop < 2; hop++) {
      if (!this.budget.take()) return null;
      let response: Response;
      try {
        response = await this.fetchPage(target, {
          redirect: 'manual',
          headers: REQUEST_HEADERS,
          signal: AbortSignal.timeout(PAGE_VERIFICATION.timeoutMs),
        });
      } catch (error) {
        return { problem: `could not fetch the page: ${String(error)}` };
      }
      const location = response.headers.get('Location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        const next = new URL(location, target);
        if (!isOwn(next.origin)) return { problem: `the page redirects off the site, to ${next.href}` };
        target = next.href;
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel();
        return { problem: `the page answered ${response.status}` };
      }
      if (!/html/i.test(response.headers.get('Content-Type') ?? '')) {
        await response.body?.cancel();
        return { problem: 'the page is not HTML' };
      }
      return { response, url: target };
    }
    return { problem: 'the page redirects more than once' };
  }
}
