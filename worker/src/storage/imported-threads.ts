/**
 * Imported comments: one document per page (`v1:imported:…`), written only by the import (storage/import-run.ts).
 *
 * A document may be split (`StoredHead`): its key then holds a head, the document's fields and its newest comments,
 * whose `parts` name values of their own (`v1:imported-part:…`), each a run of its older comments in document order,
 * joined before the head's own. A big post's publishing is to be spread over requests that each write a bounded share
 * of it (issues 8 and 9, worker/docs/import.md), each writing a part, so that no request reads and writes the whole
 * post; these readers come first, so that every isolate reads such a document before any writes one. Every reader
 * here joins the parts, so its callers (the rebuild, the comment store, the export, the merge) see one
 * `ImportedThread` either way; a document written whole (every one written before) has no `parts`.
 */
import type { ImportedThread } from '../domain/imported-thread.js';
import type { StoredComment } from '../domain/stored-comment.js';
import { commentKey, importedPartKey, importedThreadKey, importedThreadPrefix, type PageRef } from './keys.js';
import { isolateState } from '../domain/isolate-state.js';

/** A document as the import reads it to tell what wrote it: its UTF-8 bytes, unparsed, and its key's metadata. */
export interface StoredDocument {
  bytes: Uint8Array;
  /**
   * A post in parts published from its pieces: the digest of its parts' digests (import-stage.ts `publishedDigest`).
   * Only that put keeps it: KV replaces a key's metadata at every put, and no other writes one.
   */
  pieces?: string;
}

/**
 * A document's key metadata: `pieces` (`StoredDocument.pieces`), and `ends`, its oldest and newest comment ids, by
 * which a thread imported at another address is found from a list() of the site's documents (`ImportedElsewhere`).
 */
export interface DocumentMetadata {
  pieces?: string;
  ends?: [string, string];
  /** A split document's head (`StoredHead`): how many parts it names, so `readStored` knows it without parsing. */
  parts?: number;
}

/**
 * A document as its key holds it: whole, or the head of a split one, whose `parts` are the last segments of its parts'
 * keys (`importedPartKey`), in document order, their comments before the head's own. A part is never rewritten: a
 * document written again names new ones.
 */
interface StoredHead extends ImportedThread {
  parts?: string[];
}

/** A part of a split document named by its head is not in KV (not yet visible here, or deleted): nothing is joined. */
export class MissingImportedPart extends Error {}

/** Keys one bulk KV read takes. */
const BULK_READ_KEYS = 100;

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * A split document's part's comments. Its value is their JSON array, after one line of its writer's own (what the
 * request publishing the post needs of the part: its facts) when it starts with `{`.
 */
function partComments(text: string): StoredComment[] {
  const array = text.startsWith('{') ? text.slice(text.indexOf('\n') + 1) : text;
  const comments: unknown = JSON.parse(array);
  if (!Array.isArray(comments)) throw new Error('an imported document part that holds no array of comments');
  return comments as StoredComment[];
}

/**
 * The documents as `ImportedThread`s: a whole one as it is, a split one's parts read (bulk reads of 100 keys, for all
 * the documents at once) and their comments joined before its head's. Throws `MissingImportedPart` when a head names
 * a part KV does not have: half a document read as the whole would have a rebuild publish the page without the
 * missing comments, where its failing leaves the page's snapshot as it was and the rebuild is tried again.
 */
async function joinParts(
  kv: KVNamespace,
  documents: readonly { page: PageRef; head: StoredHead | null }[],
): Promise<(ImportedThread | null)[]> {
  const keys = [
    ...new Set(documents.flatMap(({ page, head }) => (head?.parts ?? []).map((id) => importedPartKey(page, id)))),
  ];
  const texts = new Map<string, string | null>();
  for (let i = 0; i < keys.length; i += BULK_READ_KEYS) {
    const chunk = keys.slice(i, i + BULK_READ_KEYS);
    const values = await kv.get(chunk, 'text');
    for (const key of chunk) texts.set(key, values.get(key) ?? null);
  }
  return documents.map(({ page, head }) => {
    if (head?.parts === undefined) return head;
    const { parts, ...fields } = head;
    const comments = parts.flatMap((id) => {
      const text = texts.get(importedPartKey(page, id));
      if (text == null) throw new MissingImportedPart(`${importedPartKey(page, id)} is not in KV`);
      return partComments(text);
    });
    return { ...fields, comments: [...comments, ...head.comments] };
  });
}

