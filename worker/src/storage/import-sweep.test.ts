/**
 * The cron's sweep of import shares (import-sweep.ts): what an owner whose big import was abandoned, restaged or merged
 * gets back in KV, and what a reader of a published post never loses. Posts of 43 parts of 2 comments each (the share
 * path is taken past 41 parts, whatever their size), staged through the import route and swept by the real cron.
 */
import type { ImportComment, ImportRequest, ImportResponse } from '@sala/protocol';
import { createScheduledController } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DAY_MS } from '../domain/utc-time.js';
import { createWorker } from '../index.js';
import { STAGE_TTL_SECONDS } from './import-stage.js';
import { SWEEP } from './import-sweep.js';
import {
  IMPORT_SWEEP_KEY,
  IMPORTED_PART_PREFIX,
  importedPartKey,
  importStageKey,
  importStagePrefix,
  pageRef,
  threadKey,
  threadPartKey,
  type PageRef,
} from './keys.js';
import { rebuildThread } from './thread-rebuild.js';
import { TestSite, wholeThread } from '../testing-admin.js';
import { countingKv, freshPage, rebuildsDone, send } from '../testing.js';

const PARTS = 43;
/**
 * 03:00 UTC today: a test stages its parts then, and its nights are whole days after, a week at most (the clock moved
 * days ahead, not years: the files after this one in the process make ids and marks by it, domain/comment-id.ts).
 */
const START = Math.floor(Date.now() / DAY_MS) * DAY_MS + 3 * 3_600_000;
const NIGHT_RUNS = [0, 30, 40, 60, 90, 100];

let minute = 0;
beforeEach(() => {
  minute = 0;
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(START);
});
afterEach(() => {
  vi.useRealTimers();
});

function comment(sourceId: string): ImportComment {
  minute += 1;
  return {
    sourceId,
    authorName: `Reader ${sourceId}`,
    authorEmail: `reader-${sourceId}@example.com`,
    createdAt: new Date(Date.UTC(2021, 2, 4, 5, 0) + minute * 60_000).toISOString(),
    body: `What reader ${sourceId} wrote`,
    status: 'approved',
  };
}

/** A post of 43 parts: 2 comments in each part before the last, the last comment alone in it. */
function bigPost(prefix: string): ImportComment[][] {
  return Array.from({ length: PARTS }, (_, index) =>
    Array.from({ length: index < PARTS - 1 ? 2 : 1 }, (_, c) => comment(`${prefix}-${index}-${c}`)),
  );
}

function partRequest(page: string, parts: ImportComment[][], index: number): ImportRequest {
  return { source: 'disqus', threads: [{ pageId: page, comments: parts[index]!, part: { index, count: PARTS } }] };
}

async function sendPart(site: TestSite, page: string, parts: ImportComment[][], index: number): Promise<string> {
  const sent = await site.admin<ImportResponse>('POST', '/import', {
    json: partRequest(page, parts, index),
    worker: createWorker(),
    bindings: { ...site.bindings, IMPORT_DAILY_LIMIT: '1000000' },
  });
  if (sent.status !== 200) throw new Error(`import failed: ${sent.status} ${sent.text}`);
  await rebuildsDone();
  return sent.body.threads[0]!.outcome;
}

/** The post's parts before the last, staged: each writes its share. */
async function stageParts(site: TestSite, page: string, parts: ImportComment[][]): Promise<void> {
  for (let index = 0; index < PARTS - 1; index++) expect(await sendPart(site, page, parts, index)).toBe('staged');
}

/** The staged parts gone, as they are `STAGE_TTL_SECONDS` after their puts (the local KV keeps its own clock). */
async function expireStaged(page: PageRef): Promise<void> {
  for (let index = 0; index < PARTS; index++) await env.SALA.delete(importStageKey(page, { index, count: PARTS }));
}

/** `env.SALA` with the keys of other sites (other test files' imports) hidden from its lists. */
function ownKv(site: TestSite): KVNamespace {
  const others = (name: string) => name.startsWith(IMPORTED_PART_PREFIX) && !name.includes(`:${site.id}:`);
  return new Proxy(env.SALA, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (property !== 'list') return value.bind(target);
      return async (options: KVNamespaceListOptions) => {
        const listed = await target.list(options);
        return { ...listed, keys: listed.keys.filter((key) => !others(key.name)) };
      };
    },
  });
}

