/**
 * /api/v1/admin/sites/:site/import: comments from another system (or a Sala export), parsed in the owner's browser
 * and sent in batches of whole threads. POST checks the whole batch, writes what today's KV writes allow and queues
 * the rest, one key per thread, for the cron after 00:00 UTC, while the day's queue allowance lasts; past it the rest
 * is `paused`, written nowhere, for the Import tab to send again then. A thread waiting in the queue exactly as sent
 * again is `queued`, nothing written (with `?dryRun=1` it checks and answers the same, writing nothing); a Sala
 * export's settings and bans ride along (storage/import-site.ts). GET says how much waits, and when.
 */
import type { ImportResponse, ImportStatusResponse } from '@sala/protocol';
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { dailyLimitResetAt, isDailyLimitError } from '../domain/daily-limit.js';
import { IMPORT_LIMITS, readImportRequest } from '../domain/import-input.js';
import { ApiError, invalidField } from '../errors.js';
import { jsonBody } from '../middleware/json-body.js';
import { ImportQueue } from '../storage/import-queue.js';
import {
  importBudget,
  importThreads,
  importWait,
  lazyBudget,
  queuedThreadWrites,
  takeQueueWrite,
} from '../storage/import-run.js';
import { publishedDigest, queuedPartDigests, stageParts, stepShares } from '../storage/import-stage.js';
import { retireStepValues } from '../storage/import-steps.js';
import { pageRef } from '../storage/keys.js';
import { importSiteParts } from '../storage/import-site.js';

export const adminImport = new Hono<AppEnv>();

/** `?dryRun=1`: check and work out the outcome exactly as an import would, writing nothing. */
function readDryRun(raw: string | undefined): boolean {
  if (raw === undefined || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true' || raw === '') return true;
  throw invalidField('dryRun', 'dryRun must be 1 or 0.');
}

adminImport.post('/import', jsonBody({ maxBytes: IMPORT_LIMITS.requestBytes }), async (c) => {
  const site = c.get('site');
  const kv = c.env.SALA;
  const now = new Date();
  const dryRun = readDryRun(c.req.query('dryRun'));
  const request = await readImportRequest(c.get('jsonBody'), { secret: c.env.SALA_SECRET, siteId: site.id, now });
  const budget = lazyBudget(() => importBudget(c.env, c.get('usage'), now.getTime()));
  const resumesAt = dailyLimitResetAt(now.getTime()).toISOString();
  // The Import tab waits for resumesAt by this clock, not by the browser's.
  const serverTime = now.toISOString();
  const siteParts = await importSiteParts(kv, site, c.env.SALA_SECRET, request, { dryRun, budget, resumesAt });
  // Parts before a post's last are staged here, invisible; the last part brings the whole post (import-stage.ts).
  // One view of the queue for the request: listed once, when first asked (a thread sent again may wait there).
  const queue = new ImportQueue(kv);
  const keptIds = request.source === 'sala';
  const parts = await stageParts(kv, site.id, request.threads, {
    dryRun,
    budget,
    queue,
    run: request.run,
    keptIds,
    now,
  });
  const queueHolds = queue.holding(site.id);
  const imported = await importThreads(kv, site.id, parts.ready, budget, now, {
    dryRun,
    keptIds,
    queueHolds,
    piecesDigest: publishedDigest,
    ...(request.run !== undefined ? { run: request.run } : {}),
  });
  const written = imported.results.length - imported.unwritten.length;
  // A big post joined whole, though its parts wrote their shares of it (storage/import-steps.ts), on a page that had
  // no document: nothing names the shares, deleted now. Not for a post queued or paused: its last part sent again
  // may still publish it from them.
  for (const thread of parts.ready.slice(0, written)) {
    const shares = stepShares(thread);
    if (shares.length > 0 && imported.documentless.has(thread)) {
      await retireStepValues(kv, await pageRef(site.id, thread.pageId), shares);
    }
  }
  let queued = 0;
  try {
    // The queue takes what the day's allowance has room for, in order; the rest is paused, nothing of it written.
    for (const thread of imported.unwritten) {
      if (!takeQueueWrite(await budget())) break;
      await queue.add(site.id, thread, now, queuedThreadWrites(thread), keptIds, {
        parts: await queuedPartDigests(thread),
        pieces: await publishedDigest(thread),
      });
      queued++;
    }
  } catch (error) {
    if (!isDailyLimitError(error)) throw error;
    const saved = written + queued + parts.published;
    throw new ApiError(
      'daily_limit_reached',
      503,
      saved === 0
        ? "Importing is paused until 00:00 UTC: this comment server has used its free plan's daily KV writes. Nothing was saved; send this batch again then."
        : `Importing is paused until 00:00 UTC: this comment server has used its free plan's daily KV writes. The first ${saved} threads of this batch were saved; send the batch again then (they are not written twice; with the same run, they are answered as written by it).`,
      undefined,
      undefined,
      resumesAt,
    );
  }
  const threadResults = imported.results
    .map((result, i) => (i >= written + queued ? { ...result, outcome: 'paused' as const } : result))
    .values();
  const results = parts.staged.map((staged, i) => {
    const result = staged ?? threadResults.next().value!;
    return parts.estimated.has(i) ? { ...result, estimate: true as const } : result;
  });
  if (!results.some((result) => result.outcome === 'queued' || result.outcome === 'paused')) {
    return c.json<ImportResponse>({ threads: results, ...siteParts, serverTime });
  }
  const queuedFor = imported.shortage ?? 'writes';
  return c.json<ImportResponse>({ threads: results, resumesAt, queuedFor, ...siteParts, serverTime });
});

adminImport.get('/import', async (c) => {
  const waiting = await new ImportQueue(c.env.SALA).waiting(c.get('site').id);
  const now = Date.now();
  const status: ImportStatusResponse = {
    queuedThreads: waiting.threads,
    queuedComments: waiting.comments,
    serverTime: new Date(now).toISOString(),
  };
  if (waiting.threads === 0) return c.json<ImportStatusResponse>(status);
  // Today's budget (two list() per site) only when something waits: whether it has room for the next thread tonight.
  const budget = await importBudget(c.env, c.get('usage'), now);
  const { resumesAt, queuedFor } = importWait(budget, now, waiting.nextWrites);
  return c.json<ImportStatusResponse>({
    ...status,
    resumesAt: resumesAt.toISOString(),
    ...(queuedFor ? { queuedFor } : {}),
  });
});
