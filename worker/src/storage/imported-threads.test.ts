/**
 * A split imported document (a head naming parts of its older comments, storage/imported-threads.ts) read by each of
 * the document's readers as the whole document it stands for: the comment store, the rebuild, the export, the check
 * for comments imported at another address and the merge of a post imported again.
 */
import { env } from 'cloudflare:workers';
import type { ImportComment } from '@sala/protocol';
import { describe, expect, it } from 'vitest';
import { readImportRequest } from '../domain/import-input.js';
import type { ImportedThread } from '../domain/imported-thread.js';
import { prebuild, storedComments, type PrebuiltThread } from '../domain/prebuilt-thread.js';
import type { Site } from '../domain/site-config.js';
import { freshPage } from '../testing-kv.js';
import { CommentStore } from './comments.js';
import { importThreads } from './import-run.js';
import { endsOf, ImportedElsewhere, ImportedThreads, MissingImportedPart } from './imported-threads.js';
import { importedPartKey, importedThreadKey, pageRef, threadKey, type PageRef } from './keys.js';
import { readExportPage } from './site-export.js';
import { rebuildThread } from './thread-rebuild.js';
import { ThreadStore } from './threads.js';

const NOW = new Date(Date.UTC(2026, 11, 7, 23, 0));

/** A site of its own, so its export holds this test's documents alone. */
function freshSite(): Site {
  return {
    id: `split-${crypto.randomUUID()}`,
    name: 'Split',
    origins: [],
    viewSampleRate: 1,
    respectDoNotTrack: false,
  };
}

/**
 * A post of `count` comments as the import prebuilds it: every third a reply to the comment three before (so in
 * another part of the document below), one held for moderation.
 */
async function post(site: string, pageId: string, count: number): Promise<PrebuiltThread> {
  const comments = Array.from({ length: count }, (_, c): ImportComment => ({
    sourceId: `s${c}`,
    authorName: `Reader ${c}`,
    authorEmail: `reader${c}@example.com`,
    createdAt: new Date(Date.UTC(2021, 2, 4, 5, c)).toISOString(),
    body: `Imported comment number ${c}`,
    status: c === 5 ? 'pending' : 'approved',
    ...(c % 3 === 2 ? { parentSourceId: `s${c - 2}` } : {}),
  }));
  const request = { source: 'disqus', threads: [{ pageId, comments }] };
  const [thread] = (await readImportRequest(request, { secret: 'test-secret', siteId: site, now: NOW })).threads;
  return prebuild(thread!);
}

function documentOf(thread: PrebuiltThread): ImportedThread {
  return { pageId: thread.pageId, updatedAt: NOW.toISOString(), comments: storedComments(thread) };
}

/**
 * Writes `document` split: its comments up to each of `cuts` a part of their own, the rest in its head. The first part
 * opens with a line of its writer's facts, as a part may.
 */
async function writeSplit(page: PageRef, document: ImportedThread, cuts: readonly number[]): Promise<string[]> {
  const parts: string[] = [];
  let from = 0;
  for (const end of cuts) {
    const id = crypto.randomUUID();
    const array = JSON.stringify(document.comments.slice(from, end));
    await env.SALA.put(importedPartKey(page, id), parts.length === 0 ? `{"count":${end - from}}\n${array}` : array);
    parts.push(id);
    from = end;
  }
  const { comments, ...fields } = document;
  const ends = endsOf(comments.map((comment) => comment.id));
  await env.SALA.put(importedThreadKey(page), JSON.stringify({ ...fields, comments: comments.slice(from), parts }), {
    metadata: { parts: parts.length, ends },
  });
  return parts;
}

/** The same post on two sites: written whole on one, split in three on the other. */
async function bothWays(count = 12): Promise<{ whole: PageRef; split: PageRef; thread: PrebuiltThread; site: Site }> {
  const pageId = freshPage('split');
  const [wholeSite, site] = [freshSite(), freshSite()];
  const thread = await post(site.id, pageId, count);
  const whole = await pageRef(wholeSite.id, pageId);
  const split = await pageRef(site.id, pageId);
  await new ImportedThreads(env.SALA).write(whole, documentOf(thread));
  await writeSplit(split, documentOf(thread), [4, 8]);
  return { whole, split, thread, site };
}

