/**
 * Reads one page of a site's export: the first page also reads the settings, bans and closed threads; pages then
 * list up to 50 comment keys and read them with their owner decisions (about 100 KV reads a page), and once the
 * keys are done, up to 10 imported documents with the decisions on their comments that have no key of their own.
 */
import type { ExportPage } from '@sala/protocol';
import { isDailyLimitError } from '../domain/daily-limit.js';
import {
  EXPORT_PAGE_IMPORTED,
  EXPORT_PAGE_KEYS,
  toClosedExportThread,
  toExportBans,
  toExportSettings,
  toExportThreads,
  writeExportCursor,
  type ExportCursor,
} from '../domain/site-export.js';
import type { StoredComment } from '../domain/stored-comment.js';
import { invalidField } from '../errors.js';
import { BanStore } from './bans.js';
import { ClosedThreads } from './closed-threads.js';
import { CommentStore, type CommentRef } from './comments.js';
import { ImportedThreads } from './imported-threads.js';
import { importedThreadPrefix, parseCommentKey, siteCommentPrefix } from './keys.js';
import { SiteSettingsStore } from './site-settings.js';
import type { Site } from './sites.js';

export async function readExportPage(kv: KVNamespace, site: Site, cursor: ExportCursor | null): Promise<ExportPage> {
  const page: ExportPage = { version: 1, site: site.id, threads: [], nextCursor: null };
  if (cursor === null) {
    const [settings, bans, closed] = await Promise.all([
      new SiteSettingsStore(kv).read(site),
      new BanStore(kv).list(site.id),
      new ClosedThreads(kv).all(site.id),
    ]);
    page.head = { name: site.name, settings: toExportSettings(settings), ...toExportBans(bans) };
    page.threads.push(...closed.map(toClosedExportThread));
  }

  if (cursor === null || cursor.stage === 'comments') {
    const listed = await listKeys(kv, siteCommentPrefix(site.id), EXPORT_PAGE_KEYS, cursor?.listCursor);
    const refs = listed.keys.flatMap(({ name }): CommentRef[] => {
      const key = parseCommentKey(name);
      return key ? [{ page: { site: key.site, pageHash: key.pageHash }, id: key.commentId }] : [];
    });
    const comments = (await new CommentStore(kv).getMany(refs)).filter(
      (comment): comment is StoredComment => comment !== null,
    );
    page.threads.push(...toExportThreads(comments));
    if (!listed.list_complete) {
      page.nextCursor = writeExportCursor({ stage: 'comments', listCursor: listed.cursor });
      return page;
    }
  }
  // The comment keys are done (on an earlier page or this one): the imported documents follow.
  const listCursor = cursor?.stage === 'imported' && cursor.listCursor !== '' ? cursor.listCursor : undefined;
  const listed = await listKeys(kv, importedThreadPrefix(site.id), EXPORT_PAGE_IMPORTED, listCursor);
  const pages = listed.keys.map(({ name }) => ({
    site: site.id,
    pageHash: name.slice(importedThreadPrefix(site.id).length),
  }));
  const documents = await new ImportedThreads(kv).readMany(pages);
  const store = new CommentStore(kv);
  for (const [i, document] of documents.entries()) {
    if (document === null) continue;
    const comments = await store.onlyImported(pages[i]!, document.comments);
    page.threads.push(...toExportThreads(comments));
  }
  if (!listed.list_complete) page.nextCursor = writeExportCursor({ stage: 'imported', listCursor: listed.cursor });
  return page;
}

async function listKeys(kv: KVNamespace, prefix: string, limit: number, listCursor: string | undefined) {
  try {
    return await kv.list({
      prefix,
      limit,
      ...(listCursor !== undefined ? { cursor: listCursor } : {}),
    });
  } catch (error) {
    // KV refuses a cursor it did not make; anything else (the daily limit, an outage) is not the caller's doing.
    if (listCursor === undefined || isDailyLimitError(error)) throw error;
    throw invalidField('cursor', 'cursor is not one this export returned; start again without it.');
  }
}
