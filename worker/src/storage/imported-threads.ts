/** Imported comments: one document per page (`v1:imported:…`), written only by the import (storage/import-run.ts). */
import type { ImportedThread } from '../domain/imported-thread.js';
import { importedThreadKey, type PageRef } from './keys.js';

export class ImportedThreads {
  constructor(private readonly kv: KVNamespace) {}

  read(page: PageRef): Promise<ImportedThread | null> {
    return this.kv.get<ImportedThread>(importedThreadKey(page), 'json');
  }

  /** The document as its UTF-8 bytes, unparsed (one read, as `read`). */
  async readBytes(page: PageRef): Promise<Uint8Array | null> {
    const buffer = await this.kv.get(importedThreadKey(page), 'arrayBuffer');
    return buffer === null ? null : new Uint8Array(buffer);
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
   * length (workerd's `expectedLength`), so the put sends it with a Content-Length, as it sends bytes.
   */
  async writeJson(page: PageRef, json: string | readonly Uint8Array[]): Promise<void> {
    await this.kv.put(importedThreadKey(page), typeof json === 'string' ? json : streamOf(json));
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