describe('a split imported document', () => {
  it('is read as the whole document it stands for: alone, in bulk beside a whole one, and as bytes', async () => {
    const { whole, split } = await bothWays();
    const documents = new ImportedThreads(env.SALA);
    const expected = await documents.read(whole);
    expect(expected!.comments).toHaveLength(12);
    expect(await documents.read(split)).toEqual(expected);
    const none = await pageRef(split.site, freshPage('none'));
    expect(await documents.readMany([whole, split, none, split])).toEqual([expected, expected, null, expected]);
    const stored = await documents.readStored(split);
    expect(JSON.parse(new TextDecoder().decode(stored!.bytes))).toEqual(expected);
  });

  it('is read by the comment store, the rebuild and the export as the whole one', async () => {
    const { whole, split, site } = await bothWays();
    const store = new CommentStore(env.SALA);
    const page = await store.readPage(whole);
    expect(await store.readPage(split)).toEqual(page);
    const ids = page.comments.map((comment) => comment.id);
    expect(await store.getMany(ids.map((id) => ({ page: split, id })))).toEqual(page.comments);

    expect(await rebuildThread(env.SALA, whole, NOW)).toBe('written');
    expect(await rebuildThread(env.SALA, split, NOW)).toBe('written');
    const snapshots = new ThreadStore(env.SALA);
    const shown = (await snapshots.read(whole))!;
    expect(shown.comments.length).toBeGreaterThan(8);
    expect((await snapshots.read(split))!.comments).toEqual(shown.comments);

    const exported = await readExportPage(env.SALA, site, null);
    const wholeSite = { ...site, id: whole.site };
    expect(exported.threads).toEqual((await readExportPage(env.SALA, wholeSite, null)).threads);
    expect(exported.threads.flatMap((thread) => thread.comments)).toHaveLength(12);
  });

  it('is found holding a post imported again at another address, every comment of it', async () => {
    const { split, thread } = await bothWays();
    const elsewhere = await pageRef(split.site, freshPage('moved'));
    const ids = storedComments(thread).map((comment) => comment.id);
    const found = await new ImportedElsewhere(env.SALA, split.site).of(elsewhere, ids);
    expect(found?.pageId).toBe(thread.pageId);
    expect([...found!.ids].sort()).toEqual([...ids].sort());
  });

  it('is merged with the post imported again: nothing added twice, a new comment added once', async () => {
    const { split, thread, site } = await bothWays();
    await rebuildThread(env.SALA, split, NOW);
    const budget = async () => ({ writes: 1_000, lists: 1_000 });
    const again = await importThreads(env.SALA, site.id, [thread], budget, NOW);
    expect(again.results).toEqual([{ pageId: thread.pageId, outcome: 'unchanged', added: 0 }]);

    const grown = await post(site.id, thread.pageId, 13);
    const later = new Date(NOW.getTime() + 60_000);
    const merged = await importThreads(env.SALA, site.id, [grown], budget, later);
    expect(merged.results).toEqual([{ pageId: thread.pageId, outcome: 'imported', added: 1 }]);
    const document = (await new ImportedThreads(env.SALA).read(split))!;
    expect(document.comments.map((comment) => comment.id).sort()).toEqual(
      storedComments(grown)
        .map((comment) => comment.id)
        .sort(),
    );
  });

  it('whose part is not in KV is not read as a shorter document, and the rebuild leaves the page as it was', async () => {
    const pageId = freshPage('missing');
    const page = await pageRef(freshSite().id, pageId);
    const document = documentOf(await post(page.site, pageId, 12));
    const parts = await writeSplit(page, document, [4, 8]);
    expect(await rebuildThread(env.SALA, page, NOW)).toBe('written');
    const before = await env.SALA.get(threadKey(page));
    await env.SALA.delete(importedPartKey(page, parts[1]!));
    const documents = new ImportedThreads(env.SALA);
    await expect(documents.read(page)).rejects.toThrow(MissingImportedPart);
    await expect(documents.readMany([page])).rejects.toThrow(MissingImportedPart);
    await expect(rebuildThread(env.SALA, page, new Date(NOW.getTime() + 60_000))).rejects.toThrow(MissingImportedPart);
    expect(await env.SALA.get(threadKey(page))).toBe(before);
  });
});