/** The six nightly cron runs of the UTC day starting at `midnight`, each as a new cron isolate; each run's KV calls. */
async function night(
  site: TestSite,
  midnight: number,
  wrap: (kv: KVNamespace) => KVNamespace = (kv) => kv,
): Promise<{ method: string; args: unknown[] }[][]> {
  const quiet = vi.spyOn(console, 'log').mockImplementation(() => {});
  const runs = [];
  for (const at of NIGHT_RUNS.map((minutes) => midnight + minutes * 60_000)) {
    vi.setSystemTime(at);
    const counted = countingKv(wrap(ownKv(site)));
    await createWorker().scheduled(createScheduledController({ scheduledTime: at, cron: '*/10 * * * *' }), {
      ...site.bindings,
      SALA: counted.kv,
    });
    await rebuildsDone();
    runs.push(counted.calls);
  }
  quiet.mockRestore();
  return runs;
}

/** Midnight `days` UTC days after START's. */
const midnightAfter = (days: number) => START - (START % DAY_MS) + days * DAY_MS;

/** Of the shares named by `digests`, the keys still in KV: each one's `d`, `r` and `s`. */
async function sharesLeft(page: PageRef, digests: readonly string[]): Promise<string[]> {
  const keys = digests.flatMap((digest) => [
    importedPartKey(page, `d${digest}`),
    threadPartKey(page, `r${digest}`),
    threadPartKey(page, `s${digest}`),
  ]);
  const left = [];
  for (const key of keys) if ((await env.SALA.get(key, 'arrayBuffer')) !== null) left.push(key);
  return left;
}

/** The digests of the page's staged parts, in part order. */
async function stagedDigests(page: PageRef): Promise<string[]> {
  const listed = await env.SALA.list<{ digest: string }>({ prefix: importStagePrefix(page) });
  return listed.keys
    .map((key) => ({ index: Number(key.name.split(':').at(-1)), digest: key.metadata!.digest }))
    .sort((a, b) => a.index - b.index)
    .map((key) => key.digest);
}

/** Every comment the public thread shows, page after page, by its author's name, and its total. */
async function shown(site: TestSite, page: string): Promise<{ total: number; names: string[] }> {
  const { total, comments } = await wholeThread(site, page);
  return { total, names: comments.map((one) => one.author.name) };
}

/** The shares' keys a run deleted, and its lists of shares and staged parts. */
const sharesOf = (calls: { method: string; args: unknown[] }[], method: 'delete' | 'list') =>
  calls.filter((call) => {
    if (call.method !== method) return false;
    const key = method === 'list' ? (call.args[0] as { prefix: string }).prefix : String(call.args[0]);
    return ['v1:imported-part:', 'v1:thread-part:', 'v1:import-stage:'].some((prefix) => key.startsWith(prefix));
  }).length;

