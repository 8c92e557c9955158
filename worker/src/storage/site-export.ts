/**
 * Reads one page of a site's export: the first page also reads the settings, bans and closed threads; pages then
 * list up to 50 comment keys and read them with their owner decisions (about 100 KV reads a page), and once the
 * keys are done, imported documents one by one (up to 10 listed at a time), 100 of their comments a page, with the
 * decisions on those that have no key of their own.
 */
import type { ExportPage } from '@sala/protocol';
import { isDailyLimitError } from '../domain/daily-limit.js';
import {
  EXPORT_PAGE_IMPORTED,
  EXPORT_PAGE_IMPORTED_COMMENTS,
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
  const at = cursor?.stage === 'imported' ? cursor : { listCursor: '', pageHash: '', offset: 0 };
  const prefix = importedThreadPrefix(site.id);
  const listed = await listKeys(kv, prefix, EXPORT_PAGE_IMPORTED, at.listCursor === '' ? undefined : at.listCursor);
  const hashes = listed.keys.map(({ name }) => name.slice(prefix.length));
  // The document to go on with, or the next one in key order should it be gone.
  const first = at.pageHash === '' ? 0 : hashes.findIndex((hash) => hash >= at.pageHash);
  let offset = first >= 0 && hashes[first] === at.pageHash ? at.offset : 0;
  const documents = new ImportedThreads(kv);
  const store = new CommentStore(kv);
  let room = EXPORT_PAGE_IMPORTED_COMMENTS;
  const rest = first < 0 ? [] : hashes.slice(first);
  for (const [i, pageHash] of rest.entries()) {
    const ref = { site: site.id, pageHash };
    const comments = (await documents.read(ref))?.comments ?? [];
    const part = comments.slice(offset, offset + room);
    page.threads.push(...toExportThreads(await store.onlyImported(ref, part)));
    room -= part.length;
    const total = offset + part.length;
    if (total < comments.length) {
      page.nextCursor = writeExportCursor({ stage: 'imported', listCursor: at.listCursor, pageHash, offset: total });
      return page;
    }
    offset = 0;
    const next = rest[i + 1];
    if (room <= 0 && next !== undefined) {
      page.nextCursor = writeExportCursor({ stage: 'imported', listCursor: at.listCursor, pageHash: next, offset: 0 });
      return page;
    }
  }
  if (!listed.list_complete) {
    page.nextCursor = writeExportCursor({ stage: 'imported', listCursor: listed.cursor, pageHash: '', offset: 0 });
  }
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