/** The oldest and newest of `ids` (a comment id sorts by its time); none for none. */
export function endsOf(ids: readonly string[]): [string, string] | undefined {
  if (ids.length === 0) return undefined;
  let [first, last] = [ids[0]!, ids[0]!];
  for (const id of ids) {
    if (id < first) first = id;
    if (id > last) last = id;
  }
  return [first, last];
}

/** Up to `count` bytes from the start of `stream`, which is cancelled then: the rest is never read. */
async function firstBytes(stream: ReadableStream<Uint8Array>, count: number): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  while (length < count) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.length;
  }
  await reader.cancel();
  const head = new Uint8Array(Math.min(length, count));
  let offset = 0;
  for (const chunk of chunks) {
    const taken = Math.min(chunk.length, head.length - offset);
    head.set(chunk.subarray(0, taken), offset);
    offset += taken;
  }
  return head;
}

/**
 * Sites this isolate has seen an imported document of (imports are not undone), and when it last found none of a site:
 * the site-wide Approved list asks on each view (`hasAny`), and a list() is spent at most once a minute.
 */
const sitesWithImports = isolateState(new Set<string>());
const noImportsAt = isolateState(new Map<string, number>());
const NO_IMPORTS_MS = 60_000;

export class ImportedThreads {
  constructor(private readonly kv: KVNamespace) {}

  /**
   * Whether the site has any imported comments: one list() of at most one key, remembered in the isolate (a site with
   * them for good, one without for a minute; this isolate's own import writes say so at once).
   */
  async hasAny(site: string): Promise<boolean> {
    if (sitesWithImports.has(site)) return true;
    if (Date.now() - (noImportsAt.get(site) ?? -Infinity) < NO_IMPORTS_MS) return false;
    const listed = await this.kv.list({ prefix: importedThreadPrefix(site), limit: 1 });
    if (listed.keys.length === 0) {
      noImportsAt.set(site, Date.now());
      return false;
    }
    sitesWithImports.add(site);
    return true;
  }

  /** The document, a split one's parts joined (a read, and one bulk read per 100 parts). */
  async read(page: PageRef): Promise<ImportedThread | null> {
    const head = await this.kv.get<StoredHead>(importedThreadKey(page), 'json');
    if (head?.parts === undefined) return head;
    const [document] = await joinParts(this.kv, [{ page, head }]);
    return document!;
  }

  /**
   * The document as its UTF-8 bytes, unparsed, with what its metadata says (one read, as `read`). A split one (its
   * metadata says so) is joined and its bytes are the whole document's, as the merge parses them.
   */
  async readStored(page: PageRef): Promise<StoredDocument | null> {
    const { value, metadata } = await this.kv.getWithMetadata<{ pieces?: unknown; parts?: unknown }>(
      importedThreadKey(page),
      'arrayBuffer',
    );
    if (value === null) return null;
    let bytes: Uint8Array = new Uint8Array(value);
    if (typeof metadata?.parts === 'number') {
      const head = JSON.parse(decoder.decode(bytes)) as StoredHead;
      const [document] = await joinParts(this.kv, [{ page, head }]);
      bytes = encoder.encode(JSON.stringify(document));
    }
    return typeof metadata?.pieces === 'string' ? { bytes, pieces: metadata.pieces } : { bytes };
  }