describe('the cron’s sweep of import shares', () => {
  it('deletes an abandoned 43-part post’s shares once its staged parts are past their life and a day, not before', async () => {
    const site = await TestSite.create();
    const page = freshPage('abandoned');
    const ref = await pageRef(site.id, page);
    await stageParts(site, page, bigPost('a'));
    const digests = await stagedDigests(ref);
    expect(digests).toHaveLength(PARTS - 1);
    expect(await sharesLeft(ref, digests)).toHaveLength(3 * (PARTS - 1));

    // The owner closed the tab. Two nights on, the staged parts still live: nothing is deleted.
    await night(site, midnightAfter(2));
    expect(await sharesLeft(ref, digests)).toHaveLength(3 * (PARTS - 1));
    // Three days on they have expired; the shares, younger than that and a day (3 days 21 hours at the night of day 4),
    // stay.
    await expireStaged(ref);
    expect(midnightAfter(4) - START).toBeLessThan(STAGE_TTL_SECONDS * 1000 + DAY_MS);
    await night(site, midnightAfter(4));
    expect(await sharesLeft(ref, digests)).toHaveLength(3 * (PARTS - 1));
    // Past it: all 126 gone within the night, at most 60 deletes and two lists a run (the parts, the staged parts).
    const runs = await night(site, midnightAfter(5));
    expect(await sharesLeft(ref, digests)).toEqual([]);
    expect(runs.map((calls) => sharesOf(calls, 'delete'))).toEqual([60, 60, 6, 0, 0, 0]);
    expect(runs.map((calls) => sharesOf(calls, 'list'))).toEqual([2, 2, 2, 0, 0, 0]);
    expect(await env.SALA.get(IMPORT_SWEEP_KEY)).toBeNull();
  }, 120_000);

  it('keeps a published post’s shares and deletes a share restaged with other content', async () => {
    const site = await TestSite.create();
    const page = freshPage('published');
    const ref = await pageRef(site.id, page);
    const parts = bigPost('p');
    // Part 0 first sent with a comment since edited in the source: once restaged, its first share is named by nothing.
    const first = [{ ...parts[0]![0]!, body: 'A first version' }, parts[0]![1]!];
    expect(await sendPart(site, page, [first, ...parts.slice(1)], 0)).toBe('staged');
    const [restaged] = await stagedDigests(ref);
    await stageParts(site, page, parts);
    const digests = await stagedDigests(ref);
    expect(digests[0]).not.toBe(restaged);
    expect(await sendPart(site, page, parts, PARTS - 1)).toBe('imported');
    const published = await shown(site, page);
    expect(published.total).toBe(2 * (PARTS - 1) + 1);

    await expireStaged(ref);
    await night(site, midnightAfter(5));
    expect(await sharesLeft(ref, [restaged!])).toEqual([]);
    expect(await sharesLeft(ref, digests)).toHaveLength(3 * (PARTS - 1));
    expect(await shown(site, page)).toEqual(published);
  }, 120_000);

  it('deletes the document parts of a post merged whole onto its split document, and keeps the snapshot parts its snapshot names', async () => {
    const site = await TestSite.create();
    const page = freshPage('merged');
    const ref = await pageRef(site.id, page);
    const parts = bigPost('m');
    await stageParts(site, page, parts);
    expect(await sendPart(site, page, parts, PARTS - 1)).toBe('imported');
    const digests = await stagedDigests(ref);

    // Imported again with a comment more in its last part: joined whole and merged, its document written whole.
    const more = [...parts.slice(0, -1), [...parts.at(-1)!, comment('m-new')]];
    for (let index = 0; index < PARTS - 1; index++) expect(await sendPart(site, page, more, index)).toBe('unchanged');
    expect(await sendPart(site, page, more, PARTS - 1)).toBe('imported');
    const merged = await shown(site, page);
    expect(merged.total).toBe(2 * (PARTS - 1) + 2);
    const head = JSON.parse((await env.SALA.get(threadKey(ref)))!) as {
      parts?: { id: string; sources?: string }[];
      retired?: { id: string }[];
    };
    const named = new Set([
      ...(head.parts ?? []).flatMap((part) => [part.id, part.sources]),
      ...(head.retired ?? []).map((part) => part.id),
    ]);
    const kept = digests.flatMap((digest) =>
      [`r${digest}`, `s${digest}`].filter((id) => named.has(id)).map((id) => threadPartKey(ref, id)),
    );
    expect(kept.length).toBeGreaterThan(0);

    await expireStaged(ref);
    await night(site, midnightAfter(5));
    expect((await sharesLeft(ref, digests)).sort()).toEqual(kept.sort());
    expect(await shown(site, page)).toEqual(merged);
    expect(await rebuildThread(env.SALA, ref)).toBe('unchanged');
  }, 120_000);

  it('keeps a live import’s shares whatever their age, and deletes those of the build before once its staged parts are gone', async () => {
    const site = await TestSite.create();
    const page = freshPage('live');
    const ref = await pageRef(site.id, page);
    await stageParts(site, page, bigPost('l'));
    const digests = await stagedDigests(ref);
    // Half its shares as the build before wrote them: no time in their metadata.
    for (const digest of digests.slice(0, 21)) {
      const key = importedPartKey(ref, `d${digest}`);
      await env.SALA.put(key, (await env.SALA.get(key, 'arrayBuffer'))!);
    }

    // Its staged parts still there (the owner's tab sends the last part later): every share kept, past its age or none.
    await night(site, midnightAfter(5));
    expect(await sharesLeft(ref, digests)).toHaveLength(3 * (PARTS - 1));
    // Its staged parts gone, on a night when the rest are a day old: those without a time go (no age to wait for)…
    await expireStaged(ref);
    await night(site, midnightAfter(1));
    expect(await sharesLeft(ref, digests.slice(0, 21))).toEqual([]);
    expect(await sharesLeft(ref, digests.slice(21))).toHaveLength(3 * 21);
    // … and the rest once past their age.
    await night(site, midnightAfter(6));
    expect(await sharesLeft(ref, digests)).toEqual([]);
  }, 120_000);

  it('goes on where a run stopped, over runs and nights: a page of the list, one page’s heads and 60 deletes a run', async () => {
    const site = await TestSite.create();
    const pages = [freshPage('first'), freshPage('second')];
    const refs = await Promise.all(pages.map((page) => pageRef(site.id, page)));
    const digests: string[][] = [];
    for (const [p, page] of pages.entries()) {
      await stageParts(site, page, bigPost(`g${p}`));
      digests.push(await stagedDigests(refs[p]!));
      await expireStaged(refs[p]!);
    }
    const bounds = { ...SWEEP };
    Object.assign(SWEEP, { listLimit: 30, pagesPerRun: 1 });
    try {
      const runs = [];
      for (let day = 5; day < 8; day++) runs.push(...(await night(site, midnightAfter(day))));
      for (const [p, ref] of refs.entries()) expect(await sharesLeft(ref, digests[p]!)).toEqual([]);
      expect(await env.SALA.get(IMPORT_SWEEP_KEY)).toBeNull();
      // 252 deletes in all, within 60 a run; a list of the parts and at most one page's staged parts a run.
      expect(runs.reduce((sum, calls) => sum + sharesOf(calls, 'delete'), 0)).toBe(252);
      expect(runs.every((calls) => sharesOf(calls, 'delete') <= 60 && sharesOf(calls, 'list') <= 2)).toBe(true);
    } finally {
      Object.assign(SWEEP, bounds);
    }
  }, 120_000);

  it('starts a pass over when KV refuses the cursor it kept', async () => {
    const site = await TestSite.create();
    const page = freshPage('cursor');
    const ref = await pageRef(site.id, page);
    await stageParts(site, page, bigPost('c'));
    const digests = await stagedDigests(ref);
    await expireStaged(ref);
    await env.SALA.put(IMPORT_SWEEP_KEY, JSON.stringify({ cursor: 'from-a-night-long-ago' }));
    const refusing = (kv: KVNamespace) =>
      new Proxy(kv, {
        get(target, property, receiver) {
          const value: unknown = Reflect.get(target, property, receiver);
          if (property !== 'list' || typeof value !== 'function') return value;
          return async (options: KVNamespaceListOptions) => {
            if (options.cursor === 'from-a-night-long-ago') throw new Error('KV GET failed: 400 Invalid cursor');
            return (value as KVNamespace['list']).call(target, options);
          };
        },
      });
    const warned = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await night(site, midnightAfter(5), refusing);
    expect(warned).toHaveBeenCalledWith(expect.stringContaining('the pass starts over'));
    warned.mockRestore();
    expect(await sharesLeft(ref, digests)).toEqual([]);
    expect(await env.SALA.get(IMPORT_SWEEP_KEY)).toBeNull();
  }, 120_000);

  it('costs a night with nothing to sweep one list and a read a run, no write', async () => {
    const site = await TestSite.create();
    const runs = await night(site, midnightAfter(1));
    const sweepCalls = runs.map((calls) =>
      calls.filter(
        (call) =>
          String(call.args[0]) === IMPORT_SWEEP_KEY ||
          (call.args[0] as { prefix?: string } | undefined)?.prefix === IMPORTED_PART_PREFIX,
      ),
    );
    expect(sweepCalls.map((calls) => calls.map((call) => call.method))).toEqual([
      ['get', 'list'],
      ['get'],
      ['get'],
      ['get'],
      ['get'],
      ['get'],
    ]);
  });
});
