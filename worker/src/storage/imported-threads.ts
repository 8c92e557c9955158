/** Imported comments: one document per page (`v1:imported:…`), written only by the import (storage/import-run.ts). */
import type { ImportedThread } from '../domain/imported-thread.js';
import { importedThreadKey, importedThreadPrefix, type PageRef } from './keys.js';

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
 * Sites this isolate has seen an imported document of (imports are not undone), and when it last found none of a site:
 * the site-wide Approved list asks on each view (`hasAny`), and a list() is spent at most once a minute.
 */
const sitesWithImports = new Set<string>();
const noImportsAt = new Map<string, number>();
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

  read(page: PageRef): Promise<ImportedThread | null> {
    return this.kv.get<ImportedThread>(importedThreadKey(page), 'json');
  }

  /** The document as its UTF-8 bytes, unparsed, with what its metadata says (one read, as `read`). */
  async readStored(page: PageRef): Promise<StoredDocument | null> {
    const { value, metadata } = await this.kv.getWithMetadata<{ pieces?: unknown }>(
      importedThreadKey(page),
      'arrayBuffer',
    );
    if (value === null) return null;
    const bytes = new Uint8Array(value);
    return typeof metadata?.pieces === 'string' ? { bytes, pieces: metadata.pieces } : { bytes };
  }

  /** The documents of up to 100 pages in one bulk read; null where a page has none. */
  async readMany(pages: PageRef[]): Promise<(ImportedThread | null)[]> {
    if (pages.length === 0) return [];
    const keys = pages.map(importedThreadKey);
    const values = await this.kv.get<ImportedThread>([...new Set(keys)], 'json');
    return keys.map((key) => values.get(key) ?? null);
  }

  async write(page: PageRef, thread: ImportedThread): Promise<void> {
    await this.writeJson(page, JSON.stringify(thread));
  }

  /**
   * The document already as JSON: text, or UTF-8 chunks of prebuilt pieces (domain/prebuilt-thread.ts), put as a
   * stream of them rather than joined first: MBs for a big post, which the put copies anyway. The stream says its
   * length (workerd's `expectedLength`), so the put sends it with a Content-Length, as it sends bytes. `pieces`: a
   * post published from its parts' pieces, by their digest (`StoredDocument.pieces`).
   */
  async writeJson(page: PageRef, json: string | readonly Uint8Array[], pieces?: string): Promise<void> {
    const value = typeof json === 'string' ? json : streamOf(json);
    await this.kv.put(importedThreadKey(page), value, pieces === undefined ? {} : { metadata: { pieces } });
    sitesWithImports.add(page.site);
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