  /**
   * The document's first `bytes` bytes (all of a shorter one) as its `bytes`, with what its metadata says: one read,
   * streamed and cancelled there, so a big post's MBs are never taken in (its head says when, and by which run, it
   * was written).
   */
  async readHead(page: PageRef, bytes: number): Promise<StoredDocument | null> {
    const { value, metadata } = await this.kv.getWithMetadata<{ pieces?: unknown }>(importedThreadKey(page), 'stream');
    if (value === null) return null;
    const head = await firstBytes(value, bytes);
    return typeof metadata?.pieces === 'string' ? { bytes: head, pieces: metadata.pieces } : { bytes: head };
  }

  /**
   * The documents of up to 100 pages in one bulk read; null where a page has none. The parts of split ones are read
   * together, one bulk read per 100.
   */
  async readMany(pages: PageRef[]): Promise<(ImportedThread | null)[]> {
    if (pages.length === 0) return [];
    const keys = pages.map(importedThreadKey);
    const values = await this.kv.get<StoredHead>([...new Set(keys)], 'json');
    const heads = keys.map((key, i) => ({ page: pages[i]!, head: values.get(key) ?? null }));
    if (heads.every(({ head }) => head?.parts === undefined)) return heads.map(({ head }) => head);
    return joinParts(this.kv, heads);
  }

  /**
   * The document written whole (the merge's): over a split one, its head is replaced and its parts, named by nothing
   * any more, stay in KV unread.
   */
  async write(page: PageRef, thread: ImportedThread): Promise<void> {
    await this.writeJson(page, JSON.stringify(thread), { ends: endsOf(thread.comments.map((comment) => comment.id)) });
  }

  /**
   * The document already as JSON: text, or UTF-8 chunks of prebuilt pieces (domain/prebuilt-thread.ts), put as a
   * stream of them rather than joined first: MBs for a big post, which the put copies anyway. The stream says its
   * length (workerd's `expectedLength`), so the put sends it with a Content-Length, as it sends bytes. `pieces`: a
   * post published from its parts' pieces, by their digest (`StoredDocument.pieces`); `ends`: its comments' oldest
   * and newest ids; `parts`: a split document's head, how many parts it names (`DocumentMetadata`).
   */
  async writeJson(
    page: PageRef,
    json: string | readonly Uint8Array[],
    {
      pieces,
      ends,
      parts,
    }: { pieces?: string | undefined; ends?: [string, string] | undefined; parts?: number | undefined } = {},
  ): Promise<void> {
    const value = typeof json === 'string' ? json : streamOf(json);
    const metadata: DocumentMetadata = {
      ...(pieces !== undefined ? { pieces } : {}),
      ...(ends ? { ends } : {}),
      ...(parts !== undefined ? { parts } : {}),
    };
    await this.kv.put(importedThreadKey(page), value, Object.keys(metadata).length > 0 ? { metadata } : {});
    sitesWithImports.add(page.site);
    noteWritten(page, ends);
  }
}

/** The chunks, one after another, as a stream that knows its length. */
function streamOf(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream<Uint8Array>({
    expectedLength: chunks.reduce((sum, chunk) => sum + chunk.length, 0),
    pull(controller) {
      if (next < chunks.length) controller.enqueue(chunks[next++]!);
      else controller.close();
    },
  });
}

/** Of `ids`, those the owner deleted on `page` (a comment key erased: `deletedAt`): one bulk read per 100. */
async function deletedOf(kv: KVNamespace, page: PageRef, ids: readonly string[]): Promise<string[]> {
  const deleted: string[] = [];
  for (let i = 0; i < ids.length; i += 100) {
    const keys = ids.slice(i, i + 100).map((id) => commentKey(page, id));
    const values = await kv.get<{ deletedAt?: string }>(keys, 'json');
    ids.slice(i, i + 100).forEach((id, k) => {
      if (values.get(keys[k]!)?.deletedAt !== undefined) deleted.push(id);
    });
  }
  return deleted;
}

interface ListedDocument {
  pageHash: string;
  ends: [string, string];
}

