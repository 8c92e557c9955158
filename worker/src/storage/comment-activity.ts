/** Every page's comment activity of a site, from the metadata of its count keys: list() calls, no reads. */
import { readCountMetadata, type CountKeyMetadata } from '../domain/comment-activity.js';
import { countPrefix, parseCountKey, type PageRef } from './keys.js';

export interface PageActivity {
  page: PageRef;
  metadata: CountKeyMetadata;
}

/** One list() per 1,000 commented pages. Pages whose count key predates the metadata are left out. */
export async function listCommentActivity(kv: KVNamespace, site: string): Promise<PageActivity[]> {
  const pages: PageActivity[] = [];
  let cursor: string | undefined;
  do {
    const listed = await kv.list({ prefix: countPrefix(site), ...(cursor ? { cursor } : {}) });
    for (const { name, metadata } of listed.keys) {
      const page = parseCountKey(name);
      const checked = readCountMetadata(metadata);
      if (page !== null && checked !== null) pages.push({ page, metadata: checked });
    }
    cursor = listed.list_complete ? undefined : listed.cursor;
  } while (cursor);
  return pages;
}
