/** Imported comments: one document per page (`v1:imported:…`), written only by the import (storage/import-run.ts). */
import type { ImportedThread } from '../domain/imported-thread.js';
import { importedThreadKey, type PageRef } from './keys.js';

export class ImportedThreads {
  constructor(private readonly kv: KVNamespace) {}

  read(page: PageRef): Promise<ImportedThread | null> {
    return this.kv.get<ImportedThread>(importedThreadKey(page), 'json');
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

  /** The document already as JSON: text, or UTF-8 joined from prebuilt pieces (domain/prebuilt-thread.ts). */
  async writeJson(page: PageRef, json: string | Uint8Array): Promise<void> {
    await this.kv.put(importedThreadKey(page), json);
  }
}