/**
 * Each site's documents with their `ends` as last listed in this isolate, and when: a run's requests (a batch a second
 * or so, mostly served by one isolate) list them once a minute, not once each (a list() per 1,000 pages). This
 * isolate's own writes are added as they are made; another's may be missed for that minute, which only leaves a
 * thread imported at another address found later.
 */
const listedSites = isolateState(new Map<string, { at: number; documents: Promise<ListedDocument[]> }>());
const LISTED_MS = 60_000;

function listedDocuments(kv: KVNamespace, site: string): Promise<ListedDocument[]> {
  const cached = listedSites.get(site);
  if (cached && Date.now() - cached.at < LISTED_MS) return cached.documents;
  const documents = (async () => {
    const prefix = importedThreadPrefix(site);
    const found: ListedDocument[] = [];
    let cursor: string | undefined;
    do {
      const listed = await kv.list<DocumentMetadata>({ prefix, ...(cursor ? { cursor } : {}) });
      for (const key of listed.keys) {
        const ends = key.metadata?.ends;
        if (Array.isArray(ends)) found.push({ pageHash: key.name.slice(prefix.length), ends });
      }
      cursor = listed.list_complete ? undefined : listed.cursor;
    } while (cursor);
    return found;
  })();
  listedSites.set(site, { at: Date.now(), documents });
  // A failed list is not kept.
  documents.catch(() => listedSites.delete(site));
  return documents;
}

/** A document this isolate wrote: in its site's listing if that is kept, in place of the page's earlier entry. */
function noteWritten(page: PageRef, ends: [string, string] | undefined): void {
  const cached = listedSites.get(page.site);
  if (!cached) return;
  cached.documents = cached.documents.then((documents) => [
    ...documents.filter((document) => document.pageHash !== page.pageHash),
    ...(ends ? [{ pageHash: page.pageHash, ends }] : []),
  ]);
}

/**
 * Comments of a thread already imported on another page of the site: the same comments (ids come from the source's),
 * the file's addresses rewritten otherwise since. They stay where they are: a held one's moderation entry names one
 * page (storage/moderation-queue.ts), so imported again elsewhere it moved to the new page while the published ones
 * showed on both. The site's documents are listed (one list() per 1,000 pages, with their `ends`) when first asked,
 * at most once a minute in an isolate (`listedDocuments`); a document whose oldest or newest comment is the thread's
 * is read (one get) for its ids, less those the owner deleted there (one bulk read per 100): deleting them is how they
 * are moved. Documents written before `ends` was kept are not found.
 */
export class ImportedElsewhere {
  #listed: Promise<ListedDocument[]> | null = null;

  constructor(
    private readonly kv: KVNamespace,
    private readonly site: string,
  ) {}

  /**
   * Of `ids`, those imported on another page than `page`, and that page's id; null when none is. `ids` may be a
   * membership test (a big post's ids, looked up where they are rather than put in a set first).
   */
  async of(
    page: PageRef,
    ids: readonly string[] | Pick<ReadonlySet<string>, 'has' | 'size'>,
  ): Promise<{ pageId: string; ids: Set<string> } | null> {
    if ((Array.isArray(ids) ? ids.length : (ids as ReadonlySet<string>).size) === 0) return null;
    const wanted = Array.isArray(ids) ? new Set(ids as readonly string[]) : (ids as ReadonlySet<string>);
    for (const listed of await (this.#listed ??= listedDocuments(this.kv, this.site))) {
      if (listed.pageHash === page.pageHash || !listed.ends.some((id) => wanted.has(id))) continue;
      const other = { site: this.site, pageHash: listed.pageHash };
      const document = await new ImportedThreads(this.kv).read(other);
      const there = new Set(
        document?.comments.filter((comment) => wanted.has(comment.id)).map((comment) => comment.id),
      );
      // Deleted there by the owner (to move them): free to be imported here.
      for (const id of await deletedOf(this.kv, other, [...there])) there.delete(id);
      if (document !== null && there.size > 0) return { pageId: document.pageId, ids: there };
    }
    return null;
  }
}
