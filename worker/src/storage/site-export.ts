/**
 * Reads one page of a site's export: the first page also reads the settings, bans and closed threads; every page
 * lists up to 50 comment keys and reads them with their owner decisions (about 100 KV reads a page).
 */
import type { ExportPage } from '@sala/protocol';
import { isDailyLimitError } from '../domain/daily-limit.js';
import {
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
import { parseCommentKey, siteCommentPrefix } from './keys.js';
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

  const listed = await listCommentKeys(kv, site.id, cursor?.listCursor);
  const refs = listed.keys.flatMap(({ name }): CommentRef[] => {
    const key = parseCommentKey(name);
    return key ? [{ page: { site: key.site, pageHash: key.pageHash }, id: key.commentId }] : [];
  });
  const comments = (await new CommentStore(kv).getMany(refs)).filter(
    (comment): comment is StoredComment => comment !== null,
  );
  page.threads.push(...toExportThreads(comments));
  if (!listed.list_complete) page.nextCursor = writeExportCursor({ stage: 'comments', listCursor: listed.cursor });
  return page;
}

async function listCommentKeys(kv: KVNamespace, site: string, listCursor: string | undefined) {
  try {
    return await kv.list({
      prefix: siteCommentPrefix(site),
      limit: EXPORT_PAGE_KEYS,
      ...(listCursor !== undefined ? { cursor: listCursor } : {}),
    });
  } catch (error) {
    // KV refuses a cursor it did not make; anything else (the daily limit, an outage) is not the caller's doing.
    if (listCursor === undefined || isDailyLimitError(error)) throw error;
    throw invalidField('cursor', 'cursor is not one this export returned; start again without it.');
  }
}
